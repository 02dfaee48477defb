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
    /// The learning rate η when there is no ``schedule``.
    public var learningRate: Double
    /// A schedule that decides η from ``iterations``; replaces ``learningRate`` when set.
    public var schedule: (any LearningRateSchedule)?
    /// The decay κ: a variable's t-th update uses η / (1 + (t − 1)·κ).
    public let learningRateDecay: Double
    /// The L2 penalty λ added to the gradient as λ·θ.
    public let weightDecay: Double
    /// The value every element of the accumulator starts from.
    public let initialAccumulatorValue: Double
    /// The term ε added to √S.
    public let epsilon: Double
    /// The number of ``apply(gradients:to:)`` calls so far.
    public var iterations: Int { table.iterations }

    private var table: SlotTable

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
        precondition(learningRate >= 0, "Adagrad: learningRate must not be negative, got \(learningRate)")
        precondition(learningRateDecay >= 0, "Adagrad: learningRateDecay must not be negative, got \(learningRateDecay)")
        precondition(weightDecay >= 0, "Adagrad: weightDecay must not be negative, got \(weightDecay)")
        precondition(
            initialAccumulatorValue >= 0,
            "Adagrad: initialAccumulatorValue must not be negative, got \(initialAccumulatorValue)")
        precondition(epsilon >= 0, "Adagrad: epsilon must not be negative, got \(epsilon)")
        self.learningRate = learningRate
        self.schedule = schedule
        self.learningRateDecay = learningRateDecay
        self.weightDecay = weightDecay
        self.initialAccumulatorValue = initialAccumulatorValue
        self.epsilon = epsilon
        self.table = SlotTable(optimizer: "Adagrad", slots: [("accumulator", initialAccumulatorValue)])
    }

    /// Takes one step; see the type's documentation for the rule.
    public func apply(gradients: [Tensor?], to variables: [Variable]) {
        let (lr, kappa, lambda, epsilon) = (currentLearningRate, learningRateDecay, weightDecay, epsilon)
        table.apply(gradients, to: variables) { theta, gradient, step, slots in
            let d = lambda != 0 ? gradient + theta * lambda : gradient
            let rate = lr / (1 + Double(step - 1) * kappa)
            let sum = slots[0] + d * d
            slots[0] = sum
            theta = theta - (d / (sum.sqrt() + epsilon)) * rate
        }
    }

    /// The state: `iterations`, and per variable `step` and `accumulator`.
    public func stateTensors(for variables: [Variable]) -> [String: Tensor] {
        table.stateTensors(for: variables)
    }

    /// Replaces the state, checking every entry first; see ``Optimizer/loadState(_:for:)``.
    public func loadState(_ state: [String: Tensor], for variables: [Variable]) throws {
        try table.loadState(state, for: variables)
    }
}
