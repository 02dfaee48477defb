/// Layers applied one after another: the output of each is the input of the next.
///
/// Variables are listed child by child, named by the child's position: the first
/// `Dense`'s are "0.weight" and "0.bias", and a `Sequential` nested at position 1 gives
/// "1.0.weight". The names are set on the variables when the container is made, so the
/// outermost container, made last, decides them.
///
/// ```swift
/// let features = Sequential(Dense(inputSize: 2, outputSize: 15, activation: .sigmoid))
/// let model = Sequential(features, Dense(inputSize: 15, outputSize: 2))
/// model.trainableVariables.map(\.name)   // ["0.0.weight", "0.0.bias", "1.weight", "1.bias"]
/// ```
public final class Sequential: Layer {
    /// The layers, in the order they are applied.
    public let layers: [any Layer]

    /// Whether the layers behave as in training; setting it sets every layer inside.
    public var isTraining = true {
        didSet {
            for layer in layers { layer.isTraining = isTraining }
        }
    }

    /// Creates a container that applies `layers` in order.
    public init(_ layers: [any Layer]) {
        self.layers = layers
        assignVariableNames()
    }

    /// Creates a container that applies `layers` in order.
    public convenience init(_ layers: any Layer...) {
        self.init(layers)
    }

    /// The layer at `index`.
    public subscript(index: Int) -> any Layer { layers[index] }

    /// Applies each layer in turn.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        layers.reduce(input) { output, layer in layer(output) }
    }

    /// Each layer's variables, prefixed by its position.
    public var namedVariables: [NamedVariable] {
        layers.enumerated().flatMap { index, layer in layer.namedVariables(prefixedBy: String(index)) }
    }
}
