import CRetrogradKernels

/// Adam (Kingma & Ba, 2015) with optional L2 weight decay and AMSGrad, following
/// PyTorch's `torch.optim.Adam` exactly.
///
/// For each variable θ with gradient g, at its t-th update (t = 1, 2, …), with
/// learning rate η, weight decay λ and moments m, v starting at 0:
///
///     d = g + λ·θ                                   (when λ ≠ 0: L2, coupled)
///     m = β₁·m + (1 − β₁)·d
///     v = β₂·v + (1 − β₂)·d²
///     u = max(u, v)                                 (AMSGrad; u starts at 0)
///     θ = θ − (η / (1 − β₁ᵗ)) · m / (√s / √(1 − β₂ᵗ) + ε),   s = u with AMSGrad, v otherwise
///
/// t is the variable's own step count, so a variable that got `nil` gradients so far
/// still takes a bias-corrected first step.
///
/// Slots: `firstMoment` (m, PyTorch's `exp_avg`), `secondMoment` (v, `exp_avg_sq`) and,
/// with AMSGrad, `maxSecondMoment` (u, `max_exp_avg_sq`); keys `<name>/<slot>` and
/// `<name>/step`.
///
/// ## Keras
///
/// Keras' Adam (default ε̂ = 1e-7) puts its epsilon "hat" outside the bias correction:
///
///     η_t = η · √(1 − β₂ᵗ) / (1 − β₁ᵗ),   θ = θ − η_t · m / (√v + ε̂)
///
/// which is this rule with ε = ε̂ / √(1 − β₂ᵗ), an epsilon that shrinks as t grows; no
/// constant ε reproduces it exactly, and the two agree to within O(ε) once √v̂ ≫ ε. Keras'
/// `weight_decay` is decoupled: Keras `Adam(weight_decay: λ)` is ``AdamW``.
public final class Adam: Optimizer {
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
    /// The L2 penalty λ added to the gradient as λ·θ.
    public let weightDecay: Double
    /// Whether the step divides by the running maximum of v (AMSGrad).
    public let amsgrad: Bool
    /// The number of ``apply(gradients:to:)`` calls so far.
    public var iterations: Int { table.iterations }

    private var table: SlotTable

    /// Creates an Adam optimizer with PyTorch's defaults.
    ///
    /// - Parameters:
    ///   - learningRate: η; not negative.
    ///   - beta1: β₁, in [0, 1).
    ///   - beta2: β₂, in [0, 1).
    ///   - epsilon: ε; not negative.
    ///   - weightDecay: λ, added to the gradient (L2); not negative.
    ///   - amsgrad: Pass `true` for AMSGrad.
    ///   - schedule: A schedule that replaces `learningRate`.
    public init(
        learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
        weightDecay: Double = 0, amsgrad: Bool = false, schedule: (any LearningRateSchedule)? = nil
    ) {
        AdamRule.check("Adam", learningRate, beta1, beta2, epsilon, weightDecay)
        self.learningRate = learningRate
        self.schedule = schedule
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.amsgrad = amsgrad
        self.table = SlotTable(optimizer: "Adam", slots: AdamRule.slots(amsgrad: amsgrad))
    }

    /// Takes one step; see the type's documentation for the rule.
    public func apply(gradients: [Tensor?], to variables: [Variable]) {
        let rule = AdamRule(learningRate: currentLearningRate, beta1: beta1, beta2: beta2, epsilon: epsilon)
        let lambda = weightDecay
        table.apply(gradients, to: variables) { theta, gradient, step, slots in
            adamUpdate(theta: &theta, gradient: gradient, slots: &slots, rule.constants(step: step, coupledDecay: lambda))
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

/// The Adam moment update and step shared by ``Adam`` and ``AdamW``.
struct AdamRule {
    var learningRate: Double
    var beta1: Double
    var beta2: Double
    var epsilon: Double

    static func slots(amsgrad: Bool) -> [(name: String, initialValue: Double)] {
        [("firstMoment", 0), ("secondMoment", 0)] + (amsgrad ? [("maxSecondMoment", 0)] : [])
    }

    static func check(
        _ name: String, _ learningRate: Double, _ beta1: Double, _ beta2: Double, _ epsilon: Double,
        _ weightDecay: Double
    ) {
        precondition(learningRate >= 0, "\(name): learningRate must not be negative, got \(learningRate)")
        precondition(beta1 >= 0 && beta1 < 1, "\(name): beta1 must be in [0, 1), got \(beta1)")
        precondition(beta2 >= 0 && beta2 < 1, "\(name): beta2 must be in [0, 1), got \(beta2)")
        precondition(epsilon >= 0, "\(name): epsilon must not be negative, got \(epsilon)")
        precondition(weightDecay >= 0, "\(name): weightDecay must not be negative, got \(weightDecay)")
    }

    /// The constants of step `t` (1-based): PyTorch's bias corrections, and the decay.
    func constants(step t: Int, coupledDecay: Double = 0, decoupledFactor: Double = 1) -> rg_adam_step {
        rg_adam_step(
            beta1: beta1, beta2: beta2, epsilon: epsilon,
            step_size: learningRate / (1 - power(beta1, Double(t))),
            bias_correction2_root: (1 - power(beta2, Double(t))).squareRoot(),
            coupled_decay: coupledDecay, decoupled_factor: decoupledFactor)
    }
}
