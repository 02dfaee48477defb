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
        }
    }
}

extension Activation: Codable, CustomStringConvertible {
    /// The activation's name: `relu`, `tanh`, `sigmoid`, … and `leakyRelu(0.2)` with its
    /// slope. Checkpoints and configuration files store activations by this name.
    public var description: String {
        switch self {
        case .identity: "identity"
        case .relu: "relu"
        case let .leakyRelu(slope): "leakyRelu(\(slope))"
        case .tanh: "tanh"
        case .sigmoid: "sigmoid"
        case .softplus: "softplus"
        case .softmax: "softmax"
        }
    }

    /// The activation with `name` (see ``description``); `leakyRelu` alone has slope 0.01.
    /// Nil for any other text.
    public init?(name: String) {
        let simple: [Activation] = [.identity, .relu, .tanh, .sigmoid, .softplus, .softmax, .leakyRelu()]
        if let match = simple.first(where: { $0.description == name }) {
            self = match
            return
        }
        if name == "leakyRelu" {
            self = .leakyRelu()
            return
        }
        guard name.hasPrefix("leakyRelu("), name.hasSuffix(")"),
              let slope = Double(name.dropFirst("leakyRelu(".count).dropLast()), slope.isFinite
        else { return nil }
        self = .leakyRelu(slope: slope)
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
                    + "tanh, sigmoid, softplus or softmax")
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

}
