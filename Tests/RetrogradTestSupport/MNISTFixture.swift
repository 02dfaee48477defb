import Foundation

/// Small MNIST-like IDX files written by tests, and the gzip wrapping MNIST's files have,
/// assembled by hand from the format descriptions (independent of the library's reader).
public enum MNISTFixture {
    /// The published file names, in the order train images, train labels, test images, test labels.
    public static let names = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"]

    /// The label of image `index`: `index % 10`.
    public static func label(_ index: Int) -> UInt8 { UInt8(index % 10) }

    /// The pixel at (`row`, `column`) of image `index` of a `side`×`side` set: a vertical
    /// stroke of ink (255) in column `1 + label`, rows 1 to `side − 2`, over a background
    /// of 0, with one faint pixel (`index % 200`) at the top left corner to tell images apart.
    public static func pixel(_ index: Int, row: Int, column: Int, side: Int) -> UInt8 {
        if row == 0, column == 0 { return UInt8(index % 200) }
        return column == 1 + Int(label(index)) % (side - 1) && (1...(side - 2)).contains(row) ? 255 : 0
    }

    /// An IDX images file: `count` images of `side`×`side` unsigned bytes.
    public static func imagesFile(count: Int, side: Int) -> [UInt8] {
        var bytes: [UInt8] = [0, 0, 0x08, 3] + bigEndian(UInt32(count)) + bigEndian(UInt32(side)) + bigEndian(UInt32(side))
        for index in 0..<count {
            for row in 0..<side { for column in 0..<side { bytes.append(pixel(index, row: row, column: column, side: side)) } }
        }
        return bytes
    }

    /// An IDX labels file: `count` labels.
    public static func labelsFile(count: Int) -> [UInt8] {
        [0, 0, 0x08, 1] + bigEndian(UInt32(count)) + (0..<count).map(label)
    }

    /// The four files' bytes (gzip-compressed unless `compressed` is false), for
    /// `trainCount` training and `testCount` test images of `side`×`side` pixels.
    public static func files(trainCount: Int, testCount: Int, side: Int = 28, compressed: Bool = true) -> [[UInt8]] {
        let plain = [imagesFile(count: trainCount, side: side), labelsFile(count: trainCount),
                     imagesFile(count: testCount, side: side), labelsFile(count: testCount)]
        return compressed ? plain.map(storedGzip) : plain
    }

    /// Writes the four files into `directory` under their published names (without `.gz`
    /// when not compressed) and returns their URLs.
    @discardableResult
    public static func write(into directory: URL, trainCount: Int, testCount: Int, side: Int = 28, compressed: Bool = true) throws -> [URL] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try zip(names, files(trainCount: trainCount, testCount: testCount, side: side, compressed: compressed)).map { name, bytes in
            let url = directory.appendingPathComponent(compressed ? name : String(name.dropLast(3)))
            try Data(bytes).write(to: url)
            return url
        }
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) } }
}

/// A gzip file holding `payload` in stored (uncompressed) DEFLATE blocks, assembled by hand
/// from RFC 1952 and RFC 1951 §3.2.4, for tests that need `.gz` files of their own data.
public func storedGzip(_ payload: [UInt8]) -> [UInt8] {
    func littleEndian(_ value: UInt32, _ count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
    var out: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 255]
    var start = 0
    repeat {
        let length = min(payload.count - start, 65_535)
        out += [start + length == payload.count ? 1 : 0] + littleEndian(UInt32(length), 2) + littleEndian(UInt32(~UInt16(length)), 2)
        out += payload[start..<(start + length)]
        start += length
    } while start < payload.count
    return out + littleEndian(bitwiseCRC32(payload), 4) + littleEndian(UInt32(truncatingIfNeeded: payload.count), 4)
}

/// The gzip CRC-32, bit by bit from its definition (reflected polynomial 0xEDB88320).
public func bitwiseCRC32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
}
