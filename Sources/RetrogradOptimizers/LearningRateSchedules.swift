/// A learning rate that changes with the optimizer's step count.
///
/// An optimizer made with a schedule asks it for the rate before every
/// ``Optimizer/apply(gradients:to:)``, passing its ``Optimizer/iterations``: 0 on the
/// first call, 1 on the second, and so on (as Keras passes `optimizer.iterations`).
/// The schedule's rate replaces the optimizer's ``Optimizer/learningRate``.
///
/// ```swift
/// let optimizer = SGD(learningRate: 0.01, momentum: 0.9,
///                     schedule: AnnealingSchedule(initial: 0.01, totalSteps: 10_000))
/// ```
public protocol LearningRateSchedule {
    /// The learning rate for the update taken at `step` (0 for the first update).
    func learningRate(atStep step: Int) -> Double
}

/// The same learning rate at every step.
public struct ConstantSchedule: LearningRateSchedule, Sendable, Equatable {
    /// The rate returned at every step.
    public var rate: Double

    /// Creates a schedule that always returns `rate`.
    public init(_ rate: Double) { self.rate = rate }

    /// Returns ``rate`` whatever the step.
    public func learningRate(atStep step: Int) -> Double { rate }
}

/// A rate multiplied by `factor` every `stepSize` steps (PyTorch's `StepLR`):
///
///     lr(t) = initial · factor^⌊t / stepSize⌋
public struct StepDecay: LearningRateSchedule, Sendable, Equatable {
    /// The rate at step 0.
    public var initial: Double
    /// The number of steps between decays; positive.
    public var stepSize: Int
    /// The multiplier applied at each decay (PyTorch's `gamma`).
    public var factor: Double

    /// Creates a step decay; `stepSize` must be positive.
    public init(initial: Double, stepSize: Int, factor: Double = 0.1) {
        checkPrecondition(stepSize > 0, "StepDecay: stepSize must be positive, got \(stepSize)")
        self.initial = initial
        self.stepSize = stepSize
        self.factor = factor
    }

    /// initial · factor^⌊step / stepSize⌋.
    public func learningRate(atStep step: Int) -> Double {
        initial * power(factor, Double(Swift.max(step, 0) / stepSize))
    }
}

/// A rate that shrinks smoothly by `decayRate` every `decaySteps` steps (Keras'
/// `ExponentialDecay` with `staircase: false`):
///
///     lr(t) = initial · decayRate^(t / decaySteps)
///
/// With `decaySteps == 1` this is PyTorch's `ExponentialLR` with `gamma = decayRate`.
/// Pass `staircase: true` for Keras' staircase form, decayRate^⌊t / decaySteps⌋.
public struct ExponentialDecay: LearningRateSchedule, Sendable, Equatable {
    /// The rate at step 0.
    public var initial: Double
    /// The factor the rate is multiplied by over `decaySteps` steps.
    public var decayRate: Double
    /// The number of steps over which the rate is multiplied by `decayRate`; positive.
    public var decaySteps: Int
    /// Whether the exponent is rounded down to a whole number of periods.
    public var staircase: Bool

    /// Creates an exponential decay; `decaySteps` must be positive.
    public init(initial: Double, decayRate: Double, decaySteps: Int, staircase: Bool = false) {
        checkPrecondition(decaySteps > 0, "ExponentialDecay: decaySteps must be positive, got \(decaySteps)")
        self.initial = initial
        self.decayRate = decayRate
        self.decaySteps = decaySteps
        self.staircase = staircase
    }

    /// initial · decayRate^(step / decaySteps), the exponent floored when `staircase`.
    public func learningRate(atStep step: Int) -> Double {
        let periods = Double(Swift.max(step, 0)) / Double(decaySteps)
        return initial * power(decayRate, staircase ? periods.rounded(.down) : periods)
    }
}

/// Half a cosine from `initial` down to `minimum` over `totalSteps` steps, then
/// `minimum` (Keras' `CosineDecay` with `alpha = minimum / initial`; PyTorch's
/// `CosineAnnealingLR` closed form with `T_max = totalSteps`, `eta_min = minimum`, up to
/// `totalSteps`):
///
///     lr(t) = minimum + (initial − minimum) · (1 + cos(π · min(t, T) / T)) / 2,   T = totalSteps
///
/// After `totalSteps` the rate stays at `minimum`, as in Keras; PyTorch's closed form
/// would rise again.
public struct CosineDecay: LearningRateSchedule, Sendable, Equatable {
    /// The rate at step 0.
    public var initial: Double
    /// The number of steps the decay takes; positive.
    public var totalSteps: Int
    /// The rate from `totalSteps` on.
    public var minimum: Double

    /// Creates a cosine decay; `totalSteps` must be positive.
    public init(initial: Double, totalSteps: Int, minimum: Double = 0) {
        checkPrecondition(totalSteps > 0, "CosineDecay: totalSteps must be positive, got \(totalSteps)")
        self.initial = initial
        self.totalSteps = totalSteps
        self.minimum = minimum
    }

    /// minimum + (initial − minimum) · (1 + cos(π · min(step, totalSteps) / totalSteps)) / 2.
    public func learningRate(atStep step: Int) -> Double {
        minimum + (initial - minimum) * (1 + cosine(Double.pi * completedFraction(step, of: totalSteps))) / 2
    }
}

/// The learning-rate annealing of domain-adversarial training (Ganin et al., 2016):
///
///     μ(t) = initial / (1 + alpha · p)^beta,   p = clamp(t / totalSteps, 0, 1)
///
/// With the paper's alpha = 10 and beta = 0.75 the rate falls from μ₀ to μ₀ / 11^0.75
/// (about μ₀ / 6) at the end of training, and stays there after `totalSteps`.
public struct AnnealingSchedule: LearningRateSchedule, Sendable, Equatable {
    /// The rate at step 0 (μ₀).
    public var initial: Double
    /// How fast the rate falls with progress (α).
    public var alpha: Double
    /// The power of the decay (β).
    public var beta: Double
    /// The number of steps that make up the whole of training (p = 1); positive.
    public var totalSteps: Int

    /// Creates the annealing schedule; `totalSteps` must be positive.
    public init(initial: Double, alpha: Double = 10, beta: Double = 0.75, totalSteps: Int) {
        checkPrecondition(totalSteps > 0, "AnnealingSchedule: totalSteps must be positive, got \(totalSteps)")
        self.initial = initial
        self.alpha = alpha
        self.beta = beta
        self.totalSteps = totalSteps
    }

    /// The training progress p = clamp(step / totalSteps, 0, 1).
    public func progress(atStep step: Int) -> Double {
        Swift.min(Swift.max(Double(step) / Double(totalSteps), 0), 1)
    }

    /// initial / (1 + alpha · p)^beta.
    public func learningRate(atStep step: Int) -> Double {
        initial / power(1 + alpha * progress(atStep: step), beta)
    }
}
