/// Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight
/// decay, following PyTorch's `torch.optim.SGD` exactly.
///
/// For each variable θ with gradient g, at its t-th update (t = 1, 2, …), with
/// learning rate η, momentum μ, dampening τ and weight decay λ:
///
///     d = g + λ·θ                               (when λ ≠ 0)
///     b = d                                     (t = 1)
///     b = μ·b + (1 − τ)·d                       (t > 1)          (when μ ≠ 0)
///     d = d + μ·b   (Nesterov)   or   d = b     (otherwise)      (when μ ≠ 0)
///     θ = θ − η·d
///
/// Slots: `momentum` (the buffer b) when μ ≠ 0; none otherwise. The state keys are
/// `<name>/step` and, with momentum, `<name>/momentum`.
///
/// ## Keras
///
/// Keras' `SGD(momentum:nesterov:)` keeps a velocity v = μ·v − η·g and adds it
/// (Nesterov: adds μ·v − η·g). With a constant learning rate this is the same
/// trajectory as this class with τ = 0 (v = −η·b); when η changes, Keras' velocity
/// keeps the old rates inside it while here the new rate scales the whole buffer, so
/// the two differ. Keras' `weight_decay` is decoupled (θ −= η·λ·θ before the step),
/// not the L2 term added to the gradient here; use ``AdamW`` for decoupled decay.
public final class SGD: Optimizer {
    /// The momentum factor μ (0 for plain gradient descent).
    public let momentum: Double
    /// The dampening τ of the gradient added to the momentum buffer.
    public let dampening: Double
    /// Whether the step uses Nesterov momentum.
    public let nesterov: Bool
    /// The L2 penalty λ added to the gradient as λ·θ.
    public let weightDecay: Double

    /// Creates an SGD optimizer with PyTorch's defaults.
    ///
    /// - Parameters:
    ///   - learningRate: η; not negative.
    ///   - momentum: μ; not negative.
    ///   - dampening: τ; Nesterov momentum needs 0.
    ///   - nesterov: Pass `true` for Nesterov momentum (needs μ > 0 and τ = 0).
    ///   - weightDecay: λ; not negative.
    ///   - schedule: A schedule that replaces `learningRate`.
    public init(
        learningRate: Double, momentum: Double = 0, dampening: Double = 0, nesterov: Bool = false,
        weightDecay: Double = 0, schedule: (any LearningRateSchedule)? = nil
    ) {
        checkPrecondition(momentum >= 0, "SGD: momentum must not be negative, got \(momentum)")
        checkPrecondition(weightDecay >= 0, "SGD: weightDecay must not be negative, got \(weightDecay)")
        checkPrecondition(
            !nesterov || (momentum > 0 && dampening == 0),
            "SGD: Nesterov momentum needs momentum > 0 and dampening 0, got momentum \(momentum), dampening \(dampening)")
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        super.init(learningRate: learningRate, schedule: schedule, slots: momentum != 0 ? [OptimizerSlot("momentum")] : [])
    }

    /// Takes one step of the rule above for one variable, in one fused pass (`SGDStep`).
    override public func update(
        _ value: inout Tensor, gradient: Tensor, slots: inout [Tensor], stepCount: Int, learningRate: Double
    ) {
        let step = SGDStep(
            learningRate: learningRate, momentum: momentum, dampening: dampening, weightDecay: weightDecay,
            nesterov: nesterov, stepCount: stepCount)
        // Moved out of the array, so the buffer's storage is referenced once and updated in place.
        var buffer = slots.popLast()
        step.apply(to: &value, gradient: gradient, momentumBuffer: &buffer)
        if let buffer { slots.append(buffer) }
    }
}
