/// Flattens every axis but the first: `[batch, d₁, d₂, …]` becomes `[batch, d₁·d₂·…]`,
/// the bridge from convolutional features to `Dense` layers (Keras's `Flatten`, PyTorch's
/// `nn.Flatten()`). NHWC features flatten in height, width, channel order.
///
/// The result is a view of the input's elements, not a copy. A `[batch]` input becomes
/// `[batch, 1]`.
///
/// ```swift
/// let head = Sequential(Flatten(), Dense(inputSize: 7 * 7 * 48, outputSize: 100))
/// ```
public final class Flatten: Layer {
    /// Not used by `Flatten`; kept so containers can set it.
    public var isTraining = true

    /// Creates a flattening layer.
    public init() {}

    /// Reshapes `input` (rank 1 or more) to `[batch, elements per example]`.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        checkPrecondition(input.rank >= 1, "Flatten: input must have a batch axis, got a scalar; reshape it to [1]")
        return input.reshaped(to: Flatten.outputShape(input.shape))
    }

    /// Takes any input with a batch axis and gives `[batch, elements per example]` of its
    /// element type.
    public func outputSpec(for input: TensorSpec) throws(LayerInputError) -> TensorSpec? {
        guard input.shape.rank >= 1 else {
            throw LayerInputError(layer: "Flatten", problem: .rank(minimum: 1, found: input.shape))
        }
        return TensorSpec(shape: Flatten.outputShape(input.shape), dtype: input.dtype)
    }

    /// `[batch, product of the other dimensions]`.
    private static func outputShape(_ shape: Shape) -> Shape {
        let batch = shape[0]
        return [batch, shape.dimensions.dropFirst().reduce(1, *)]
    }
}
