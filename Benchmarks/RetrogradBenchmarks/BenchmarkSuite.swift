import Foundation
import Retrograd

/// The benchmark workloads, W1–W9.
public enum Workload: String, CaseIterable, Comparable, Sendable {
    case w1 = "W1", w2 = "W2", w3 = "W3", w4 = "W4", w5 = "W5", w6 = "W6", w7 = "W7", w8 = "W8", w9 = "W9"

    /// One line on what the workload measures.
    public var summary: String {
        switch self {
        case .w1: return "scalar chain, 2000 × (y·1.0001 + 0.0001): µs per op"
        case .w2: return "MLP 2→64→64→2 tanh, batch 32, Adam: steps/s"
        case .w3: return "MLP 784→512→512→10 ReLU, batch 128, Adam: steps/s (and peak memory when alone)"
        case .w4: return "gradient penalty, critic 784→256→256→1 tanh, batch 64, Adam: steps/s"
        case .w5: return "DANN step, 64 + 64 rows, gradient reversal, SGD momentum: steps/s"
        case .w6: return "1024³ float32 matmul: GFLOP/s (also BLAS direct and fallback GEMM)"
        case .w7: return "sum(exp(x)·x + 1) over 16M floats: ms forward, forward+backward"
        case .w8: return "DANN on the two moons as the paper runs it, one example per domain per step: µs/step, s per run"
        case .w9:
            return "DANN step of the paper's MNIST CNN, 64 + 64 images 28×28×3, SGD momentum: ms/step (and peak memory when alone); "
                + "5×5 conv layer 64×28×28×32 → 48 forward+backward: GFLOP/s (and its three GEMMs alone)"
        }
    }

    /// Orders workloads by number.
    public static func < (lhs: Workload, rhs: Workload) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// Parses a comma-separated list such as "W1,w3" (case-insensitive, spaces allowed)
    /// into workloads in numerical order, without duplicates.
    ///
    /// - Throws: ``BenchmarkError/unknownWorkload(_:)`` for a name that is not W1–W9, or
    ///   ``BenchmarkError/noWorkloads`` for an empty list.
    public static func parseList(_ text: String) throws -> [Workload] {
        var found = Set<Workload>()
        for part in text.split(separator: ",") {
            let name = part.trimmingCharacters(in: .whitespaces).uppercased()
            guard !name.isEmpty else { continue }
            guard let workload = Workload(rawValue: name) else { throw BenchmarkError.unknownWorkload(String(part)) }
            found.insert(workload)
        }
        guard !found.isEmpty else { throw BenchmarkError.noWorkloads }
        return found.sorted()
    }
}

/// A benchmark request that cannot run.
public enum BenchmarkError: Error, Equatable, CustomStringConvertible {
    /// A workload name that is not W1–W9.
    case unknownWorkload(String)
    /// An empty workload list.
    case noWorkloads

    /// What went wrong and what is accepted.
    public var description: String {
        switch self {
        case let .unknownWorkload(name):
            return "unknown workload '\(name)'; expected a comma-separated list of W1–W9, for example W1,W3"
        case .noWorkloads:
            return "no workload given; expected a comma-separated list of W1–W9, for example W1,W3"
        }
    }
}

/// Runs workloads by a timing plan and collects the report.
public struct BenchmarkSuite: Sendable {
    /// The workloads to run, in order.
    public var workloads: [Workload]
    /// How each is timed.
    public var plan: TimingPlan

    /// A suite of `workloads` (all by default) timed by `plan`.
    public init(workloads: [Workload] = Workload.allCases, plan: TimingPlan = .standard) {
        self.workloads = workloads
        self.plan = plan
    }

    /// Whether "W3.memory" or "W9.memory" is measured: only when W3 or W9 is the only
    /// workload, since the peak resident memory (``SystemInfo/peakResidentMegabytes``)
    /// belongs to the whole process.
    public var reportsMemory: Bool { workloads == [.w3] || workloads == [.w9] }

    /// Whether the plan is `--quick`'s (with any number of repeats): a smoke test.
    public var isQuick: Bool { plan == TimingPlan.quick.with(repeats: plan.repeats) }

    /// Runs every workload and returns the report, calling `didMeasure` as each result
    /// comes in (for progress output).
    public func run(didMeasure: (BenchmarkResult) -> Void = { _ in }) throws -> BenchmarkReport {
        let startLoad = SystemInfo.loadAverages
        var results: [BenchmarkResult] = []
        for workload in workloads {
            for result in try measure(workload) {
                results.append(result)
                didMeasure(result)
            }
        }
        let settings = BenchmarkReport.Settings(
            workloads: workloads.map(\.rawValue), repeats: plan.repeats, minimumRepeatSeconds: plan.minimumRepeatSeconds,
            quick: isQuick)
        var load: BenchmarkReport.LoadAverage?
        if let startLoad, let endLoad = SystemInfo.loadAverages { load = .init(start: startLoad, end: endLoad) }
        return BenchmarkReport(
            version: retrogradVersion, backend: matrixBackend, threads: SystemInfo.blasThreads,
            machine: SystemInfo.machine, results: results, settings: settings, loadAverage: load,
            date: ISO8601DateFormatter().string(from: Date()))
    }

    /// The results of one workload.
    public func measure(_ workload: Workload) throws -> [BenchmarkResult] {
        switch workload {
        case .w1: return try measureScalarChain()
        case .w2: return [try stepsPerSecond("W2", MLPTraining.w2())]
        case .w3:
            let steps = try stepsPerSecond("W3", MLPTraining.w3())
            guard reportsMemory else { return [steps] }
            return [steps, BenchmarkResult(id: "W3.memory", unit: .megabytes, samples: [SystemInfo.peakResidentMegabytes])]
        case .w4: return [try stepsPerSecond("W4", GradientPenaltyTraining())]
        case .w5: return [try stepsPerSecond("W5", DANNStepTraining())]
        case .w6: return measureMatrixProduct()
        case .w7: return try measureExpSum()
        case .w8: return try measureMoonsDANN()
        case .w9: return try measureDANNConvolution() + measureConvolutionLayer()
        }
    }

    private func measureScalarChain() throws -> [BenchmarkResult] {
        let chain = ScalarChain()
        let microseconds = { (seconds: [Double]) in seconds.map { $0 * 1e6 / Double(chain.opCount) } }
        let forward = measureSeconds(plan) { consume(chain.taped()) }
        let backward = try measureSeconds(plan) { consume(try chain.valueAndGradient()) }
        let untaped = measureSeconds(plan) { consume(chain.untaped()) }
        return [
            BenchmarkResult(id: "W1.forward", unit: .microsecondsPerOp, samples: microseconds(forward)),
            BenchmarkResult(id: "W1.backward", unit: .microsecondsPerOp, samples: microseconds(backward)),
            BenchmarkResult(id: "W1.untaped", unit: .microsecondsPerOp, samples: microseconds(untaped)),
        ]
    }

    private func stepsPerSecond(_ id: String, _ workload: some TrainingStep) throws -> BenchmarkResult {
        let seconds = try measureSeconds(plan) { consume(try workload.step()) }
        return BenchmarkResult(id: id, unit: .stepsPerSecond, samples: seconds.map { 1 / $0 })
    }

    private func measureMatrixProduct() -> [BenchmarkResult] {
        let product = MatrixProduct()
        let long = plan.forLongCalls
        let rate = { (seconds: [Double]) in seconds.map { product.flops / $0 / 1e9 } }
        let tensor = measureSeconds(long) { consume(product.viaTensor()) }
        let direct = measureSeconds(long) { product.viaBLAS() }
        // A BLAS's threads keep spinning and yielding for a while after a call (OpenBLAS:
        // about 0.1 s, longer than W6.fallback's warm-up and repeats together) and would
        // take the cores from the fallback's threads: let them go to sleep first.
        Thread.sleep(forTimeInterval: MatrixProduct.blasIdlePause)
        let fallback = measureSeconds(long) { product.viaFallback() }
        return [
            BenchmarkResult(id: "W6", unit: .gigaflopsPerSecond, samples: rate(tensor)),
            BenchmarkResult(id: "W6.blas-direct", unit: .gigaflopsPerSecond, samples: rate(direct)),
            BenchmarkResult(id: "W6.fallback", unit: .gigaflopsPerSecond, samples: rate(fallback)),
        ]
    }

    private func measureExpSum() throws -> [BenchmarkResult] {
        let function = ExpSum()
        let long = plan.forLongCalls
        let milliseconds = { (seconds: [Double]) in seconds.map { $0 * 1e3 } }
        let forward = measureSeconds(long) { consume(function.forward()) }
        let backward = try measureSeconds(long) { consume(try function.valueAndGradient()) }
        return [
            BenchmarkResult(id: "W7.forward", unit: .milliseconds, samples: milliseconds(forward)),
            BenchmarkResult(id: "W7.backward", unit: .milliseconds, samples: milliseconds(backward)),
        ]
    }
}

/// Keeps a value alive as far as the optimizer can tell, so timed work is not removed.
@inline(never)
func consume<T>(_ value: T) {
    withExtendedLifetime(value) {}
}
