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
    /// The decay β₁ of the first-moment estimate.
    public var beta1: Double { moments.beta1 }
    /// The decay β₂ of the second-moment estimate.
    public var beta2: Double { moments.beta2 }
    /// The term ε added to the bias-corrected √v.
    public var epsilon: Double { moments.epsilon }
    /// The L2 penalty λ added to the gradient as λ·θ.
    public var weightDecay: Double { moments.weightDecay }
    /// Whether the step divides by the running maximum of v (AMSGrad).
    public var amsgrad: Bool { moments.amsgrad }

    private let moments: AdamMoments

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
        moments = AdamMoments(
            "Adam", beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay, decoupled: false,
            amsgrad: amsgrad)
        super.init(learningRate: learningRate, schedule: schedule, slots: moments.slots)
    }

    /// Takes one step of the rule above for one variable, in one fused pass (`AdamStep`).
    override public func update(
        _ value: inout Tensor, gradient: Tensor, slots: inout [Tensor], stepCount: Int, learningRate: Double
    ) {
        moments.update(&value, gradient, &slots, stepCount: stepCount, learningRate: learningRate)
    }
}

/// What ``Adam`` and ``AdamW`` share: the hyper-parameters and their checks, the slots,
/// and the moment update. The two differ only in how λ enters the step.
struct AdamMoments {
    let beta1: Double, beta2: Double, epsilon: Double, weightDecay: Double
    /// Whether λ scales θ before the step (AdamW) instead of adding λ·θ to the gradient (Adam).
    let decoupled: Bool
    let amsgrad: Bool

    /// Checks the hyper-parameters, stopping with a message that names `optimizer`.
    init(
        _ optimizer: String, beta1: Double, beta2: Double, epsilon: Double, weightDecay: Double, decoupled: Bool,
        amsgrad: Bool
    ) {
        checkPrecondition(beta1 >= 0 && beta1 < 1, "\(optimizer): beta1 must be in [0, 1), got \(beta1)")
        checkPrecondition(beta2 >= 0 && beta2 < 1, "\(optimizer): beta2 must be in [0, 1), got \(beta2)")
        checkPrecondition(epsilon >= 0, "\(optimizer): epsilon must not be negative, got \(epsilon)")
        checkPrecondition(weightDecay >= 0, "\(optimizer): weightDecay must not be negative, got \(weightDecay)")
        (self.beta1, self.beta2, self.epsilon, self.weightDecay) = (beta1, beta2, epsilon, weightDecay)
        (self.decoupled, self.amsgrad) = (decoupled, amsgrad)
    }

    /// `firstMoment`, `secondMoment` and, with AMSGrad, `maxSecondMoment`, all from 0.
    var slots: [OptimizerSlot] {
        [OptimizerSlot("firstMoment"), OptimizerSlot("secondMoment")] + (amsgrad ? [OptimizerSlot("maxSecondMoment")] : [])
    }

    /// One fused step on `value` and the moments in `slots` (laid out as ``slots``).
    func update(_ value: inout Tensor, _ gradient: Tensor, _ slots: inout [Tensor], stepCount: Int, learningRate: Double) {
        let step = AdamStep(
            learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
            weightDecay: decoupled ? 0 : weightDecay, decoupledWeightDecay: decoupled ? weightDecay : 0,
            amsgrad: amsgrad, stepCount: stepCount)
        // Moved out of the array, so each moment's storage is referenced once and updated in place.
        var maximum = amsgrad ? slots.popLast() : nil
        var second = slots.removeLast(), first = slots.removeLast()
        step.apply(to: &value, gradient: gradient, firstMoment: &first, secondMoment: &second, maxSecondMoment: &maximum)
        slots.append(first)
        slots.append(second)
        if let maximum { slots.append(maximum) }
    }
}
