/// Updates variables from their gradients, keeping per-variable state between steps.
///
/// Hand an optimizer the list of gradients a tape returned together with the variables
/// it is aligned with:
///
/// ```swift
/// let tape = GradientTape()
/// let loss = tape.record { lossFunction(model) }
/// let grads = try tape.gradient(of: loss, wrt: model.trainableVariables)
/// optimizer.apply(gradients: grads, to: model.trainableVariables)
/// ```
///
/// `Optimizer` is the base class of ``SGD``, ``Adam``, ``AdamW``, ``RMSProp`` and
/// ``Adagrad``. It owns what they share: the learning rate and ``schedule``,
/// ``iterations``, the checks and the loop of ``apply(gradients:to:)``, each variable's
/// step count and slots, and saving and loading them. A subclass declares its slots and
/// overrides ``update(_:gradient:slots:stepCount:learningRate:)`` (see *Writing an
/// optimizer*).
///
/// ## Conventions
///
/// - A `nil` gradient (a variable the loss does not reach) leaves its variable *and* its
///   optimizer state untouched: its moment estimates do not decay and its own step count
///   does not advance, so its first real update is a first step (PyTorch skips
///   parameters whose `.grad` is `None` the same way). A variable that is not
///   `Variable.trainable` is skipped like a `nil` gradient. With
///   `GradientDiagnostics.warnsOnMissingGradients` on, the optimizer prints why a
///   trainable variable got `nil`, once per variable.
/// - Every variable keeps its own step count t, used for bias corrections and
///   Adagrad's decay. The optimizer also counts its ``apply(gradients:to:)`` calls in
///   ``iterations``; a ``LearningRateSchedule`` is consulted with that count.
/// - Updates are never recorded on a gradient tape and are computed in the variable's
///   element type. Every built-in optimizer takes one route: its step is one fused pass
///   per variable through the core's fused-update API (`SGDStep`, `AdamStep`,
///   `RMSPropStep`, `AdagradStep` in `Retrograd`), which reads θ, g and the slots once
///   and writes θ and the slots in place (copy-on-write, so a tape or a caller holding
///   the old value never sees it change), with the same bits as the rule written with
///   tensor ops.
/// - An optimizer keeps a reference to every variable it has updated, with its state
///   (as a PyTorch optimizer holds its parameters); use one optimizer per model.
/// - Programmer errors stop the program with a message: a gradient list whose count
///   differs from the variable list, a gradient whose shape or element type differs from
///   its variable's (the message names the variable), a variable listed twice.
///
/// ## Saving and restoring state
///
/// ``stateTensors(for:)`` returns the whole state as named tensors, and
/// ``loadState(_:for:)`` puts it back, so a checkpoint can hold the optimizer next to
/// the model. The keys are:
///
/// | key | tensor |
/// |---|---|
/// | `iterations` | 0-d `int32`: the number of `apply` calls so far |
/// | `<variable.name>/step` | 0-d `int32`: the number of updates that variable has had |
/// | `<variable.name>/<slot>` | the variable's shape and element type: one per slot |
///
/// Each optimizer documents its slots (for example `w/momentum` for ``SGD`` with
/// momentum, `w/firstMoment` and `w/secondMoment` for ``Adam``). A variable that has not
/// been updated yet has step 0 and its slots hold their initial values. Because
/// per-variable keys always contain a `/` and slot names never do, keys cannot collide
/// as long as variable names are unique within the list, which is checked. Hyper-
/// parameters (learning rate, betas, …) are not part of the state; the optimizer they
/// are loaded into keeps its own.
///
/// ## Writing an optimizer
///
/// Subclass `Optimizer`, pass your slots to `super.init`, and override
/// ``update(_:gradient:slots:stepCount:learningRate:)``; everything else comes from the
/// base class, state keys included. Tensor ops work in the update (nothing is recorded),
/// and so does the fused-update API:
///
/// ```swift
/// final class SignSGD: Optimizer {
///     let momentum: Double
///
///     init(learningRate: Double, momentum: Double = 0.9) {
///         self.momentum = momentum
///         super.init(learningRate: learningRate, slots: [OptimizerSlot("momentum")])
///     }
///
///     override func update(
///         _ value: inout Tensor, gradient: Tensor, slots: inout [Tensor], stepCount: Int, learningRate: Double
///     ) {
///         slots[0] = slots[0] * momentum + gradient
///         value = value - slots[0].sign() * learningRate
///     }
/// }
/// ```
open class Optimizer {
    /// The learning rate used when there is no ``schedule``.
    public var learningRate: Double

    /// A schedule that decides the learning rate from ``iterations``; when set, it
    /// replaces ``learningRate``.
    public var schedule: (any LearningRateSchedule)?

    /// The number of ``apply(gradients:to:)`` calls so far (the step a schedule sees).
    public internal(set) var iterations = 0

    /// The slots every variable keeps, in the order ``update(_:gradient:slots:stepCount:learningRate:)``
    /// receives them.
    public let declaredSlots: [OptimizerSlot]

    /// The state of each variable updated at least once, by identity.
    var entries: [ObjectIdentifier: VariableState] = [:]
    /// Variables this optimizer has already warned about (see `GradientDiagnostics`).
    private var warnedAboutMissingGradients = Set<UInt64>()

    /// Creates an optimizer whose variables each keep `slots`.
    ///
    /// - Parameters:
    ///   - learningRate: η when there is no schedule; not negative.
    ///   - schedule: A schedule that replaces `learningRate`.
    ///   - slots: The per-variable state the update needs; names are unique, not empty and
    ///     without `/`.
    public init(learningRate: Double, schedule: (any LearningRateSchedule)? = nil, slots: [OptimizerSlot] = []) {
        self.learningRate = learningRate
        self.schedule = schedule
        self.declaredSlots = slots
        checkPrecondition(learningRate >= 0, "\(name): learningRate must not be negative, got \(learningRate)")
        var names = Set<String>()
        for slot in slots {
            checkPrecondition(
                !slot.name.isEmpty && !slot.name.contains("/") && names.insert(slot.name).inserted,
                "\(name): slot names must be unique, not empty and without '/', got \(slots.map(\.name))")
        }
    }

    /// The learning rate the next ``apply(gradients:to:)`` will use: the schedule's rate
    /// at ``iterations``, or ``learningRate`` when there is no schedule.
    public final var currentLearningRate: Double {
        schedule?.learningRate(atStep: iterations) ?? learningRate
    }

    /// The optimizer's type name, for messages (`SGD`, or a subclass's own name).
    final private(set) lazy var name = String(describing: type(of: self))

    /// The name of ``apply(gradients:to:)`` in messages.
    private var operation: String { "\(name).apply(gradients:to:)" }

    /// Updates one variable; ``apply(gradients:to:)`` calls it, do not call it yourself.
    ///
    /// Subclasses override it with their rule. It runs with no tape recording.
    ///
    /// - Parameters:
    ///   - value: The variable's own value, to change in place (or assign); its shape and
    ///     element type must stay the same.
    ///   - gradient: The gradient, of the value's shape and element type.
    ///   - slots: The variable's slots, in the order of ``declaredSlots``, holding their
    ///     initial values on its first update. Each must keep the value's shape and
    ///     element type.
    ///   - stepCount: The variable's update count t, this update included (1 on its
    ///     first).
    ///   - learningRate: The rate of this step, ``currentLearningRate``.
    open func update(
        _ value: inout Tensor, gradient: Tensor, slots: inout [Tensor], stepCount: Int, learningRate: Double
    ) {
        preconditionFailed("\(name) must override update(_:gradient:slots:stepCount:learningRate:)")
    }

    /// Updates each variable from the gradient at the same position.
    ///
    /// - Parameters:
    ///   - gradients: One gradient per variable, as `tape.gradient(of:wrt:)` returns them
    ///     for `variables`; `nil` skips that variable.
    ///   - variables: The variables the gradients are aligned with.
    public final func apply(gradients: [Tensor?], to variables: [Variable]) {
        checkPrecondition(
            gradients.count == variables.count,
            "\(operation): \(gradients.count) gradients for \(variables.count) variables; "
                + "pass the list the tape returned for exactly these variables")
        // Check everything before the first update, so a bad entry changes nothing.
        checkPrecondition(
            Self.firstRepeated(in: variables) == nil,
            "\(operation): variable '\(Self.firstRepeated(in: variables)?.name ?? "")' is listed twice")
        for (gradient, variable) in zip(gradients, variables) {
            guard let gradient, variable.trainable else { continue }
            checkPrecondition(
                gradient.shape == variable.shape && gradient.dtype == variable.dtype,
                "\(operation): the gradient for variable '\(variable.name)' is \(gradient.dtype) \(gradient.shape), "
                    + "but the variable holds \(variable.dtype) \(variable.shape)")
            checkPrecondition(
                variable.dtype.isFloatingPoint,
                "\(operation): variable '\(variable.name)' holds \(variable.dtype); only float32 and float64 variables can be optimized")
        }
        let rate = currentLearningRate
        withoutRecording {
            for (gradient, variable) in zip(gradients, variables) {
                guard let gradient, variable.trainable else {
                    if variable.trainable { warnAboutMissingGradient(variable) }
                    continue
                }
                // Updated in place in the table (one lookup), so the slots' storage is
                // referenced once and a fused update writes it in place.
                let fresh = { VariableState(variable: variable, step: 0, slots: self.freshSlots(for: variable)) }
                let slots = updateEntry(&entries[ObjectIdentifier(variable), default: fresh()], variable, gradient, rate)
                requireSlots(slots, of: variable)
            }
        }
        iterations += 1
    }

    /// Counts one more update of `state`'s variable, runs ``update(_:gradient:slots:stepCount:learningRate:)``
    /// on its value in place, and returns the slots it left.
    private func updateEntry(_ state: inout VariableState, _ variable: Variable, _ gradient: Tensor, _ rate: Double) -> [Tensor] {
        state.step += 1
        let step = state.step
        variable.modify { update(&$0, gradient: gradient, slots: &state.slots, stepCount: step, learningRate: rate) }
        return state.slots
    }

    /// The first variable that appears twice in `variables`, or nil. Pairwise for the short
    /// lists of a model (no hashing), with a set beyond.
    static func firstRepeated(in variables: [Variable]) -> Variable? {
        if variables.count <= 64 {
            for (index, variable) in variables.enumerated() where variables[..<index].contains(where: { $0 === variable }) {
                return variable
            }
            return nil
        }
        var seen = Set<ObjectIdentifier>()
        return variables.first { !seen.insert(ObjectIdentifier($0)).inserted }
    }

    /// The slots of a variable that has not been updated yet.
    func freshSlots(for variable: Variable) -> [Tensor] {
        declaredSlots.map { Tensor.full($0.initialValue, shape: variable.shape, dtype: variable.dtype) }
    }

    /// Stops when an update left the slots out of step with the declaration or the variable.
    private func requireSlots(_ slots: [Tensor], of variable: Variable) {
        checkPrecondition(
            slots.count == declaredSlots.count
                && slots.allSatisfy { $0.shape == variable.shape && $0.dtype == variable.dtype },
            "\(name).update: left \(slots.count) slots for variable '\(variable.name)' "
                + "(\(slots.map { "\($0.dtype) \($0.shape)" })); it must keep the \(declaredSlots.count) declared "
                + "slots, each \(variable.dtype) \(variable.shape)")
    }

    /// Prints why `variable` got no gradient, once, when the warning is on.
    private func warnAboutMissingGradient(_ variable: Variable) {
        guard GradientDiagnostics.warnsOnMissingGradients, warnedAboutMissingGradients.insert(variable.id).inserted else { return }
        GradientDiagnostics.warnMissingGradient(for: variable, receiver: operation)
    }
}

/// One piece of per-variable state an ``Optimizer`` keeps, such as a momentum buffer.
public struct OptimizerSlot: Sendable, Equatable {
    /// The name in state keys, `<variable.name>/<name>`; not empty, no `/`.
    public let name: String
    /// The value every element starts from.
    public let initialValue: Double

    /// Declares a slot named `name` whose elements start at `initialValue`.
    public init(_ name: String, initialValue: Double = 0) {
        self.name = name
        self.initialValue = initialValue
    }
}

/// The state of one variable that has been updated at least once.
struct VariableState {
    /// Held strongly, so the `ObjectIdentifier` key cannot be reused by another object.
    let variable: Variable
    /// How many updates this variable has had (t in the update rules).
    var step: Int
    /// The slot tensors, in the order of ``Optimizer/declaredSlots``.
    var slots: [Tensor]
}
