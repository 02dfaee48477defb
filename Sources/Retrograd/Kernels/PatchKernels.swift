import CRetrogradKernels

// The image-patch kernels (im2col and col2im) behind convolution and pooling.

extension Kernels {
    /// The patches of `image` (`geometry.imageShape`): `geometry.patchesShape`, zeros where
    /// a window covers padding. Split by output rows across the cores for large images.
    static func patches(_ image: Tensor, _ geometry: PatchGeometry) -> TensorStorage {
        let out = TensorStorage.allocate(image.dtype, shape: geometry.patchesShape)
        let rowElements = geometry.outWidth * geometry.windowArea * geometry.channels
        withExtendedLifetime(image.storage) {
            let (input, output, size) = (image.storage.raw, out.raw, image.dtype.byteSize)
            withUnsafePointer(to: geometry.kernelLayout) { layout in
                Parallel.forEachRange(of: geometry.batch * geometry.outHeight, elementsPerItem: rowElements) { rows in
                    rg_im2col(size, layout, input, output, Int64(rows.lowerBound), Int64(rows.upperBound))
                }
            }
        }
        return out
    }

    /// The adjoint of ``patches(_:_:)``: the image (`geometry.imageShape`) in which each
    /// cell holds the sum of every patch value taken from it. Split by image rows across
    /// the cores for large images.
    static func patchesAdjoint(_ patches: Tensor, _ geometry: PatchGeometry) -> TensorStorage {
        let out = TensorStorage.allocate(patches.dtype, shape: geometry.imageShape)
        // Each image row reads about windowHeight / strideHeight patch rows.
        let rowWork = geometry.outWidth * geometry.windowArea * geometry.channels
        withExtendedLifetime(patches.storage) {
            let (input, output, dtype) = (patches.storage.raw, out.raw, patches.dtype.kernelType)
            withUnsafePointer(to: geometry.kernelLayout) { layout in
                Parallel.forEachRange(of: geometry.batch * geometry.height, elementsPerItem: rowWork) { rows in
                    rg_col2im(dtype, layout, input, output, Int64(rows.lowerBound), Int64(rows.upperBound))
                }
            }
        }
        return out
    }
}

extension PatchGeometry {
    /// The geometry as the C kernels take it.
    fileprivate var kernelLayout: rg_patch_geometry {
        rg_patch_geometry(
            batch: Int64(batch), height: Int64(height), width: Int64(width), channels: Int64(channels),
            kernel_height: Int64(windowHeight), kernel_width: Int64(windowWidth),
            stride_height: Int64(strideHeight), stride_width: Int64(strideWidth),
            dilation_height: Int64(dilationHeight), dilation_width: Int64(dilationWidth),
            pad_top: Int64(padTop), pad_left: Int64(padLeft),
            out_height: Int64(outHeight), out_width: Int64(outWidth))
    }
}
