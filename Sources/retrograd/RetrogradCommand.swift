import ArgumentParser
import Foundation
import Retrograd
import RetrogradDistributed

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

    /// Parses and runs the command. Help and `--version` print as usual. Any error is
    /// reported on one line of standard error (see ``CommandLineError``), with
    /// ArgumentParser's exit status: 64 for a bad command line, 1 for a failure while running.
    /// Errors in reading data files are worded with the command's flags (``DataFileWording``).
    /// Under mpirun, errors end every process (see ``DistributedExit``).
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            ProcessGroup.finish()
        } catch {
            let status = exitCode(for: error)
            let message = DataFileWording.message(for: error) ?? self.message(for: error)
            DistributedExit.endIfDistributed(error: error, status: status, message: message, arguments: arguments)
            // Help, --version and a bare ExitCode (a failed check) go through ArgumentParser.
            guard !status.isSuccess, !message.isEmpty else { exit(withError: error) }
            printErrorLine(status == .validationFailure
                ? CommandLineError.usageLine(message: message, arguments: arguments)
                : CommandLineError.line(message: message))
            Foundation.exit(status.rawValue)
        }
    }
}
