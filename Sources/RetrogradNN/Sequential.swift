/// Layers applied one after another: the output of each is the input of the next.
///
/// Variables are listed child by child, named by the child's position: the first
/// `Dense`'s are "0.weight" and "0.bias", and a `Sequential` nested at position 1 gives
/// "1.0.weight". The names are set on the variables when the container is made, and again
/// by any layer that holds the container when its variables are first listed, so the
/// outermost layer decides them.
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

    /// The `layers` array adds no name of its own to variable paths: the first layer's
    /// variables are "0.weight", not "layers.0.weight".
    public static let variablePathNames = ["layers": ""]

    /// Follows the input through the layers, each checking what it takes, until one does
    /// not declare its output (then nil).
    ///
    /// - Throws: the first layer's ``LayerInputError``, its path prefixed by the layer's
    ///   position.
    public func outputSpec(for input: TensorSpec) throws(LayerInputError) -> TensorSpec? {
        var spec = input
        for (index, layer) in layers.enumerated() {
            do {
                guard let next = try layer.outputSpec(for: spec) else { return nil }
                spec = next
            } catch {
                throw error.inside(String(index))
            }
        }
        return spec
    }
}
