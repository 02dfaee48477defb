import Foundation

extension MNISTM {
    /// The file endings ``backgrounds(in:minimumSize:)`` reads.
    public static let backgroundExtensions = ["ppm", "pnm", "npy"]

    /// Reads the colour images of a directory as backgrounds, in file-name order.
    ///
    /// Formats, chosen to need no image library: binary or text PPM (`P6`, `P3`; any
    /// maximum value up to 65535), and `.npy` arrays of shape `[height, width, 3]`, float
    /// with values in `[0, 1]` or integer with values in `0...255`. Files with other endings
    /// are skipped. To convert photographs: `convert photo.jpg photo.ppm` (ImageMagick),
    /// `jpegtopnm photo.jpg > photo.ppm` (netpbm), or in Python
    /// `PIL.Image.open("photo.jpg").convert("RGB").save("photo.ppm")`.
    ///
    /// - Parameters:
    ///   - directory: The folder of background images (only its own files, not subfolders).
    ///   - minimumSize: The smallest height and width a background may have (the
    ///     digits' size: 28 for MNIST).
    /// - Throws: ``MNISTMError`` naming the directory or file: no usable image, a damaged
    ///   file, an array of the wrong shape or range, an image smaller than `minimumSize`.
    public static func backgrounds(in directory: URL, minimumSize: Int = 28) throws(MNISTMError) -> [Background] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        } catch {
            throw .unreadableDirectory(directory: directory.path, reason: error.localizedDescription)
        }
        let usable = names.filter { backgroundExtensions.contains(($0 as NSString).pathExtension.lowercased()) }
        guard !usable.isEmpty else { throw .noBackgrounds(directory: directory.path, fileCount: names.count) }
        return try usable.map { name throws(MNISTMError) in
            let url = directory.appendingPathComponent(name)
            let background = ((name as NSString).pathExtension.lowercased() == "npy") ? try readNPY(url) : try readPPM(url)
            guard background.height >= minimumSize, background.width >= minimumSize else {
                throw .tooSmall(file: url.path, height: background.height, width: background.width, minimum: minimumSize)
            }
            return background
        }
    }

    /// A `[height, width, 3]` array as a background.
    private static func readNPY(_ url: URL) throws(MNISTMError) -> Background {
        let array: Tensor
        do { array = try NPY.read(url) } catch { throw .npy(error) }
        let shape = array.shape
        guard shape.rank == 3, shape[2] == 3, shape[0] > 0, shape[1] > 0, array.dtype != .bool else {
            throw .notAnImage(file: url.path, reason: "the array is \(array.dtype) \(shape); expected [height, width, 3] float in [0, 1] or integers 0...255")
        }
        let isInteger = array.dtype == .int32
        let values = array.scalars(as: Double.self)
        let range: ClosedRange<Double> = isInteger ? 0...255 : 0...1
        if let bad = values.firstIndex(where: { !range.contains($0) }) {
            throw .notAnImage(file: url.path, reason: "value \(values[bad]) at element \(bad) is outside \(isInteger ? "0...255" : "[0, 1]")")
        }
        return Background(name: url.lastPathComponent, height: shape[0], width: shape[1], pixels: values.map { Float(isInteger ? $0 / 255 : $0) })
    }

    /// A binary (`P6`) or text (`P3`) PPM image as a background.
    private static func readPPM(_ url: URL) throws(MNISTMError) -> Background {
        let bytes: [UInt8]
        do { bytes = try [UInt8](Data(contentsOf: url)) } catch { throw .unreadable(file: url.path, reason: error.localizedDescription) }
        var position = 0
        /// The next whitespace-separated token, skipping `#` comments.
        func token() -> String? {
            while position < bytes.count {
                if bytes[position] == UInt8(ascii: "#") {
                    while position < bytes.count, bytes[position] != 0x0A { position += 1 }
                } else if [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) {
                    position += 1
                } else { break }
            }
            let start = position
            while position < bytes.count, ![0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: "#")].contains(bytes[position]) { position += 1 }
            return start < position ? String(decoding: bytes[start..<position], as: UTF8.self) : nil
        }
        func fail(_ reason: String) -> MNISTMError { .notAnImage(file: url.path, reason: reason) }
        let magic = token()
        guard magic == "P6" || magic == "P3" else {
            throw fail("it starts with \(magic.map { "'\($0.prefix(8))'" } ?? "nothing"), not P6 or P3 (colour PPM)")
        }
        guard let width = token().flatMap({ Int($0) }), let height = token().flatMap({ Int($0) }), let maximum = token().flatMap({ Int($0) }),
              (1...100_000).contains(width), (1...100_000).contains(height), (1...65_535).contains(maximum)
        else { throw fail("the header does not give a width, height (1 to 100000) and maximum value (1 to 65535)") }
        let count = width * height * 3
        var pixels = [Float](repeating: 0, count: count)
        if magic == "P6" {
            position += 1  // the single whitespace byte after the maximum value
            let size = maximum < 256 ? 1 : 2
            guard bytes.count - position >= count * size else {
                throw fail("the file is truncated: \(count * size) bytes of pixels expected, \(max(bytes.count - position, 0)) found")
            }
            for index in 0..<count {
                let value = size == 1 ? Int(bytes[position + index]) : Int(bytes[position + 2 * index]) << 8 | Int(bytes[position + 2 * index + 1])
                guard value <= maximum else { throw fail("sample \(index) is \(value), above the maximum value \(maximum)") }
                pixels[index] = Float(value) / Float(maximum)
            }
        } else {
            for index in 0..<count {
                guard let text = token(), let value = Int(text), (0...maximum).contains(value) else {
                    throw fail("sample \(index) is missing or not a whole number in 0...\(maximum)")
                }
                pixels[index] = Float(value) / Float(maximum)
            }
        }
        return Background(name: url.lastPathComponent, height: height, width: width, pixels: pixels)
    }
}

/// An error in reading the background images of MNIST-M (``MNISTM/backgrounds(in:minimumSize:)``).
/// Every case names the directory or file and says what to do.
public enum MNISTMError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// The directory cannot be listed.
    case unreadableDirectory(directory: String, reason: String)
    /// The directory holds no `.ppm`, `.pnm` or `.npy` file.
    case noBackgrounds(directory: String, fileCount: Int)
    /// A file cannot be read.
    case unreadable(file: String, reason: String)
    /// A file is not a colour image in a supported form.
    case notAnImage(file: String, reason: String)
    /// A `.npy` file cannot be read.
    case npy(NPYError)
    /// An image is smaller than the digits.
    case tooSmall(file: String, height: Int, width: Int, minimum: Int)

    /// A sentence that says what went wrong, where, and what to do.
    public var description: String {
        let convert = "Convert photographs with `convert photo.jpg photo.ppm` (ImageMagick) or Python's "
            + "PIL.Image.open(f).convert('RGB').save('photo.ppm')."
        switch self {
        case let .unreadableDirectory(directory, reason):
            return "Cannot list the background directory \(directory) (\(reason)). Check the path given to --backgrounds."
        case let .noBackgrounds(directory, fileCount):
            return "\(directory) holds \(fileCount) file\(fileCount == 1 ? "" : "s") but no background image (.ppm, .pnm or .npy). "
                + convert + " Or leave out --backgrounds to use generated textures."
        case let .unreadable(file, reason):
            return "\(file): cannot read the file (\(reason))."
        case let .notAnImage(file, reason):
            return "\(file): not a colour background image: \(reason). " + convert
                + " A .npy background is a [height, width, 3] array, float in [0, 1] or integers 0...255."
        case let .npy(error):
            return error.description
        case let .tooSmall(file, height, width, minimum):
            return "\(file): the image is \(height)×\(width) pixels, smaller than the \(minimum)×\(minimum) digits it must cover. "
                + "Use larger photographs, or remove this one."
        }
    }

    /// The same sentence as ``description``, for `localizedDescription`.
    public var errorDescription: String? { description }
}
