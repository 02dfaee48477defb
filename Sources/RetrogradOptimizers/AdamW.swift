/// Adam with decoupled weight decay (Loshchilov & Hutter, 2019), following PyTorch's
/// `torch.optim.AdamW` exactly.
///
/// For each variable θ with gradient g, at its t-th update (t = 1, 2, …), with
/// learning rate η (the scheduled rate, when there is a schedule) and weight decay λ:
///
///     θ = θ · (1 − η·λ)                             (decay, not part of the gradient)
///     m = β₁·m + (1 − β₁)·g
///     v = β₂·v + (1 − β₂)·g²
///     u = max(u, v)                                 (AMSGrad; u starts at 0)
///     θ = θ − (η / (1 − β₁ᵗ)) · m / (√s / √(1 − β₂ᵗ) + ε),   s = u with AMSGrad, v otherwise
///
/// The decay is η·λ, as in PyTorch and Keras, not the paper's schedule multiplier times
/// λ. Slots and keys are those of ``Adam``: `firstMoment`, `secondMoment` and, with
/// AMSGrad, `maxSecondMoment`.
///
/// ## Keras
///
/// Keras' `AdamW` (and `Adam(weight_decay:)`) decays the same way, θ −= η·λ·θ, but
/// uses its epsilon-hat form of the step (see ``Adam``) and defaults to λ = 0.004 and
/// ε̂ = 1e-7.
public final class AdamW: Optimizer {
    /// The learning rate η when there is no ``schedule``.
    public var learningRate: Double
    /// A schedule that decides η from ``iterations``; replaces ``learningRate`` when set.
    public var schedule: (any LearningRateSchedule)?
    /// The decay β₁ of the first-moment estimate.
    public let beta1: Double
    /// The decay β₂ of the second-moment estimate.
    public let beta2: Double
    /// The term ε added to the bias-corrected √v.
    public let epsilon: Double
    /// The decoupled weight decay λ: each step multiplies θ by 1 − η·λ.
    public let weightDecay: Double
    /// Whether the step divides by the running maximum of v (AMSGrad).
    public let amsgrad: Bool
    /// The number of ``apply(gradients:to:)`` calls so far.
    public var iterations: Int { table.iterations }

    private var table: SlotTable

    /// Creates an AdamW optimizer with PyTorch's defaults.
    ///
    /// - Parameters:
    ///   - learningRate: η; not negative.
    ///   - beta1: β₁, in [0, 1).
    ///   - beta2: β₂, in [0, 1).
    ///   - epsilon: ε; not negative.
    ///   - weightDecay: λ, decoupled from the gradient; not negative.
    ///   - amsgrad: Pass `true` for AMSGrad.
    ///   - schedule: A schedule that replaces `learningRate`.
    public init(
        learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
        weightDecay: Double = 1e-2, amsgrad: Bool = false, schedule: (any LearningRateSchedule)? = nil
    ) {
        AdamRule.check("AdamW", learningRate, beta1, beta2, epsilon, weightDecay)
        self.learningRate = learningRate
        self.schedule = schedule
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.amsgrad = amsgrad
        self.table = SlotTable(optimizer: "AdamW", slots: AdamRule.slots(amsgrad: amsgrad))
    }

    /// Takes one step; see the type's documentation for the rule.
    public func apply(gradients: [Tensor?], to variables: [Variable]) {
        let lr = currentLearningRate
        let rule = AdamRule(learningRate: lr, beta1: beta1, beta2: beta2, epsilon: epsilon)
        let decay = 1 - lr * weightDecay
        table.apply(gradients, to: variables) { theta, gradient, step, slots in
            adamUpdate(theta: &theta, gradient: gradient, slots: &slots, rule.constants(step: step, decoupledFactor: decay))
        }
    }

    /// The state: `iterations`, and per variable `step`, `firstMoment`, `secondMoment`
    /// and, with AMSGrad, `maxSecondMoment`.
    public func stateTensors(for variables: [Variable]) -> [String: Tensor] {
        table.stateTensors(for: variables)
    }

    /// Replaces the state, checking every entry first; see ``Optimizer/loadState(_:for:)``.
    public func loadState(_ state: [String: Tensor], for variables: [Variable]) throws {
        try table.loadState(state, for: variables)
    }
}
