import Foundation
import Testing
@testable import RetrogradData

@Suite struct CSVLoadingTests {
    @Test func headerAndNamedLabelColumn() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let url = try dir.write("x1,label,x2\n0.5,1,-2\n1.5,0,3e2\n-1,2,0\n", to: "train.csv")
        let data = try CSVFile.load(url: url, labelColumn: "label", header: true)
        #expect(data.features.shape == [3, 2])
        #expect(data.features.dtype == .float32)
        #expect(data.features.scalars(as: Float.self) == [0.5, -2, 1.5, 300, -1, 0])
        #expect(data.labelScalars == [1, 0, 2])
        // The same column by index, by negative index on a reordered file, and with auto header.
        #expect(try CSVFile.load(url: url, labelColumn: 1).labelScalars == [1, 0, 2])
        let last = try dir.write("a,b,y\n1,2,3\n4,5,6\n", to: "last.csv")
        let byEnd = try CSVFile.load(url: last, labelColumn: -1)
        #expect(byEnd.labelScalars == [3, 6])
        #expect(byEnd.features.scalars(as: Float.self) == [1, 2, 4, 5])
    }

    @Test func noHeaderNoLabels() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let url = try dir.write("1,2\n3,4", to: "plain.csv")  // no final newline
        let data = try CSVFile.load(url: url)
        #expect(data.features.scalars(as: Float.self) == [1, 2, 3, 4])
        #expect(data.labels == nil)
        // header: false keeps a first row that auto would call a header... and then it fails on it.
        let named = try dir.write("a,b\n1,2\n", to: "named.csv")
        #expect(try CSVFile.load(url: named).count == 1)
        #expect(throws: DataError.nonNumericCell(file: named.path, line: 1, column: 1, text: "a")) {
            try CSVFile.load(url: named, header: false)
        }
    }

    @Test func lineEndingsBlankLinesQuotesAndBOM() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let text = "\u{FEFF}\"a,1\" , \"b \"\"q\"\"\",y\r\n\r\n  1 ,\"2.5\", 0\r\n   \r\n3,4,\"1\"\r\n\r\n"
        let url = try dir.write(text, to: "quoted.csv")
        let data = try CSVFile.load(url: url, labelColumn: "y")
        #expect(data.features.scalars(as: Float.self) == [1, 2.5, 3, 4])
        #expect(data.labelScalars == [0, 1])
        // Header cells holding the delimiter or a quote are found by their unquoted names.
        let byQuotedName = try CSVFile.load(url: url, labelColumn: "a,1")
        #expect(byQuotedName.labelScalars == [1, 3])
        #expect(byQuotedName.features.scalars(as: Float.self) == [2.5, 0, 4, 1])
        #expect(throws: DataError.self) { try CSVFile.load(url: url, labelColumn: "b \"q\"") }  // 2.5 is no label
        // A quoted cell may hold a line break; the next row's line number counts it.
        let multi = try dir.write("name,v\n\"two\nlines\",1\nx,oops\n", to: "multi.csv")
        let error = thrownError(DataError.self) { _ = try CSVFile.load(url: multi, header: true) }
        #expect(error == .nonNumericCell(file: multi.path, line: 2, column: 1, text: "two\nlines"))
    }

    @Test func otherDelimitersAndIntegralFloatLabels() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let semicolons = try dir.write("1;2;1.0\n3;4;0\n", to: "semi.csv")
        #expect(try CSVFile.load(url: semicolons, labelColumn: 2, delimiter: ";").labelScalars == [1, 0])
        let tabs = try dir.write("1\t2\n3\t4\n", to: "tabs.tsv")
        #expect(try CSVFile.load(url: tabs, delimiter: "\t").features.scalars(as: Float.self) == [1, 2, 3, 4])
    }
}

/// Loads `text` from a file called `name` and returns the error, checking that its message
/// names the file and, when given, the line and column.
private func csvError(
    _ text: String, name: String = "bad.csv", labelColumn: CSVFile.LabelColumn? = nil, header: CSVFile.Header = .auto,
    line: Int? = nil, column: Int? = nil, sourceLocation: SourceLocation = #_sourceLocation
) throws -> (DataError?, String) {
    let dir = try ScratchDirectory()
    defer { dir.cleanUp() }
    let url = try dir.write(text, to: name)
    let error = thrownError(DataError.self, sourceLocation: sourceLocation) {
        _ = try CSVFile.load(url: url, labelColumn: labelColumn, header: header)
    }
    let message = error?.description ?? ""
    #expect(message.contains(name), "\(message)", sourceLocation: sourceLocation)
    if let line { #expect(message.contains("line \(line)"), "\(message)", sourceLocation: sourceLocation) }
    if let column { #expect(message.contains("column \(column)"), "\(message)", sourceLocation: sourceLocation) }
    return (error, url.path)
}

@Suite struct CSVErrorTests {
    @Test func missingFile() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let url = dir.file("absent.csv")
        let error = thrownError(DataError.self) { _ = try CSVFile.load(url: url) }
        #expect(error == .fileNotFound(file: url.path))
        #expect(error?.description.contains("absent.csv") == true)
    }

    @Test func emptyFile() throws {
        let (error, path) = try csvError("", name: "empty.csv")
        #expect(error == .emptyFile(file: path))
        let (blank, blankPath) = try csvError("\n  \r\n\n", name: "blank.csv")
        #expect(blank == .emptyFile(file: blankPath))
    }

    @Test func headerWithoutRows() throws {
        let (error, path) = try csvError("a,b,label\n\n", name: "header-only.csv", line: 1)
        #expect(error == .noDataRows(file: path, headerLine: 1))
    }

    @Test func raggedRow() throws {
        let (error, path) = try csvError("a,b,c\n1,2,3\n\n4,5\n", name: "ragged.csv", line: 4)
        #expect(error == .raggedRow(file: path, line: 4, expected: 3, found: 2))
        #expect(error?.description.contains("expected 3") == true)
        let (long, longPath) = try csvError("1,2\n3,4,5\n", name: "long.csv", line: 2)
        #expect(long == .raggedRow(file: longPath, line: 2, expected: 2, found: 3))
    }

    @Test func nonNumericCell() throws {
        let (error, path) = try csvError("x,y\n1,2\n3,abc\n", name: "words.csv", line: 3, column: 2)
        #expect(error == .nonNumericCell(file: path, line: 3, column: 2, text: "abc"))
        #expect(error?.description.contains("'abc'") == true)
        let (empty, emptyPath) = try csvError("1,2\n,4\n", name: "hole.csv", line: 2, column: 1)
        #expect(empty == .nonNumericCell(file: emptyPath, line: 2, column: 1, text: ""))
        #expect(empty?.description.contains("empty") == true)
    }

    @Test func missingLabel() throws {
        let (error, path) = try csvError("a,y\n1,0\n2,\n", name: "nolabel.csv", labelColumn: "y", line: 3, column: 2)
        #expect(error == .missingLabel(file: path, line: 3, column: 2))
    }

    @Test func labelNotAnInteger() throws {
        let (error, path) = try csvError("y,a\n0,1\n1.5,2\n", name: "fraction.csv", labelColumn: 0, line: 3, column: 1)
        #expect(error == .labelNotInteger(file: path, line: 3, column: 1, text: "1.5"))
        let (word, wordPath) = try csvError("1,cat\n", name: "word.csv", labelColumn: 1, line: 1, column: 2)
        #expect(word == .labelNotInteger(file: wordPath, line: 1, column: 2, text: "cat"))
        let (huge, hugePath) = try csvError("1,3000000000\n", name: "huge.csv", labelColumn: 1, line: 1, column: 2)
        #expect(huge == .labelNotInteger(file: hugePath, line: 1, column: 2, text: "3000000000"))
    }

    @Test func unknownLabelColumn() throws {
        let (error, path) = try csvError("a,b\n1,2\n", name: "cols.csv", labelColumn: "label")
        #expect(error == .labelColumnNotFound(file: path, column: "named 'label'", available: ["a", "b"]))
        #expect(error?.description.contains("a, b") == true)
        let (index, _) = try csvError("1,2\n", name: "index.csv", labelColumn: 2)
        guard case .labelColumnNotFound? = index else { Issue.record("\(String(describing: index))"); return }
    }

    @Test func unterminatedQuote() throws {
        let (error, path) = try csvError("1,2\n3,\"4\n5,6\n", name: "quote.csv", line: 2)
        #expect(error == .unterminatedQuote(file: path, line: 2))
    }

    @Test func notUTF8() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let url = try dir.write(bytes: [0x31, 0x2C, 0xFF, 0xFE, 0x0A], to: "binary.csv")
        let error = thrownError(DataError.self) { _ = try CSVFile.load(url: url) }
        #expect(error == .notText(file: url.path))
        #expect(error?.description.contains("binary.csv") == true)
    }
}
