// Index-valued reductions: not differentiable. The tape notes them as cuts, so a
// gradient-flow report can name them.

extension Tensor {
    /// The index of the largest element along `axis` (the last by default), as an `int32`
    /// tensor with that axis removed.
    ///
    /// Ties go to the lowest index; a NaN is never larger than anything, so it is picked
    /// only when it comes first. Not differentiable: a tape records no gradient through
    /// it, and a ``GradientFlowReport`` names it when a source reaches the target only
    /// this way.
    public func argmax(axis: Int = -1) -> Tensor { indexOfExtreme(axis: axis, largest: true) }

    /// The index of the smallest element along `axis` (the last by default), as an
    /// `int32` tensor with that axis removed. Ties go to the lowest index. Not
    /// differentiable.
    public func argmin(axis: Int = -1) -> Tensor { indexOfExtreme(axis: axis, largest: false) }

    private func indexOfExtreme(axis: Int, largest: Bool) -> Tensor {
        let op = largest ? "argmax" : "argmin"
        checkPrecondition(dtype != .bool, "\(op): needs a float32, float64 or int32 tensor, got bool of shape \(shape)")
        let axis = shape.normalize(axis: axis, op: op)
        let size = shape[axis]
        checkPrecondition(size > 0, "\(op): axis \(axis) of shape \(shape) is empty")
        let outer = shape.dimensions[..<axis].reduce(1, *), inner = shape.dimensions[(axis + 1)...].reduce(1, *)
        var dims = shape.dimensions
        dims.remove(at: axis)
        let outShape = Shape(dims)
        let result = Tensor(shape: outShape, of: Int32.self) { indices in
            switch dtype {
            case .float32: withUnsafeScalars(as: Float.self) { Self.extremes($0, outer, size, inner, largest, into: indices) }
            case .float64: withUnsafeScalars(as: Double.self) { Self.extremes($0, outer, size, inner, largest, into: indices) }
            case .int32: withUnsafeScalars(as: Int32.self) { Self.extremes($0, outer, size, inner, largest, into: indices) }
            case .bool: preconditionFailed("\(op): bool tensors have no order")
            }
        }
        Tensor.recordCut(largest ? .argmax : .argmin, result, self)
        return result
    }

    /// For each (outer, inner) position, the index along the middle axis of the largest
    /// (or smallest) element; the first wins ties.
    private static func extremes<Scalar: Comparable>(
        _ values: UnsafeBufferPointer<Scalar>, _ outer: Int, _ size: Int, _ inner: Int, _ largest: Bool,
        into indices: UnsafeMutableBufferPointer<Int32>
    ) {
        for o in 0..<outer {
            for i in 0..<inner {
                let base = o * size * inner + i
                var best = 0
                var bestValue = values[base]
                for k in 1..<size {
                    let candidate = values[base + k * inner]
                    if largest ? candidate > bestValue : candidate < bestValue {
                        best = k
                        bestValue = candidate
                    }
                }
                indices[o * inner + i] = Int32(best)
            }
        }
    }
}
