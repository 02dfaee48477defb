import Foundation

/// An error in building a dataset or reading a CSV file.
///
/// File errors name the file, the 1-based line and column, what was wrong and what to do;
/// the full sentence is ``description``.
public enum DataError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// Features and labels have different numbers of rows.
    case countMismatch(features: Int, labels: Int)
    /// The features are not a float32 or float64 tensor of rank 2 or more.
    case invalidFeatures(shape: Shape, dtype: DType)
    /// The labels are not a rank-1 int32 tensor.
    case invalidLabels(shape: Shape, dtype: DType)
    /// There is no file at the path.
    case fileNotFound(file: String)
    /// The file exists but could not be read.
    case unreadable(file: String, reason: String)
    /// The file is not UTF-8 text, or holds NUL bytes.
    case notText(file: String)
    /// The file has no rows at all (or only blank lines).
    case emptyFile(file: String)
    /// The file has a header row but no data rows.
    case noDataRows(file: String, headerLine: Int)
    /// A row has a different number of cells than the first row.
    case raggedRow(file: String, line: Int, expected: Int, found: Int)
    /// A feature cell does not hold a number.
    case nonNumericCell(file: String, line: Int, column: Int, text: String)
    /// The label cell of a row is empty.
    case missingLabel(file: String, line: Int, column: Int)
    /// The label cell of a row is not an integer that fits in `Int32`.
    case labelNotInteger(file: String, line: Int, column: Int, text: String)
    /// The requested label column is not in the file.
    case labelColumnNotFound(file: String, column: String, available: [String])
    /// A quoted cell is never closed.
    case unterminatedQuote(file: String, line: Int)

    /// A sentence that says what went wrong, where, and what to do: ``problem``, then ``advice``.
    public var description: String { problem + " " + advice }

    /// What went wrong and where, without what to do about it.
    ///
    /// A front end with its own options (such as the `retrograd` command) pairs this with
    /// advice in its own terms instead of ``advice``.
    public var problem: String {
        switch self {
        case let .countMismatch(features, labels):
            return "Dataset: the features have \(features) rows but there are \(labels) labels."
        case let .invalidFeatures(shape, dtype):
            return "Dataset: features must be a float32 or float64 tensor of rank 2 or more, [count, features] or images "
                + "[count, height, width, channels]; got \(dtype) \(shape)."
        case let .invalidLabels(shape, dtype):
            return "Dataset: labels must be a rank-1 int32 tensor, got \(dtype) \(shape)."
        case let .fileNotFound(file):
            return "\(file): no such file."
        case let .unreadable(file, reason):
            return "\(file): cannot read the file (\(reason))."
        case let .notText(file):
            return "\(file): the file is not UTF-8 text (it has invalid UTF-8 or NUL bytes, as UTF-16 files do)."
        case let .emptyFile(file):
            return "\(file): the file has no rows."
        case let .noDataRows(file, headerLine):
            return "\(file): line \(headerLine) is a header, but no data rows follow."
        case let .raggedRow(file, line, expected, found):
            return "\(file): line \(line) has \(found) columns, expected \(expected) like the first row."
        case let .nonNumericCell(file, line, column, text):
            let what = text.isEmpty ? "the cell is empty" : "'\(text)' is not a number"
            return "\(file): line \(line), column \(column): \(what)."
        case let .missingLabel(file, line, column):
            return "\(file): line \(line), column \(column): the label is missing."
        case let .labelNotInteger(file, line, column, text):
            return "\(file): line \(line), column \(column): label '\(text)' is not an integer."
        case let .labelColumnNotFound(file, column, available):
            let names = available.isEmpty ? "" : " (columns: \(available.joined(separator: ", ")))"
            return "\(file): there is no label column \(column)\(names)."
        case let .unterminatedQuote(file, line):
            return "\(file): line \(line): a quoted cell is never closed."
        }
    }

    /// What to do about the ``problem``, in terms of this library's API where it takes an
    /// argument (`header:`, `labelColumn:`).
    public var advice: String {
        switch self {
        case .countMismatch:
            return "Give exactly one label per row."
        case .invalidFeatures:
            return "Reshape to [count, features] (images to [count, height, width, channels]) or cast with .cast(to: .float32)."
        case .invalidLabels:
            return "Pass [Int32] or a tensor cast with .cast(to: .int32)."
        case .fileNotFound:
            return "Check the path and the working directory."
        case .unreadable:
            return "Check that it is a readable regular file."
        case .notText:
            return "Save it as UTF-8 CSV."
        case .emptyFile:
            return "Check that the path is right and the file was fully written."
        case let .noDataRows(_, headerLine):
            return "Add rows, or pass header: false if line \(headerLine) is data."
        case .raggedRow:
            return "Give every row the same number of cells, and quote cells that contain the delimiter."
        case let .nonNumericCell(_, line, _, _):
            return "Fix or remove the row; if line \(line) is a header, pass header: true."
        case .missingLabel:
            return "Every row needs an integer class label in the label column."
        case .labelNotInteger:
            return "Labels must be whole class indices that fit in Int32; map class names to numbers first."
        case .labelColumnNotFound:
            return "Pass labelColumn: .index(i) with 0 ≤ i < the column count, or a name from the header row."
        case .unterminatedQuote:
            return "Add the closing quote; write a quote inside a quoted cell as two quotes (\"\")."
        }
    }

    /// The same sentence as ``description``, for `localizedDescription`.
    public var errorDescription: String? { description }
}
