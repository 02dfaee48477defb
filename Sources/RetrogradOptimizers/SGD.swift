import CRetrogradKernels

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
    /// The learning rate η when there is no ``schedule``.
    public var learningRate: Double
    /// A schedule that decides η from ``iterations``; replaces ``learningRate`` when set.
    public var schedule: (any LearningRateSchedule)?
    /// The momentum factor μ (0 for plain gradient descent).
    public let momentum: Double
    /// The dampening τ of the gradient added to the momentum buffer.
    public let dampening: Double
    /// Whether the step uses Nesterov momentum.
    public let nesterov: Bool
    /// The L2 penalty λ added to the gradient as λ·θ.
    public let weightDecay: Double
    /// The number of ``apply(gradients:to:)`` calls so far.
    public var iterations: Int { table.iterations }

    private var table: SlotTable

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
        precondition(learningRate >= 0, "SGD: learningRate must not be negative, got \(learningRate)")
        precondition(momentum >= 0, "SGD: momentum must not be negative, got \(momentum)")
        precondition(weightDecay >= 0, "SGD: weightDecay must not be negative, got \(weightDecay)")
        precondition(
            !nesterov || (momentum > 0 && dampening == 0),
            "SGD: Nesterov momentum needs momentum > 0 and dampening 0, got momentum \(momentum), dampening \(dampening)")
        self.learningRate = learningRate
        self.schedule = schedule
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        self.table = SlotTable(optimizer: "SGD", slots: momentum != 0 ? [("momentum", 0)] : [])
    }

    /// Takes one step; see the type's documentation for the rule.
    public func apply(gradients: [Tensor?], to variables: [Variable]) {
        let (lr, mu, tau, nesterov, lambda) = (currentLearningRate, momentum, dampening, nesterov, weightDecay)
        table.apply(gradients, to: variables) { theta, gradient, step, slots in
            sgdUpdate(
                theta: &theta, gradient: gradient, slots: &slots,
                rg_sgd_step(
                    learning_rate: lr, momentum: mu, dampening: tau, weight_decay: lambda, nesterov: nesterov ? 1 : 0,
                    first_step: step == 1 ? 1 : 0))
        }
    }

    /// The state: `iterations`, `<name>/step` and, with momentum, `<name>/momentum`.
    public func stateTensors(for variables: [Variable]) -> [String: Tensor] {
        table.stateTensors(for: variables)
    }

    /// Replaces the state, checking every entry first; see ``Optimizer/loadState(_:for:)``.
    public func loadState(_ state: [String: Tensor], for variables: [Variable]) throws {
        try table.loadState(state, for: variables)
    }
}
