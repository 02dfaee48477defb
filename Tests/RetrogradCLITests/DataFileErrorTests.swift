import DomainAdaptation
import Foundation
import RetrogradTestSupport
import Testing

/// A data file whose error the command must word with its own flags: the file (given as the
/// source, with the valid target), extra arguments, and what the error line must mention.
struct FlagWordedCase: CustomStringConvertible, Sendable {
    var description: String
    var fileName: String
    var bytes: [UInt8]
    var arguments: [String] = []
    var mentions: [String]

    static let all: [FlagWordedCase] = [
        FlagWordedCase(description: "a header and no rows", fileName: "header-only.csv", bytes: Array("a,b,label\n".utf8),
                       mentions: ["line 1 is a header", "--no-header"]),
        FlagWordedCase(description: "a header with a number in it, read as data", fileName: "year.csv",
                       bytes: Array(("x,2019,label\n" + Fixtures.sourceCSV.split(separator: "\n").dropFirst().joined(separator: "\n")).utf8),
                       mentions: ["line 1, column 1", "'x'", "--header"]),
        FlagWordedCase(description: "a label column name the header lacks", fileName: "named.csv", bytes: Array(Fixtures.sourceCSV.utf8),
                       arguments: ["--label-column", "species"], mentions: ["named 'species'", "a, b, label", "--label-column"]),
        FlagWordedCase(description: "a label column index past the last column", fileName: "indexed.csv",
                       bytes: Array(Fixtures.sourceCSV.utf8), arguments: ["--label-column=-4"],
                       mentions: ["index -4", "3 columns", "--label-column"]),
        FlagWordedCase(description: "a label column name for a .npy file", fileName: "named.npy",
                       bytes: NPY.encode(Tensor((0..<60).map { Float($0 % 2) }, shape: [20, 3])), arguments: ["--label-column", "label"],
                       mentions: ["no column names", "--label-column label", "0-based index"]),
        FlagWordedCase(description: "too few rows to split", fileName: "two-rows.csv", bytes: Array("a,b,label\n0,1,0\n1,2,1\n".utf8),
                       mentions: ["2 rows", "20%", "at least 3", "Add rows"]),
    ]
}

/// Errors in the user's data files and run checkpoints, as `retrograd dann` words them: the
/// library's account of what is wrong and where, with advice in terms of the command's
/// flags (never the Swift arguments the libraries' own messages suggest), on one line.
@Suite struct DataFileErrorTests {
    @Test(arguments: FlagWordedCase.all)
    func errorIsWordedWithTheCommandsFlags(_ flagCase: FlagWordedCase) throws {
        let result = try expectSourceFileRefused(
            flagCase.bytes, named: flagCase.fileName, arguments: flagCase.arguments, mentions: flagCase.mentions, flagCase.description)
        #expect(!result.standardError.contains("test fraction"), "no flag sets the test fraction: \(result)")
    }

    /// The advice above works: `--header` makes a first row with a number in it the header,
    /// and the run records the choice so that `--resume` reads the files the same way.
    @Test func headerFlagReadsTheFirstRowAsTheHeader() throws {
        let scratch = try ScratchDirectory(label: "cli")
        defer { scratch.cleanUp() }
        let rows = Fixtures.sourceCSV.split(separator: "\n").dropFirst().joined(separator: "\n")
        let source = try scratch.write("x,2019,label\n" + rows + "\n", to: "year.csv")
        let out = scratch.file("run")
        let arguments = ["dann", "--source", source.path, "--target", Fixtures.path("target.csv"), "--header",
                         "--epochs", "1", "--hidden", "2", "--mode", "dann", "--out", out.path]
        let result = try CLI.run(arguments)
        #expect(result.status == 0 && !result.signaled, "\(result)")
        // 20 data rows (the header is not one), of which a fifth are held out.
        #expect(result.standardOutput.contains("2 features, 2 classes; source 16 train / 4 test"), "\(result)")
        let description = try DANNRunDescription.read(from: out)
        #expect(description.data.header == true)
        let resumed = try CLI.run(["dann", "--resume", out.path])
        #expect(resumed.status == 0 && resumed.standardOutput.contains("source 16 train / 4 test"), "\(resumed)")
    }
}
