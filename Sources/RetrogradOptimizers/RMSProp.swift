/// RMSProp (Hinton, 2012) with optional L2 weight decay, momentum and centering,
/// following PyTorch's `torch.optim.RMSprop` exactly.
///
/// For each variable θ with gradient g, with learning rate η, smoothing α, weight
/// decay λ and momentum μ, all slots starting at 0:
///
///     d = g + λ·θ                                   (when λ ≠ 0)
///     s = α·s + (1 − α)·d²
///     a = α·a + (1 − α)·d                           (centered)
///     r = √(s − a²) + ε   (centered)   or   r = √s + ε   (otherwise)
///     b = μ·b + d / r,    θ = θ − η·b               (when μ > 0)
///     θ = θ − η · d / r                             (otherwise)
///
/// Slots: `squareAverage` (s, PyTorch's `square_avg`), `gradientAverage` (a,
/// `grad_avg`) when centered, `momentum` (b, `momentum_buffer`) when μ > 0; keys
/// `<name>/<slot>` and `<name>/step`.
///
/// ## Keras
///
/// Keras' `RMSprop` defaults to ρ = 0.9 (PyTorch's α = 0.99), η = 1e-3 and ε = 1e-7, and
/// puts ε inside the root, r = √(s + ε) (centered: √(s − a² + ε)); pass `alpha: 0.9` for
/// its smoothing. Its momentum keeps η inside the buffer (b = μ·b + η·d / r, θ −= b),
/// which matches this rule while η is constant. Its `weight_decay` is decoupled
/// (θ −= η·λ·θ), not the L2 term above.
public final class RMSProp: Optimizer {
    /// The smoothing α of the running average of squared gradients (Keras' ρ).
    public let alpha: Double
    /// The term ε added to the root.
    public let epsilon: Double
    /// The L2 penalty λ added to the gradient as λ·θ.
    public let weightDecay: Double
    /// The momentum factor μ (0 for none).
    public let momentum: Double
    /// Whether the squared average is centered by the square of the mean gradient.
    public let centered: Bool

    /// Creates an RMSProp optimizer with PyTorch's defaults.
    ///
    /// - Parameters:
    ///   - learningRate: η; not negative.
    ///   - alpha: α; not negative.
    ///   - epsilon: ε; not negative.
    ///   - weightDecay: λ; not negative.
    ///   - momentum: μ; not negative.
    ///   - centered: Pass `true` to divide by an estimate of the gradient's variance.
    ///   - schedule: A schedule that replaces `learningRate`.
    public init(
        learningRate: Double = 1e-2, alpha: Double = 0.99, epsilon: Double = 1e-8, weightDecay: Double = 0,
        momentum: Double = 0, centered: Bool = false, schedule: (any LearningRateSchedule)? = nil
    ) {
        checkPrecondition(alpha >= 0, "RMSProp: alpha must not be negative, got \(alpha)")
        checkPrecondition(epsilon >= 0, "RMSProp: epsilon must not be negative, got \(epsilon)")
        checkPrecondition(weightDecay >= 0, "RMSProp: weightDecay must not be negative, got \(weightDecay)")
        checkPrecondition(momentum >= 0, "RMSProp: momentum must not be negative, got \(momentum)")
        self.alpha = alpha
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.momentum = momentum
        self.centered = centered
        var slots = [OptimizerSlot("squareAverage")]
        if centered { slots.append(OptimizerSlot("gradientAverage")) }
        if momentum > 0 { slots.append(OptimizerSlot("momentum")) }
        super.init(learningRate: learningRate, schedule: schedule, slots: slots)
    }

    /// Takes one step of the rule above for one variable, in one fused pass (`RMSPropStep`).
    override public func update(
        _ value: inout Tensor, gradient: Tensor, slots: inout [Tensor], stepCount: Int, learningRate: Double
    ) {
        let step = RMSPropStep(
            learningRate: learningRate, alpha: alpha, epsilon: epsilon, weightDecay: weightDecay, momentum: momentum,
            centered: centered)
        // Moved out of the array, so each slot's storage is referenced once and updated in place.
        var buffer = momentum > 0 ? slots.popLast() : nil
        var average = centered ? slots.popLast() : nil
        var square = slots.removeLast()
        step.apply(
            to: &value, gradient: gradient, squareAverage: &square, gradientAverage: &average, momentumBuffer: &buffer)
        slots.append(square)
        if let average { slots.append(average) }
        if let buffer { slots.append(buffer) }
    }
}
