/// Why a DEFLATE stream (RFC 1951) could not be decompressed.
enum InflateFailure: Error, Equatable, CustomStringConvertible {
    /// The stream ends before its last block does.
    case truncated
    /// A block header names the reserved block type 3.
    case reservedBlockType
    /// A stored block's length and its one's complement disagree.
    case storedLengthMismatch
    /// A block's Huffman code lengths do not describe a usable code.
    case invalidCode(String)
    /// A length or distance symbol outside the ones RFC 1951 defines, or bits that match no code.
    case invalidSymbol
    /// A match reaches back before the start of the output.
    case distanceTooFar(distance: Int, available: Int)

    /// What was wrong, as a phrase.
    var description: String {
        switch self {
        case .truncated: "the compressed data end in the middle of a block"
        case .reservedBlockType: "a block has the reserved type 3"
        case .storedLengthMismatch: "a stored block's length does not match its check value"
        case let .invalidCode(reason): "a block's Huffman code is invalid (\(reason))"
        case .invalidSymbol: "the compressed data hold a symbol no code defines"
        case let .distanceTooFar(distance, available):
            "a match refers \(distance) bytes back when only \(available) have been written"
        }
    }
}

/// A canonical Huffman code as a lookup table indexed by the next `bits` input bits (least
/// significant first, as DEFLATE packs them): each entry is `symbol << 4 | length`, 0 for
/// bit patterns that start no code (an incomplete code).
private struct HuffmanTable {
    let entries: [UInt16]
    let bits: Int

    /// Builds the code whose symbol `s` has length `lengths[s]` (0: unused), per RFC 1951 §3.2.2.
    init(lengths: [Int]) throws(InflateFailure) {
        var counts = [Int](repeating: 0, count: 16)
        for length in lengths { counts[length] += 1 }
        counts[0] = 0
        var left = 1
        for length in 1...15 {
            left = left * 2 - counts[length]
            guard left >= 0 else { throw .invalidCode("more codes of length \(length) than fit") }
        }
        bits = max(lengths.max() ?? 0, 1)
        var next = [Int](repeating: 0, count: 16)
        var code = 0
        for length in 1...15 {
            code = (code + counts[length - 1]) << 1
            next[length] = code
        }
        var entries = [UInt16](repeating: 0, count: 1 << bits)
        for (symbol, length) in lengths.enumerated() where length > 0 {
            let code = next[length]
            next[length] += 1
            var reversed = 0
            for bit in 0..<length where code & (1 << (length - 1 - bit)) != 0 { reversed |= 1 << bit }
            for slot in stride(from: reversed, to: 1 << bits, by: 1 << length) {
                entries[slot] = UInt16(symbol << 4 | length)
            }
        }
        self.entries = entries
    }
}

/// Reads bits least significant first from a byte buffer, as DEFLATE packs them.
private struct BitReader {
    let input: UnsafeBufferPointer<UInt8>
    var position: Int
    var buffer: UInt64 = 0
    var count = 0

    /// Loads whole bytes until at least 57 bits are buffered or the input ends.
    mutating func refill() {
        while count <= 56, position < input.count {
            buffer |= UInt64(input[position]) << UInt64(count)
            position += 1
            count += 8
        }
    }

    /// The next `n` bits (n ≤ 32) as an integer.
    mutating func take(_ n: Int) throws(InflateFailure) -> Int {
        if count < n {
            refill()
            guard count >= n else { throw .truncated }
        }
        let value = Int(buffer & ((1 << UInt64(n)) - 1))
        buffer >>= UInt64(n)
        count -= n
        return value
    }

    /// The next symbol of `table`.
    mutating func decode(_ table: HuffmanTable) throws(InflateFailure) -> Int {
        if count < table.bits { refill() }
        let entry = Int(table.entries[Int(buffer & ((1 << UInt64(table.bits)) - 1))])
        let length = entry & 15
        guard length > 0 else { throw count < table.bits ? .truncated : .invalidSymbol }
        guard length <= count else { throw .truncated }
        buffer >>= UInt64(length)
        count -= length
        return entry >> 4
    }

    /// The offset of the first byte not consumed (buffered whole bytes are given back).
    var bytePosition: Int { position - count / 8 }
}

/// A DEFLATE (RFC 1951) decompressor: stored, fixed-Huffman and dynamic-Huffman blocks.
///
/// Foundation on Linux has no decompression API (Apple's `Compression` framework does not
/// exist there), and linking the system zlib would make its development headers a build
/// requirement; DEFLATE is small enough to decode here.
enum Inflate {
    private static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    private static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    private static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
                                       2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    private static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
    /// The order in which a dynamic block lists the code-length code's lengths.
    private static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    /// The fixed codes of block type 1 (RFC 1951 §3.2.6).
    private static let fixedTables: (literals: HuffmanTable, distances: HuffmanTable) = {
        let literals = (0..<288).map { $0 < 144 ? 8 : $0 < 256 ? 9 : $0 < 280 ? 7 : 8 }
        // Cannot fail: these are the complete codes the RFC defines.
        return (try! HuffmanTable(lengths: literals), try! HuffmanTable(lengths: [Int](repeating: 5, count: 30)))
    }()

    /// Decompresses the DEFLATE stream that starts at `start` in `input`.
    ///
    /// - Parameter sizeHint: The expected output size, to reserve memory (0 if unknown).
    /// - Returns: The decompressed bytes and the offset just past the stream's last byte.
    static func decompress(_ input: [UInt8], from start: Int, sizeHint: Int = 0) throws(InflateFailure) -> (bytes: [UInt8], end: Int) {
        var output = [UInt8]()
        output.reserveCapacity(sizeHint)
        let end = try input.withUnsafeBufferPointer { buffer throws(InflateFailure) -> Int in
            var reader = BitReader(input: buffer, position: start)
            var isLast = false
            while !isLast {
                isLast = try reader.take(1) == 1
                switch try reader.take(2) {
                case 0: try copyStoredBlock(&reader, into: &output)
                case 1: try inflateBlock(&reader, fixedTables.literals, fixedTables.distances, into: &output)
                case 2:
                    let (literals, distances) = try readDynamicTables(&reader)
                    try inflateBlock(&reader, literals, distances, into: &output)
                default: throw .reservedBlockType
                }
            }
            return reader.bytePosition
        }
        return (output, end)
    }

    /// A stored block: skip to a byte boundary, then LEN, NLEN and LEN raw bytes.
    private static func copyStoredBlock(_ reader: inout BitReader, into output: inout [UInt8]) throws(InflateFailure) {
        _ = try reader.take(reader.count % 8)
        let length = try reader.take(16)
        guard try reader.take(16) == length ^ 0xFFFF else { throw .storedLengthMismatch }
        var remaining = length
        while remaining > 0, reader.count >= 8 {
            output.append(UInt8(try reader.take(8)))
            remaining -= 1
        }
        guard reader.input.count - reader.position >= remaining else { throw .truncated }
        output.append(contentsOf: reader.input[reader.position..<(reader.position + remaining)])
        reader.position += remaining
    }

    /// The literal/length and distance codes of a dynamic block (RFC 1951 §3.2.7).
    private static func readDynamicTables(_ reader: inout BitReader) throws(InflateFailure) -> (HuffmanTable, HuffmanTable) {
        let literalCount = try reader.take(5) + 257
        let distanceCount = try reader.take(5) + 1
        let codeLengthCount = try reader.take(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else { throw .invalidCode("\(literalCount) literal and \(distanceCount) distance codes") }
        var codeLengthLengths = [Int](repeating: 0, count: 19)
        for index in 0..<codeLengthCount { codeLengthLengths[codeLengthOrder[index]] = try reader.take(3) }
        let codeLengthTable = try HuffmanTable(lengths: codeLengthLengths)
        var lengths = [Int]()
        lengths.reserveCapacity(literalCount + distanceCount)
        while lengths.count < literalCount + distanceCount {
            let symbol = try reader.decode(codeLengthTable)
            let (value, repeats): (Int, Int)
            switch symbol {
            case 0...15: (value, repeats) = (symbol, 1)
            case 16:
                guard let previous = lengths.last else { throw .invalidCode("a repeat with no length before it") }
                (value, repeats) = (previous, 3 + (try reader.take(2)))
            case 17: (value, repeats) = (0, 3 + (try reader.take(3)))
            default: (value, repeats) = (0, 11 + (try reader.take(7)))
            }
            guard lengths.count + repeats <= literalCount + distanceCount else { throw .invalidCode("code lengths run past the end") }
            lengths += repeatElement(value, count: repeats)
        }
        guard lengths[256] > 0 else { throw .invalidCode("no code for the end of the block") }
        return (try HuffmanTable(lengths: Array(lengths[..<literalCount])), try HuffmanTable(lengths: Array(lengths[literalCount...])))
    }

    /// The symbols of a Huffman-coded block, up to its end-of-block symbol.
    private static func inflateBlock(
        _ reader: inout BitReader, _ literals: HuffmanTable, _ distances: HuffmanTable, into output: inout [UInt8]
    ) throws(InflateFailure) {
        while true {
            let symbol = try reader.decode(literals)
            if symbol < 256 {
                output.append(UInt8(symbol))
                continue
            }
            if symbol == 256 { return }
            let lengthIndex = symbol - 257
            guard lengthIndex < lengthBase.count else { throw .invalidSymbol }
            let length = lengthBase[lengthIndex] + (try reader.take(lengthExtra[lengthIndex]))
            let distanceSymbol = try reader.decode(distances)
            guard distanceSymbol < distanceBase.count else { throw .invalidSymbol }
            let distance = distanceBase[distanceSymbol] + (try reader.take(distanceExtra[distanceSymbol]))
            guard distance <= output.count else { throw .distanceTooFar(distance: distance, available: output.count) }
            let from = output.count - distance
            for offset in 0..<length { output.append(output[from + offset]) }
        }
    }
}
