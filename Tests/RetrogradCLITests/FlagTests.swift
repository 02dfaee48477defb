import Foundation
import Testing

/// Every option of every subcommand given a bad value: the process exits with a status
/// (not a signal), prints one error line that names the option and what it accepts, and
/// starts nothing.
@Suite struct FlagTests {
    @Test(arguments: dannCases)
    func dann(_ flagCase: FlagCase) throws {
        try check(flagCase)
    }

    @Test(arguments: trainCases)
    func train(_ flagCase: FlagCase) throws {
        try check(flagCase)
    }

    @Test(arguments: otherCases)
    func gradcheckBenchAndTopLevel(_ flagCase: FlagCase) throws {
        try check(flagCase)
    }

    private func check(_ flagCase: FlagCase, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try CLI.run(Fixtures.expand(flagCase.arguments), in: Fixtures.directory)
        let mentions = Fixtures.expand(flagCase.mentions)
        expectOneLineError(result, status: flagCase.status, mentions: mentions, "\(flagCase)", sourceLocation: sourceLocation)
        // A refused run leaves no output directory behind.
        for argument in Fixtures.expand(flagCase.arguments) where argument.contains("never-") {
            #expect(!FileManager.default.fileExists(atPath: argument), "\(flagCase) created \(argument)", sourceLocation: sourceLocation)
        }
    }

    /// The table covers every option the subcommands declare, as their help lists them.
    @Test(arguments: [("dann", dannCases), ("train", trainCases), ("gradcheck", otherCases), ("bench", otherCases)])
    func everyOptionHasACase(subcommand: String, cases: [FlagCase]) throws {
        let help = try CLI.run([subcommand, "--help"])
        #expect(help.status == 0 && !help.signaled, "\(help)")
        // The OPTIONS section lists one option per entry: "  --name <value>  help", "  -h, --help"
        // or, for a flag with an inverse, "  --name/--no-name  help" (two options).
        let section = help.standardOutput.components(separatedBy: "OPTIONS:").dropFirst().joined()
        let options = Set(section.split(separator: "\n").flatMap { line -> [String] in
            let words = line.split(separator: " ")
            guard let first = words.first, first.hasPrefix("-") else { return [] }
            let names = words.prefix(2).map { String($0.filter { $0 != "," }) }.first { $0.hasPrefix("--") }
            return names.map { $0.split(separator: "/").map(String.init) } ?? []
        }).subtracting(["--help", "--version"])
        #expect(!options.isEmpty)
        let covered = Set(cases.filter { $0.arguments.first == subcommand }.flatMap(\.arguments).map { String($0.prefix { $0 != "=" }) })
        #expect(options.subtracting(covered).isEmpty, "options without a bad-value case: \(options.subtracting(covered).sorted())")
    }

    /// Values at the extremes of what is accepted are not errors, and once trapped: a batch
    /// size of Int.max overflowed the batch count (a tiny run, well under a second).
    @Test func aHugeBatchSizeTrainsInsteadOfTrapping() throws {
        let result = try CLI.run(["train", "--samples", "10", "--epochs", "1", "--hidden", "2", "--batch-size", "9223372036854775807"])
        #expect(result.status == 0 && !result.signaled, "\(result)")
        #expect(result.standardOutput.contains("test accuracy"), "\(result)")
    }
}
