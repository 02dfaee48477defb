/// Layer normalization (Ba, Kiros & Hinton, 2016): each example is shifted and scaled to
/// mean 0 and variance 1 over its last axes, then multiplied by ``scale`` and shifted by
/// ``offset``, one value per normalized position.
///
/// Unlike ``BatchNorm`` it uses no batch statistics, so it behaves the same in training
/// and inference and keeps no running state. The conventions are PyTorch's `LayerNorm`:
/// the variance is the biased one (divided by the number of values normalized together),
/// ``epsilon`` is 1e-5 (Keras: 1e-3), and the affine parameters have the normalized shape.
///
/// ```swift
/// let norm = LayerNorm(normalizedShape: [16])      // over the last axis of [batch, tokens, 16]
/// let y = norm(x)
/// ```
public final class LayerNorm: Layer {
    /// The sizes of the last axes normalized together, such as `[16]` or `[height, width, channels]`.
    public let normalizedShape: [Int]
    /// Added to the variance before its square root is taken.
    public let epsilon: Double
    /// γ, of shape ``normalizedShape`` (ones at first), or nil for a layer made with
    /// `affine: false`.
    public let scale: Variable?
    /// β, of shape ``normalizedShape`` (zeros at first), or nil for a layer made with
    /// `affine: false`.
    public let offset: Variable?
    /// The element type of the variables and of the inputs.
    public let dtype: DType
    /// Not used by `LayerNorm`; kept so containers can set it.
    public var isTraining = true

    /// Creates a layer normalization over the last `normalizedShape.count` axes of its
    /// input, which must have the sizes `normalizedShape`.
    ///
    /// - Parameters:
    ///   - normalizedShape: The sizes of the last axes; at least one, each positive.
    ///   - epsilon: Added to the variance for stability; positive.
    ///   - affine: Whether to follow the normalization with the learned ``scale`` and
    ///     ``offset``.
    ///   - dtype: The element type of the variables and of the inputs.
    public init(normalizedShape: [Int], epsilon: Double = 1e-5, affine: Bool = true, dtype: DType = .float32) {
        checkPrecondition(
            !normalizedShape.isEmpty && normalizedShape.allSatisfy({ $0 > 0 }) && normalizedShape.count < Shape.maximumRank,
            "LayerNorm: normalizedShape must list 1 to \(Shape.maximumRank - 1) positive sizes, got \(normalizedShape)")
        checkPrecondition(epsilon > 0, "LayerNorm: epsilon must be positive, got \(epsilon)")
        checkPrecondition(dtype.isFloatingPoint, "LayerNorm: variables must be float32 or float64, got \(dtype)")
        self.normalizedShape = normalizedShape
        self.epsilon = epsilon
        scale = affine ? Variable(Tensor.ones(shape: Shape(normalizedShape), dtype: dtype), name: "scale") : nil
        offset = affine ? Variable(Tensor.zeros(shape: Shape(normalizedShape), dtype: dtype), name: "offset") : nil
        self.dtype = dtype
    }

    /// Normalizes each example of `input` over its last `normalizedShape.count` axes; an
    /// input of exactly ``normalizedShape`` is one example.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        let count = normalizedShape.count
        checkPrecondition(
            input.rank >= count && Array(input.shape.dimensions.suffix(count)) == normalizedShape,
            "LayerNorm: input of shape \(input.shape) does not end in normalizedShape \(normalizedShape); "
                + "expected [batch, …, \(normalizedShape.map(String.init).joined(separator: ", "))]")
        let axes = Array((input.rank - count)..<input.rank)
        let centered = input - input.mean(axes: axes, keepingDimensions: true)
        let variance = (centered * centered).mean(axes: axes, keepingDimensions: true)
        var output = centered * (variance + epsilon).sqrt().reciprocal()
        if let scale { output = output * scale.value }
        if let offset { output = output + offset.value }
        return output
    }

    /// Takes `[…, normalizedShape…]` of the variables' element type and keeps its
    /// shape.
    public func outputSpec(for input: TensorSpec) throws(LayerInputError) -> TensorSpec? {
        guard input.shape.rank >= normalizedShape.count else {
            throw LayerInputError(layer: "LayerNorm", problem: .rank(minimum: normalizedShape.count, found: input.shape))
        }
        guard Array(input.shape.dimensions.suffix(normalizedShape.count)) == normalizedShape else {
            throw LayerInputError(layer: "LayerNorm", problem: .trailingDimensions(expected: normalizedShape, found: input.shape))
        }
        guard input.dtype == dtype else {
            throw LayerInputError(layer: "LayerNorm", problem: .dtype(expected: dtype, found: input.dtype))
        }
        return input
    }
}
