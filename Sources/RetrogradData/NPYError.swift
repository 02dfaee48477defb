import Foundation

/// An error in reading or writing a NumPy `.npy` file. Every case names the file, and the
/// message (``description``) says what was expected, what was found and what to do.
public enum NPYError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// There is no file at the path.
    case fileNotFound(file: String)
    /// The file exists but could not be read.
    case unreadable(file: String, reason: String)
    /// The file does not start with the `.npy` magic string `\x93NUMPY`.
    case badMagic(file: String)
    /// The format version is not 1.0, 2.0 or 3.0.
    case unsupportedVersion(file: String, major: Int, minor: Int)
    /// The file ends inside the magic string, the header length or the header.
    case truncatedHeader(file: String, expected: Int, found: Int)
    /// The header is not the Python dictionary literal the format prescribes.
    case headerParse(file: String, reason: String)
    /// The element type is not one of `<f4`, `<f8`, `<i4`, `<i8`, `|b1`.
    case unsupportedDType(file: String, descr: String)
    /// The array is stored in Fortran (column-major) order.
    case fortranOrder(file: String, shape: Shape)
    /// The file ends before all the array's bytes.
    case truncatedData(file: String, expected: Int, found: Int)
    /// An `<i8` element does not fit in `Int32`.
    case valueOutOfRange(file: String, index: Int, value: Int64)
    /// The file could not be written.
    case writeFailed(file: String, reason: String)

    /// A sentence that says what went wrong, where, and what to do.
    public var description: String {
        switch self {
        case let .fileNotFound(file):
            return "\(file): no such file. Check the path and the working directory."
        case let .unreadable(file, reason):
            return "\(file): cannot read the file (\(reason)). Check that it is a readable regular file."
        case let .badMagic(file):
            return "\(file): not a .npy file (it does not start with \\x93NUMPY). "
                + "Save arrays with numpy.save; .npz archives must be unzipped first."
        case let .unsupportedVersion(file, major, minor):
            return "\(file): .npy format version \(major).\(minor) is not supported (1.0, 2.0 and 3.0 are). "
                + "Save with numpy.save, which picks a supported version."
        case let .truncatedHeader(file, expected, found):
            return "\(file): the file ends inside the .npy header (\(found) bytes, the header needs \(expected)). "
                + "The file was cut short; save it again."
        case let .headerParse(file, reason):
            return "\(file): the .npy header cannot be read: \(reason). Save the array again with numpy.save."
        case let .unsupportedDType(file, descr):
            return "\(file): element type \(descr) is not supported (only little-endian <f4, <f8, <i4, <i8, |u1 and |b1 are). "
                + "Convert first, for example with array.astype('<f4')."
        case let .fortranOrder(file, shape):
            return "\(file): the \(shape) array is stored in Fortran (column-major) order, which is not supported. "
                + "Save numpy.ascontiguousarray(array) instead."
        case let .truncatedData(file, expected, found):
            return "\(file): the file ends inside the array data (\(found) of \(expected) bytes). "
                + "The file was cut short; save it again."
        case let .valueOutOfRange(file, index, value):
            return "\(file): element \(index) is \(value), which does not fit in a 32-bit integer (int64 arrays are read as int32). "
                + "Keep values within ±2147483647, or save as float64."
        case let .writeFailed(file, reason):
            return "\(file): cannot write the file (\(reason)). Check that the directory exists and is writable."
        }
    }

    /// The same sentence as ``description``, for `localizedDescription`.
    public var errorDescription: String? { description }
}
