// 2-d convolution and its transpose, written with the `patches` primitive pair and
// `matmul`: a convolution is the image's patches times the filter (one GEMM), and its
// transpose is the input times the filter's transpose added back into an image. Their
// gradients and tangents come from the rules of those primitives, so they differentiate
// to any order.

/// The 2-d convolution (cross-correlation, as in every deep-learning library) of NHWC
/// images with an HWIO filter.
///
/// `input` is `[batch, height, width, channels]` and `filter` is `[filterHeight,
/// filterWidth, channels / groups, outChannels]`; the result is `[batch, outHeight,
/// outWidth, outChannels]`, its size along each axis as ``Padding`` describes:
///
///     y[n, i, j, o] = Σ x[n, i·sh + a·dh − top, j·sw + b·dw − left, g·C/G + c] · filter[a, b, c, o]
///
/// summed over the window's rows `a`, columns `b` and the channels `c` of output channel
/// `o`'s group `g` (cells outside the image count as 0). No bias is added.
///
/// **Why NHWC.** It is TensorFlow's default layout, and it keeps a pixel's channels
/// contiguous: each window cell is one contiguous run of channels, so laying the windows
/// out as the rows of a matrix (im2col, see ``extractPatches(_:windowSize:strides:padding:dilations:)``)
/// copies whole runs, and the convolution is then a single matrix product
/// `[batch·outHeight·outWidth, filterHeight·filterWidth·channels] · [filterHeight·filterWidth·channels, outChannels]`
/// whose result already is the NHWC output, with no transposition on either side.
///
/// **Groups.** With `groups` G, the channels and the output channels are split into G
/// equal consecutive groups and group g's outputs see only group g's channels. `groups`
/// equal to the channel count is a depthwise convolution (TensorFlow's
/// `depthwise_conv2d` with its `[h, w, channels, multiplier]` filter reshaped to
/// `[h, w, 1, channels · multiplier]`).
///
/// ```swift
/// let images = Tensor.zeros(shape: [8, 28, 28, 1])
/// let filter = Tensor.ones(shape: [5, 5, 1, 32]) / 25
/// let features = conv2d(images, filter: filter, padding: .same)  // [8, 28, 28, 32]
/// ```
///
/// - Parameters:
///   - input: A float32 or float64 `[batch, height, width, channels]` tensor.
///   - filter: A `[filterHeight, filterWidth, channels / groups, outChannels]` tensor of
///     `input`'s element type; `outChannels` must be a multiple of `groups`.
///   - strides: The steps between windows, vertical and horizontal.
///   - padding: Where the windows may leave the image (``Padding``).
///   - dilations: The steps between a window's cells (atrous convolution when above 1).
///   - groups: The number of channel groups.
public func conv2d(
    _ input: Tensor, filter: Tensor, strides: (Int, Int) = (1, 1), padding: Padding = .valid,
    dilations: (Int, Int) = (1, 1), groups: Int = 1
) -> Tensor {
    Tensor.requireFloatingPoint(input, "conv2d")
    checkPrecondition(
        filter.rank == 4, "conv2d: the filter must be [height, width, channels / groups, outChannels], got \(filter.shape)")
    checkPrecondition(
        input.dtype == filter.dtype, "conv2d: input is \(input.dtype) and filter \(filter.dtype); convert one with .cast(to:)")
    let geometry = PatchGeometry(
        op: "conv2d", image: input.shape, window: (filter.shape[0], filter.shape[1]), strides: strides,
        dilations: dilations, padding: padding)
    let (channels, outChannels) = (geometry.channels, filter.shape[3])
    checkPrecondition(
        groups > 0 && channels % groups == 0 && outChannels % groups == 0,
        "conv2d: \(groups) groups must divide the \(channels) input channels of \(input.shape) and the "
            + "\(outChannels) output channels of filter \(filter.shape)")
    checkPrecondition(
        filter.shape[2] == channels / groups,
        "conv2d: filter \(filter.shape) has \(filter.shape[2]) input channels per group, but input \(input.shape) "
            + "in \(groups) group\(groups == 1 ? "" : "s") has \(channels / groups); the filter is [height, width, "
            + "channels / groups, outChannels] (HWIO)")
    let rows = geometry.batch * geometry.outHeight * geometry.outWidth
    let outputShape: Shape = [geometry.batch, geometry.outHeight, geometry.outWidth, outChannels]
    // A 1×1 window at stride 1 without padding: the image already is its patch matrix.
    let isPointwise = geometry.windowArea == 1 && (geometry.strideHeight, geometry.strideWidth) == (1, 1) && !geometry.isPadded
    let patches = isPointwise ? input : input.patches(geometry)
    if groups == 1 {
        let depth = geometry.windowArea * channels
        return patches.reshaped(to: [rows, depth]).matmul(filter.reshaped(to: [depth, outChannels]))
            .reshaped(to: outputShape)
    }
    // One product per group: [groups, rows, window·channels/groups] · [groups, window·channels/groups, outChannels/groups].
    let (groupChannels, groupOutputs) = (channels / groups, outChannels / groups)
    let groupDepth = geometry.windowArea * groupChannels
    let groupedPatches = patches.reshaped(to: [rows, geometry.windowArea, groups, groupChannels])
        .permuted([2, 0, 1, 3]).reshaped(to: [groups, rows, groupDepth])
    let groupedFilter = filter.reshaped(to: [geometry.windowArea, groupChannels, groups, groupOutputs])
        .permuted([2, 0, 1, 3]).reshaped(to: [groups, groupDepth, groupOutputs])
    return groupedPatches.matmul(groupedFilter).permuted([1, 0, 2]).reshaped(to: outputShape)
}

/// The transpose of ``conv2d(_:filter:strides:padding:dilations:groups:)`` with respect to
/// its input ("deconvolution"): TensorFlow's `conv2d_transpose`.
///
/// `input` is `[batch, height, width, inChannels]` and `filter` is `[filterHeight,
/// filterWidth, outChannels, inChannels]` (TensorFlow's layout for this op); the result
/// is `[batch, outHeight, outWidth, outChannels]`, and a `conv2d` of that shape with the
/// same filter, strides, padding and dilations gives `input`'s shape back. Each input
/// pixel spreads `filter`-weighted copies of itself over a window of the output, windows
/// stride apart, and overlapping copies add up.
///
/// Several output sizes map back to one input size when the stride exceeds 1; pass
/// `outputSize` to pick one. Without it the output is `height · stride` for ``Padding/same``
/// (TensorFlow's and Keras's choice) and the smallest fitting size, `(height − 1) · stride +
/// (filterHeight − 1) · dilation + 1 − (top + bottom)`, for ``Padding/valid`` and explicit
/// padding (likewise for the width).
///
/// ```swift
/// let codes = Tensor.zeros(shape: [8, 7, 7, 16])
/// let filter = Tensor.ones(shape: [4, 4, 3, 16])
/// let images = conv2dTranspose(codes, filter: filter, strides: (2, 2), padding: .same)  // [8, 14, 14, 3]
/// ```
///
/// - Parameters:
///   - input: A float32 or float64 `[batch, height, width, inChannels]` tensor.
///   - filter: A `[filterHeight, filterWidth, outChannels, inChannels]` tensor of `input`'s
///     element type.
///   - outputSize: The output's height and width, or nil for the default above.
///   - strides: The forward convolution's strides (the upsampling factors here).
///   - padding: The forward convolution's padding, resolved for the output's size.
///   - dilations: The forward convolution's dilations.
public func conv2dTranspose(
    _ input: Tensor, filter: Tensor, outputSize: (height: Int, width: Int)? = nil, strides: (Int, Int) = (1, 1),
    padding: Padding = .valid, dilations: (Int, Int) = (1, 1)
) -> Tensor {
    Tensor.requireFloatingPoint(input, "conv2dTranspose")
    checkPrecondition(
        input.rank == 4,
        "conv2dTranspose: needs an NHWC input [batch, height, width, channels], got shape \(input.shape)")
    checkPrecondition(
        filter.rank == 4 && filter.shape[3] == input.shape[3],
        "conv2dTranspose: the filter must be [height, width, outChannels, inChannels] with inChannels = "
            + "\(input.shape[3]) (the input's channels), got \(filter.shape)")
    checkPrecondition(
        input.dtype == filter.dtype,
        "conv2dTranspose: input is \(input.dtype) and filter \(filter.dtype); convert one with .cast(to:)")
    checkPrecondition(
        strides.0 > 0 && strides.1 > 0 && dilations.0 > 0 && dilations.1 > 0 && !padding.hasNegativeAmount,
        "conv2dTranspose: strides (\(strides.0), \(strides.1)) and dilations (\(dilations.0), \(dilations.1)) must be "
            + "positive and padding \(padding) not negative")
    let (batch, height, width, inChannels) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
    let (window, outChannels) = ((filter.shape[0], filter.shape[1]), filter.shape[2])
    let size = outputSize ?? (
        defaultTransposedSize(height, window: window.0, stride: strides.0, dilation: dilations.0, padding, vertical: true),
        defaultTransposedSize(width, window: window.1, stride: strides.1, dilation: dilations.1, padding, vertical: false))
    checkPrecondition(
        size.height > 0 && size.width > 0,
        "conv2dTranspose: the output would be \(size.height)×\(size.width); pass a positive outputSize or less padding")
    let geometry = PatchGeometry(
        op: "conv2dTranspose", image: [batch, size.height, size.width, outChannels], window: window, strides: strides,
        dilations: dilations, padding: padding)
    checkPrecondition(
        (geometry.outHeight, geometry.outWidth) == (height, width),
        "conv2dTranspose: a conv2d of a \(size.height)×\(size.width) image gives \(geometry.outHeight)×"
            + "\(geometry.outWidth), not the input's \(height)×\(width); pick an outputSize that maps back to it")
    let depth = geometry.windowArea * outChannels
    let patches = input.reshaped(to: [batch * height * width, inChannels])
        .matmul(filter.reshaped(to: [depth, inChannels]), transposingB: true)
    return patches.reshaped(to: geometry.patchesShape).patchesAdjoint(geometry)
}

/// The output size of a transposed convolution along one axis when none is given.
private func defaultTransposedSize(
    _ size: Int, window: Int, stride: Int, dilation: Int, _ padding: Padding, vertical: Bool
) -> Int {
    let extent = (window - 1) * dilation + 1
    switch padding {
    case .same: return size * stride
    case .valid: return (size - 1) * stride + extent
    case let .explicit(top, bottom, left, right):
        return (size - 1) * stride + extent - (vertical ? top + bottom : left + right)
    }
}
