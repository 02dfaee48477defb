import Foundation

/// The 8×8 handwritten digits shipped with the library, and the two renderings of them
/// that make the `digits` domain-adaptation problem (see ``DomainData/digits(seed:testFraction:)``).
///
/// The images are the 1,797 digits of the UCI "Optical Recognition of Handwritten Digits"
/// data set (E. Alpaydin and C. Kaynak, 1998; UCI Machine Learning Repository,
/// https://doi.org/10.24432/C50P49, licensed CC BY 4.0), in the copy that scikit-learn
/// ships as `load_digits()` (BSD-3-Clause). Each image counted the ink of a 32×32 bitmap in
/// 4×4 blocks, so its pixels are integers `0...16`. The licence notices are in
/// `Resources/digits-LICENSE.txt`; `scripts/make-digits-resource.py` rebuilds the file.
///
/// ```swift
/// let images = try Digits.load()                       // [1797, 64], labels 0...9
/// let grey = Digits.sourceRendering(of: images)        // [1797, 192]
/// let shifted = Digits.targetRendering(of: images, seed: 3)
/// ```
public enum Digits {
    /// The number of images in the data set.
    public static let imageCount = 1797
    /// The height and width of an image, in pixels.
    public static let side = 8
    /// The number of pixels of a greyscale image (`side * side`).
    public static let pixelCount = side * side
    /// The number of colour channels of a rendering (red, green, blue).
    public static let channelCount = 3
    /// The number of features of a rendering (`pixelCount * channelCount`).
    public static let renderedFeatureCount = pixelCount * channelCount
    /// The number of classes: the digits 0 to 9.
    public static let classCount = 10

    /// Reads the digits from the library's resource bundle.
    ///
    /// The resource is checked before use: its size, magic bytes, header, every pixel
    /// (`0...16`) and label (`0...9`), and a hash of the whole file.
    ///
    /// - Returns: A dataset of the 1,797 images in the original order: float32 features of
    ///   shape `[1797, 64]`, each row an image read row by row, with pixel counts divided
    ///   by 16 so that they lie in `[0, 1]` (0 is paper, 1 is ink), and the digit as label.
    /// - Throws: ``DigitsError`` when the resource is missing, unreadable or damaged.
    public static func load() throws(DigitsError) -> Dataset {
        guard let url = resourceURL else { throw .resourceMissing }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadable(file: url.path, reason: error.localizedDescription)
        }
        return try decode([UInt8](data))
    }

    /// Where the resource is in the library's bundle, or `nil` when it is not there
    /// (looked up without `Bundle.module`, which would stop the program instead).
    static var resourceURL: URL? {
        ResourceBundle.url(forResource: "digits", withExtension: "bin", subdirectory: "Resources")
    }
}

// MARK: - The file format

extension Digits {
    /// The first eight bytes of the resource.
    static let magic = Array("RGDIGITS".utf8)
    /// Magic (8), version, rows, columns, largest pixel (1 each), count, hash (4 each).
    static let headerSize = 20
    /// 64 pixel counts and a label.
    static let recordSize = pixelCount + 1
    /// The largest pixel count: a 4×4 block full of ink.
    static let maxPixel = 16

    /// Decodes and checks the bytes of the resource (layout in `Resources/README.md` and in
    /// `scripts/make-digits-resource.py`).
    static func decode(_ bytes: [UInt8]) throws(DigitsError) -> Dataset {
        let expectedSize = headerSize + imageCount * recordSize
        guard bytes.count >= headerSize else { throw .wrongSize(expected: expectedSize, found: bytes.count) }
        guard Array(bytes[0..<8]) == magic else { throw .notDigitsFile }
        let header: [(String, Int, Int)] = [
            ("format version", 1, Int(bytes[8])),
            ("image rows", side, Int(bytes[9])),
            ("image columns", side, Int(bytes[10])),
            ("largest pixel value", maxPixel, Int(bytes[11])),
            ("image count", imageCount, Int(littleEndianUInt32(bytes, at: 12))),
        ]
        for (field, expected, found) in header where found != expected {
            throw .unsupportedHeader(field: field, expected: expected, found: found)
        }
        guard bytes.count == expectedSize else { throw .wrongSize(expected: expectedSize, found: bytes.count) }

        var pixels = [Float](repeating: 0, count: imageCount * pixelCount)
        var labels = [Int32](repeating: 0, count: imageCount)
        for image in 0..<imageCount {
            let start = headerSize + image * recordSize
            for pixel in 0..<pixelCount {
                let value = Int(bytes[start + pixel])
                guard value <= maxPixel else { throw .pixelOutOfRange(image: image, pixel: pixel, value: value) }
                pixels[image * pixelCount + pixel] = Float(value) / Float(maxPixel)
            }
            let label = Int(bytes[start + pixelCount])
            guard label < classCount else { throw .labelOutOfRange(image: image, value: label) }
            labels[image] = Int32(label)
        }
        let stored = littleEndianUInt32(bytes, at: 16)
        let computed = fnv1a32(bytes[headerSize...])
        guard stored == computed else { throw .checksumMismatch(expected: stored, found: computed) }
        // Cannot fail: the features are a [count, 64] float32 matrix with one label per row.
        return try! Dataset(features: Tensor(pixels, shape: [imageCount, pixelCount]), labels: labels)
    }

    /// The little-endian `UInt32` at `offset`.
    static func littleEndianUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
    }

    /// The 32-bit FNV-1a hash (offset basis 2166136261, prime 16777619).
    static func fnv1a32<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in bytes { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return hash
    }
}
