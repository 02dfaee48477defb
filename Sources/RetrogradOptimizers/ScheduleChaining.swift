// Warm-up and chaining: a straight line from one rate to another, and schedules run one
// after another, each restarting its own step count at its milestone (PyTorch's
// `SequentialLR`; Keras' `CosineDecay(warmup_steps:)` counts its decay the same way).

/// A rate that moves in a straight line from `start` to `target` over `steps` steps, then
/// stays at `target`:
///
///     lr(t) = start + (target − start) · min(t, steps) / steps
///
/// This is PyTorch's `LinearLR` (with `start = start_factor · base`, `target =
/// end_factor · base`, `steps = total_iters`) and the warm-up of Keras' `CosineDecay`
/// (`initial_learning_rate` to `warmup_target` over `warmup_steps`). With `start = 0` the
/// first update has rate 0; start from `target / steps` to make every step count. Put it
/// first in a ``SequentialSchedule`` to warm up before another schedule.
public struct LinearWarmup: LearningRateSchedule, Sendable, Equatable {
    /// The rate at step 0.
    public var start: Double
    /// The rate from `steps` on.
    public var target: Double
    /// The number of steps the line takes; positive.
    public var steps: Int

    /// Creates a linear warm-up (or, with `target < start`, a linear decay); `steps` must be
    /// positive.
    public init(from start: Double = 0, to target: Double, steps: Int) {
        checkPrecondition(steps > 0, "LinearWarmup: steps must be positive, got \(steps)")
        self.start = start
        self.target = target
        self.steps = steps
    }

    /// start + (target − start) · min(step, steps) / steps.
    public func learningRate(atStep step: Int) -> Double {
        start + (target - start) * completedFraction(step, of: steps)
    }
}

/// Schedules that take turns: the first until the first milestone, the second until the
/// next, and so on (PyTorch's `SequentialLR`).
///
/// Each schedule counts its own steps from 0: at optimizer step t, the schedule whose turn
/// it is (the one after the last milestone mᵢ ≤ t) is asked for step t − mᵢ, and the first
/// schedule for step t. So a schedule that follows a warm-up runs as if training started
/// when the warm-up ended:
///
/// ```swift
/// // 500 steps from 0 up to 0.1, then a cosine decay from 0.1 over the next 9,500 steps.
/// let schedule = SequentialSchedule(
///     [LinearWarmup(from: 0, to: 0.1, steps: 500), CosineDecay(initial: 0.1, totalSteps: 9_500)],
///     milestones: [500])
/// let optimizer = SGD(learningRate: 0.1, momentum: 0.9, schedule: schedule)
/// ```
///
/// At step 500 the cosine decay is asked for its step 0 (rate 0.1), at step 600 for its
/// step 100. The last schedule runs for ever after the last milestone.
public struct SequentialSchedule: LearningRateSchedule {
    /// The schedules, in the order they take over.
    public let schedules: [any LearningRateSchedule]
    /// The steps at which each schedule after the first takes over, increasing.
    public let milestones: [Int]

    /// Chains `schedules`, switching to `schedules[i + 1]` at step `milestones[i]`.
    ///
    /// There must be at least one schedule and one milestone fewer than schedules, each
    /// milestone positive and larger than the one before.
    public init(_ schedules: [any LearningRateSchedule], milestones: [Int]) {
        checkPrecondition(
            !schedules.isEmpty && milestones.count == schedules.count - 1,
            "SequentialSchedule: \(schedules.count) schedules need \(Swift.max(schedules.count - 1, 0)) milestones "
                + "(the steps where the next one takes over), got \(milestones.count); pass at least one schedule")
        checkPrecondition(
            zip([0] + milestones, milestones).allSatisfy { $0 < $1 },
            "SequentialSchedule: milestones must be positive and increasing, got \(milestones)")
        self.schedules = schedules
        self.milestones = milestones
    }

    /// The rate of the schedule whose turn it is, at its own step count.
    public func learningRate(atStep step: Int) -> Double {
        let turn = milestones.firstIndex { step < $0 } ?? milestones.count
        let start = turn == 0 ? 0 : milestones[turn - 1]
        return schedules[turn].learningRate(atStep: step - start)
    }
}
