import Foundation

/// What a number measures, and which direction is better.
public enum BenchmarkUnit: String, Codable, Sendable, CaseIterable {
    /// Microseconds per tensor op (lower is better).
    case microsecondsPerOp = "us/op"
    /// Microseconds per training step (lower is better).
    case microsecondsPerStep = "us/step"
    /// Training steps per second (higher is better).
    case stepsPerSecond = "steps/s"
    /// Megabytes, 2²⁰ bytes (lower is better).
    case megabytes = "MB"
    /// Billions of floating-point operations per second (higher is better).
    case gigaflopsPerSecond = "GFLOP/s"
    /// Milliseconds (lower is better).
    case milliseconds = "ms"
    /// Seconds (lower is better).
    case seconds = "s"

    /// Whether a higher value is the better one.
    public var better: BenchmarkResult.Direction {
        switch self {
        case .stepsPerSecond, .gigaflopsPerSecond: return .higher
        case .microsecondsPerOp, .microsecondsPerStep, .megabytes, .milliseconds, .seconds: return .lower
        }
    }
}

/// One measured quantity: its median over the repeats and every repeat's value.
///
/// The JSON keys (`id`, `unit`, `better`, `value`, `samples`, and `note` when there is
/// one) are shared with the Python side of the benchmarks, which writes the same schema
/// for PyTorch and JAX.
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
    /// What a reader should know about how the value came about (omitted when nil).
    public var note: String?

    /// A result whose value is the median of `samples`; `better` comes from `unit`.
    public init(id: String, unit: BenchmarkUnit, samples: [Double], note: String? = nil) {
        precondition(!samples.isEmpty, "BenchmarkResult: \(id) has no samples")
        self.id = id
        self.unit = unit
        self.better = unit.better
        self.value = median(samples)
        self.samples = samples
        self.note = note
    }
}

/// A whole benchmark run: what ran it, on what, and the results.
///
/// Encoded as
/// `{"framework", "variant", "version", "backend", "threads", "machine": {"cpus", "model"}, "results": […]}`,
/// the schema the PyTorch and JAX runs write too, plus the extras they also write
/// (`"settings"`, `"load_average"`, `"date"`), which readers may ignore.
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

    /// How the run was timed (an extra key the PyTorch/JAX files have too).
    public struct Settings: Codable, Equatable, Sendable {
        /// The workloads that ran, "W1"…
        public var workloads: [String]
        /// Timed repeats per quantity.
        public var repeats: Int
        /// The minimum length of a repeat (0: one call per repeat for W6 and W7 anyway).
        public var minimumRepeatSeconds: Double
        /// Whether this was a `--quick` run (a smoke test, not a measurement).
        public var quick: Bool

        /// Describes a run's timing.
        public init(workloads: [String], repeats: Int, minimumRepeatSeconds: Double, quick: Bool) {
            self.workloads = workloads
            self.repeats = repeats
            self.minimumRepeatSeconds = minimumRepeatSeconds
            self.quick = quick
        }

        enum CodingKeys: String, CodingKey {
            case workloads, repeats, quick
            case minimumRepeatSeconds = "min_repeat_seconds"
        }
    }

    /// The system's load averages (1, 5, 15 minutes) when the run started and ended:
    /// other processes on the machine distort every number, threaded BLAS most of all.
    public struct LoadAverage: Codable, Equatable, Sendable {
        /// At the start of the run.
        public var start: [Double]
        /// At the end of the run.
        public var end: [Double]

        /// Load averages at the start and end.
        public init(start: [Double], end: [Double]) {
            self.start = start
            self.end = end
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
    /// Extra: how the run was timed (omitted when nil).
    public var settings: Settings?
    /// Extra: the load averages around the run (omitted when nil).
    public var loadAverage: LoadAverage?
    /// Extra: when the run ended, ISO 8601 (omitted when nil).
    public var date: String?

    enum CodingKeys: String, CodingKey {
        case framework, variant, version, backend, threads, machine, results, settings, date
        case loadAverage = "load_average"
    }

    /// Creates a report; the extras (`settings`, `loadAverage`, `date`) are optional.
    public init(
        framework: String = "retrograd", variant: String = "eager", version: String, backend: String, threads: Int,
        machine: Machine, results: [BenchmarkResult], settings: Settings? = nil, loadAverage: LoadAverage? = nil,
        date: String? = nil
    ) {
        self.framework = framework
        self.variant = variant
        self.version = version
        self.backend = backend
        self.threads = threads
        self.machine = machine
        self.results = results
        self.settings = settings
        self.loadAverage = loadAverage
        self.date = date
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
