/// How a workload is timed: warm-up, then `repeats` timed repeats, each running the
/// workload often enough to last at least `minimumRepeatSeconds`.
public struct TimingPlan: Equatable, Sendable {
    /// Warm-up runs at least this many iterations…
    public var warmupIterations: Int
    /// …and for at least this long.
    public var warmupSeconds: Double
    /// The number of timed repeats (samples).
    public var repeats: Int
    /// Each repeat runs whole iterations until it lasts at least this long (the count is
    /// fixed after warm-up, so every repeat runs the same number).
    public var minimumRepeatSeconds: Double

    /// Creates a plan.
    public init(warmupIterations: Int, warmupSeconds: Double, repeats: Int, minimumRepeatSeconds: Double) {
        precondition(warmupIterations >= 0 && warmupSeconds >= 0, "TimingPlan: warm-up must not be negative")
        precondition(repeats > 0, "TimingPlan: repeats must be positive, got \(repeats)")
        self.warmupIterations = warmupIterations
        self.warmupSeconds = warmupSeconds
        self.repeats = repeats
        self.minimumRepeatSeconds = minimumRepeatSeconds
    }

    /// Stable medians: 20 warm-up steps and 0.5 s, 10 repeats of at least 0.2 s each.
    public static let standard = TimingPlan(warmupIterations: 20, warmupSeconds: 0.5, repeats: 10, minimumRepeatSeconds: 0.2)

    /// A few seconds for the whole suite: 3 warm-up steps, 3 repeats of at least 0.05 s.
    public static let quick = TimingPlan(warmupIterations: 3, warmupSeconds: 0.05, repeats: 3, minimumRepeatSeconds: 0.05)

    /// The plan for workloads whose single call is long (a 1024³ product, 16M elements):
    /// one call per repeat, two warm-up calls (one in a quick plan).
    public var forLongCalls: TimingPlan {
        TimingPlan(
            warmupIterations: warmupIterations >= 10 ? 2 : 1, warmupSeconds: 0, repeats: repeats,
            minimumRepeatSeconds: 0)
    }

    /// This plan with `repeats` replaced.
    public func with(repeats: Int) -> TimingPlan {
        TimingPlan(
            warmupIterations: warmupIterations, warmupSeconds: warmupSeconds, repeats: repeats,
            minimumRepeatSeconds: minimumRepeatSeconds)
    }
}

/// Times `body` by `plan` and returns the seconds per iteration of each repeat.
///
/// The clock is `ContinuousClock` (monotonic). The iterations per repeat are chosen from
/// the second half of the warm-up, so a slow first call (allocation, BLAS thread start-up)
/// does not shorten the repeats.
public func measureSeconds(_ plan: TimingPlan, _ body: () throws -> Void) rethrows -> [Double] {
    var warmupTimes: [Double] = []
    var warmupTotal = 0.0
    while warmupTimes.count < max(plan.warmupIterations, 1) || warmupTotal < plan.warmupSeconds {
        let time = try elapsedSeconds(body)
        warmupTimes.append(time)
        warmupTotal += time
    }
    let recent = warmupTimes.suffix(max(1, warmupTimes.count / 2))
    let estimate = max(recent.reduce(0, +) / Double(recent.count), 1e-9)
    let iterations = max(1, Int((plan.minimumRepeatSeconds / estimate).rounded(.up)))
    return try (0..<plan.repeats).map { _ in
        try elapsedSeconds { for _ in 0..<iterations { try body() } } / Double(iterations)
    }
}

/// The wall-clock seconds `body` takes, on the monotonic `ContinuousClock`.
public func elapsedSeconds(_ body: () throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    try body()
    let duration = clock.now - start
    let (seconds, attoseconds) = duration.components
    return Double(seconds) + Double(attoseconds) * 1e-18
}

/// The median of `values` (the mean of the two middle values for an even count).
public func median(_ values: [Double]) -> Double {
    precondition(!values.isEmpty, "median: no values")
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
