/// One row of a CSV file: its cells and the 1-based line on which it starts.
struct CSVRecord {
    /// The line on which the row starts (a quoted cell may run over several lines).
    var line: Int
    /// The cells; unquoted cells are trimmed of surrounding spaces.
    var cells: [String]
}

/// Splits CSV text into rows.
///
/// The dialect is minimal RFC 4180: cells are separated by `delimiter`; a cell may be
/// wrapped in double quotes, inside which the delimiter and line breaks are literal and
/// `""` is one quote. Lines end in LF, CRLF or CR; a final line break is optional. Blank
/// lines (nothing but spaces) are skipped, and a UTF-8 byte-order mark is ignored.
struct CSVReader {
    private static let quote = UInt8(ascii: "\""), space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")
    private static let lineFeed = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")

    let bytes: [UInt8]
    let delimiter: UInt8
    let file: String
    private var position = 0
    private var line = 1

    init(bytes: [UInt8], delimiter: UInt8, file: String) {
        self.bytes = bytes
        self.delimiter = delimiter
        self.file = file
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    /// Every non-blank row of the text.
    mutating func records() throws(DataError) -> [CSVRecord] {
        var result = [CSVRecord]()
        while let record = try nextNonBlankRecord() { result.append(record) }
        return result
    }

    /// The next non-blank row, or `nil` at the end of the text.
    mutating func nextNonBlankRecord() throws(DataError) -> CSVRecord? {
        while position < bytes.count {
            let record = try nextRecord()
            let blank = record.cells.count == 1 && record.cells[0].isEmpty && !record.quoted
            if !blank { return CSVRecord(line: record.line, cells: record.cells) }
        }
        return nil
    }

    private func isSpace(_ byte: UInt8) -> Bool {
        (byte == Self.space || byte == Self.tab) && byte != delimiter
    }

    private mutating func nextRecord() throws(DataError) -> (line: Int, cells: [String], quoted: Bool) {
        let startLine = line
        var cells = [String]()
        var anyQuoted = false
        while true {
            while position < bytes.count && isSpace(bytes[position]) { position += 1 }
            var cell = [UInt8]()
            if position < bytes.count && bytes[position] == Self.quote {
                anyQuoted = true
                position += 1
                var closed = false
                while position < bytes.count {
                    let byte = bytes[position]
                    position += 1
                    if byte == Self.quote {
                        if position < bytes.count && bytes[position] == Self.quote {
                            cell.append(Self.quote)
                            position += 1
                        } else {
                            closed = true
                            break
                        }
                    } else {
                        if byte == Self.lineFeed || (byte == Self.carriageReturn && bytes.dropFirst(position).first != Self.lineFeed) {
                            line += 1
                        }
                        cell.append(byte)
                    }
                }
                if !closed { throw .unterminatedQuote(file: file, line: startLine) }
                // Anything after the closing quote, up to the delimiter, is kept as is.
                while position < bytes.count, !atCellEnd { cell.append(bytes[position]); position += 1 }
                while let last = cell.last, isSpace(last) { cell.removeLast() }
            } else {
                while position < bytes.count, !atCellEnd { cell.append(bytes[position]); position += 1 }
                while let last = cell.last, isSpace(last) { cell.removeLast() }
            }
            cells.append(String(decoding: cell, as: UTF8.self))
            if position >= bytes.count { break }
            let byte = bytes[position]
            position += 1
            if byte == delimiter { continue }
            if byte == Self.carriageReturn, position < bytes.count, bytes[position] == Self.lineFeed { position += 1 }
            line += 1
            break
        }
        return (startLine, cells, anyQuoted)
    }

    private var atCellEnd: Bool {
        let byte = bytes[position]
        return byte == delimiter || byte == Self.lineFeed || byte == Self.carriageReturn
    }
}
