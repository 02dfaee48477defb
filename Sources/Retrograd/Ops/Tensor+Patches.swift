// Image patches: the one primitive pair behind convolution and pooling. `patches`
// (im2col) lays every window of an NHWC image out as a row; `patchesAdjoint` (col2im) adds
// the rows back into the image. Both are linear and each is the other's transpose, so
// their derivative rules are each other and differentiate again to any order.

/// The windows of NHWC images as rows: for `images` `[batch, height, width, channels]`,
/// a `[batch, outHeight, outWidth, windowHeight · windowWidth · channels]` tensor whose last
/// axis holds one window's cells ordered (window row, window column, channel), with zeros
/// where a window covers padding.
///
/// TensorFlow's `tf.image.extract_patches` (its `rates` are `dilations` here); the output
/// size along each axis is as ``Padding`` describes. ``conv2d(_:filter:strides:padding:dilations:groups:)``
/// is these patches times the filter, and the pooling ops reduce them over the window.
///
/// ```swift
/// let images = Tensor((0..<16).map(Float.init), shape: [1, 4, 4, 1])
/// let rows = extractPatches(images, windowSize: (2, 2), strides: (2, 2))  // [1, 2, 2, 4]
/// ```
///
/// - Parameters:
///   - images: A float32 or float64 `[batch, height, width, channels]` tensor.
///   - windowSize: The window's height and width.
///   - strides: The steps between windows, vertical and horizontal.
///   - padding: Where the windows may leave the image (``Padding``).
///   - dilations: The steps between a window's cells (1 for adjacent cells).
public func extractPatches(
    _ images: Tensor, windowSize: (Int, Int), strides: (Int, Int) = (1, 1), padding: Padding = .valid,
    dilations: (Int, Int) = (1, 1)
) -> Tensor {
    Tensor.requireFloatingPoint(images, "extractPatches")
    let geometry = PatchGeometry(
        op: "extractPatches", image: images.shape, window: windowSize, strides: strides, dilations: dilations,
        padding: padding)
    return images.patches(geometry)
}

extension Tensor {
    /// The `patches` primitive: this image's windows as rows (`geometry.patchesShape`).
    func patches(_ geometry: PatchGeometry) -> Tensor {
        let result = Tensor(storage: Kernels.patches(self, geometry))
        Tensor.record(.patches(geometry), result, self)
        return result
    }

    /// The `patchesAdjoint` primitive: the image (`geometry.imageShape`) in which each cell
    /// holds the sum of the values of these patches (`geometry.patchesShape`) taken from it.
    func patchesAdjoint(_ geometry: PatchGeometry) -> Tensor {
        let result = Tensor(storage: Kernels.patchesAdjoint(self, geometry))
        Tensor.record(.patchesAdjoint(geometry), result, self)
        return result
    }

    /// A bool mask of shape `[1, outHeight, outWidth, windowArea, 1]`: whether each cell of
    /// each window lies inside the image rather than in the padding.
    static func windowCellsInside(_ geometry: PatchGeometry, dtype: DType) -> Tensor {
        var single = geometry.with(channels: 1)
        single.batch = 1
        let ones = Tensor.ones(shape: single.imageShape, dtype: dtype)
        return withoutRecording {
            (ones.patches(single) .> 0).reshaped(to: [1, geometry.outHeight, geometry.outWidth, geometry.windowArea, 1])
        }
    }
}
