// Global pooling over the spatial axes of NHWC images. Each is a mean or a maximum over
// axes 1 and 2, a composite of the core reductions, so its derivatives to any order come
// from theirs.

/// The mean of each channel over the height and width of NHWC images:
/// `[batch, height, width, channels]` becomes `[batch, channels]` (or
/// `[batch, 1, 1, channels]` when `keepingDimensions`), as Keras's `GlobalAveragePooling2D`.
///
/// ```swift
/// let classifier = Sequential(
///     Conv2D(inputChannels: 3, filters: 32, kernelSize: (3, 3), padding: .same, activation: .relu),
///     GlobalAveragePooling2D(), Dense(inputSize: 32, outputSize: 10))
/// ```
public final class GlobalAveragePooling2D: Layer {
    /// Whether the pooled axes stay, with size 1.
    public let keepingDimensions: Bool
    /// Not used by pooling; kept so containers can set it.
    public var isTraining = true

    /// Creates a global average pooling layer.
    ///
    /// - Parameter keepingDimensions: Whether to keep the height and width axes with size 1.
    public init(keepingDimensions: Bool = false) {
        self.keepingDimensions = keepingDimensions
    }

    /// Averages each channel of `input` (`[batch, height, width, channels]`) over the image.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        checkImages(input.shape, layer: "GlobalAveragePooling2D")
        return input.mean(axes: [1, 2], keepingDimensions: keepingDimensions)
    }

    /// Takes floating-point NHWC images and gives `[batch, channels]` (or
    /// `[batch, 1, 1, channels]`).
    public func outputSpec(for input: TensorSpec) throws(LayerInputError) -> TensorSpec? {
        try globalPoolingSpec(input, layer: "GlobalAveragePooling2D", keepingDimensions: keepingDimensions)
    }
}

/// The maximum of each channel over the height and width of NHWC images:
/// `[batch, height, width, channels]` becomes `[batch, channels]` (or
/// `[batch, 1, 1, channels]` when `keepingDimensions`), as Keras's `GlobalMaxPooling2D`.
/// Tied maxima share the gradient evenly.
public final class GlobalMaxPooling2D: Layer {
    /// Whether the pooled axes stay, with size 1.
    public let keepingDimensions: Bool
    /// Not used by pooling; kept so containers can set it.
    public var isTraining = true

    /// Creates a global max pooling layer.
    ///
    /// - Parameter keepingDimensions: Whether to keep the height and width axes with size 1.
    public init(keepingDimensions: Bool = false) {
        self.keepingDimensions = keepingDimensions
    }

    /// The largest value of each channel of `input` (`[batch, height, width, channels]`).
    public func callAsFunction(_ input: Tensor) -> Tensor {
        checkImages(input.shape, layer: "GlobalMaxPooling2D")
        return input.max(axes: [1, 2], keepingDimensions: keepingDimensions)
    }

    /// Takes floating-point NHWC images and gives `[batch, channels]` (or
    /// `[batch, 1, 1, channels]`).
    public func outputSpec(for input: TensorSpec) throws(LayerInputError) -> TensorSpec? {
        try globalPoolingSpec(input, layer: "GlobalMaxPooling2D", keepingDimensions: keepingDimensions)
    }
}

/// The axes of an NHWC image batch, for messages.
let imageLayout = "[batch, height, width, channels]"

/// Stops the program unless `shape` is a batch of NHWC images with at least one pixel
/// and, when given, `channels` channels.
func checkImages(_ shape: Shape, layer: String, channels: Int? = nil) {
    checkPrecondition(
        shape.rank == 4 && shape[1] > 0 && shape[2] > 0,
        "\(layer): expected NHWC images \(imageLayout) with at least one pixel, got shape \(shape); "
            + "add a channel axis to grayscale images ([N, H, W] → [N, H, W, 1])")
    if let channels {
        checkPrecondition(
            shape[3] == channels,
            "\(layer): input of shape \(shape) has \(shape[3]) channels, the layer takes \(channels); "
                + "expected [batch, height, width, \(channels)]")
    }
}

/// The spec of a global pooling layer after checking for floating-point NHWC images.
private func globalPoolingSpec(_ input: TensorSpec, layer: String, keepingDimensions: Bool) throws(LayerInputError) -> TensorSpec {
    guard input.dtype.isFloatingPoint else {
        throw LayerInputError(layer: layer, problem: .notFloatingPoint(found: input.dtype))
    }
    guard input.shape.rank == 4 else {
        throw LayerInputError(layer: layer, problem: .exactRank(expected: 4, layout: imageLayout, found: input.shape))
    }
    let (batch, channels) = (input.shape[0], input.shape[3])
    return TensorSpec(shape: keepingDimensions ? [batch, 1, 1, channels] : [batch, channels], dtype: input.dtype)
}
