// Shape primitives: reshape, expand, permute, slice, pad, concat, gather, scatter-add.

extension Tensor {
    /// The same elements in a new shape. One dimension may be -1 and is inferred.
    public func reshaped(to newShape: Shape) -> Tensor {
        var target = newShape
        if let inferred = newShape.firstIndex(of: -1) {
            var known = 1
            for axis in 0..<newShape.rank where axis != inferred { known *= newShape[axis] }
            checkPrecondition(known > 0 && elementCount % known == 0, "reshape: cannot reshape \(shape) to \(newShape)")
            target[inferred] = elementCount / known
        }
        checkPrecondition(
            target.allSatisfy { $0 >= 0 } && target.elementCount == elementCount,
            "reshape: cannot reshape \(shape) (\(elementCount) elements) to \(newShape)")
        let out = Tensor(storage: storage, shape: target)
        Tensor.record(.reshape(inputShape: shape), out, self)
        return out
    }

    /// The tensor broadcast to `target` (NumPy rules), materialised.
    public func expanded(to target: Shape) -> Tensor {
        guard let broadcast = Shape.broadcast(shape, target), broadcast == target else {
            preconditionFailed("expand: shape \(shape) cannot be broadcast to \(target)")
        }
        if target == shape { return reshaped(to: shape) }
        let out = TensorStorage.allocate(dtype, shape: target)
        Kernels.copy(storage, strides: shape.broadcastStrides(to: target), into: out, strides: target.strides, shape: target)
        let result = Tensor(storage: out)
        Tensor.record(.expand(inputShape: shape), result, self)
        return result
    }

    /// The axes reordered: axis `i` of the result is axis `permutation[i]` of `self`.
    public func permuted(_ permutation: [Int]) -> Tensor {
        checkPrecondition(
            permutation.count == rank && Set(permutation) == Set(0..<rank),
            "permute: \(permutation) is not a permutation of the axes of shape \(shape)")
        let target = Shape(permutation.map { shape[$0] })
        let own = shape.strides
        let out = TensorStorage.allocate(dtype, shape: target)
        Kernels.copy(storage, strides: permutation.map { own[$0] }, into: out, strides: target.strides, shape: target)
        let result = Tensor(storage: out)
        Tensor.record(.permute(permutation), result, self)
        return result
    }

    /// The last two axes swapped (the matrix transpose for a 2-d tensor).
    public func transposed() -> Tensor {
        checkPrecondition(rank >= 2, "transpose: needs at least 2 dimensions, got shape \(shape)")
        var permutation = Array(0..<rank)
        permutation.swapAt(rank - 1, rank - 2)
        return permuted(permutation)
    }

    /// The block that starts at `lowerBounds` and has `sizes` elements along each axis.
    public func slice(lowerBounds: [Int], sizes: [Int]) -> Tensor {
        checkPrecondition(
            lowerBounds.count == rank && sizes.count == rank,
            "slice: bounds \(lowerBounds) and sizes \(sizes) must have one entry per axis of shape \(shape)")
        for axis in 0..<rank {
            checkPrecondition(
                lowerBounds[axis] >= 0 && sizes[axis] >= 0 && lowerBounds[axis] + sizes[axis] <= shape[axis],
                "slice: start \(lowerBounds) with sizes \(sizes) is out of bounds for shape \(shape)")
        }
        let target = Shape(sizes)
        let own = shape.strides
        let offset = zip(lowerBounds, own).reduce(0) { $0 + $1.0 * $1.1 }
        let out = TensorStorage.allocate(dtype, shape: target)
        Kernels.copy(storage, sourceOffset: offset, strides: own, into: out, strides: target.strides, shape: target)
        let result = Tensor(storage: out)
        Tensor.record(.slice(lowerBounds: lowerBounds, inputShape: shape), result, self)
        return result
    }

    /// The elements `range` along `axis`, all of every other axis.
    public func slice(_ range: Range<Int>, axis: Int = 0) -> Tensor {
        let axis = shape.normalize(axis: axis, op: "slice")
        var lower = [Int](repeating: 0, count: rank), sizes = shape.dimensions
        lower[axis] = range.lowerBound
        sizes[axis] = range.count
        return slice(lowerBounds: lower, sizes: sizes)
    }

    /// The tensor with `before[i]` zeros ahead of and `after[i]` zeros behind axis `i`.
    public func padded(before: [Int], after: [Int]) -> Tensor {
        checkPrecondition(
            before.count == rank && after.count == rank && (before + after).allSatisfy { $0 >= 0 },
            "pad: paddings \(before) and \(after) must be one non-negative entry per axis of shape \(shape)")
        let target = Shape((0..<rank).map { shape[$0] + before[$0] + after[$0] })
        let out = TensorStorage.allocate(dtype, shape: target)
        Kernels.fill(out, 0)
        let strides = target.strides
        let offset = zip(before, strides).reduce(0) { $0 + $1.0 * $1.1 }
        Kernels.copy(storage, strides: shape.strides, into: out, destinationOffset: offset, strides: strides, shape: shape)
        let result = Tensor(storage: out)
        Tensor.record(.pad(lowerBounds: before, inputShape: shape), result, self)
        return result
    }

    /// Picks entries along `axis` by index: the result's `axis` is replaced by the
    /// shape of `indices` (an int32 tensor). Indices must lie in the axis.
    public func gather(indices: Tensor, axis: Int = 0) -> Tensor {
        checkPrecondition(indices.dtype == .int32, "gather: indices must be int32, got \(indices.dtype)")
        let axis = shape.normalize(axis: axis, op: "gather")
        let size = shape[axis]
        let bad = indices.withUnsafeScalars(as: Int32.self) { $0.first { $0 < 0 || Int($0) >= size } }
        if let bad {
            preconditionFailed("gather: index \(bad) is out of range for axis \(axis) of size \(size) in shape \(shape)")
        }
        let outer = shape.product(of: 0..<axis), inner = shape.product(of: (axis + 1)..<rank)
        let target = shape.prefix(axis).appending(indices.shape).appending(shape.suffix(from: axis + 1))
        let out = Kernels.gather(self, outer: outer, axisSize: size, inner: inner, indices: indices, into: target)
        let result = Tensor(storage: out)
        if dtype.isFloatingPoint { Tensor.record(.gather(indices: indices, axis: axis, axisSize: size), result, self) }
        return result
    }

    /// Picks entries along `axis` by index.
    public func gather(indices: [Int], axis: Int = 0) -> Tensor {
        if let bad = indices.first(where: { Int32(exactly: $0) == nil }) {
            let axis = shape.normalize(axis: axis, op: "gather")
            preconditionFailed("gather: index \(bad) is out of range for axis \(axis) of size \(shape[axis]) in shape \(shape)")
        }
        let picked = Tensor(shape: [indices.count], of: Int32.self) { buffer in
            for (position, index) in indices.enumerated() { buffer[position] = Int32(index) }
        }
        return gather(indices: picked, axis: axis)
    }

    /// The adjoint of `gather`: a tensor whose `axis` has `axisSize` entries, with each
    /// slice of `self` added at its index.
    func scatterAdding(indices: Tensor, axis: Int, axisSize: Int) -> Tensor {
        let outer = shape.product(of: 0..<axis)
        let inner = shape.product(of: (axis + indices.rank)..<rank)
        let target = shape.prefix(axis).appending([axisSize]).appending(shape.suffix(from: axis + indices.rank))
        let out = Kernels.scatterAdd(self, outer: outer, inner: inner, indices: indices, axisSize: axisSize, into: target)
        let result = Tensor(storage: out)
        Tensor.record(.scatterAdd(indices: indices, axis: axis), result, self)
        return result
    }
}

/// Joins tensors along an existing axis; all other dimensions must agree.
public func concat(_ tensors: [Tensor], axis: Int) -> Tensor {
    checkPrecondition(!tensors.isEmpty, "concat: needs at least one tensor")
    let first = tensors[0]
    let axis = first.shape.normalize(axis: axis, op: "concat")
    for tensor in tensors {
        checkPrecondition(
            tensor.rank == first.rank && tensor.dtype == first.dtype
                && (0..<first.rank).allSatisfy { $0 == axis || tensor.shape[$0] == first.shape[$0] },
            "concat: shapes \(tensors.map(\.shape).map(\.description).joined(separator: ", ")) "
                + "(\(first.dtype)) do not agree off axis \(axis)")
    }
    let sizes = tensors.map { $0.shape[axis] }
    var dims = first.shape.dimensions
    dims[axis] = sizes.reduce(0, +)
    let target = Shape(dims)
    let out = TensorStorage.allocate(first.dtype, shape: target)
    let strides = target.strides
    var offset = 0
    for (tensor, size) in zip(tensors, sizes) {
        Kernels.copy(tensor.storage, strides: tensor.shape.strides, into: out, destinationOffset: offset * strides[axis], strides: strides, shape: tensor.shape)
        offset += size
    }
    let result = Tensor(storage: out)
    if first.dtype.isFloatingPoint {
        Tensor.record(.concat(axis: axis, sizes: sizes), result, inputs: tensors)
    }
    return result
}

/// Stacks same-shaped tensors along a new axis.
public func stack(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
    checkPrecondition(!tensors.isEmpty, "stack: needs at least one tensor")
    let shape = tensors[0].shape
    for tensor in tensors {
        checkPrecondition(tensor.shape == shape, "stack: shapes \(tensors.map(\.shape).map(\.description).joined(separator: ", ")) differ")
    }
    let resolved = axis < 0 ? axis + shape.rank + 1 : axis
    checkPrecondition(resolved >= 0 && resolved <= shape.rank, "stack: axis \(axis) is out of range for shape \(shape)")
    var dims = shape.dimensions
    dims.insert(1, at: resolved)
    return concat(tensors.map { $0.reshaped(to: Shape(dims)) }, axis: resolved)
}
