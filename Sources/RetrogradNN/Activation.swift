/// An elementwise (or, for softmax, per-row) nonlinearity.
///
/// Pass one to `Dense(inputSize:outputSize:activation:)`, call it on a tensor
/// (`Activation.relu(x)`), or put it in a `Sequential` as an ``ActivationLayer``.
public enum Activation: Sendable, Equatable {
    /// x, unchanged.
    case identity
    /// max(x, 0), with gradient 0 at 0.
    case relu
    /// x for x > 0, `slope`·x otherwise.
    case leakyRelu(slope: Double = 0.01)
    /// The hyperbolic tangent.
    case tanh
    /// The logistic function 1 / (1 + e^(−x)).
    case sigmoid
    /// log(1 + eˣ), a smooth ReLU.
    case softplus
    /// exp(x) / Σ exp(x) along the last axis (probabilities per row).
    case softmax
    /// x for x > 0, `alpha`·(eˣ − 1) otherwise; see `Tensor.elu(alpha:)`.
    case elu(alpha: Double = 1)
    /// x·Φ(x), exact (with erf) or, with `approximate`, in the tanh form; see
    /// `Tensor.gelu(approximate:)`.
    case gelu(approximate: Bool = false)
    /// x·σ(x), also called swish; see `Tensor.silu()`.
    case silu

    /// Applies the activation to `x`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        switch self {
        case .identity: return x
        case .relu: return x.relu()
        case let .leakyRelu(slope): return x.leakyRelu(slope: slope)
        case .tanh: return x.tanh()
        case .sigmoid: return x.sigmoid()
        case .softplus: return x.softplus()
        case .softmax: return x.softmax(axis: -1)
        case let .elu(alpha): return x.elu(alpha: alpha)
        case let .gelu(approximate): return x.gelu(approximate: approximate)
        case .silu: return x.silu()
        }
    }
}

extension Activation {
    /// Whether the activation runs on integer tensors (it only compares, selects and
    /// multiplies); the others need floating point.
    var acceptsIntegers: Bool {
        switch self {
        case .identity, .relu, .leakyRelu: true
        default: false
        }
    }
}

extension Activation: Codable, CustomStringConvertible {
    /// The activation's name: `relu`, `tanh`, `sigmoid`, `silu`, …, `leakyRelu(0.2)` and
    /// `elu(1.0)` with their parameter, `gelu` and `gelu(tanh)`. Checkpoints and
    /// configuration files store activations by this name.
    public var description: String {
        switch self {
        case .identity: "identity"
        case .relu: "relu"
        case let .leakyRelu(slope): "leakyRelu(\(slope))"
        case .tanh: "tanh"
        case .sigmoid: "sigmoid"
        case .softplus: "softplus"
        case .softmax: "softmax"
        case let .elu(alpha): "elu(\(alpha))"
        case let .gelu(approximate): approximate ? "gelu(tanh)" : "gelu"
        case .silu: "silu"
        }
    }

    /// The activation with `name` (see ``description``); `leakyRelu` alone has slope 0.01
    /// and `elu` alone has alpha 1. Nil for any other text.
    public init?(name: String) {
        let plain: [Activation] = [.identity, .relu, .tanh, .sigmoid, .softplus, .softmax, .silu, .gelu(), .gelu(approximate: true)]
        if let match = plain.first(where: { $0.description == name }) {
            self = match
            return
        }
        let parametrized: [(base: String, standard: Activation, make: (Double) -> Activation)] = [
            ("leakyRelu", .leakyRelu(), { .leakyRelu(slope: $0) }), ("elu", .elu(), { .elu(alpha: $0) }),
        ]
        for (base, standard, make) in parametrized {
            if name == base {
                self = standard
                return
            }
            guard name.hasPrefix(base + "("), name.hasSuffix(")"), let value = Double(name.dropFirst(base.count + 1).dropLast()),
                value.isFinite
            else { continue }
            self = make(value)
            return
        }
        return nil
    }

    /// Reads an activation stored as its name.
    ///
    /// - Throws: `DecodingError.dataCorrupted` when the text names no activation.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let name = try container.decode(String.self)
        guard let activation = Activation(name: name) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "\"\(name)\" is not an activation; expected identity, relu, leakyRelu(slope), "
                    + "tanh, sigmoid, softplus, softmax, elu(alpha), gelu, gelu(tanh) or silu")
        }
        self = activation
    }

    /// Writes the activation's name.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// An ``Activation`` as a layer of its own, for a `Sequential`.
///
/// ```swift
/// let model = Sequential(Dense(inputSize: 2, outputSize: 8), ActivationLayer(.relu),
///                        Dense(inputSize: 8, outputSize: 1))
/// ```
public final class ActivationLayer: Layer {
    /// The function applied to the input.
    public var activation: Activation
    /// Not used by activations; kept so containers can set it.
    public var isTraining = true

    /// Creates a layer that applies `activation`.
    public init(_ activation: Activation) {
        self.activation = activation
    }

    /// Applies ``activation`` to `input`.
    public func callAsFunction(_ input: Tensor) -> Tensor { activation(input) }

    /// Keeps the input's shape and element type. `identity`, `relu` and `leakyRelu` take
    /// integer input too, the others floating point only, and `softmax` needs an input
    /// with an axis.
    public func outputSpec(for input: TensorSpec) throws(LayerInputError) -> TensorSpec? {
        try sameSpec(input, layer: "ActivationLayer", minimumRank: activation == .softmax ? 1 : 0, anyType: activation.acceptsIntegers)
    }
}
