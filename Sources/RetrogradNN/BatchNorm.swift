/// Batch normalization over the last axis (the channels of NHWC images, the features of
/// `[batch, features]` rows): each channel is shifted and scaled to mean 0 and variance 1,
/// then multiplied by ``scale`` and shifted by ``offset`` (γ and β in Ioffe & Szegedy, 2015).
///
/// In training the statistics are the batch's, taken over every axis but the last, and
/// gradients flow through them. Each training call also moves the running statistics
/// towards the batch's; in inference (`isTraining == false`) the layer normalizes with the
/// running ones and is an affine map of its input.
///
/// ```swift
/// let model = Sequential(Dense(inputSize: 4, outputSize: 8), BatchNorm(featureCount: 8), ActivationLayer(.relu))
/// let training = model(batch)          // batch statistics; the running ones move
/// model.isTraining = false
/// let evaluation = model(batch)        // running statistics
/// ```
///
/// The conventions are PyTorch's (`BatchNorm1d`/`2d`):
/// - ``momentum`` is the weight of the new batch:
///   `running ← (1 − momentum)·running + momentum·batch`, 0.1 by default. Keras's
///   `momentum` is the weight of the old value instead (0.99 by default): Keras's `m` is
///   `momentum: 1 − m` here.
/// - The batch is normalized with its biased variance (divided by n, the number of values
///   per channel); the running variance is updated with the unbiased one (divided by
///   n − 1), so training needs more than one value per channel. Keras updates its moving
///   variance with the biased one.
/// - ``epsilon`` is 1e-5 by default (Keras: 1e-3).
///
/// The running statistics are variables that are never trainable ("runningMean",
/// "runningVariance"): a model's ``Layer/namedVariables`` list them, so checkpoints save
/// and restore them, while ``Layer/trainableVariables`` leave them out and
/// ``Layer/unfreeze()`` keeps them out (they are the layer's ``Layer/stateVariables``).
public final class BatchNorm: Layer {
    /// The number of channels: the size of the input's last axis.
    public let featureCount: Int
    /// The weight of each batch's statistics in the running ones, in `0...1` (PyTorch's
    /// convention; see ``BatchNorm``).
    public let momentum: Double
    /// Added to the variance before its square root is taken.
    public let epsilon: Double
    /// γ, one factor per channel (ones at first), or nil for a layer made with
    /// `affine: false`.
    public let scale: Variable?
    /// β, one shift per channel (zeros at first), or nil for a layer made with
    /// `affine: false`.
    public let offset: Variable?
    /// The running mean of each channel (zeros at first); not trainable.
    public let runningMean: Variable
    /// The running unbiased variance of each channel (ones at first); not trainable.
    public let runningVariance: Variable
    /// Whether to normalize with the batch's statistics (and update the running ones) or
    /// with the running ones.
    public var isTraining = true

    /// Creates a batch normalization layer for inputs whose last axis has `featureCount`
    /// channels.
    ///
    /// - Parameters:
    ///   - featureCount: The size of the input's last axis.
    ///   - momentum: The weight of a new batch in the running statistics, in `0...1`.
    ///   - epsilon: Added to the variance for stability; positive.
    ///   - affine: Whether to follow the normalization with the learned ``scale`` and
    ///     ``offset``.
    ///   - dtype: The element type of the variables and of the inputs.
    public init(featureCount: Int, momentum: Double = 0.1, epsilon: Double = 1e-5, affine: Bool = true, dtype: DType = .float32) {
        checkPrecondition(featureCount > 0, "BatchNorm: featureCount must be positive, got \(featureCount)")
        checkPrecondition(momentum >= 0 && momentum <= 1, "BatchNorm: momentum must be in 0...1 (PyTorch's convention), got \(momentum)")
        checkPrecondition(epsilon > 0, "BatchNorm: epsilon must be positive, got \(epsilon)")
        checkPrecondition(dtype.isFloatingPoint, "BatchNorm: variables must be float32 or float64, got \(dtype)")
        self.featureCount = featureCount
        self.momentum = momentum
        self.epsilon = epsilon
        scale = affine ? Variable(Tensor.ones(shape: [featureCount], dtype: dtype), name: "scale") : nil
        offset = affine ? Variable(Tensor.zeros(shape: [featureCount], dtype: dtype), name: "offset") : nil
        runningMean = Variable(Tensor.zeros(shape: [featureCount], dtype: dtype), name: "runningMean", trainable: false)
        runningVariance = Variable(Tensor.ones(shape: [featureCount], dtype: dtype), name: "runningVariance", trainable: false)
    }

    /// The running statistics, which the layer updates itself.
    public var stateVariables: [Variable] { [runningMean, runningVariance] }

    /// Normalizes each channel of `input` (shape `[…, featureCount]`, rank 2 or more).
    public func callAsFunction(_ input: Tensor) -> Tensor {
        checkPrecondition(
            input.rank >= 2 && input.shape[input.rank - 1] == featureCount,
            "BatchNorm: input of shape \(input.shape) does not fit featureCount \(featureCount); "
                + "expected [batch, …, \(featureCount)] with the channels last")
        let (centered, variance) = isTraining ? batchStatistics(input) : (input - runningMean.value, runningVariance.value)
        // y = (x − μ)·m + β with m = γ / √(σ² + ε) computed on [featureCount] vectors; the
        // input is centred before it is scaled, as PyTorch does, rather than folding μ into
        // the shift (x·m + (β − μ·m)), which rounds a large x·m before the cancellation.
        var multiplier = (variance + epsilon).sqrt().reciprocal()
        if let scale { multiplier = multiplier * scale.value }
        let output = centered * multiplier
        return offset.map { output + $0.value } ?? output
    }

    /// The input centred on the batch's mean, and the batch's biased variance per channel,
    /// after moving the running statistics towards the batch's.
    private func batchStatistics(_ input: Tensor) -> (centered: Tensor, variance: Tensor) {
        let axes = Array(0..<(input.rank - 1))
        let count = input.shape.elementCount / featureCount
        checkPrecondition(
            count > 1,
            "BatchNorm: training needs more than one value per channel to estimate a variance, got input of shape "
                + "\(input.shape); use a batch of two or more, or set isTraining = false to use the running statistics")
        let mean = input.mean(axes: axes)
        let centered = input - mean
        let variance = (centered * centered).mean(axes: axes)
        withoutRecording {
            let unbiased = variance * (Double(count) / Double(count - 1))
            runningMean.assign(runningMean.value * (1 - momentum) + mean * momentum)
            runningVariance.assign(runningVariance.value * (1 - momentum) + unbiased * momentum)
        }
        return (centered, variance)
    }

    /// Takes `[batch, …, featureCount]` of the variables' element type and keeps its
    /// shape.
    public func outputSpec(for input: TensorSpec) throws(LayerInputError) -> TensorSpec? {
        try channelsLastSpec(input, layer: "BatchNorm", featureCount: featureCount, dtype: runningMean.dtype)
    }
}

/// The spec of a layer that keeps the shape of a `[batch, …, featureCount]` input of
/// `dtype`, after checking the rank, the last axis and the element type.
func channelsLastSpec(_ input: TensorSpec, layer: String, featureCount: Int, dtype: DType) throws(LayerInputError) -> TensorSpec {
    guard input.shape.rank >= 2 else {
        throw LayerInputError(layer: layer, problem: .rank(minimum: 2, found: input.shape))
    }
    guard input.shape[input.shape.rank - 1] == featureCount else {
        throw LayerInputError(layer: layer, problem: .featureCount(expected: featureCount, found: input.shape))
    }
    guard input.dtype == dtype else {
        throw LayerInputError(layer: layer, problem: .dtype(expected: dtype, found: input.dtype))
    }
    return input
}
