// Reductions: `sum` and `max` are primitives; the rest are written with them.

extension Tensor {
    /// The shape left after reducing `axes`.
    private func reducedShape(_ axes: [Int], keepingDimensions: Bool) -> Shape {
        keepingDimensions ? shape.keeping(axes) : shape.removing(axes)
    }

    /// The sum over `axes` (all axes when nil); reduced axes are dropped unless
    /// `keepingDimensions` keeps them with size 1. Negative axes count from the end. An
    /// int32 sum is int32 and wraps around on overflow.
    public func sum(axes: [Int]? = nil, keepingDimensions: Bool = false) -> Tensor {
        if _slowPath(!dtype.isFloatingPoint) { Tensor.requireArithmetic(self, "sum") }
        let axes = shape.normalize(axes: axes, op: "sum")
        let outShape = reducedShape(axes, keepingDimensions: keepingDimensions)
        if axes.isEmpty { return reshaped(to: outShape) }  // nothing to reduce: the value, recorded
        let out = Tensor(storage: Kernels.reduce(.sum, self, axes: axes, into: outShape))
        Tensor.record(.sum(inputShape: shape, axes: axes), out, self)
        return out
    }

    /// The maximum over `axes` (all axes when nil), of an int32 tensor too. The gradient
    /// is shared evenly among tied maxima.
    public func max(axes: [Int]? = nil, keepingDimensions: Bool = false) -> Tensor {
        if _slowPath(!dtype.isFloatingPoint) { Tensor.requireArithmetic(self, "max") }
        let axes = shape.normalize(axes: axes, op: "max")
        for axis in axes { checkPrecondition(shape[axis] > 0, "max: axis \(axis) of shape \(shape) is empty") }
        let outShape = reducedShape(axes, keepingDimensions: keepingDimensions)
        if axes.isEmpty { return reshaped(to: outShape) }  // nothing to reduce: the value, recorded
        let out = Tensor(storage: Kernels.reduce(.max, self, axes: axes, into: outShape))
        // The result with the reduced axes kept, under identity 0, which no tape ever tracks.
        Tensor.record(.max(x: self, keptY: Tensor(storage: out.storage, shape: shape.keeping(axes), id: 0), axes: axes), out, self)
        return out
    }

    /// The minimum over `axes` (all axes when nil).
    public func min(axes: [Int]? = nil, keepingDimensions: Bool = false) -> Tensor {
        -((-self).max(axes: axes, keepingDimensions: keepingDimensions))
    }

    /// The arithmetic mean over `axes` (all axes when nil), of a floating-point tensor.
    public func mean(axes: [Int]? = nil, keepingDimensions: Bool = false) -> Tensor {
        Tensor.requireFloatingPoint(self, "mean")
        let resolved = shape.normalize(axes: axes, op: "mean")
        let count = resolved.reduce(1) { $0 * shape[$1] }
        return sum(axes: resolved, keepingDimensions: keepingDimensions) / Double(count)
    }

    /// The population variance (divided by n) over `axes` (all axes when nil).
    public func variance(axes: [Int]? = nil, keepingDimensions: Bool = false) -> Tensor {
        let centered = self - mean(axes: axes, keepingDimensions: true)
        return (centered * centered).mean(axes: axes, keepingDimensions: keepingDimensions)
    }

    /// log(Σ exp(x)) over `axes`, shifted by the maximum so large inputs do not overflow.
    public func logSumExp(axes: [Int]? = nil, keepingDimensions: Bool = false) -> Tensor {
        let axes = shape.normalize(axes: axes, op: "logSumExp")
        let shift = stopGradient(max(axes: axes, keepingDimensions: true))
        let total = (self - shift).exp().sum(axes: axes, keepingDimensions: true).log() + shift
        return keepingDimensions ? total : total.reshaped(to: reducedShape(axes, keepingDimensions: false))
    }

    /// exp(x) / Σ exp(x) along `axis` (the last by default).
    public func softmax(axis: Int = -1) -> Tensor {
        let axis = shape.normalize(axis: axis, op: "softmax")
        let shifted = self - stopGradient(max(axes: [axis], keepingDimensions: true))
        let e = shifted.exp()
        return e / e.sum(axes: [axis], keepingDimensions: true)
    }

    /// log(softmax(x)) along `axis`: x − logSumExp(x), shifted by the maximum so large
    /// inputs do not overflow. Its derivative is g − softmax(x)·Σg along the axis.
    public func logSoftmax(axis: Int = -1) -> Tensor {
        Tensor.requireFloatingPoint(self, "logSoftmax")
        let axis = shape.normalize(axis: axis, op: "logSoftmax")
        checkPrecondition(shape[axis] > 0, "logSoftmax: axis \(axis) of shape \(shape) is empty")
        let y = Tensor(storage: Kernels.logSoftmax(self, axis: axis))
        Tensor.record(.logSoftmax(y: y, axis: axis), y, self)
        return y
    }

    /// The softmax cross-entropy of each row of `self` (`[rows, classes]` logits) with its
    /// class in `labels` (int32 `[rows]`, each in `0..<classes`): logSumExp(row) − row[label],
    /// as a `[rows]` tensor. One primitive, so a classifier's loss is one record; RetrogradNN's
    /// `softmaxCrossEntropy(logits:labels:)` checks its arguments and calls it.
    package func softmaxCrossEntropy(labels: Tensor) -> Tensor {
        checkPrecondition(
            rank == 2 && labels.dtype == .int32 && labels.shape == [shape[0]] && shape[1] > 0,
            "softmaxCrossEntropy: logits \(shape) need [rows, classes ≥ 1] and int32 labels [rows], got \(labels.dtype) \(labels.shape)")
        Tensor.requireFloatingPoint(self, "softmaxCrossEntropy")
        let y = Tensor(storage: Kernels.softmaxCrossEntropy(self, labels: labels))
        Tensor.record(.softmaxCrossEntropy(logits: self, labels: labels), y, self)
        return y
    }

    /// The Euclidean (L2) norm over `axes` (all axes when nil). Its gradient at the zero
    /// vector is 0 (the subgradient of smallest norm), not NaN.
    public func norm(axes: [Int]? = nil, keepingDimensions: Bool = false) -> Tensor {
        let squares = (self * self).sum(axes: axes, keepingDimensions: keepingDimensions)
        let positive = squares .> 0
        return select(positive, select(positive, squares, 1).sqrt(), 0)
    }

    /// Sums a gradient-shaped tensor back to `target`, the shape it was broadcast from.
    func summed(toShape target: Shape) -> Tensor {
        if shape == target { return self }
        let offset = rank - target.rank
        var axes = Array(0..<offset)
        for axis in 0..<target.rank where target[axis] == 1 && shape[axis + offset] != 1 { axes.append(axis + offset) }
        let summed = sum(axes: axes, keepingDimensions: false)
        return summed.shape == target ? summed : summed.reshaped(to: target)
    }
}
