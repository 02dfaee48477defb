import Foundation
import Testing
@testable import RetrogradData

/// A version-1 `.npy` file written by hand: magic, version, header length, the header
/// padded with spaces to a 64-byte boundary and ended by a newline, then `data`.
func npyFile(header dict: String, data: [UInt8]) -> [UInt8] {
    var header = Array(dict.utf8)
    while (10 + header.count + 1) % 64 != 0 { header.append(0x20) }
    header.append(0x0A)
    return [0x93] + Array("NUMPY".utf8) + [1, 0] + LittleEndian.bytes(UInt16(header.count)) + header + data
}

/// A small array in one element type: its file, and how to read an element from raw bytes.
struct NPYFixture: CustomStringConvertible, Sendable {
    var description: String
    var file: [UInt8]
    /// Bytes per element in the file.
    var itemSize: Int
    /// Whether elements are int64 that the reader narrows to int32.
    var isWideInteger = false

    /// Where the data start: after the 10-byte prefix and the header.
    var dataStart: Int { 10 + Int(LittleEndian.unsigned(file, at: 8, width: 2)) }

    /// The bit patterns the reader must return for data bytes `bytes` (int64 values as
    /// their int32 patterns), or the index and value of the first int64 that does not fit.
    func expected(data bytes: [UInt8]) -> (bits: [UInt64], outOfRange: (Int, Int64)?) {
        var bits = [UInt64]()
        for index in 0..<(bytes.count / itemSize) {
            let raw = LittleEndian.unsigned(bytes, at: index * itemSize, width: itemSize)
            if isWideInteger {
                let value = Int64(bitPattern: raw)
                guard let narrow = Int32(exactly: value) else { return (bits, (index, value)) }
                bits.append(UInt64(UInt32(bitPattern: narrow)))
            } else {
                bits.append(itemSize == 1 ? (raw != 0 ? 1 : 0) : raw)
            }
        }
        return (bits, nil)
    }

    static let all: [NPYFixture] = [
        NPYFixture(
            description: "<f4 (3, 4)",
            file: npyFile(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }",
                          data: (0..<12).flatMap { LittleEndian.bytes((Float($0) * 0.5 - 1).bitPattern) }),
            itemSize: 4),
        NPYFixture(
            description: "<f8 ()",
            file: npyFile(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (), }", data: LittleEndian.bytes((-2.75).bitPattern)),
            itemSize: 8),
        NPYFixture(
            description: "<i8 (4,)",
            file: npyFile(header: "{'descr': '<i8', 'fortran_order': False, 'shape': (4,), }",
                          data: [1, -2, 2_147_483_647, -2_147_483_648].flatMap { LittleEndian.bytes(Int64($0)) }),
            itemSize: 8, isWideInteger: true),
        NPYFixture(
            description: "|b1 (2, 2)",
            file: npyFile(header: "{'descr': '|b1', 'fortran_order': False, 'shape': (2, 2), }", data: [1, 0, 0, 1]),
            itemSize: 1),
    ]
}

/// Decodes `mutation`, returning the array, or nil after checking that the failure is an
/// `NPYError` naming the file.
private func decodeOrTypedError(_ mutation: Mutation, sourceLocation: SourceLocation = #_sourceLocation) -> Tensor? {
    do {
        return try NPY.decode(mutation.bytes, file: "fuzz.npy")
    } catch {
        #expect(error.description.contains("fuzz.npy"), "\(mutation): \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

@Suite struct NPYFuzzTests {
    @Test(arguments: NPYFixture.all)
    func theFixturesReadAsWrittenByHand(fixture: NPYFixture) throws {
        let array = try NPY.decode(fixture.file, file: "fixture.npy")
        #expect(bitPatterns(array) == fixture.expected(data: Array(fixture.file[fixture.dataStart...])).bits)
    }

    @Test(arguments: NPYFixture.all)
    func everyTruncationIsATypedError(fixture: NPYFixture) {
        for mutation in Mutations.truncations(of: fixture.file) {
            #expect(decodeOrTypedError(mutation) == nil, "\(fixture): \(mutation) was accepted")
        }
    }

    /// A flip in the data changes exactly the element holding that byte (or, for int64, is
    /// a range error when the element no longer fits in int32); a flip in the prefix or
    /// header is read consistently or is a typed error.
    @Test(arguments: NPYFixture.all)
    func flippedBytesGiveTheFlippedDataOrATypedError(fixture: NPYFixture) {
        let mutations = Mutations.singleFlips(of: fixture.file, count: 300, seed: 3)
            + Mutations.bitFlips(of: fixture.file, in: 0..<16)
            + Mutations.bitFlips(of: fixture.file, in: fixture.dataStart..<fixture.file.count)
        for mutation in mutations {
            let (position, _) = mutation.flipped!
            let array = decodeOrTypedError(mutation)
            guard position >= fixture.dataStart else {
                if let array { checkConsistent(array, fileSize: mutation.bytes.count, mutation) }
                continue
            }
            let (bits, outOfRange) = fixture.expected(data: Array(mutation.bytes[fixture.dataStart...]))
            if let (index, value) = outOfRange {
                #expect(throws: NPYError.valueOutOfRange(file: "fuzz.npy", index: index, value: value)) {
                    _ = try NPY.decode(mutation.bytes, file: "fuzz.npy")
                }
            } else {
                #expect(array.map(bitPatterns) == bits, "\(fixture): \(mutation)")
            }
        }
    }

    @Test(arguments: NPYFixture.all)
    func severalFlippedBytesAreReadOrATypedError(fixture: NPYFixture) {
        for mutation in Mutations.multipleFlips(of: fixture.file, count: 300, seed: 5) {
            if let array = decodeOrTypedError(mutation) { checkConsistent(array, fileSize: mutation.bytes.count, mutation) }
        }
    }

    /// An array that was read fits in the file it came from.
    private func checkConsistent(_ array: Tensor, fileSize: Int, _ mutation: Mutation) {
        #expect(array.elementCount * array.dtype.byteSize <= fileSize, "\(mutation)")
    }

    /// Headers that once risked a trap or a crash: nesting deep enough to exhaust the stack
    /// (the parser recursed without limit: a million brackets crashed it), sizes whose
    /// product overflows, integers beyond Int.
    @Test(arguments: HostileHeader.allCases)
    func hostileHeadersAreTypedErrors(header: HostileHeader) {
        let text = header.text
        var file = [0x93] + Array("NUMPY".utf8) + [2, 0] + LittleEndian.bytes(UInt32(text.utf8.count)) + Array(text.utf8)
        file += [UInt8](repeating: 0, count: 16)
        #expect(decodeOrTypedError(Mutation(description: header.rawValue, bytes: file)) == nil)
    }

    @Test func headerLengthBeyondTheFileIsATypedError() {
        let file = [0x93] + Array("NUMPY".utf8) + [3, 0] + LittleEndian.bytes(UInt32.max) + Array("{}".utf8)
        #expect(throws: NPYError.truncatedHeader(file: "fuzz.npy", expected: 12 + Int(UInt32.max), found: file.count)) {
            _ = try NPY.decode(file, file: "fuzz.npy")
        }
    }
}

/// `.npy` headers written to break a reader, named so that test output stays short.
enum HostileHeader: String, CaseIterable, Sendable {
    case nestedTuples, nestedLists, shapeProductOverflows, byteCountOverflows, sizeBeyondInt, mostNegativeSize, signWithoutDigits
    case nonASCIIDescr

    var text: String {
        let prefix = "{'descr': '<f4', 'fortran_order': False, 'shape': "
        switch self {
        case .nestedTuples: return prefix + String(repeating: "(", count: 1_000_000) + "}"
        case .nestedLists: return "{'descr': " + String(repeating: "[", count: 1_000_000) + "}"
        case .shapeProductOverflows: return prefix + "(4611686018427387904, 4), }"
        case .byteCountOverflows: return "{'descr': '<f8', 'fortran_order': False, 'shape': (3074457345618258603, 3), }"
        case .sizeBeyondInt: return prefix + "(99999999999999999999999,), }"
        case .mostNegativeSize: return prefix + "(-9223372036854775808,), }"
        case .signWithoutDigits: return prefix + "(+,), }"
        case .nonASCIIDescr: return "{'descr': '\u{FF}', 'fortran_order': False, 'shape': (1,), }"
        }
    }
}
