/// A named, mutable holder of a tensor: a model's weight.
///
/// Reading ``value`` inside a ``GradientTape/record(_:)`` closure watches a trainable
/// variable on that tape (unless the tape was made with `watchAccessedVariables: false`),
/// so gradients with respect to the variable can be asked for. Assignments are never
/// recorded: a tape knows the variable by an identity that its values share, so every read
/// is the same source to it. An assignment made while a tape records is noted, and the
/// tape's ``GradientFlowReport`` says what the variable's gradient then means
/// (``UnrecordedAssignment``).
public final class Variable {
    /// A name for checkpoints, diagnostics and gradient transforms. Containers such as
    /// `Sequential` prefix their children's variable names with their position
    /// ("0.weight"), so names in a model are unique and stable.
    public var name: String
    /// Whether tapes watch this variable automatically and optimizers update it. Only a
    /// `float32` or `float64` variable can be trainable.
    @exclusivity(unchecked) public var trainable: Bool {
        didSet {
            checkPrecondition(
                !trainable || stored.dtype.isFloatingPoint,
                "Variable '\(name)' holds \(stored.dtype) \(stored.shape) and cannot be trainable: "
                    + "only float32 and float64 variables carry gradients")
        }
    }
    /// The identity under which tapes know this variable.
    package let id: UInt64
    // Read on every op that uses the variable; accesses never overlap (assignments replace
    // the value whole, and `modify` is the only long access), so the dynamic exclusivity
    // check each access would pay is switched off, as for the tape's own storage.
    @exclusivity(unchecked) private var stored: Tensor
    /// One past the ``TapeClock`` tick of the latest read with no tape recording (0: none),
    /// for the gradient-flow report's "read outside the tape".
    @exclusivity(unchecked) var untapedRead: UInt64 = 0

    /// Creates a variable holding `initialValue`.
    ///
    /// - Parameters:
    ///   - initialValue: The first value; later ones keep its shape and element type.
    ///   - name: A name for checkpoints, diagnostics and gradient transforms.
    ///   - trainable: Whether tapes watch the variable and optimizers update it; by default
    ///     a `float32` or `float64` variable is trainable and an `int32` or `bool` one (a step
    ///     counter, a mask) is not. Passing `true` for an `int32` or `bool` value stops the
    ///     program: such values carry no gradients.
    public init(_ initialValue: Tensor, name: String = "variable", trainable: Bool? = nil) {
        let floatingPoint = initialValue.dtype.isFloatingPoint
        checkPrecondition(
            trainable != true || floatingPoint,
            "Variable '\(name)' holds \(initialValue.dtype) \(initialValue.shape) and cannot be trainable: "
                + "only float32 and float64 variables carry gradients; pass trainable: false or leave it out")
        self.name = name
        self.trainable = trainable ?? floatingPoint
        self.id = nextTensorIdentity()
        self.stored = Tensor(storage: initialValue.storage, id: id)
        VariableRegistry.register(self)
    }

    deinit {
        VariableRegistry.unregister(id)
    }

    /// The current value. Inside a tape's `record`, reading it watches the variable.
    public var value: Tensor {
        if trainable {
            if let stack = TapeStack.current {
                for tape in stack.tapes where tape.isRecording && tape.watchAccessedVariables {
                    let index = tape.track(id)
                    if _slowPath(tape.keepsGraphDetails) { tape.noteSource(index, name: name, shape: stored.shape) }
                }
            } else {
                untapedRead = TapeClock.now + 1
            }
        }
        return stored
    }

    /// The value without watching (for bookkeeping).
    var currentValue: Tensor { stored }

    /// The shape of the value.
    public var shape: Shape { stored.shape }
    /// The element type of the value.
    public var dtype: DType { stored.dtype }

    /// Replaces the value. The new value must have the same shape and element type.
    ///
    /// Not recorded: see ``UnrecordedAssignment`` for what that means for a gradient when
    /// it happens inside a tape's `record`.
    public func assign(_ newValue: Tensor) {
        replace(with: newValue, by: .assign, from: newValue)
    }

    /// Stores `newValue` (checked against the current shape and type), first noting on the
    /// recording tapes, if any, that `kind` changed the variable from `input`.
    private func replace(with newValue: Tensor, by kind: AssignmentKind, from input: Tensor) {
        checkPrecondition(
            newValue.shape == stored.shape && newValue.dtype == stored.dtype,
            "\(kind): variable '\(name)' holds \(stored.dtype) \(stored.shape), cannot take \(newValue.dtype) \(newValue.shape)")
        if _slowPath(TapeStack.current != nil) { noteAssignment(kind, from: input) }
        stored = Tensor(storage: newValue.storage, id: id)
    }

    /// Lets `body` change the value in place; not recorded.
    ///
    /// `body` gets the variable's own tensor, so `withUnsafeMutableScalars` on it writes
    /// the elements in place when nothing else (a tape's saved value, a copy the caller
    /// kept) shares them, and copies them first otherwise. This is how optimizers update
    /// weights without allocating. The shape and element type must stay the same.
    public func modify<Result>(_ body: (inout Tensor) throws -> Result) rethrows -> Result {
        if _slowPath(TapeStack.current != nil) { noteAssignment(.modify, from: nil) }
        let (shape, dtype) = (stored.shape, stored.dtype)
        defer {
            checkPrecondition(
                stored.shape == shape && stored.dtype == dtype,
                "modify: variable '\(name)' holds \(dtype) \(shape), cannot take \(stored.dtype) \(stored.shape)")
            stored.id = id
        }
        return try body(&stored)
    }

    /// Adds `delta` (broadcast to the variable's shape) to the value.
    public func assignAdd(_ delta: Tensor) {
        replace(with: withoutRecording { (stored.withNewIdentity + delta).expanded(to: stored.shape) }, by: .assignAdd, from: delta)
    }

    /// Subtracts `delta` (broadcast to the variable's shape) from the value.
    public func assignSub(_ delta: Tensor) {
        replace(with: withoutRecording { (stored.withNewIdentity - delta).expanded(to: stored.shape) }, by: .assignSub, from: delta)
    }
}

extension Variable: CustomStringConvertible {
    public var description: String { "Variable '\(name)' \(stored)" }
}

extension Variable {
    /// Makes ``value`` return `substitute`, under the substitute's own identity, and
    /// returns the value it replaces, to be put back with ``restoreValue(_:)``.
    ///
    /// For functional calls (`Layer.callAsFunction(_:with:)`): ops that read the variable
    /// then record the substitute, so gradients reach whatever the substitute was computed
    /// from. Not recorded; the caller checks that the shape and element type match.
    package func substituteValue(_ substitute: Tensor) -> Tensor {
        let previous = stored
        stored = substitute
        return previous
    }

    /// Puts back a value that ``substituteValue(_:)`` returned.
    package func restoreValue(_ previous: Tensor) {
        stored = previous
    }
}
