import Foundation
import RetrogradTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// How one launched job ended.
struct JobResult: CustomStringConvertible {
    /// The exit status (128 + the signal for a signalled mpirun).
    var status: Int32
    /// Whether the job was killed for taking longer than its limit.
    var timedOut: Bool
    /// The wall-clock time from start to end, in seconds.
    var seconds: Double
    var output: String
    var errors: String

    var description: String {
        "status \(status)\(timedOut ? " (timed out)" : ""), \(String(format: "%.1f", seconds)) s; stderr: \(errors.suffix(800).debugDescription); stdout: \(output.prefix(400).debugDescription)"
    }

    /// Standard output parsed as one JSON object.
    var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(output.utf8))) as? [String: Any]
    }
}

/// Starts the built executables, under `mpirun` or on their own.
enum MPILauncher {
    /// `mpirun` on the PATH, or nil (the MPI tests then skip: run scripts/setup).
    static let mpirun: URL? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent("mpirun") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    /// Whether the MPI tests can run here.
    static var available: Bool { mpirun != nil }

    /// What mpirun needs in a container run as root, on a machine with fewer cores than ranks.
    static let mpirunOptions = ["--allow-run-as-root", "--oversubscribe"]

    /// The build products directory: where SwiftPM put the test bundle.
    static let productsDirectory: URL = {
        var candidates = [Bundle.main.bundleURL]
        if let executable = Bundle.main.executableURL { candidates.append(executable.deletingLastPathComponent()) }
        candidates += Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent() }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.appendingPathComponent("retrograd-mpi-probe").path) }
            ?? candidates[0]
    }()

    /// A product of the package, built now with `swift build` if the test run did not build it.
    static func product(_ name: String) -> URL {
        let candidate = productsDirectory.appendingPathComponent(name)
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let build = Process()
        build.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        build.arguments = ["swift", "build", "--product", name]
        build.currentDirectoryURL = root
        try? build.run()
        build.waitUntilExit()
        return candidate
    }

    static let probe = product("retrograd-mpi-probe")
    static let retrograd = product("retrograd")

    /// Runs `mpirun -np processes executable arguments`, or, for an MPMD launch, each
    /// `(executable, arguments)` as one rank.
    static func mpirun(
        _ processes: Int, _ executable: URL, _ arguments: [String], in directory: URL? = nil, timeout: Double = 120
    ) throws -> JobResult {
        try mpirun(ranks: Array(repeating: (executable, arguments), count: processes), in: directory, timeout: timeout)
    }

    /// An MPMD launch: one rank per entry, each with its own arguments.
    static func mpirun(
        ranks: [(URL, [String])], in directory: URL? = nil, timeout: Double = 120, environment: [String: String] = [:]
    ) throws -> JobResult {
        var arguments = mpirunOptions
        for (index, (executable, rankArguments)) in ranks.enumerated() {
            if index > 0 { arguments.append(":") }
            arguments += ["-np", "1", executable.path] + rankArguments
        }
        return try run(mpirun!, arguments, in: directory, timeout: timeout, environment: environment)
    }

    /// Runs `executable arguments` with one thread for the BLAS and the kernels and the
    /// variables of `environment` added, killing it after `timeout` seconds.
    static func run(
        _ executable: URL, _ arguments: [String], in directory: URL? = nil, timeout: Double = 120,
        environment extra: [String: String] = [:]
    ) throws -> JobResult {
        let scratch = try ScratchDirectory(label: "mpi-job")
        defer { scratch.cleanUp() }
        let outputFile = scratch.file("stdout"), errorFile = scratch.file("stderr")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_NUM_THREADS"] = "1"
        environment["RETROGRAD_THREADS"] = "1"
        environment.merge(extra) { _, new in new }
        process.environment = environment
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        process.standardError = try FileHandle(forWritingTo: errorFile)
        process.standardInput = FileHandle.nullDevice
        let start = Date()
        try process.run()
        var timedOut = false
        while process.isRunning {
            if Date().timeIntervalSince(start) > timeout {
                timedOut = true
                kill(process.processIdentifier, SIGKILL)
            }
            usleep(20_000)
        }
        process.waitUntilExit()
        let signaled = process.terminationReason == .uncaughtSignal
        return JobResult(
            status: signaled ? 128 + process.terminationStatus : process.terminationStatus, timedOut: timedOut,
            seconds: Date().timeIntervalSince(start),
            output: (try? String(contentsOf: outputFile, encoding: .utf8)) ?? "",
            errors: (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "")
    }
}
