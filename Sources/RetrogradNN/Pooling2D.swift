// Max and average pooling layers over the windows of NHWC images, calling the core's
// `maxPool2D` and `avgPool2D`.

/// The largest value in each window of NHWC images, channel by channel (Keras's
/// `MaxPooling2D`, PyTorch's `MaxPool2d`).
///
/// Windows are `windowSize` apart unless `strides` says otherwise, so by default they
/// tile the image; padded cells never win. Of tied maxima in a window, the first (in
/// row-major window order) takes the whole gradient, as in Keras and PyTorch.
///
/// ```swift
/// let pool = MaxPool2D(windowSize: (2, 2))
/// let pooled = pool(Tensor.zeros(shape: [8, 24, 24, 32]))   // [8, 12, 12, 32]
/// ```
public final class MaxPool2D: Layer {
    /// The window's height and width.
    public let windowSize: (height: Int, width: Int)
    /// The steps between windows.
    public let strides: (height: Int, width: Int)
    /// How windows treat the image's borders.
    public let padding: Padding
    /// Not used by pooling; kept so containers can set it.
    public var isTraining = true

    /// Creates a max pooling layer.
    ///
    /// - Parameters:
    ///   - windowSize: The window's height and width.
    ///   - strides: The steps between windows; nil (the default) for the window size.
    ///   - padding: `.valid` by default; explicit padding must be smaller than the window.
    public init(windowSize: (Int, Int), strides: (Int, Int)? = nil, padding: Padding = .valid) {
        (self.windowSize, self.strides, self.padding) = checkedPooling("MaxPool2D", windowSize, strides, padding)
    }

    /// The maximum of each window of `input` (`[batch, height, width, channels]`).
    public func callAsFunction(_ input: Tensor) -> Tensor {
        checkImages(input.shape, layer: "MaxPool2D")
        return maxPool2D(input, windowSize: windowSize, strides: strides, padding: padding)
    }

    /// Takes floating-point NHWC images large enough for a window and gives `[batch,
    /// outHeight, outWidth, channels]`.
    public func outputSpec(for input: TensorSpec) throws(LayerInputError) -> TensorSpec? {
        try windowedSpec(
            input, layer: "MaxPool2D", channels: nil, outChannels: nil, dtype: nil, window: windowSize, strides: strides,
            padding: padding)
    }
}

/// The mean of each window of NHWC images, channel by channel (Keras's
/// `AveragePooling2D`, PyTorch's `AvgPool2d` with `count_include_pad=False`).
///
/// Windows are `windowSize` apart unless `strides` says otherwise. A window's mean counts
/// only the cells inside the image, so padding adds no zeros to it.
///
/// ```swift
/// let pool = AvgPool2D(windowSize: (3, 3), strides: (1, 1), padding: .same)
/// let smoothed = pool(Tensor.ones(shape: [1, 5, 5, 4]))   // [1, 5, 5, 4], all ones
/// ```
public final class AvgPool2D: Layer {
    /// The window's height and width.
    public let windowSize: (height: Int, width: Int)
    /// The steps between windows.
    public let strides: (height: Int, width: Int)
    /// How windows treat the image's borders.
    public let padding: Padding
    /// Not used by pooling; kept so containers can set it.
    public var isTraining = true

    /// Creates an average pooling layer.
    ///
    /// - Parameters:
    ///   - windowSize: The window's height and width.
    ///   - strides: The steps between windows; nil (the default) for the window size.
    ///   - padding: `.valid` by default; explicit padding must be smaller than the window.
    public init(windowSize: (Int, Int), strides: (Int, Int)? = nil, padding: Padding = .valid) {
        (self.windowSize, self.strides, self.padding) = checkedPooling("AvgPool2D", windowSize, strides, padding)
    }

    /// The mean of each window of `input` (`[batch, height, width, channels]`).
    public func callAsFunction(_ input: Tensor) -> Tensor {
        checkImages(input.shape, layer: "AvgPool2D")
        return avgPool2D(input, windowSize: windowSize, strides: strides, padding: padding)
    }

    /// Takes floating-point NHWC images large enough for a window and gives `[batch,
    /// outHeight, outWidth, channels]`.
    public func outputSpec(for input: TensorSpec) throws(LayerInputError) -> TensorSpec? {
        try windowedSpec(
            input, layer: "AvgPool2D", channels: nil, outChannels: nil, dtype: nil, window: windowSize, strides: strides,
            padding: padding)
    }
}

/// A pooling layer's settings after checking them: strides default to the window size,
/// and explicit padding must leave every window a cell of the image.
private func checkedPooling(
    _ layer: String, _ windowSize: (Int, Int), _ strides: (Int, Int)?, _ padding: Padding
) -> (SpatialPair, SpatialPair, Padding) {
    let strides = strides ?? windowSize
    checkWindowSettings(layer, kernelSize: windowSize, strides: strides, dilations: (1, 1), padding: padding, dtype: .float32)
    if case let .explicit(top, bottom, left, right) = padding {
        checkPrecondition(
            Swift.max(top, bottom) < windowSize.0 && Swift.max(left, right) < windowSize.1,
            "\(layer): padding \(padding) must be smaller than the \(windowSize.0)×\(windowSize.1) window on every side")
    }
    return (windowSize, strides, padding)
}
