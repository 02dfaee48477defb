import Foundation

/// Loads numeric CSV files as datasets.
///
/// ```swift
/// let data = try CSVFile.load(url: URL(fileURLWithPath: "iris.csv"), labelColumn: "species_id")
/// ```
///
/// Every cell but the label's must be a number (anything `Float` can parse: `1`, `-2.5`,
/// `3e-4`, `nan`). Errors are ``DataError``s naming the file, the line and the column
/// (both counted from 1), so a bad cell can be found in an editor.
public enum CSVFile {
    /// Which column holds the class labels.
    public enum LabelColumn: Sendable, Equatable, ExpressibleByIntegerLiteral, ExpressibleByStringLiteral {
        /// The column at a 0-based index; a negative index counts from the end (-1 is the last).
        case index(Int)
        /// The column with this name in the header row.
        case name(String)

        /// A column given by its 0-based index.
        public init(integerLiteral value: Int) { self = .index(value) }
        /// A column given by its header name.
        public init(stringLiteral value: String) { self = .name(value) }
    }

    /// Whether the first row names the columns.
    public enum Header: Sendable, Equatable, ExpressibleByBooleanLiteral {
        /// The first row is a header when none of its cells is a number, or when the label
        /// column is given by name.
        case auto
        /// The first row is a header.
        case present
        /// Every row is data.
        case absent

        /// `true` is ``present``, `false` is ``absent``.
        public init(booleanLiteral value: Bool) { self = value ? .present : .absent }
    }

    /// Reads a CSV file into a dataset of float32 features, with int32 labels when
    /// `labelColumn` is given.
    ///
    /// - Parameters:
    ///   - url: The file to read.
    ///   - labelColumn: The column of integer class labels, or `nil` for unlabelled data.
    ///   - header: Whether the first row is a header; ``Header/auto`` guesses.
    ///   - delimiter: The cell separator, one ASCII character other than a quote or line break.
    /// - Returns: A dataset with one row per data line and every non-label column as a feature.
    /// - Throws: A ``DataError`` naming the file, line and column: ``DataError/emptyFile(file:)``,
    ///   ``DataError/raggedRow(file:line:expected:found:)``,
    ///   ``DataError/nonNumericCell(file:line:column:text:)``, ``DataError/missingLabel(file:line:column:)``,
    ///   ``DataError/labelNotInteger(file:line:column:text:)`` and the others of ``DataError``.
    public static func load(
        url: URL, labelColumn: LabelColumn? = nil, header: Header = .auto, delimiter: Character = ","
    ) throws(DataError) -> Dataset {
        let bytes = try readFileBytes(url, reportingAs: DataError.self)
        return try parse(bytes: bytes, file: url.path, labelColumn: labelColumn, header: header, delimiter: delimiter)
    }

    /// Parses CSV bytes; `file` names the source in errors.
    static func parse(
        bytes: [UInt8], file: String, labelColumn: LabelColumn?, header: Header, delimiter: Character
    ) throws(DataError) -> Dataset {
        let separator = separatorByte(delimiter, caller: "load")
        guard isText(bytes) else { throw .notText(file: file) }
        var reader = CSVReader(bytes: bytes, delimiter: separator, file: file)
        var records = try reader.records()
        guard let first = records.first else { throw .emptyFile(file: file) }

        let hasHeader: Bool
        switch header {
        case .present: hasHeader = true
        case .absent: hasHeader = false
        case .auto:
            if case .name = labelColumn { hasHeader = true } else { hasHeader = looksLikeHeader(first.cells) }
        }
        let columnCount = first.cells.count
        let names = hasHeader ? first.cells : []
        if hasHeader {
            records.removeFirst()
            guard !records.isEmpty else { throw .noDataRows(file: file, headerLine: first.line) }
        }

        var labelIndex: Int?
        switch labelColumn {
        case nil: labelIndex = nil
        case .index(let index)?:
            let resolved = index < 0 ? index + columnCount : index
            guard resolved >= 0 && resolved < columnCount else {
                throw .labelColumnNotFound(file: file, column: "at index \(index) (the file has \(columnCount) columns)", available: names)
            }
            labelIndex = resolved
        case .name(let name)?:
            guard let found = names.firstIndex(of: name) else {
                throw .labelColumnNotFound(file: file, column: "named '\(name)'", available: names)
            }
            labelIndex = found
        }

        let featureCount = columnCount - (labelIndex == nil ? 0 : 1)
        var features = [Float]()
        features.reserveCapacity(records.count * featureCount)
        var labels = [Int32]()
        if labelIndex != nil { labels.reserveCapacity(records.count) }
        for record in records {
            guard record.cells.count == columnCount else {
                throw .raggedRow(file: file, line: record.line, expected: columnCount, found: record.cells.count)
            }
            for (column, cell) in record.cells.enumerated() {
                if column == labelIndex {
                    labels.append(try label(cell, file: file, line: record.line, column: column + 1))
                } else if let value = number(cell) {
                    features.append(value)
                } else {
                    throw .nonNumericCell(file: file, line: record.line, column: column + 1, text: cell)
                }
            }
        }
        let matrix = Tensor(features, shape: [records.count, featureCount])
        return Dataset(checkedFeatures: matrix, labels: labelIndex == nil ? nil : Tensor(labels, shape: [labels.count]))
    }

    /// The byte of a delimiter, which must be one ASCII character other than a quote or line break.
    static func separatorByte(_ delimiter: Character, caller: String) -> UInt8 {
        guard let byte = delimiter.asciiValue, delimiter != "\"", delimiter != "\n", delimiter != "\r" else {
            preconditionFailed("CSVFile.\(caller): delimiter '\(delimiter)' must be one ASCII character other than a quote or line break")
        }
        return byte
    }

    /// Whether `bytes` are UTF-8 text without NUL bytes. A NUL would end a number early
    /// where the C library parses it (`Float("0.\u{0}5")` is 0), and files full of them are
    /// UTF-16 text, which must be converted first.
    static func isText(_ bytes: [UInt8]) -> Bool {
        !bytes.contains(0) && String(validating: bytes, as: UTF8.self) != nil
    }

    /// The rule of ``Header/auto`` when the label column is not named: a first row with no
    /// number in it is a header.
    static func looksLikeHeader(_ cells: [String]) -> Bool {
        !cells.contains { number($0) != nil }
    }

    /// A cell as a number, or `nil`.
    static func number(_ cell: String) -> Float? {
        Float(cell.trimmingCharacters(in: .whitespaces))
    }

    /// A label cell as an integer: `3`, or a float with no fraction such as `3.0`.
    static func label(_ cell: String, file: String, line: Int, column: Int) throws(DataError) -> Int32 {
        let text = cell.trimmingCharacters(in: .whitespaces)
        if text.isEmpty { throw .missingLabel(file: file, line: line, column: column) }
        if let value = Int32(text) { return value }
        if let value = Double(text), value.rounded() == value, let exact = Int32(exactly: value) { return exact }
        throw .labelNotInteger(file: file, line: line, column: column, text: cell)
    }
}
