// What a gradient request can be taken with respect to. `Tensor` and `Variable` conform to
// one protocol, so a list or a dictionary of sources can mix them and the type checker
// settles on `[any GradientSource]` at once (two unrelated element types otherwise leave a
// literal such as `[w, x]` with no type at all).

/// The tensor or variable that a ``GradientSource`` stands for.
public enum GradientSourceKind {
    /// A plain tensor: it gets a gradient when the tape watched it (or a value computed
    /// from watched values).
    case tensor(Tensor)
    /// A variable: it gets a gradient when the tape watched it, usually by a read of
    /// ``Variable/value`` inside `record`.
    case variable(Variable)
}

/// A value that gradients can be taken with respect to: a ``Tensor`` or a ``Variable``.
///
/// Both conform, so one request can mix them, in a list or in a dictionary:
///
/// ```swift
/// let grads = try tape.gradient(of: loss, wrt: [w, x])           // [Tensor?], aligned
/// let named = try tape.gradient(of: loss, wrt: ["w": w, "x": x]) // [String: Tensor]
/// ```
///
/// A type of your own (a parameter wrapper) can conform by returning the kind of the
/// tensor or variable it holds.
public protocol GradientSource {
    /// The tensor or variable this value stands for in a gradient request.
    var gradientSourceKind: GradientSourceKind { get }
}

extension Tensor: GradientSource {
    /// `.tensor(self)`.
    public var gradientSourceKind: GradientSourceKind { .tensor(self) }
}

extension Variable: GradientSource {
    /// `.variable(self)`.
    public var gradientSourceKind: GradientSourceKind { .variable(self) }
}

extension GradientSourceKind {
    /// The identity under which tapes know the source.
    var id: UInt64 {
        switch self {
        case let .tensor(tensor): tensor.id
        case let .variable(variable): variable.id
        }
    }

    /// The source's value, without watching it.
    var value: Tensor {
        switch self {
        case let .tensor(tensor): tensor
        case let .variable(variable): variable.currentValue
        }
    }

    /// The variable itself, or the variable whose value a tensor source is (a tensor that
    /// shares a live variable's identity was read from it), described now; its identity is
    /// the source's ``id``.
    var variable: VariableRegistry.Snapshot? {
        switch self {
        case let .variable(variable): VariableRegistry.Snapshot(of: variable)
        case let .tensor(tensor): VariableRegistry.snapshot(ofVariableWithID: tensor.id)
        }
    }
}
