// The spatial sizes that the convolution and pooling layers declare in `outputSpec`, from
// the definitions that `Padding` documents, so `model(checking:)` can follow an image
// through a convolutional network before it runs.

/// A pair of sizes along the height and the width.
typealias SpatialPair = (height: Int, width: Int)

/// The output length along one axis of `length` cells for windows of `window` cells spread
/// by `dilation`, `stride` apart, with `padding`; nil when no window fits.
func windowCount(length: Int, window: Int, stride: Int, dilation: Int, padding: Padding, vertical: Bool) -> Int? {
    let span = dilation * (window - 1) + 1
    let added: Int
    switch padding {
    case .valid:
        added = 0
    case .same:
        // TensorFlow's "SAME": ⌈length / stride⌉ windows whatever the window, when it fits
        // after padding, which it always does.
        return (length + stride - 1) / stride
    case let .explicit(top, bottom, left, right):
        added = vertical ? top + bottom : left + right
    }
    let room = length + added - span
    return room < 0 ? nil : room / stride + 1
}

/// The output height and width of `image` (`[batch, height, width, channels]`) under the
/// windows, or nil when no window fits.
func windowCounts(
    image: Shape, window: SpatialPair, strides: SpatialPair, dilations: SpatialPair, padding: Padding
) -> SpatialPair? {
    guard
        let height = windowCount(
            length: image[1], window: window.height, stride: strides.height, dilation: dilations.height, padding: padding,
            vertical: true),
        let width = windowCount(
            length: image[2], window: window.width, stride: strides.width, dilation: dilations.width, padding: padding,
            vertical: false)
    else { return nil }
    return (height, width)
}

/// The spec of a layer that maps NHWC images of `channels` channels and `dtype` to
/// `outChannels` channels through windows, after checking the rank, the channels, the
/// element type and that a window fits.
func windowedSpec(
    _ input: TensorSpec, layer: String, channels: Int?, outChannels: Int?, dtype: DType?, window: SpatialPair,
    strides: SpatialPair, dilations: SpatialPair = (1, 1), padding: Padding
) throws(LayerInputError) -> TensorSpec {
    guard input.dtype.isFloatingPoint else {
        throw LayerInputError(layer: layer, problem: .notFloatingPoint(found: input.dtype))
    }
    guard input.shape.rank == 4 else {
        throw LayerInputError(layer: layer, problem: .exactRank(expected: 4, layout: imageLayout, found: input.shape))
    }
    if let channels, input.shape[3] != channels {
        throw LayerInputError(layer: layer, problem: .featureCount(expected: channels, found: input.shape))
    }
    if let dtype, input.dtype != dtype {
        throw LayerInputError(layer: layer, problem: .dtype(expected: dtype, found: input.dtype))
    }
    guard let (height, width) = windowCounts(image: input.shape, window: window, strides: strides, dilations: dilations, padding: padding)
    else {
        let span = [dilations.height * (window.height - 1) + 1, dilations.width * (window.width - 1) + 1]
        throw LayerInputError(layer: layer, problem: .windowDoesNotFit(window: span, found: input.shape))
    }
    return TensorSpec(shape: [input.shape[0], height, width, outChannels ?? input.shape[3]], dtype: input.dtype)
}
