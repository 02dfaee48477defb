/// Where the windows of a 2-d convolution or pooling fall on an NHWC image: what the
/// `patches` primitive and its adjoint read, and what their records keep.
///
/// The image is `[batch, height, width, channels]`; the patches are `[batch, outHeight,
/// outWidth, windowHeight · windowWidth · channels]`, each row ordered (row of the window,
/// column of the window, channel), as TensorFlow's `extract_patches` orders them.
struct PatchGeometry: Hashable, Sendable {
    var batch: Int, height: Int, width: Int, channels: Int
    var windowHeight: Int, windowWidth: Int
    var strideHeight: Int, strideWidth: Int
    var dilationHeight: Int, dilationWidth: Int
    var padTop: Int, padBottom: Int, padLeft: Int, padRight: Int
    var outHeight: Int, outWidth: Int

    /// The geometry of windows of `window` cells over an image of shape `image`, or stops
    /// with a message naming `op` when the arguments do not fit.
    init(
        op: String, image: Shape, window: (Int, Int), strides: (Int, Int), dilations: (Int, Int),
        padding: Padding
    ) {
        checkPrecondition(
            image.rank == 4,
            "\(op): needs an NHWC image [batch, height, width, channels], got shape \(image); "
                + "add a batch axis with .reshaped(to: [1, …]) for a single image")
        checkPrecondition(
            window.0 > 0 && window.1 > 0, "\(op): the window must be at least 1×1, got \(window.0)×\(window.1)")
        checkPrecondition(
            strides.0 > 0 && strides.1 > 0, "\(op): strides must be positive, got (\(strides.0), \(strides.1))")
        checkPrecondition(
            dilations.0 > 0 && dilations.1 > 0, "\(op): dilations must be positive, got (\(dilations.0), \(dilations.1))")
        checkPrecondition(!padding.hasNegativeAmount, "\(op): explicit padding must not be negative, got \(padding)")
        (batch, height, width, channels) = (image[0], image[1], image[2], image[3])
        (windowHeight, windowWidth) = window
        (strideHeight, strideWidth) = strides
        (dilationHeight, dilationWidth) = dilations
        let rows = padding.resolve(vertical: true, size: height, window: window.0, stride: strides.0, dilation: dilations.0)
        let columns = padding.resolve(vertical: false, size: width, window: window.1, stride: strides.1, dilation: dilations.1)
        guard let rows, let columns else {
            preconditionFailed(
                "\(op): a \(window.0)×\(window.1) window with dilations (\(dilations.0), \(dilations.1)) does not fit "
                    + "the \(image[1])×\(image[2]) image of shape \(image) with padding \(padding); "
                    + "use a smaller window or more padding (.same pads to fit)")
        }
        (padTop, padBottom, outHeight) = rows
        (padLeft, padRight, outWidth) = columns
    }

    /// The image's shape.
    var imageShape: Shape { [batch, height, width, channels] }

    /// The patches' shape.
    var patchesShape: Shape { [batch, outHeight, outWidth, windowHeight * windowWidth * channels] }

    /// The shape of a pooling's result: `[batch, outHeight, outWidth, channels]`.
    var pooledShape: Shape { [batch, outHeight, outWidth, channels] }

    /// The number of cells in one window.
    var windowArea: Int { windowHeight * windowWidth }

    /// Whether any window reaches into the padding.
    var isPadded: Bool { padTop + padBottom + padLeft + padRight > 0 }

    /// The same windows over an image with `channels` channels.
    func with(channels: Int) -> PatchGeometry {
        var copy = self
        copy.channels = channels
        return copy
    }
}
