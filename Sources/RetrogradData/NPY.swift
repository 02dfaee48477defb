import Foundation

/// Reads and writes NumPy `.npy` files: one array, its element type and shape.
///
/// Supported element types are little-endian `<f4` (float32), `<f8` (float64), `<i4`
/// (int32), `<i8` (read as int32, with a range check), `|u1` (uint8, NumPy's type for
/// images; read as int32) and `|b1` (bool), in C (row-major)
/// order, of any shape including 0-d. Files of format 1.0, 2.0 and 3.0 are read; files are
/// written as 1.0 (2.0 only when the header would not fit), with the header padded so the
/// data start on a 64-byte boundary, as NumPy does.
///
/// ```swift
/// try NPY.write(weights, to: URL(fileURLWithPath: "w.npy"))
/// let back = try NPY.read(URL(fileURLWithPath: "w.npy"))
/// ```
public enum NPY {
    /// The six bytes every `.npy` file starts with.
    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// Reads the array in a `.npy` file.
    ///
    /// - Throws: an ``NPYError`` naming the file.
    public static func read(_ url: URL) throws(NPYError) -> Tensor {
        let bytes = try readFileBytes(url, reportingAs: NPYError.self)
        return try decode(bytes, file: url.path)
    }

    /// Writes `tensor` to a `.npy` file, replacing any file at `url` atomically (a
    /// temporary file in the same directory is synced, then renamed over it).
    ///
    /// - Throws: ``NPYError/writeFailed(file:reason:)``.
    public static func write(_ tensor: Tensor, to url: URL) throws(NPYError) {
        do {
            try writeFileAtomically(encode(tensor), to: url)
        } catch let failure as FileWriteFailure {
            throw .writeFailed(file: failure.path, reason: failure.reason)
        } catch {
            throw .writeFailed(file: url.path, reason: "\(error)")
        }
    }

    /// The `.npy` bytes of `tensor`.
    public static func encode(_ tensor: Tensor) -> [UInt8] {
        let descr: String
        switch tensor.dtype {
        case .float32: descr = "<f4"
        case .float64: descr = "<f8"
        case .int32: descr = "<i4"
        case .bool: descr = "|b1"
        }
        let dims = tensor.shape.dimensions.map(String.init)
        let shape = dims.count == 1 ? "(\(dims[0]),)" : "(" + dims.joined(separator: ", ") + ")"
        var header = Array("{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }".utf8)
        // Pad with spaces and end with a newline so that the data start 64-byte aligned.
        let isVersion1 = header.count + 64 <= Int(UInt16.max)  // the padded length must fit in 16 bits
        let prefixLength = isVersion1 ? 10 : 12
        header += Array(repeating: 0x20, count: (64 - (prefixLength + header.count + 1) % 64) % 64)
        header.append(0x0A)
        var out = magic + (isVersion1 ? [1, 0] : [2, 0])
        out += isVersion1 ? littleEndian(UInt16(header.count)) : littleEndian(UInt32(header.count))
        out += header
        out.reserveCapacity(out.count + tensor.elementCount * tensor.dtype.byteSize)
        tensor.appendLittleEndianBytes(to: &out)
        return out
    }

    /// Reads an array from `.npy` bytes; `file` names the source in errors.
    public static func decode(_ bytes: [UInt8], file: String) throws(NPYError) -> Tensor {
        guard bytes.starts(with: magic.prefix(Swift.min(bytes.count, magic.count))) else { throw .badMagic(file: file) }
        guard bytes.count >= 8 else { throw .truncatedHeader(file: file, expected: 10, found: bytes.count) }
        let (major, minor) = (Int(bytes[6]), Int(bytes[7]))
        guard (1...3).contains(major), minor == 0 else { throw .unsupportedVersion(file: file, major: major, minor: minor) }
        let lengthSize = major == 1 ? 2 : 4
        guard bytes.count >= 8 + lengthSize else {
            throw .truncatedHeader(file: file, expected: 8 + lengthSize, found: bytes.count)
        }
        let headerLength = bytes[8..<(8 + lengthSize)].reversed().reduce(0) { $0 << 8 | Int($1) }
        let dataStart = 8 + lengthSize + headerLength
        guard bytes.count >= dataStart else { throw .truncatedHeader(file: file, expected: dataStart, found: bytes.count) }
        let (descr, fortranOrder, shape) = try parseHeader(Array(bytes[(8 + lengthSize)..<dataStart]), file: file)

        let itemSize: Int, dtype: DType
        switch descr {
        case "<f4": (itemSize, dtype) = (4, .float32)
        case "<f8": (itemSize, dtype) = (8, .float64)
        case "<i4": (itemSize, dtype) = (4, .int32)
        case "<i8": (itemSize, dtype) = (8, .int32)
        case "|u1": (itemSize, dtype) = (1, .int32)
        case "|b1": (itemSize, dtype) = (1, .bool)
        default: throw .unsupportedDType(file: file, descr: descr)
        }
        // Fortran and C order agree when at most one dimension is longer than 1.
        if fortranOrder && shape.filter({ $0 > 1 }).count > 1 { throw .fortranOrder(file: file, shape: shape) }
        var count = 1
        for dimension in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow, product <= Int.max / 8 else { throw .headerParse(file: file, reason: "shape \(shape) is too large") }
            count = product
        }
        let needed = count * itemSize
        guard bytes.count - dataStart >= needed else {
            throw .truncatedData(file: file, expected: needed, found: bytes.count - dataStart)
        }
        let data = dataStart..<(dataStart + needed)
        if descr == "|u1" { return Tensor(bytes[data].map { Int32($0) }, shape: shape) }
        guard descr == "<i8" else {
            return bytes.withUnsafeBytes { Tensor.fromLittleEndian(.init(rebasing: $0[data]), dtype: dtype, shape: shape) }
        }
        let wide = bytes.withUnsafeBytes { readLittleEndian(Int64.self, from: .init(rebasing: $0[data]), count: count) }
        var narrow = [Int32]()
        narrow.reserveCapacity(count)
        for (index, value) in wide.enumerated() {
            guard let exact = Int32(exactly: value) else { throw .valueOutOfRange(file: file, index: index, value: value) }
            narrow.append(exact)
        }
        return Tensor(narrow, shape: shape)
    }

    /// The element type, order and shape named by a header dictionary.
    private static func parseHeader(_ header: [UInt8], file: String) throws(NPYError) -> (String, Bool, Shape) {
        let literal: PythonLiteral
        do {
            literal = try PythonLiteralParser.parse(header)
        } catch {
            throw .headerParse(file: file, reason: error.reason)
        }
        guard case .dictionary(let pairs) = literal else {
            throw .headerParse(file: file, reason: "the header is not a dictionary")
        }
        func entry(_ key: String) throws(NPYError) -> PythonLiteral {
            guard let found = pairs.last(where: { $0.0 == key }) else {
                throw .headerParse(file: file, reason: "the key '\(key)' is missing")
            }
            return found.1
        }
        let descr: String
        switch try entry("descr") {
        case .string(let text): descr = text
        case let other: throw .unsupportedDType(file: file, descr: other.pythonText)
        }
        guard case .boolean(let fortranOrder) = try entry("fortran_order") else {
            throw .headerParse(file: file, reason: "'fortran_order' is not True or False")
        }
        guard case .sequence(let items) = try entry("shape") else {
            throw .headerParse(file: file, reason: "'shape' is not a tuple")
        }
        var dimensions = [Int]()
        for item in items {
            guard case .integer(let size) = item, size >= 0 else {
                throw .headerParse(file: file, reason: "'shape' holds \(item.pythonText), not a size")
            }
            dimensions.append(size)
        }
        guard let shape = Shape(checking: dimensions) else {
            throw .headerParse(
                file: file, reason: "'shape' \(dimensions) is too large for a tensor (\(Shape.limitsDescription))")
        }
        return (descr, fortranOrder, shape)
    }

    private static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        (0..<(T.bitWidth / 8)).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }
}
