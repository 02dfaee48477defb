// Max pooling as a primitive. Its forward kernel finds each window's largest cell and keeps
// where it was (the winners); from then on max pooling is linear in its input, the values
// at those cells. So the op records `maxPoolPick` (read the winning cells), whose transpose
// `maxPoolSpread` (add values back into the winning cells) is its gradient. The pair's rules
// are each other and their forward rules are themselves, as for `patches` and
// `patchesAdjoint`, so max pooling differentiates to any order, and the winners, found once,
// serve every derivative.

/// Where each window's maximum came from: for every output of a max pooling (`[batch,
/// outHeight, outWidth, channels]`), the cell `ih · width + iw` of its own image, int32.
/// The records of the max-pool primitive pair keep it with the windows' geometry.
struct MaxPoolWinners {
    /// The pooling's windows: `imageShape` is the input's, `pooledShape` the output's.
    let geometry: PatchGeometry
    /// The winning cells, int32, `geometry.pooledShape`.
    let cells: Tensor
}

extension Tensor {
    /// Max pooling of this image over `geometry`'s windows (no dilation, each window holding
    /// a cell of the image), recorded as `maxPoolPick` at the winning cells.
    func maxPooled(_ geometry: PatchGeometry) -> Tensor {
        let (values, winners) = Kernels.maxPool(self, geometry)
        let result = Tensor(storage: values)
        Tensor.record(.maxPoolPick(MaxPoolWinners(geometry: geometry, cells: Tensor(storage: winners))), result, self)
        return result
    }

    /// The `maxPoolPick` primitive: this image's values (`geometry.imageShape`) at the
    /// winning cells, `geometry.pooledShape`.
    func pickingWinners(_ winners: MaxPoolWinners) -> Tensor {
        let result = Tensor(storage: Kernels.poolPick(self, winners: winners.cells, winners.geometry))
        Tensor.record(.maxPoolPick(winners), result, self)
        return result
    }

    /// The `maxPoolSpread` primitive: the image (`geometry.imageShape`) in which each cell
    /// holds the sum of the values of this tensor (`geometry.pooledShape`) whose winner it is.
    func spreadingToWinners(_ winners: MaxPoolWinners) -> Tensor {
        let result = Tensor(storage: Kernels.poolSpread(self, winners: winners.cells, winners.geometry))
        Tensor.record(.maxPoolSpread(winners), result, self)
        return result
    }
}
