import Foundation
import Testing
@testable import RetrogradData

/// A `.npy` file built by hand from the format description in NumPy's
/// `numpy/lib/format.py`: magic `\x93NUMPY`, major and minor version bytes, the header
/// length as little-endian uint16 (v1) or uint32 (v2), the header — a Python dict literal
/// padded with spaces and ending in a newline — then the raw data.
private func handBuiltNPY(major: UInt8 = 1, header dict: String, pad: Bool = true, data: [UInt8]) -> [UInt8] {
    let prefixLength = major == 1 ? 10 : 12
    var header = Array(dict.utf8)
    if pad {
        while (prefixLength + header.count + 1) % 64 != 0 { header.append(UInt8(ascii: " ")) }
        header.append(UInt8(ascii: "\n"))
    }
    let length = major == 1 ? littleEndianBytes(UInt16(header.count)) : littleEndianBytes(UInt32(header.count))
    return [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, major, 0] + length + header + data
}

/// Bit patterns, so NaN payloads and signed zeros compare exactly.
private func bits(_ t: Tensor) -> [UInt64] {
    switch t.dtype {
    case .float32: return t.scalars(as: Float.self).map { UInt64($0.bitPattern) }
    case .float64: return t.scalars(as: Double.self).map(\.bitPattern)
    case .int32: return t.scalars(as: Int32.self).map { UInt64(UInt32(bitPattern: $0)) }
    case .bool: return t.scalars(as: Bool.self).map { $0 ? 1 : 0 }
    }
}

/// Tensors of every dtype and several shapes, with awkward values.
let awkwardTensors: [Tensor] = [
    Tensor([Float(bitPattern: 0x7FC0_1234), -0.0, .leastNonzeroMagnitude, -.infinity, 1.5, .greatestFiniteMagnitude], shape: [2, 3]),
    Tensor(Float(-2.5)),
    Tensor([] as [Float], shape: [2, 0, 3]),
    Tensor([Double(bitPattern: 0x7FF8_0000_0000_BEEF), -0.0, .leastNonzeroMagnitude, .pi], shape: [4]),
    Tensor(Double.infinity),
    Tensor([Int32.min, -1, 0, Int32.max], shape: [1, 2, 2, 1]),
    Tensor(Int32(7)),
    Tensor([true, false, false, true, true, false], shape: [3, 2]),
    Tensor(true),
]

@Suite struct NPYRoundTripTests {
    @Test(arguments: awkwardTensors)
    func roundTripIsBitExact(tensor: Tensor) throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let url = dir.file("array.npy")
        try NPY.write(tensor, to: url)
        let back = try NPY.read(url)
        #expect(back.dtype == tensor.dtype)
        #expect(back.shape == tensor.shape)
        #expect(bits(back) == bits(tensor))
        #expect(try dir.contents() == ["array.npy"])
    }

    @Test func writtenHeaderFollowsTheFormat() throws {
        let bytes = NPY.encode(Tensor([1, 2, 3] as [Float], shape: [3]))
        #expect(Array(bytes[0..<8]) == [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0])
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        #expect((10 + headerLength) % 64 == 0)
        let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
        #expect(header.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }"))
        #expect(header.hasSuffix(" \n"))
        #expect(bytes.count == 10 + headerLength + 12)
        #expect(Array(bytes[(10 + headerLength)...]) == [0, 0, 0x80, 0x3F, 0, 0, 0, 0x40, 0, 0, 0x40, 0x40])
        let scalarHeader = String(decoding: NPY.encode(Tensor(true)), as: UTF8.self)
        #expect(scalarHeader.contains("'descr': '|b1'") && scalarHeader.contains("'shape': ()"))
    }
}

@Suite struct NPYHandBuiltTests {
    @Test func version1Float64Matrix() throws {
        let values: [Double] = [0.5, -1, 2, 1e-300, -0.0, 3]
        let data = values.flatMap { littleEndianBytes($0.bitPattern) }
        let bytes = handBuiltNPY(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", data: data)
        #expect(bytes.count == 128 + 48)  // a 10-byte prefix and a 61-byte dict pad to 128
        let tensor = try NPY.decode(bytes, file: "known.npy")
        #expect(tensor.dtype == .float64)
        #expect(tensor.shape == [2, 3])
        #expect(tensor.scalars(as: Double.self).map(\.bitPattern) == values.map(\.bitPattern))
    }

    @Test func version2Int32VectorWithOtherSpelling() throws {
        // Double quotes, no trailing comma, keys in another order, no padding.
        let header = "{\"shape\": (4,), \"fortran_order\": False, \"descr\": \"<i4\"}"
        let data = ([-2, 0, 65536, Int32.max] as [Int32]).flatMap { littleEndianBytes(UInt32(bitPattern: $0)) }
        let tensor = try NPY.decode(handBuiltNPY(major: 2, header: header, pad: false, data: data), file: "v2.npy")
        #expect(tensor.dtype == .int32)
        #expect(tensor.scalars(as: Int32.self) == [-2, 0, 65536, Int32.max])
    }

    @Test func int64IsReadAsInt32WithARangeCheck() throws {
        let header = "{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }"
        let fits = ([-3, 0, Int64(Int32.max)] as [Int64]).flatMap { littleEndianBytes(UInt64(bitPattern: $0)) }
        let tensor = try NPY.decode(handBuiltNPY(header: header, data: fits), file: "i8.npy")
        #expect(tensor.dtype == .int32)
        #expect(tensor.scalars(as: Int32.self) == [-3, 0, Int32.max])
        let tooBig = ([1, 1 << 31, 2] as [Int64]).flatMap { littleEndianBytes(UInt64(bitPattern: $0)) }
        let error = thrownError(NPYError.self) { _ = try NPY.decode(handBuiltNPY(header: header, data: tooBig), file: "big.npy") }
        #expect(error == .valueOutOfRange(file: "big.npy", index: 1, value: 1 << 31))
        #expect(error?.description.contains("big.npy") == true)
    }

    @Test func uint8IsReadAsInt32() throws {
        // NumPy saves images as uint8 ('|u1'): every byte 0...255 widens to the same int32.
        let header = "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 3), }"
        let tensor = try NPY.decode(handBuiltNPY(header: header, data: [0, 1, 127, 128, 200, 255]), file: "u1.npy")
        #expect(tensor.dtype == .int32 && tensor.shape == [2, 3])
        #expect(tensor.scalars(as: Int32.self) == [0, 1, 127, 128, 200, 255])
        let short = thrownError(NPYError.self) { _ = try NPY.decode(handBuiltNPY(header: header, data: [1, 2]), file: "short.npy") }
        #expect(short == .truncatedData(file: "short.npy", expected: 6, found: 2))
    }

    @Test func zeroDimensionalBoolAndFortranVectors() throws {
        let scalar = try NPY.decode(handBuiltNPY(header: "{'descr': '|b1', 'fortran_order': False, 'shape': (), }", data: [1]), file: "b.npy")
        #expect(scalar.shape == [])
        #expect(scalar.scalars(as: Bool.self) == [true])
        // A vector's Fortran and C layouts are the same bytes, so it is accepted.
        let vector = try NPY.decode(
            handBuiltNPY(header: "{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }", data: littleEndianBytes(Float(1).bitPattern) + littleEndianBytes(Float(2).bitPattern)),
            file: "f.npy")
        #expect(vector.scalars(as: Float.self) == [1, 2])
    }
}

/// Writes `bytes` to `name` and returns the NPYError reading it throws, checking that the
/// message names the file.
private func npyError(_ bytes: [UInt8], name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> (NPYError?, String) {
    let dir = try ScratchDirectory()
    defer { dir.cleanUp() }
    let url = try dir.write(bytes: bytes, to: name)
    let error = thrownError(NPYError.self, sourceLocation: sourceLocation) { _ = try NPY.read(url) }
    #expect(error?.description.contains(name) == true, "\(String(describing: error))", sourceLocation: sourceLocation)
    return (error, url.path)
}

@Suite struct NPYErrorTests {
    private let floatHeader = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }"

    @Test func missingFile() {
        let error = thrownError(NPYError.self) { _ = try NPY.read(URL(fileURLWithPath: "/nonexistent/dir/x.npy")) }
        #expect(error == .fileNotFound(file: "/nonexistent/dir/x.npy"))
    }

    @Test func badMagic() throws {
        let (error, path) = try npyError(Array("PK\u{3}\u{4} not numpy at all".utf8), name: "archive.npz")
        #expect(error == .badMagic(file: path))
        let (wrongCase, wrongPath) = try npyError([0x93] + Array("numpy".utf8) + [1, 0, 0, 0], name: "case.npy")
        #expect(wrongCase == .badMagic(file: wrongPath))
    }

    @Test func truncatedHeader() throws {
        let (empty, emptyPath) = try npyError([], name: "empty.npy")
        #expect(empty == .truncatedHeader(file: emptyPath, expected: 10, found: 0))
        let full = handBuiltNPY(header: floatHeader, data: [UInt8](repeating: 0, count: 16))
        let (cut, cutPath) = try npyError(Array(full[0..<40]), name: "cut.npy")
        #expect(cut == .truncatedHeader(file: cutPath, expected: 128, found: 40))
        let (noLength, noLengthPath) = try npyError(Array(full[0..<9]), name: "nolength.npy")
        #expect(noLength == .truncatedHeader(file: noLengthPath, expected: 10, found: 9))
    }

    @Test func truncatedData() throws {
        let bytes = handBuiltNPY(header: floatHeader, data: [UInt8](repeating: 0, count: 12))
        let (error, path) = try npyError(bytes, name: "short.npy")
        #expect(error == .truncatedData(file: path, expected: 16, found: 12))
    }

    @Test func unsupportedVersion() throws {
        var bytes = handBuiltNPY(header: floatHeader, data: [UInt8](repeating: 0, count: 16))
        bytes[6] = 4
        let (error, path) = try npyError(bytes, name: "v4.npy")
        #expect(error == .unsupportedVersion(file: path, major: 4, minor: 0))
    }

    @Test(arguments: ["'>f4'", "'<u2'", "'<f2'", "[('x', '<f4'), ('y', '<f4')]"])
    func unsupportedDType(descr: String) throws {
        let header = "{'descr': \(descr), 'fortran_order': False, 'shape': (2,), }"
        let (error, path) = try npyError(handBuiltNPY(header: header, data: [UInt8](repeating: 0, count: 16)), name: "dtype.npy")
        guard case .unsupportedDType(let file, let found)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(file == path)
        #expect(found.contains(descr.contains("(") ? "'x'" : descr.replacingOccurrences(of: "'", with: "")))
    }

    @Test func fortranOrderMatrixIsRejected() throws {
        let header = "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }"
        let (error, path) = try npyError(handBuiltNPY(header: header, data: [UInt8](repeating: 0, count: 16)), name: "fortran.npy")
        #expect(error == .fortranOrder(file: path, shape: [2, 2]))
        #expect(error?.description.contains("ascontiguousarray") == true)
    }

    @Test(arguments: [
        "[1, 2, 3]",  // not a dictionary
        "{'descr': '<f4', 'fortran_order': False}",  // no shape
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2, -2), }",  // negative size
        "{'descr': '<f4', 'fortran_order': 0, 'shape': (4,), }",  // order not a bool
        "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), ",  // never closed
        "{'descr': '<f4' 'fortran_order': False, 'shape': (4,)}",  // missing comma
    ])
    func headerParseErrors(header: String) throws {
        let (error, path) = try npyError(handBuiltNPY(header: header, data: [UInt8](repeating: 0, count: 16)), name: "header.npy")
        guard case .headerParse(let file, _)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(file == path)
    }

    @Test func writeIntoAMissingDirectoryFails() {
        let url = URL(fileURLWithPath: "/nonexistent/dir/out.npy")
        let error = thrownError(NPYError.self) { try NPY.write(Tensor(Float(1)), to: url) }
        guard case .writeFailed(let file, _)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(file == url.path)
    }
}
