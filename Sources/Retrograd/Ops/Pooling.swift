// 2-d pooling. Max pooling is its own kernel, recorded as the `maxPoolPick` primitive at
// the cells that won (MaxPoolWinners.swift); average pooling is the image's windows (the
// `patches` primitive) summed over the window, so its gradients and tangents come from
// those ops' rules.
//
// Global pooling needs no op of its own: it is a reduction over the two spatial axes,
// `x.mean(axes: [1, 2])` (global average) or `x.max(axes: [1, 2])` (global max), each
// `[batch, channels]` for an NHWC `x`.

/// The largest value in each window of NHWC images, channel by channel.
///
/// `input` is `[batch, height, width, channels]`; the result is `[batch, outHeight,
/// outWidth, channels]`, its size as ``Padding`` describes. Cells in the padding never win
/// (they count as −∞, as in TensorFlow and PyTorch), so each window must hold a cell of
/// the image: explicit padding must be smaller than the window on every side.
///
/// The gradient goes to the cell each window's maximum came from. When a window holds tied
/// largest values the first of them, in row-major window order, takes all of it, as in
/// TensorFlow and PyTorch (unlike ``Tensor/max(axes:keepingDimensions:)``, which shares it
/// among ties). A NaN in a window wins it (the first NaN), so NaN propagates.
///
/// ```swift
/// let features = Tensor.zeros(shape: [8, 24, 24, 32])
/// let pooled = maxPool2D(features, windowSize: (2, 2))  // [8, 12, 12, 32]
/// ```
///
/// - Parameters:
///   - input: A float32 or float64 `[batch, height, width, channels]` tensor.
///   - windowSize: The window's height and width.
///   - strides: The steps between windows; nil (the default) for the window size, so
///     windows tile the image.
///   - padding: Where the windows may leave the image (``Padding``).
public func maxPool2D(
    _ input: Tensor, windowSize: (Int, Int), strides: (Int, Int)? = nil, padding: Padding = .valid
) -> Tensor {
    let geometry = poolingGeometry("maxPool2D", input, windowSize, strides, padding)
    checkPrecondition(
        geometry.height * geometry.width <= Int(Int32.max),
        "maxPool2D: the \(geometry.height)×\(geometry.width) images of shape \(input.shape) have more than 2³¹ − 1 cells")
    return input.maxPooled(geometry)
}

/// The mean of each window of NHWC images, channel by channel.
///
/// `input` is `[batch, height, width, channels]`; the result is `[batch, outHeight,
/// outWidth, channels]`, its size as ``Padding`` describes. A window's mean is over the
/// cells inside the image only: padded cells are not counted (TensorFlow's `avg_pool`;
/// PyTorch's `AvgPool2d(count_include_pad=False)`). So with ``Padding/same`` a corner
/// window of a 2×2 pool covering one real cell gives that cell's value. Explicit padding
/// must be smaller than the window on every side.
///
/// ```swift
/// let features = Tensor.zeros(shape: [8, 24, 24, 32])
/// let pooled = avgPool2D(features, windowSize: (2, 2))  // [8, 12, 12, 32]
/// ```
///
/// - Parameters:
///   - input: A float32 or float64 `[batch, height, width, channels]` tensor.
///   - windowSize: The window's height and width.
///   - strides: The steps between windows; nil (the default) for the window size, so
///     windows tile the image.
///   - padding: Where the windows may leave the image (``Padding``).
public func avgPool2D(
    _ input: Tensor, windowSize: (Int, Int), strides: (Int, Int)? = nil, padding: Padding = .valid
) -> Tensor {
    let geometry = poolingGeometry("avgPool2D", input, windowSize, strides, padding)
    let windows = input.patches(geometry).reshaped(
        to: [geometry.batch, geometry.outHeight, geometry.outWidth, geometry.windowArea, geometry.channels])
    let sums = windows.sum(axes: [3])
    guard geometry.isPadded else { return sums / Double(geometry.windowArea) }
    let counts = Tensor.windowCellsInside(geometry, dtype: input.dtype).cast(to: input.dtype).sum(axes: [3])
    return sums / counts
}

/// The geometry of a pooling's windows, or stops with a message naming `op` when a window
/// could hold no cell of the image.
private func poolingGeometry(
    _ op: String, _ input: Tensor, _ windowSize: (Int, Int), _ strides: (Int, Int)?, _ padding: Padding
) -> PatchGeometry {
    Tensor.requireFloatingPoint(input, op)
    let geometry = PatchGeometry(
        op: op, image: input.shape, window: windowSize, strides: strides ?? windowSize, dilations: (1, 1),
        padding: padding)
    checkPrecondition(
        Swift.max(geometry.padTop, geometry.padBottom) < windowSize.0
            && Swift.max(geometry.padLeft, geometry.padRight) < windowSize.1,
        "\(op): padding \(padding) leaves windows with no cell of the image; pad less than the "
            + "\(windowSize.0)×\(windowSize.1) window on every side")
    return geometry
}
