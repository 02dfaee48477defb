/// Why gzip data (RFC 1952) could not be decompressed.
enum GzipFailure: Error, Equatable, CustomStringConvertible {
    /// The data end inside a member's header.
    case truncatedHeader
    /// The compression method is not 8 (DEFLATE), the only one gzip defines.
    case unsupportedMethod(UInt8)
    /// The DEFLATE data are damaged.
    case deflate(InflateFailure)
    /// The data end inside a member's 8-byte trailer.
    case truncatedTrailer
    /// The CRC-32 of the decompressed bytes is not the one the trailer records.
    case checksumMismatch(expected: UInt32, found: UInt32)
    /// The decompressed size (mod 2³²) is not the one the trailer records.
    case sizeMismatch(expected: UInt32, found: UInt32)
    /// Bytes follow the last member that are not another gzip member.
    case trailingGarbage(offset: Int)

    /// What was wrong, as a phrase.
    var description: String {
        switch self {
        case .truncatedHeader: "the gzip header is cut short"
        case let .unsupportedMethod(method): "the gzip compression method is \(method), not 8 (deflate)"
        case let .deflate(failure): failure.description
        case .truncatedTrailer: "the gzip data end before their CRC-32 and size"
        case let .checksumMismatch(expected, found):
            "the decompressed bytes have CRC-32 \(hex(found)), but the file records \(hex(expected))"
        case let .sizeMismatch(expected, found):
            "\(found) bytes were decompressed, but the file records \(expected) (mod 2³²)"
        case let .trailingGarbage(offset): "unexpected bytes follow the compressed data at offset \(offset)"
        }
    }

    private func hex(_ value: UInt32) -> String { "0x" + String(value, radix: 16) }
}

/// Decompresses gzip files, as MNIST is distributed (`.gz`).
enum Gzip {
    /// Whether `bytes` start with the gzip magic number 1f 8b.
    static func isCompressed(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// The decompressed contents of every member of `bytes`, concatenated (RFC 1952 §2.2),
    /// each checked against its CRC-32 and size.
    static func decompress(_ bytes: [UInt8]) throws(GzipFailure) -> [UInt8] {
        var output = [UInt8]()
        var offset = 0
        repeat {
            let dataStart = try skipHeader(bytes, at: offset)
            // The last four bytes of a single-member file give the size: reserve it.
            let hint = offset == 0 && bytes.count >= 4 ? Int(littleEndian32(bytes, at: bytes.count - 4)) : 0
            let member: (bytes: [UInt8], end: Int)
            do {
                member = try Inflate.decompress(bytes, from: dataStart, sizeHint: min(hint, 1 << 31))
            } catch {
                throw .deflate(error)
            }
            guard bytes.count - member.end >= 8 else { throw .truncatedTrailer }
            let expectedCRC = littleEndian32(bytes, at: member.end), foundCRC = CRC32.checksum(member.bytes)
            guard expectedCRC == foundCRC else { throw .checksumMismatch(expected: expectedCRC, found: foundCRC) }
            let expectedSize = littleEndian32(bytes, at: member.end + 4), foundSize = UInt32(truncatingIfNeeded: member.bytes.count)
            guard expectedSize == foundSize else { throw .sizeMismatch(expected: expectedSize, found: foundSize) }
            output += member.bytes
            offset = member.end + 8
            // Some tools pad archives with zeros; anything else must be another member.
            if bytes[offset...].allSatisfy({ $0 == 0 }) { break }
            guard isCompressed(Array(bytes[offset...].prefix(2))) else { throw .trailingGarbage(offset: offset) }
        } while true
        return output
    }

    /// The offset of the DEFLATE data of the member whose header starts at `start`.
    private static func skipHeader(_ bytes: [UInt8], at start: Int) throws(GzipFailure) -> Int {
        guard bytes.count - start >= 10 else { throw .truncatedHeader }
        guard bytes[start + 2] == 8 else { throw .unsupportedMethod(bytes[start + 2]) }
        let flags = bytes[start + 3]
        var offset = start + 10
        if flags & 0x04 != 0 {  // FEXTRA: a 2-byte length, then that many bytes
            guard bytes.count - offset >= 2 else { throw .truncatedHeader }
            offset += 2 + Int(bytes[offset]) + Int(bytes[offset + 1]) << 8
        }
        for flag: UInt8 in [0x08, 0x10] where flags & flag != 0 {  // FNAME, FCOMMENT: zero-terminated
            guard offset < bytes.count, let zero = bytes[offset...].firstIndex(of: 0) else { throw .truncatedHeader }
            offset = zero + 1
        }
        if flags & 0x02 != 0 { offset += 2 }  // FHCRC
        guard offset <= bytes.count else { throw .truncatedHeader }
        return offset
    }

    private static func littleEndian32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
    }
}

/// The CRC-32 of gzip, zip and PNG (reflected polynomial 0xEDB88320, initial and final
/// value 0xFFFFFFFF).
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { byte in
        (0..<8).reduce(UInt32(byte)) { crc, _ in crc & 1 != 0 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
    }

    /// The checksum of `bytes`.
    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        table.withUnsafeBufferPointer { table in
            for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        }
        return crc ^ 0xFFFF_FFFF
    }
}
