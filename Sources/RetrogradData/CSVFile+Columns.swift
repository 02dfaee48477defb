import Foundation

extension CSVFile {
    /// The columns of a CSV file as its first row shows them.
    public struct Columns: Sendable, Equatable {
        /// The number of cells in the first non-blank row.
        public var count: Int
        /// The cells of the first row when it is a header, or `nil` when it is data.
        public var names: [String]?

        /// Creates a column description.
        public init(count: Int, names: [String]?) {
            self.count = count
            self.names = names
        }
    }

    /// Reads the first row of a CSV file to tell how many columns it has and, when that row
    /// is a header, what they are called — so a caller can choose a label column before
    /// calling ``load(url:labelColumn:header:delimiter:)``.
    ///
    /// Only the first non-blank row is parsed; the rest of the file is not checked.
    ///
    /// - Parameters:
    ///   - url: The file to read.
    ///   - header: Whether the first row is a header. ``Header/auto`` calls it a header when
    ///     none of its cells is a number (the rule `load` uses when the label column is not
    ///     given by name).
    ///   - delimiter: The cell separator, as in `load`.
    /// - Throws: ``DataError/fileNotFound(file:)``, ``DataError/unreadable(file:reason:)``,
    ///   ``DataError/notText(file:)``, ``DataError/emptyFile(file:)`` or
    ///   ``DataError/unterminatedQuote(file:line:)``.
    public static func columns(url: URL, header: Header = .auto, delimiter: Character = ",") throws(DataError) -> Columns {
        let bytes = try readFileBytes(url, reportingAs: DataError.self)
        return try columns(bytes: bytes, file: url.path, header: header, delimiter: delimiter)
    }

    /// The columns of CSV bytes; `file` names the source in errors.
    static func columns(bytes: [UInt8], file: String, header: Header, delimiter: Character) throws(DataError) -> Columns {
        let separator = separatorByte(delimiter, caller: "columns")
        guard isText(bytes) else { throw .notText(file: file) }
        var reader = CSVReader(bytes: bytes, delimiter: separator, file: file)
        guard let first = try reader.nextNonBlankRecord() else { throw .emptyFile(file: file) }
        let isHeader: Bool
        switch header {
        case .present: isHeader = true
        case .absent: isHeader = false
        case .auto: isHeader = looksLikeHeader(first.cells)
        }
        return Columns(count: first.cells.count, names: isHeader ? first.cells : nil)
    }
}
