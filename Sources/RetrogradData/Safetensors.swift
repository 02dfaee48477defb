// The safetensors file format (https://github.com/huggingface/safetensors):
//
//   8 bytes      N, the header length, little-endian unsigned
//   N bytes      a JSON object: {"__metadata__": {string: string}, name: {"dtype": "F32",
//                "shape": [2, 3], "data_offsets": [begin, end]}, ...}, padded with spaces
//   the rest     the tensors' little-endian, row-major bytes; offsets count from here
//
// Every data byte belongs to exactly one tensor: the ranges are contiguous and do not
// overlap. Retrograd writes entries sorted by name (UTF-8 byte order) with their data in
// the same order, and pads the header so the data start 8-byte aligned.

enum Safetensors {
    /// The dtype spelling of the format for a Retrograd element type.
    static func name(of dtype: DType) -> String {
        switch dtype {
        case .float32: return "F32"
        case .float64: return "F64"
        case .int32: return "I32"
        case .bool: return "BOOL"
        }
    }

    /// The Retrograd element type for a dtype spelling, or `nil` when there is none.
    static func dtype(named name: String) -> DType? {
        DType.allCases.first { self.name(of: $0) == name }
    }

    /// Names in the order they are written: by UTF-8 bytes, independent of locale and
    /// Unicode normalisation.
    static func sortedNames<S: Sequence<String>>(_ names: S) -> [String] {
        names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// The file bytes for `tensors` and `metadata`. Names must not be `__metadata__`.
    static func encode(_ tensors: [String: Tensor], metadata: [String: String]) -> [UInt8] {
        var members = [String]()
        if !metadata.isEmpty {
            let pairs = sortedNames(metadata.keys).map { "\(jsonText($0)):\(jsonText(metadata[$0]!))" }
            members.append("\"__metadata__\":{" + pairs.joined(separator: ",") + "}")
        }
        let names = sortedNames(tensors.keys)
        var offset = 0
        for name in names {
            let tensor = tensors[name]!
            let size = tensor.elementCount * tensor.dtype.byteSize
            let shape = tensor.shape.dimensions.map(String.init).joined(separator: ",")
            members.append(
                "\(jsonText(name)):{\"dtype\":\"\(self.name(of: tensor.dtype))\",\"shape\":[\(shape)],"
                    + "\"data_offsets\":[\(offset),\(offset + size)]}")
            offset += size
        }
        var header = Array(("{" + members.joined(separator: ",") + "}").utf8)
        header += Array(repeating: UInt8(ascii: " "), count: (8 - header.count % 8) % 8)
        var out = [UInt8]()
        out.reserveCapacity(8 + header.count + offset)
        out += (0..<8).map { UInt8(truncatingIfNeeded: UInt64(header.count) >> ($0 * 8)) }
        out += header
        for name in names { tensors[name]!.appendLittleEndianBytes(to: &out) }
        return out
    }

    /// The largest header Retrograd accepts (the reference implementation's limit).
    static let maximumHeaderLength = 100_000_000

    /// An entry of the header, checked on its own.
    private struct Entry {
        var name: String
        var dtype: DType
        var shape: Shape
        var begin: Int
        var end: Int
    }

    /// Reads the tensors and metadata of a safetensors file; `file` names it in errors.
    static func decode(_ bytes: [UInt8], file: String) throws(CheckpointError) -> (tensors: [String: Tensor], metadata: [String: String]) {
        guard bytes.count >= 8 else { throw .truncated(file: file, expected: 8, found: bytes.count) }
        let length = bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard length <= UInt64(bytes.count - 8) else {
            throw .corruptHeader(file: file, reason: "the header length \(length) runs past the end of the \(bytes.count)-byte file")
        }
        guard length <= UInt64(maximumHeaderLength) else {
            throw .corruptHeader(file: file, reason: "the header length \(length) exceeds the \(maximumHeaderLength)-byte limit")
        }
        let dataStart = 8 + Int(length)
        let dataSize = bytes.count - dataStart
        let members = try members(ofHeader: bytes[8..<dataStart], file: file)

        var metadata = [String: String]()
        var entries = [Entry]()
        // In name order, so that of several bad entries the same one is always reported.
        for name in sortedNames(members.keys) {
            let value = members[name]!
            if name == "__metadata__" {
                guard let pairs = value as? [String: Any] else {
                    throw .corruptHeader(file: file, reason: "__metadata__ is \(kind(of: value)), not an object of strings")
                }
                for key in sortedNames(pairs.keys) {
                    guard let text = pairs[key] as? String else {
                        throw .corruptHeader(file: file, reason: "__metadata__ '\(key)' is \(kind(of: pairs[key]!)), not a string")
                    }
                    metadata[key] = text
                }
            } else {
                entries.append(try entry(name, value, file: file, dataSize: dataSize))
            }
        }

        // Every data byte belongs to exactly one tensor. Empty tensors take no bytes.
        var cursor = 0, previous = ""
        for entry in entries.sorted(by: { ($0.begin, $0.end) < ($1.begin, $1.end) }) where entry.end > entry.begin {
            if entry.begin < cursor { throw .overlappingOffsets(file: file, entry: entry.name, other: previous) }
            if entry.begin > cursor {
                throw .corruptHeader(file: file, reason: "data bytes \(cursor)..<\(entry.begin) belong to no entry")
            }
            (cursor, previous) = (entry.end, entry.name)
        }
        if cursor < dataSize {
            throw .corruptHeader(file: file, reason: "the last \(dataSize - cursor) data bytes belong to no entry")
        }

        var tensors = [String: Tensor]()
        bytes.withUnsafeBytes { raw in
            for entry in entries {
                let data = UnsafeRawBufferPointer(rebasing: raw[(dataStart + entry.begin)..<(dataStart + entry.end)])
                tensors[entry.name] = Tensor.fromLittleEndian(data, dtype: entry.dtype, shape: entry.shape)
            }
        }
        return (tensors, metadata)
    }

    /// Checks one header entry: its fields, dtype, shape and offsets.
    private static func entry(_ name: String, _ value: Any, file: String, dataSize: Int) throws(CheckpointError) -> Entry {
        func corrupt(_ what: String) -> CheckpointError { .corruptHeader(file: file, reason: "entry '\(name)' \(what)") }
        guard let fields = value as? [String: Any] else { throw corrupt("is \(kind(of: value)), not an object") }
        func field(_ key: String) throws(CheckpointError) -> Any {
            guard let found = fields[key] else { throw corrupt("has no \"\(key)\"") }
            return found
        }
        guard let dtypeName = try field("dtype") as? String else { throw corrupt("has a dtype that is not a string") }
        guard let dimensionValues = try field("shape") as? [Any] else { throw corrupt("has a shape that is not an array") }
        guard let offsetValues = try field("data_offsets") as? [Any], offsetValues.count == 2,
            let begin = nonNegativeInteger(offsetValues[0]), let end = nonNegativeInteger(offsetValues[1])
        else { throw corrupt("has data_offsets that are not two non-negative integers") }
        guard let dtype = dtype(named: dtypeName) else {
            throw .unsupportedDType(file: file, entry: name, dtype: dtypeName)
        }
        var dimensions = [Int](), count = 1
        for item in dimensionValues {
            guard let size = nonNegativeInteger(item) else { throw corrupt("has a shape entry that is \(kind(of: item)), not a size") }
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow, product <= Int.max / 8 else { throw corrupt("has a shape that is too large") }
            dimensions.append(size)
            count = product
        }
        guard begin <= end, end <= dataSize else {
            throw .offsetsOutOfRange(file: file, entry: name, begin: begin, end: end, dataSize: dataSize)
        }
        guard let shape = Shape(checking: dimensions) else {
            throw corrupt("has shape \(dimensions), too large for a tensor (\(Shape.limitsDescription))")
        }
        guard end - begin == count * dtype.byteSize else {
            throw corrupt("has shape \(shape) of \(dtypeName), which needs \(count * dtype.byteSize) bytes, "
                + "but data_offsets [\(begin), \(end)] hold \(end - begin)")
        }
        return Entry(name: name, dtype: dtype, shape: shape, begin: begin, end: end)
    }
}
