import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a run of the `retrograd` executable ended.
struct CLIResult: CustomStringConvertible {
    /// The exit status, or the signal number when `signaled`.
    var status: Int32
    /// Whether a signal ended the process (a trap, a crash, or the timeout's SIGKILL).
    var signaled: Bool
    /// Whether the run was stopped for taking longer than its time limit.
    var timedOut: Bool
    var standardOutput: String
    var standardError: String

    var description: String {
        let how = timedOut ? "timed out" : signaled ? "killed by signal \(status)" : "exit \(status)"
        return "\(how); stderr: \(standardError.debugDescription); stdout: \(String(standardOutput.prefix(300)).debugDescription)"
    }
}

/// Runs the `retrograd` executable built with the tests.
enum CLI {
    /// The executable: `RETROGRAD_CLI` when set, else `retrograd` next to the test bundle
    /// (where `swift build` and `swift test` put it), else built now with `swift build`.
    static let executable: URL = locateOrBuild()

    /// Runs `retrograd arguments` in `directory`, killing it after `timeout` seconds.
    static func run(
        _ arguments: [String], in directory: URL? = nil, executable: URL = CLI.executable, timeout: TimeInterval = 60
    ) throws -> CLIResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let (stdout, stderr) = readBoth(output, error)
        let finished = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            process.waitUntilExit()
            finished.signal()
        }
        var timedOut = false
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            kill(process.processIdentifier, SIGKILL)
            finished.wait()
        }
        return CLIResult(
            status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal, timedOut: timedOut,
            standardOutput: stdout.get(), standardError: stderr.get())
    }

    /// Starts reading both pipes to their end on background threads (a full pipe would
    /// block the child), returning futures of their text.
    private static func readBoth(_ output: Pipe, _ error: Pipe) -> (TextFuture, TextFuture) {
        (TextFuture(output.fileHandleForReading), TextFuture(error.fileHandleForReading))
    }

    private static func locateOrBuild() -> URL {
        if let path = ProcessInfo.processInfo.environment["RETROGRAD_CLI"] { return URL(fileURLWithPath: path) }
        for directory in searchDirectories {
            let candidate = directory.appendingPathComponent("retrograd")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return build()
    }

    /// Where SwiftPM puts products next to the test bundle: the directory of the running
    /// test executable (Linux) or of the loaded `.xctest` bundle (Apple platforms).
    private static var searchDirectories: [URL] {
        var directories = [Bundle.main.bundleURL]
        if let executable = Bundle.main.executableURL { directories.append(executable.deletingLastPathComponent()) }
        directories += Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent() }
        return directories
    }

    /// The package root: this file is Tests/RetrogradCLITests/Support/CLI.swift.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Builds the executable with `swift build` (debug) and returns its path.
    private static func build() -> URL {
        func swift(_ arguments: [String]) -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["swift"] + arguments
            process.currentDirectoryURL = packageRoot
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.standardError
            guard (try? process.run()) != nil else { return "" }
            let text = TextFuture(pipe.fileHandleForReading).get()
            process.waitUntilExit()
            return text
        }
        _ = swift(["build", "--product", "retrograd"])
        let binPath = swift(["build", "--show-bin-path"]).trimmingCharacters(in: .whitespacesAndNewlines)
        return URL(fileURLWithPath: binPath).appendingPathComponent("retrograd")
    }
}

/// The text of a file handle read to its end on a background thread.
final class TextFuture: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        DispatchQueue.global().async {
            self.data = handle.readDataToEndOfFile()
            self.done.signal()
        }
    }

    /// Waits for the end of the stream and returns its text.
    func get() -> String {
        done.wait()
        done.signal()
        return String(decoding: data, as: UTF8.self)
    }
}

/// Words that mean the program crashed or trapped instead of reporting an error.
let alarmingOutput = ["Fatal error", "Program crashed", "Backtrace", "Stack dump", "Thread 0", "Illegal instruction",
                      "Segmentation", "Assertion failed", "Precondition failed", "Fatal error", "💣"]

/// Advice the libraries give Swift code, which a command-line user cannot follow: the
/// command's errors name its flags instead.
let swiftAPIAdvice = ["header: ", "labelColumn", ".index(", "strict: ", "Checkpoint.save", ".cast(to:", "Pass [Int32]"]

/// Checks that `result` is an orderly failure: an exit (not a signal) with `status`, and
/// exactly one line on standard error that starts with "Error: ", contains every one of
/// `mentions`, shows no sign of a crash and gives no advice meant for Swift code; nothing
/// on standard output unless allowed.
func expectOneLineError(
    _ result: CLIResult, status: Int32, mentions: [String], quietOutput: Bool = true,
    _ comment: String = "", sourceLocation: SourceLocation = #_sourceLocation
) {
    let context = Comment(rawValue: "\(comment) → \(result)")
    #expect(!result.signaled && !result.timedOut, context, sourceLocation: sourceLocation)
    #expect(result.status == status, context, sourceLocation: sourceLocation)
    let lines = result.standardError.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count == 2 && lines[1].isEmpty, "one line, ended by a newline: \(context)", sourceLocation: sourceLocation)
    #expect(result.standardError.hasPrefix("Error: "), context, sourceLocation: sourceLocation)
    for mention in mentions {
        #expect(result.standardError.contains(mention), "should mention \(mention.debugDescription): \(context)", sourceLocation: sourceLocation)
    }
    for word in alarmingOutput {
        #expect(!result.standardError.contains(word) && !result.standardOutput.contains(word), context, sourceLocation: sourceLocation)
    }
    for advice in swiftAPIAdvice {
        #expect(!result.standardError.contains(advice), "advice for Swift code, \(advice.debugDescription): \(context)",
                sourceLocation: sourceLocation)
    }
    if quietOutput { #expect(result.standardOutput.isEmpty, "nothing ran: \(context)", sourceLocation: sourceLocation) }
}
