/// Inverted dropout on tensors of any rank: in training, zeroes each element (each
/// pixel's channel, for images) independently with probability `rate` and scales
/// the survivors by 1 / (1 − rate), so the expected value is unchanged; in inference, the
/// identity.
///
/// The masks come from a seeded generator: two layers with the same seed drop the same
/// elements call after call, and each call draws a new mask.
public final class Dropout: Layer {
    /// The probability of dropping an element, in `0..<1`.
    public let rate: Double
    /// Whether to drop; when false the layer passes its input through.
    public var isTraining = true
    private var generator: SeededGenerator

    /// Creates a dropout layer.
    ///
    /// - Parameters:
    ///   - rate: The probability of dropping each element, in `0..<1`.
    ///   - seed: Fixes the sequence of masks. Without one, the layer takes the next seed of
    ///     the process-wide sequence that layers share.
    public init(rate: Double, seed: UInt64? = nil) {
        checkPrecondition(rate >= 0 && rate < 1, "Dropout: rate must be in 0..<1, got \(rate)")
        self.rate = rate
        self.generator = SeededGenerator(seed: seed ?? DefaultSeeds.next())
    }

    /// Drops elements of `input` in training; returns it unchanged otherwise.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        guard isTraining, rate > 0 else { return input }
        checkPrecondition(input.dtype.isFloatingPoint, "Dropout: input must be float32 or float64, got \(input.dtype) \(input.shape)")
        let draws = Tensor.randomUniform(shape: input.shape, dtype: input.dtype, using: &generator)
        let mask = withoutRecording { (draws .>= rate).cast(to: input.dtype) * (1 / (1 - rate)) }
        return input * mask
    }

    /// Keeps the input's shape and element type; in training the input must be floating
    /// point.
    public func outputSpec(for input: TensorSpec) throws(LayerInputError) -> TensorSpec? {
        try sameSpec(input, layer: "Dropout", anyType: !isTraining || rate == 0)
    }
}
