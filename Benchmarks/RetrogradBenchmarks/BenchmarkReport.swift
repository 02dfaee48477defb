import Foundation

/// What a number measures, and which direction is better.
public enum BenchmarkUnit: String, Codable, Sendable, CaseIterable {
    /// Microseconds per tensor op (lower is better).
    case microsecondsPerOp = "us/op"
    /// Training steps per second (higher is better).
    case stepsPerSecond = "steps/s"
    /// Megabytes, 2²⁰ bytes (lower is better).
    case megabytes = "MB"
    /// Billions of floating-point operations per second (higher is better).
    case gigaflopsPerSecond = "GFLOP/s"
    /// Milliseconds (lower is better).
    case milliseconds = "ms"

    /// Whether a higher value is the better one.
    public var better: BenchmarkResult.Direction {
        switch self {
        case .stepsPerSecond, .gigaflopsPerSecond: return .higher
        case .microsecondsPerOp, .megabytes, .milliseconds: return .lower
        }
    }
}

/// One measured quantity: its median over the repeats and every repeat's value.
///
/// The JSON keys (`id`, `unit`, `better`, `value`, `samples`) are shared with the Python
/// side of the benchmarks, which writes the same schema for PyTorch and JAX.
public struct BenchmarkResult: Codable, Equatable, Sendable {
    /// Which way is better, as the JSON spells it.
    public enum Direction: String, Codable, Sendable {
        case higher, lower
    }

    /// The workload and quantity, for example "W2" or "W1.backward".
    public var id: String
    /// The unit of `value` and `samples`.
    public var unit: BenchmarkUnit
    /// Whether higher or lower values are better (follows from `unit`).
    public var better: Direction
    /// The median of `samples`.
    public var value: Double
    /// One value per repeat, in the order they were measured.
    public var samples: [Double]

    /// A result whose value is the median of `samples`; `better` comes from `unit`.
    public init(id: String, unit: BenchmarkUnit, samples: [Double]) {
        precondition(!samples.isEmpty, "BenchmarkResult: \(id) has no samples")
        self.id = id
        self.unit = unit
        self.better = unit.better
        self.value = median(samples)
        self.samples = samples
    }
}

/// A whole benchmark run: what ran it, on what, and the results.
///
/// Encoded as
/// `{"framework", "variant", "version", "backend", "threads", "machine": {"cpus", "model"}, "results": […]}`,
/// the schema the PyTorch and JAX runs write too.
public struct BenchmarkReport: Codable, Equatable, Sendable {
    /// The machine the run happened on.
    public struct Machine: Codable, Equatable, Sendable {
        /// Logical CPUs available to the process.
        public var cpus: Int
        /// The CPU's model name (`/proc/cpuinfo`'s "model name" on Linux).
        public var model: String

        /// Describes a machine.
        public init(cpus: Int, model: String) {
            self.cpus = cpus
            self.model = model
        }
    }

    /// "retrograd".
    public var framework: String
    /// "eager": Retrograd has no compiled variant.
    public var variant: String
    /// `retrogradVersion`.
    public var version: String
    /// `matrixBackend`, for example "OpenBLAS (libopenblas.so.0)".
    public var backend: String
    /// The threads the matrix products use (see ``SystemInfo/blasThreads``).
    public var threads: Int
    /// The machine.
    public var machine: Machine
    /// The measured quantities, in the order they ran.
    public var results: [BenchmarkResult]

    /// Creates a report.
    public init(
        framework: String = "retrograd", variant: String = "eager", version: String, backend: String, threads: Int,
        machine: Machine, results: [BenchmarkResult]
    ) {
        self.framework = framework
        self.variant = variant
        self.version = version
        self.backend = backend
        self.threads = threads
        self.machine = machine
        self.results = results
    }

    /// The report as pretty-printed JSON with sorted keys (so two runs diff cleanly),
    /// ending with a newline.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(contentsOf: "\n".utf8)
        return data
    }

    /// Reads a report written by ``jsonData()`` (or by the Python side).
    public init(jsonData data: Data) throws {
        self = try JSONDecoder().decode(BenchmarkReport.self, from: data)
    }

    /// Writes the JSON to `url`, through a temporary file and a rename.
    public func write(to url: URL) throws {
        try jsonData().write(to: url, options: .atomic)
    }
}
