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
    /// The decay β₁ of the first-moment estimate.
    public var beta1: Double { moments.beta1 }
    /// The decay β₂ of the second-moment estimate.
    public var beta2: Double { moments.beta2 }
    /// The term ε added to the bias-corrected √v.
    public var epsilon: Double { moments.epsilon }
    /// The decoupled weight decay λ: each step multiplies θ by 1 − η·λ.
    public var weightDecay: Double { moments.weightDecay }
    /// Whether the step divides by the running maximum of v (AMSGrad).
    public var amsgrad: Bool { moments.amsgrad }

    private let moments: AdamMoments

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
        moments = AdamMoments(
            "AdamW", beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay, decoupled: true,
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
