import Foundation
import Testing
@testable import RetrogradData

@Suite struct CSVColumnsTests {
    @Test func headerNamesAndCount() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let named = try dir.write("\n  \nx1, \"x,2\" ,label\n1,2,0\n", to: "named.csv")
        #expect(try CSVFile.columns(url: named) == CSVFile.Columns(count: 3, names: ["x1", "x,2", "label"]))
        // A first row holding a number is data under .auto, a header under .present.
        let numeric = try dir.write("1,2.5,3,4\nnot,even,read,\"\n", to: "numeric.csv")
        #expect(try CSVFile.columns(url: numeric) == CSVFile.Columns(count: 4, names: nil))
        #expect(try CSVFile.columns(url: numeric, header: .present).names == ["1", "2.5", "3", "4"])
        #expect(try CSVFile.columns(url: named, header: .absent).names == nil)
        let semicolons = try dir.write("a;b\n1;2\n", to: "semi.csv")
        #expect(try CSVFile.columns(url: semicolons, delimiter: ";") == CSVFile.Columns(count: 2, names: ["a", "b"]))
    }

    @Test func errorsNameTheFile() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let absent = dir.file("absent.csv")
        #expect(throws: DataError.fileNotFound(file: absent.path)) { try CSVFile.columns(url: absent) }
        let blank = try dir.write(" \n\n", to: "blank.csv")
        #expect(throws: DataError.emptyFile(file: blank.path)) { try CSVFile.columns(url: blank) }
        let binary = try dir.write(bytes: [0x31, 0x2C, 0xFF, 0x0A], to: "binary.csv")
        #expect(throws: DataError.notText(file: binary.path)) { try CSVFile.columns(url: binary) }
        let quote = try dir.write("\"a,b\n1,2\n", to: "quote.csv")
        #expect(throws: DataError.unterminatedQuote(file: quote.path, line: 1)) { try CSVFile.columns(url: quote) }
    }
}
