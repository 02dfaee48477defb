import Foundation

/// Reads IDX files, the format MNIST is distributed in, plain or gzip-compressed (`.gz`).
///
/// An IDX file is two zero bytes, a type code (0x08 unsigned byte, 0x09 signed byte, 0x0B
/// int16, 0x0C int32, 0x0D float32, 0x0E float64), the number of dimensions, each
/// dimension as a big-endian 32-bit integer, then the elements, big-endian, in row-major
/// order. Files that start with the gzip magic number are decompressed first, whatever
/// their name (the CRC-32 and size of the gzip trailer are checked).
///
/// ```swift
/// let train = try IDX.dataset(
///     images: URL(fileURLWithPath: "train-images-idx3-ubyte.gz"),
///     labels: URL(fileURLWithPath: "train-labels-idx1-ubyte.gz"))
/// // train.features: float32 [60000, 28, 28, 1] in [0, 1]; train.labels: int32 [60000]
/// ```
public enum IDX {
    /// The element type an IDX file declares with its third byte.
    public enum ElementType: UInt8, Sendable, CaseIterable {
        /// 0x08: unsigned bytes (MNIST's pixels and labels).
        case uint8 = 0x08
        /// 0x09: signed bytes.
        case int8 = 0x09
        /// 0x0B: big-endian 16-bit integers.
        case int16 = 0x0B
        /// 0x0C: big-endian 32-bit integers.
        case int32 = 0x0C
        /// 0x0D: big-endian float32.
        case float32 = 0x0D
        /// 0x0E: big-endian float64.
        case float64 = 0x0E

        /// The size of one element in bytes.
        public var byteCount: Int {
            switch self {
            case .uint8, .int8: 1
            case .int16: 2
            case .int32, .float32: 4
            case .float64: 8
            }
        }
    }

    /// Reads any IDX file as a tensor of the file's shape: integers become int32, float32
    /// and float64 stay what they are.
    ///
    /// - Throws: an ``IDXError`` naming the file and what is wrong with it.
    public static func read(_ url: URL) throws(IDXError) -> Tensor {
        let (bytes, header) = try load(url)
        return tensor(bytes, header)
    }

    /// Reads an IDX file of images, `[count, height, width]` unsigned bytes, as float32
    /// images `[count, height, width, 1]` (NHWC, one channel) with each byte divided by 255,
    /// so 0 is background and 1 full ink in MNIST.
    ///
    /// - Throws: ``IDXError/unexpectedContents(file:expected:found:)`` for another element
    ///   type or rank, and the other ``IDXError``s of a damaged file.
    public static func readImages(_ url: URL) throws(IDXError) -> Tensor {
        let (bytes, header) = try load(url)
        guard header.elementType == .uint8, header.shape.count == 3 else {
            throw .unexpectedContents(file: url.path, expected: "images: unsigned bytes (type 0x08) of shape [count, height, width]", found: header.summary)
        }
        let shape = Shape(header.shape + [1])
        return Tensor(shape: shape, of: Float.self) { buffer in
            bytes.withUnsafeBufferPointer { source in
                for index in 0..<buffer.count { buffer[index] = Float(source[header.dataOffset + index]) / 255 }
            }
        }
    }

    /// Reads an IDX file of labels, `[count]` unsigned bytes, as an int32 tensor `[count]`.
    ///
    /// - Throws: ``IDXError/unexpectedContents(file:expected:found:)`` for another element
    ///   type or rank, and the other ``IDXError``s of a damaged file.
    public static func readLabels(_ url: URL) throws(IDXError) -> Tensor {
        let (bytes, header) = try load(url)
        guard header.elementType == .uint8, header.shape.count == 1 else {
            throw .unexpectedContents(file: url.path, expected: "labels: unsigned bytes (type 0x08) of shape [count]", found: header.summary)
        }
        return tensor(bytes, header)
    }

    /// A labelled image dataset from an images file and a labels file (see
    /// ``readImages(_:)`` and ``readLabels(_:)``).
    ///
    /// - Throws: ``IDXError/countMismatch(imagesFile:images:labelsFile:labels:)`` when the
    ///   files hold different numbers of examples, and the errors of the two readers.
    public static func dataset(images: URL, labels: URL) throws(IDXError) -> Dataset {
        let features = try readImages(images), classes = try readLabels(labels)
        guard features.shape[0] == classes.shape[0] else {
            throw .countMismatch(imagesFile: images.path, images: features.shape[0], labelsFile: labels.path, labels: classes.shape[0])
        }
        // Cannot fail: float32 images and int32 labels, as many as images.
        return try! Dataset(features: features, labels: classes)
    }

    /// Decodes the bytes of an IDX file (already decompressed) into a tensor, as ``read(_:)``.
    ///
    /// - Parameters:
    ///   - bytes: The contents of the file, without gzip compression.
    ///   - file: The name errors give for the bytes.
    public static func decode(_ bytes: [UInt8], file: String) throws(IDXError) -> Tensor {
        tensor(bytes, try Header(bytes, file: file))
    }

    /// The file's bytes, decompressed when gzip-compressed, and its checked header.
    private static func load(_ url: URL) throws(IDXError) -> ([UInt8], Header) {
        var bytes = try readFileBytes(url, reportingAs: IDXError.self)
        if Gzip.isCompressed(bytes) {
            do {
                bytes = try Gzip.decompress(bytes)
            } catch {
                throw .damagedCompression(file: url.path, reason: error.description)
            }
        }
        return (bytes, try Header(bytes, file: url.path))
    }

    /// The elements of a checked file as a tensor.
    private static func tensor(_ bytes: [UInt8], _ header: Header) -> Tensor {
        let shape = Shape(header.shape), start = header.dataOffset
        func bigEndian(_ index: Int, _ size: Int) -> UInt64 {
            (0..<size).reduce(0) { $0 << 8 | UInt64(bytes[start + index * size + $1]) }
        }
        switch header.elementType {
        case .float32:
            return Tensor(shape: shape, of: Float.self) { out in
                for i in 0..<out.count { out[i] = Float(bitPattern: UInt32(bigEndian(i, 4))) }
            }
        case .float64:
            return Tensor(shape: shape, of: Double.self) { out in
                for i in 0..<out.count { out[i] = Double(bitPattern: bigEndian(i, 8)) }
            }
        case .uint8, .int8, .int16, .int32:
            let type = header.elementType
            return Tensor(shape: shape, of: Int32.self) { out in
                for i in 0..<out.count {
                    let raw = bigEndian(i, type.byteCount)
                    out[i] = switch type {
                    case .uint8: Int32(raw)
                    case .int8: Int32(Int8(truncatingIfNeeded: raw))
                    case .int16: Int32(Int16(truncatingIfNeeded: raw))
                    default: Int32(truncatingIfNeeded: raw)
                    }
                }
            }
        }
    }
}

/// The checked header of an IDX file.
private struct Header {
    let elementType: IDX.ElementType
    let shape: [Int]
    let dataOffset: Int

    /// Reads the header and checks that the data have exactly the size it declares.
    init(_ bytes: [UInt8], file: String) throws(IDXError) {
        guard bytes.count >= 4 else { throw .truncated(file: file, expectedBytes: 4, foundBytes: bytes.count) }
        guard bytes[0] == 0, bytes[1] == 0 else { throw .badMagic(file: file, found: Array(bytes[0..<4])) }
        guard let type = IDX.ElementType(rawValue: bytes[2]) else { throw .unknownElementType(file: file, code: bytes[2]) }
        let rank = Int(bytes[3])
        guard (1...Shape.maximumRank).contains(rank) else { throw .unsupportedRank(file: file, rank: rank) }
        dataOffset = 4 + 4 * rank
        guard bytes.count >= dataOffset else { throw .truncated(file: file, expectedBytes: dataOffset, foundBytes: bytes.count) }
        shape = (0..<rank).map { axis in (0..<4).reduce(0) { $0 << 8 | Int(bytes[4 + 4 * axis + $1]) } }
        elementType = type
        // At most 8 factors below 2³² each; stop at the first overflow (no file is that large).
        var size = type.byteCount
        for dimension in shape {
            let (product, overflow) = size.multipliedReportingOverflow(by: dimension)
            size = overflow ? Int.max : product
        }
        let (total, overflow) = dataOffset.addingReportingOverflow(size)
        let expected = overflow ? Int.max : total
        guard bytes.count == expected else {
            throw bytes.count < expected
                ? .truncated(file: file, expectedBytes: expected, foundBytes: bytes.count)
                : .trailingBytes(file: file, expectedBytes: expected, foundBytes: bytes.count)
        }
    }

    /// "unsigned bytes (type 0x08) of shape [60000, 28, 28]".
    var summary: String {
        "\(elementType) (type 0x0\(String(elementType.rawValue, radix: 16, uppercase: true))) of shape [\(shape.map(String.init).joined(separator: ", "))]"
    }
}
