import Foundation

/// An error in reading an IDX file (MNIST's format). Every case names the file, and the
/// message (``description``) says what was expected, what was found and what to do.
public enum IDXError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// There is no file at the path.
    case fileNotFound(file: String)
    /// The file exists but could not be read.
    case unreadable(file: String, reason: String)
    /// The file is gzip-compressed but its compressed data are damaged.
    case damagedCompression(file: String, reason: String)
    /// The first two bytes are not zero, as every IDX file's are.
    case badMagic(file: String, found: [UInt8])
    /// The type code (third byte) is not one IDX defines.
    case unknownElementType(file: String, code: UInt8)
    /// The number of dimensions (fourth byte) is 0 or more than a tensor can have.
    case unsupportedRank(file: String, rank: Int)
    /// The file is shorter than its header says.
    case truncated(file: String, expectedBytes: Int, foundBytes: Int)
    /// The file is longer than its header says.
    case trailingBytes(file: String, expectedBytes: Int, foundBytes: Int)
    /// The file is a valid IDX file but not of the element type or rank asked for.
    case unexpectedContents(file: String, expected: String, found: String)
    /// An images file and a labels file hold different numbers of examples.
    case countMismatch(imagesFile: String, images: Int, labelsFile: String, labels: Int)

    /// A sentence that says what went wrong, where, and what to do.
    public var description: String {
        switch self {
        case let .fileNotFound(file):
            return "\(file): no such file. Check the path, or download the file again."
        case let .unreadable(file, reason):
            return "\(file): cannot read the file (\(reason)). Check that it is a readable regular file."
        case let .damagedCompression(file, reason):
            return "\(file): the file is gzip-compressed but damaged: \(reason). Download it again."
        case let .badMagic(file, found):
            let bytes = found.map { String(format: "%02x", $0) }.joined(separator: " ")
            return "\(file): not an IDX file: it starts with \(bytes), but IDX files start with 00 00, a type code and a "
                + "dimension count. Check that this is the right file (an HTML error page saved by a browser is a common cause)."
        case let .unknownElementType(file, code):
            return "\(file): type code 0x\(String(format: "%02X", code)) is not an IDX element type (0x08, 0x09, 0x0B, 0x0C, 0x0D "
                + "or 0x0E). The file is damaged or not an IDX file; download it again."
        case let .unsupportedRank(file, rank):
            return "\(file): the header declares \(rank) dimensions; IDX files read here have 1 to \(Shape.maximumRank). "
                + "The file is damaged or not an IDX file."
        case let .truncated(file, expected, found):
            return "\(file): the file is truncated: its header calls for \(expected) bytes, but it has \(found). "
                + "The download or copy was cut short; fetch the file again."
        case let .trailingBytes(file, expected, found):
            return "\(file): the file has \(found) bytes, \(found - expected) more than the \(expected) its header calls for. "
                + "It is damaged or two files were joined; fetch it again."
        case let .unexpectedContents(file, expected, found):
            return "\(file): expected \(expected), found \(found). Check that the images and labels files are not swapped."
        case let .countMismatch(imagesFile, images, labelsFile, labels):
            return "\(imagesFile) holds \(images) images but \(labelsFile) holds \(labels) labels; they must match one to one. "
                + "Pair the training images with the training labels (train-…) and the test images with the test labels (t10k-…)."
        }
    }

    /// The same sentence as ``description``, for `localizedDescription`.
    public var errorDescription: String? { description }
}

extension IDXError: FileReadReporting {}
