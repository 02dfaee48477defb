/// Adagrad (Duchi et al., 2011) with optional learning-rate decay and L2 weight decay,
/// following PyTorch's `torch.optim.Adagrad` exactly.
///
/// For each variable θ with gradient g, at its t-th update (t = 1, 2, …), with
/// learning rate η, learning-rate decay κ, weight decay λ and the accumulator S starting
/// at `initialAccumulatorValue`:
///
///     d = g + λ·θ                                   (when λ ≠ 0)
///     η_t = η / (1 + (t − 1)·κ)
///     S = S + d²
///     θ = θ − η_t · d / (√S + ε)
///
/// Slot: `accumulator` (S, PyTorch's `sum`); keys `<name>/accumulator` and
/// `<name>/step`.
///
/// ## Keras
///
/// Keras' `Adagrad` defaults to η = 1e-3, an initial accumulator of 0.1 and ε = 1e-7,
/// and puts ε inside the root: θ −= η · d / √(S + ε); pass
/// `initialAccumulatorValue: 0.1` for its start. It has no learning-rate decay, and its
/// `weight_decay` is decoupled (θ −= η·λ·θ), not the L2 term above.
public final class Adagrad: Optimizer {
    /// The decay κ: a variable's t-th update uses η / (1 + (t − 1)·κ).
    public let learningRateDecay: Double
    /// The L2 penalty λ added to the gradient as λ·θ.
    public let weightDecay: Double
    /// The value every element of the accumulator starts from.
    public let initialAccumulatorValue: Double
    /// The term ε added to √S.
    public let epsilon: Double

    /// Creates an Adagrad optimizer with PyTorch's defaults.
    ///
    /// - Parameters:
    ///   - learningRate: η; not negative.
    ///   - learningRateDecay: κ; not negative.
    ///   - weightDecay: λ; not negative.
    ///   - initialAccumulatorValue: The start of S; not negative.
    ///   - epsilon: ε; not negative.
    ///   - schedule: A schedule that replaces `learningRate` (κ still applies on top).
    public init(
        learningRate: Double = 1e-2, learningRateDecay: Double = 0, weightDecay: Double = 0,
        initialAccumulatorValue: Double = 0, epsilon: Double = 1e-10, schedule: (any LearningRateSchedule)? = nil
    ) {
        checkPrecondition(learningRateDecay >= 0, "Adagrad: learningRateDecay must not be negative, got \(learningRateDecay)")
        checkPrecondition(weightDecay >= 0, "Adagrad: weightDecay must not be negative, got \(weightDecay)")
        checkPrecondition(
            initialAccumulatorValue >= 0,
            "Adagrad: initialAccumulatorValue must not be negative, got \(initialAccumulatorValue)")
        checkPrecondition(epsilon >= 0, "Adagrad: epsilon must not be negative, got \(epsilon)")
        self.learningRateDecay = learningRateDecay
        self.weightDecay = weightDecay
        self.initialAccumulatorValue = initialAccumulatorValue
        self.epsilon = epsilon
        super.init(
            learningRate: learningRate, schedule: schedule,
            slots: [OptimizerSlot("accumulator", initialValue: initialAccumulatorValue)])
    }

    /// Takes one step of the rule above for one variable, in one fused pass (`AdagradStep`).
    override public func update(
        _ value: inout Tensor, gradient: Tensor, slots: inout [Tensor], stepCount: Int, learningRate: Double
    ) {
        let step = AdagradStep(
            learningRate: learningRate, learningRateDecay: learningRateDecay, weightDecay: weightDecay, epsilon: epsilon,
            stepCount: stepCount)
        // Moved out of the array, so the accumulator's storage is referenced once and updated in place.
        var sum = slots.removeLast()
        step.apply(to: &value, gradient: gradient, accumulator: &sum)
        slots.append(sum)
    }
}
