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
/// - Updates are never recorded on a gradient tape and are computed with tensor ops in
///   the variable's element type.
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
public protocol Optimizer: AnyObject {
    /// The learning rate used when there is no ``schedule``.
    var learningRate: Double { get set }

    /// A schedule that decides the learning rate from ``iterations``; when set, it
    /// replaces ``learningRate``.
    var schedule: (any LearningRateSchedule)? { get set }

    /// The number of ``apply(gradients:to:)`` calls so far (the step a schedule sees).
    var iterations: Int { get }

    /// Updates each variable from the gradient at the same position.
    ///
    /// - Parameters:
    ///   - gradients: One gradient per variable, as `tape.gradient(of:wrt:)` returns them
    ///     for `variables`; `nil` skips that variable.
    ///   - variables: The variables the gradients are aligned with.
    func apply(gradients: [Tensor?], to variables: [Variable])

    /// The optimizer's state for `variables`, keyed as described under *Saving and
    /// restoring state*. Variable names must be unique within `variables`.
    func stateTensors(for variables: [Variable]) -> [String: Tensor]

    /// Replaces the optimizer's state for `variables` (and its ``iterations``) with
    /// `state`, as ``stateTensors(for:)`` produced it.
    ///
    /// Every entry is checked before anything changes: on a missing entry or one of the
    /// wrong shape or element type, the method throws an ``OptimizerStateError`` naming
    /// the entry and the optimizer is left as it was. Entries for other variables are
    /// ignored, and so is the state of variables not in `variables`. A variable loaded
    /// with step 0 counts as not updated yet: its next update is a first step from fresh
    /// slots.
    func loadState(_ state: [String: Tensor], for variables: [Variable]) throws
}

extension Optimizer {
    /// The learning rate the next ``apply(gradients:to:)`` will use: the schedule's rate
    /// at ``iterations``, or ``learningRate`` when there is no schedule.
    public var currentLearningRate: Double {
        schedule?.learningRate(atStep: iterations) ?? learningRate
    }
}

/// Why ``Optimizer/loadState(_:for:)`` refused a state; nothing was changed.
public enum OptimizerStateError: Error, Equatable, CustomStringConvertible {
    /// An entry the optimizer needs is not in the state.
    case missingEntry(key: String)
    /// An entry has the wrong shape.
    case shapeMismatch(key: String, expected: Shape, found: Shape)
    /// An entry has the wrong element type.
    case typeMismatch(key: String, expected: DType, found: DType)
    /// A step count is not a 0-d tensor holding a whole number from 0 to `Int32.max`.
    case invalidCount(key: String, found: String)

    /// The key of the offending entry.
    public var key: String {
        switch self {
        case let .missingEntry(key), let .shapeMismatch(key, _, _), let .typeMismatch(key, _, _),
            let .invalidCount(key, _):
            return key
        }
    }

    /// What is wrong with the entry and what to do about it.
    public var description: String {
        switch self {
        case let .missingEntry(key):
            return "optimizer state has no entry '\(key)'; pass the dictionary stateTensors(for:) made "
                + "for variables with the same names"
        case let .shapeMismatch(key, expected, found):
            return "optimizer state entry '\(key)' has shape \(found), expected \(expected) "
                + "(the variable's shape); the state was saved for a different model"
        case let .typeMismatch(key, expected, found):
            return "optimizer state entry '\(key)' is \(found), expected \(expected) "
                + "(the variable's element type); cast it with .cast(to:) before loading"
        case let .invalidCount(key, found):
            return "optimizer state entry '\(key)' must be a 0-d tensor holding a whole number "
                + "from 0 to \(Int32.max), found \(found)"
        }
    }
}
