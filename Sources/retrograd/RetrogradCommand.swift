import ArgumentParser
import Foundation
import Retrograd

/// The `retrograd` command: a thin front end over the Retrograd libraries.
///
/// Subcommands each live in their own file (`GradcheckCommand.swift`, …) and are listed
/// in `configuration`.
@main
struct RetrogradCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "retrograd",
            abstract: "Eager tape-based automatic differentiation for Swift, from the command line.",
            // A computed configuration: the BLAS probe behind `matrixBackend` runs when asked.
            version: "retrograd \(retrogradVersion)\nmatmul backend: \(matrixBackend)",
            subcommands: [DANNCommand.self, TrainCommand.self, GradcheckCommand.self, BenchCommand.self])
    }

    /// Parses and runs the command. Help and `--version` print as usual; a bad
    /// command line is reported on one line of standard error, with ArgumentParser's
    /// message and exit status.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let message = self.message(for: error)
            let status = exitCode(for: error)
            // Help, --version and a bare ExitCode (a failed check) go through ArgumentParser.
            guard !status.isSuccess, !message.isEmpty else { exit(withError: error) }
            let line = message.hasPrefix("Error:") ? message : "Error: \(message)"
            FileHandle.standardError.write(Data((line.replacingOccurrences(of: "\n", with: " ") + "\n").utf8))
            Foundation.exit(status.rawValue)
        }
    }
}
