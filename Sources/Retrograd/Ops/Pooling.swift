// 2-d pooling: the image's windows (the `patches` primitive) reduced over the window by
// `max` or a sum, so gradients and tangents come from those ops' rules.
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
/// The gradient follows Retrograd's rule for `max`: tied largest values in a window share
/// it equally (TensorFlow and PyTorch give it all to the first).
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
    let (geometry, windows) = poolingWindows("maxPool2D", input, windowSize, strides, padding)
    guard geometry.isPadded else { return windows.max(axes: [3]) }
    let inside = Tensor.windowCellsInside(geometry, dtype: input.dtype)
    return select(inside, windows, -Double.infinity).max(axes: [3])
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
    let (geometry, windows) = poolingWindows("avgPool2D", input, windowSize, strides, padding)
    let sums = windows.sum(axes: [3])
    guard geometry.isPadded else { return sums / Double(geometry.windowArea) }
    let counts = Tensor.windowCellsInside(geometry, dtype: input.dtype).cast(to: input.dtype).sum(axes: [3])
    return sums / counts
}

/// The geometry of a pooling's windows and the windows as `[batch, outHeight, outWidth,
/// windowArea, channels]`.
private func poolingWindows(
    _ op: String, _ input: Tensor, _ windowSize: (Int, Int), _ strides: (Int, Int)?, _ padding: Padding
) -> (PatchGeometry, Tensor) {
    Tensor.requireFloatingPoint(input, op)
    let geometry = PatchGeometry(
        op: op, image: input.shape, window: windowSize, strides: strides ?? windowSize, dilations: (1, 1),
        padding: padding)
    checkPrecondition(
        Swift.max(geometry.padTop, geometry.padBottom) < windowSize.0
            && Swift.max(geometry.padLeft, geometry.padRight) < windowSize.1,
        "\(op): padding \(padding) leaves windows with no cell of the image; pad less than the "
            + "\(windowSize.0)×\(windowSize.1) window on every side")
    let windows = input.patches(geometry).reshaped(
        to: [geometry.batch, geometry.outHeight, geometry.outWidth, geometry.windowArea, geometry.channels])
    return (geometry, windows)
}
