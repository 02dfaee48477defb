import CRetrogradKernels

// The image-window kernels behind convolution and pooling: image patches (im2col and
// col2im) and max pooling with its pick/spread pair.

extension Kernels {
    /// The patches of `image` (`geometry.imageShape`): `geometry.patchesShape`, zeros where
    /// a window covers padding. Split by output rows across the cores for large images.
    static func patches(_ image: Tensor, _ geometry: PatchGeometry) -> TensorStorage {
        let size = image.dtype.byteSize
        return byRows(image, geometry, into: geometry.patchesShape, rows: geometry.batch * geometry.outHeight) {
            rg_im2col(size, $0, $1, $2, $3, $4)
        }
    }

    /// The adjoint of ``patches(_:_:)``: the image (`geometry.imageShape`) in which each
    /// cell holds the sum of every patch value taken from it. Split by image rows across
    /// the cores for large images.
    static func patchesAdjoint(_ patches: Tensor, _ geometry: PatchGeometry) -> TensorStorage {
        let dtype = patches.dtype.kernelType
        return byRows(patches, geometry, into: geometry.imageShape, rows: geometry.batch * geometry.height) {
            rg_col2im(dtype, $0, $1, $2, $3, $4)
        }
    }

    /// Max pooling of `image` over `geometry`'s windows (no dilation): the largest value of
    /// each window, channel by channel (`[batch, outHeight, outWidth, channels]`), and the
    /// winners, int32 of the same shape, each the cell `ih · width + iw` of its image that
    /// the value came from (the first largest in the window, or the first NaN). Split by
    /// output rows across the cores for large images.
    static func maxPool(_ image: Tensor, _ geometry: PatchGeometry) -> (values: TensorStorage, winners: TensorStorage) {
        let dtype = image.dtype.kernelType
        let winners = TensorStorage.allocate(.int32, shape: geometry.pooledShape)
        let values = withExtendedLifetime(winners) {
            let indices = winners.raw.assumingMemoryBound(to: Int32.self)
            return byRows(image, geometry, into: geometry.pooledShape, rows: geometry.batch * geometry.outHeight) {
                rg_max_pool(dtype, $0, $1, $2, indices, $3, $4)
            }
        }
        return (values, winners)
    }

    /// The values of `image` at `winners` (``maxPool(_:_:)``'s): `[batch, outHeight,
    /// outWidth, channels]`. Split by output rows across the cores for large images.
    static func poolPick(_ image: Tensor, winners: Tensor, _ geometry: PatchGeometry) -> TensorStorage {
        let size = image.dtype.byteSize
        return withExtendedLifetime(winners.storage) {
            let indices = UnsafePointer(winners.storage.raw.assumingMemoryBound(to: Int32.self))
            return byRows(image, geometry, into: geometry.pooledShape, rows: geometry.batch * geometry.outHeight) {
                rg_pool_pick(size, $0, $1, indices, $2, $3, $4)
            }
        }
    }

    /// The adjoint of ``poolPick(_:winners:_:)``: an image (`geometry.imageShape`) of
    /// zeros with each of `values` added into the cell its winner names. Split by images
    /// across the cores for large batches (windows may overlap, so images are the units
    /// that own their cells).
    static func poolSpread(_ values: Tensor, winners: Tensor, _ geometry: PatchGeometry) -> TensorStorage {
        let dtype = values.dtype.kernelType
        let out = TensorStorage.allocate(values.dtype, shape: geometry.imageShape)
        withExtendedLifetime((values.storage, winners.storage)) {
            let (source, result) = (UnsafeRawPointer(values.storage.raw), out.raw)
            let indices = UnsafePointer(winners.storage.raw.assumingMemoryBound(to: Int32.self))
            let imageWork = geometry.height * geometry.width * geometry.channels
            withUnsafePointer(to: geometry.kernelLayout) { layout in
                Parallel.forEachRange(of: geometry.batch, elementsPerItem: imageWork) { range in
                    rg_pool_spread(dtype, layout, source, indices, result, Int64(range.lowerBound), Int64(range.upperBound))
                }
            }
        }
        return out
    }

    /// Allocates the result of `shape` and has `kernel` (geometry, source, result, first
    /// row, end row) fill its `rows` rows, in one range per core when the work is large.
    private static func byRows(
        _ source: Tensor, _ geometry: PatchGeometry, into shape: Shape, rows: Int,
        _ kernel: (UnsafePointer<rg_patch_geometry>, UnsafeRawPointer, UnsafeMutableRawPointer, Int64, Int64) -> Void
    ) -> TensorStorage {
        let out = TensorStorage.allocate(source.dtype, shape: shape)
        // A row of any of these kernels touches at most about one row of patches.
        let rowWork = geometry.outWidth * geometry.windowArea * geometry.channels
        withExtendedLifetime(source.storage) {
            let (input, output) = (UnsafeRawPointer(source.storage.raw), out.raw)
            withUnsafePointer(to: geometry.kernelLayout) { layout in
                Parallel.forEachRange(of: rows, elementsPerItem: rowWork) { range in
                    kernel(layout, input, output, Int64(range.lowerBound), Int64(range.upperBound))
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
