import Foundation

/// How W8 is timed, the same on every side (`Benchmarks/peers/moons_protocol.py`).
///
/// A warm-up epoch of 300 steps from the initial weights reads every loss (its mean goes
/// into the W8 note, so the frameworks' runs can be compared); then each of the plan's
/// repeats runs ``repeatSteps`` steps of the same training (``shortRepeatSteps`` with
/// `--quick`, or when the warm-up epoch took longer than ``slowEpochSeconds``). "W8" is
/// the median in µs per step, "W8.run-estimate" 150,000 times it in seconds, and "W8.run"
/// one real 150,000-step run from fresh initial weights, made unless the plan is quick
/// or the estimate exceeds ``fullRunBudgetSeconds``.
public enum MoonsDANNTiming {
    /// The steps of a timed repeat: 10 epochs.
    public static let repeatSteps = 3000
    /// The steps of a quick (or slow side's) repeat: one epoch.
    public static let shortRepeatSteps = MoonsDANNData.exampleCount
    /// A warm-up epoch longer than this makes the repeats one epoch long.
    public static let slowEpochSeconds = 1.0
    /// The longest full run the benchmark makes, in estimated seconds.
    public static let fullRunBudgetSeconds = 30.0
}

extension BenchmarkSuite {
    /// W8, W8.run-estimate and, when it fits, W8.run (see ``MoonsDANNTiming``).
    func measureMoonsDANN() throws -> [BenchmarkResult] {
        let data = MoonsDANNData()
        let training = MoonsDANNTraining(data: data)
        var firstEpochLoss = 0.0
        let epochSeconds = try elapsedSeconds {
            for _ in 0..<MoonsDANNData.exampleCount { firstEpochLoss += try training.step().scalar(as: Double.self) }
        }
        firstEpochLoss /= Double(MoonsDANNData.exampleCount)
        let short = isQuick || epochSeconds > MoonsDANNTiming.slowEpochSeconds
        let steps = short ? MoonsDANNTiming.shortRepeatSteps : MoonsDANNTiming.repeatSteps
        let microseconds = try (0..<plan.repeats).map { _ in
            try elapsedSeconds { try training.run(steps: steps) } * 1e6 / Double(steps)
        }
        let perStep = BenchmarkResult(
            id: "W8", unit: .microsecondsPerStep, samples: microseconds,
            note: String(
                format: "first epoch (300 steps from the initial weights): mean loss %.6f; %d repeats of %d steps",
                firstEpochLoss, plan.repeats, steps))
        let fullSteps = Double(MoonsDANNTraining.fullRunSteps)
        var estimate = BenchmarkResult(
            id: "W8.run-estimate", unit: .seconds, samples: microseconds.map { $0 * fullSteps / 1e6 },
            note: "150,000 × the W8 samples")
        if isQuick || estimate.value > MoonsDANNTiming.fullRunBudgetSeconds {
            let budget = Int(MoonsDANNTiming.fullRunBudgetSeconds)
            estimate.note! += isQuick ? "; no W8.run with --quick" : "; no W8.run: the estimate exceeds the \(budget) s budget"
            return [perStep, estimate]
        }
        let fresh = MoonsDANNTraining(data: data)
        let seconds = try elapsedSeconds { try fresh.run(steps: MoonsDANNTraining.fullRunSteps) }
        let run = BenchmarkResult(
            id: "W8.run", unit: .seconds, samples: [seconds], note: "one real 150,000-step run from fresh initial weights")
        return [perStep, estimate, run]
    }
}
