@testable import Retrograd
import RetrogradNN

// Shape inference for fuzz nodes. It mirrors every precondition of the ops, so an
// expression the shrinker rewrites is rejected here (nil) instead of stopping the test
// process inside an op.

extension FuzzOp {
    /// The shape this op produces from operands of `children` shapes, or nil when the op
    /// would reject them.
    func outputShape(children: [Shape], inputs: [Tensor]) -> Shape? {
        func one() -> Shape? { children.count == 1 ? children[0] : nil }
        func resolve(_ axis: Int, rank: Int) -> Int? {
            let resolved = axis < 0 ? axis + rank : axis
            return (0..<rank).contains(resolved) ? resolved : nil
        }
        switch self {
        case let .input(index):
            return children.isEmpty && inputs.indices.contains(index) ? inputs[index].shape : nil
        case let .constant(value):
            return children.isEmpty ? value.shape : nil
        case .unary, .stopGradient, .gradientReversal:
            return one()
        case .binary:
            guard children.count == 2 else { return nil }
            return Shape.broadcast(children[0], children[1])
        case let .reduce(_, axes, keep):
            guard let shape = one() else { return nil }
            let resolved: [Int]
            if let axes {
                let list = axes.compactMap { resolve($0, rank: shape.rank) }
                guard !axes.isEmpty, list.count == axes.count, Set(list).count == list.count else { return nil }
                resolved = list
            } else {
                resolved = Array(0..<shape.rank)
            }
            if keep { return shape.keeping(resolved) }
            return Shape(shape.dimensions.enumerated().filter { !resolved.contains($0.offset) }.map(\.element))
        case let .softmax(axis), let .logSoftmax(axis):
            guard let shape = one(), resolve(axis, rank: shape.rank) != nil else { return nil }
            return shape
        case let .reshape(target, inferring):
            guard let shape = one(), target.allSatisfy({ $0 >= 1 }), target.elementCount == shape.elementCount else {
                return nil
            }
            if let inferring, !target.indices.contains(inferring) { return nil }
            return target
        case let .expand(target):
            guard let shape = one(), Shape.broadcast(shape, target) == target else { return nil }
            return target
        case let .permute(permutation):
            guard let shape = one(), permutation.count == shape.rank, Set(permutation) == Set(0..<shape.rank) else {
                return nil
            }
            return Shape(permutation.map { shape[$0] })
        case .transpose:
            guard let shape = one(), shape.rank >= 2 else { return nil }
            var dims = shape.dimensions
            dims.swapAt(shape.rank - 1, shape.rank - 2)
            return Shape(dims)
        case let .slice(lower, sizes):
            guard let shape = one(), lower.count == shape.rank, sizes.count == shape.rank else { return nil }
            for axis in 0..<shape.rank where lower[axis] < 0 || sizes[axis] < 1 || lower[axis] + sizes[axis] > shape[axis] {
                return nil
            }
            return Shape(sizes)
        case let .sliceRange(range, axis):
            guard let shape = one(), let axis = resolve(axis, rank: shape.rank),
                range.lowerBound >= 0, range.count >= 1, range.upperBound <= shape[axis]
            else { return nil }
            var dims = shape.dimensions
            dims[axis] = range.count
            return Shape(dims)
        case let .pad(before, after):
            guard let shape = one(), before.count == shape.rank, after.count == shape.rank,
                (before + after).allSatisfy({ $0 >= 0 })
            else { return nil }
            return Shape((0..<shape.rank).map { shape[$0] + before[$0] + after[$0] })
        case let .concat(axis):
            guard let first = children.first, let axis = resolve(axis, rank: first.rank) else { return nil }
            for shape in children {
                guard shape.rank == first.rank, (0..<first.rank).allSatisfy({ $0 == axis || shape[$0] == first[$0] }) else {
                    return nil
                }
            }
            var dims = first.dimensions
            dims[axis] = children.reduce(0) { $0 + $1[axis] }
            return Shape(dims)
        case let .stack(axis):
            guard let first = children.first, children.allSatisfy({ $0 == first }) else { return nil }
            let resolved = axis < 0 ? axis + first.rank + 1 : axis
            guard (0...first.rank).contains(resolved) else { return nil }
            var dims = first.dimensions
            dims.insert(children.count, at: resolved)
            return Shape(dims)
        case let .matmul(transposingA, transposingB):
            guard children.count == 2, children[0].rank >= 2, children[1].rank >= 2 else { return nil }
            let a = children[0].dimensions, b = children[1].dimensions
            let (m, k) = transposingA ? (a[a.count - 1], a[a.count - 2]) : (a[a.count - 2], a[a.count - 1])
            let (k2, n) = transposingB ? (b[b.count - 1], b[b.count - 2]) : (b[b.count - 2], b[b.count - 1])
            guard k == k2, let batch = Shape.broadcast(Shape(Array(a.dropLast(2))), Shape(Array(b.dropLast(2)))) else {
                return nil
            }
            return Shape(batch.dimensions + [m, n])
        case let .select(condition):
            guard children.count == 2, condition.dtype == .bool, let branches = Shape.broadcast(children[0], children[1]) else {
                return nil
            }
            return Shape.broadcast(condition.shape, branches)
        case let .selectConstant(condition, _, _):
            guard let shape = one(), condition.dtype == .bool else { return nil }
            return Shape.broadcast(condition.shape, shape)
        case let .gather(indices, indexShape, axis):
            guard let shape = one(), let axis = resolve(axis, rank: shape.rank), !indices.isEmpty,
                indices.allSatisfy({ (0..<shape[axis]).contains($0) }), indexShape.map(\.elementCount) ?? indices.count == indices.count
            else { return nil }
            var dims = shape.dimensions
            dims.replaceSubrange(axis...axis, with: indexShape?.dimensions ?? [indices.count])
            return Shape(dims)
        case .conv2d, .conv2dTranspose, .pool:
            return windowedShape(children: children)
        case let .subscriptRead(entries, ellipsis):
            guard let shape = one() else { return nil }
            return selection(entries, ellipsis: ellipsis, of: shape)?.shape
        case let .subscriptAssign(entries, ellipsis):
            guard children.count == 2, let selected = selection(entries, ellipsis: ellipsis, of: children[0]),
                selected.distinct, Shape.broadcast(children[1], selected.shape) == selected.shape
            else { return nil }
            return children[0]
        case let .activation(activation):
            guard let shape = one(), activation != .softmax || shape.rank >= 1 else { return nil }
            return shape
        case let .custom(kind):
            if kind == .multiplyAdd {
                return children.count == 2 && children[0] == children[1] ? children[0] : nil
            }
            return one()
        case let .loss(loss):
            return loss.outputShape(children: children)
        }
    }
}

extension FuzzLoss {
    var reduction: Reduction {
        switch self {
        case let .meanSquaredError(r), let .binaryCrossEntropy(_, r), let .softmaxCrossEntropyLabels(_, r),
            let .softmaxCrossEntropyProbabilities(r):
            return r
        }
    }

    func outputShape(children: [Shape]) -> Shape? {
        func reduced(_ unreduced: Shape) -> Shape { reduction == .none ? unreduced : [] }
        switch self {
        case .meanSquaredError:
            guard children.count == 2, children[0] == children[1] else { return nil }
            return reduced(children[0])
        case let .binaryCrossEntropy(labels, _):
            guard children.count == 1, children[0] == labels.shape else { return nil }
            return reduced(children[0])
        case let .softmaxCrossEntropyLabels(labels, _):
            guard children.count == 1, let logits = children.first, logits.rank >= 1, logits[logits.rank - 1] >= 1 else {
                return nil
            }
            let examples = Shape(Array(logits.dimensions.dropLast()))
            guard labels.count == examples.elementCount, labels.allSatisfy({ (0..<logits[logits.rank - 1]).contains($0) }) else {
                return nil
            }
            return reduced(examples)
        case .softmaxCrossEntropyProbabilities:
            guard children.count == 2, children[0] == children[1], children[0].rank >= 1 else { return nil }
            return reduced(Shape(Array(children[0].dimensions.dropLast())))
        }
    }
}

/// The shape `entries` select from `shape` (after `...` when `ellipsis`), and whether every
/// entry selects distinct positions (what an assignment needs); nil when the subscript
/// would stop the program.
func selection(_ entries: [FuzzIndexEntry], ellipsis: Bool, of shape: Shape) -> (shape: Shape, distinct: Bool)? {
    let masks = entries.filter { if case .mask = $0 { return true } else { return false } }
    guard entries.count <= shape.rank, masks.count <= 1 else { return nil }
    let first = ellipsis ? shape.rank - entries.count : 0  // the axis of the first entry
    var dims = Array(shape.dimensions.prefix(first))
    var distinct = true
    for (offset, entry) in entries.enumerated() {
        let size = shape[first + offset]
        func resolved(_ position: Int) -> Int? {
            let value = position < 0 ? position + size : position
            return (0..<size).contains(value) ? value : nil
        }
        switch entry {
        case let .position(position):
            guard resolved(position) != nil else { return nil }
        case let .range(lower, upper):
            let from = lower < 0 ? lower + size : lower, to = upper < 0 ? upper + size : upper
            guard 0 <= from, from <= to, to <= size else { return nil }
            dims.append(to - from)
        case let .stride(from, through, by):
            let positions = Swift.stride(from: from, through: through, by: by).map(resolved)
            guard positions.allSatisfy({ $0 != nil }) else { return nil }
            distinct = distinct && Set(positions.compactMap { $0 }).count == positions.count
            dims.append(positions.count)
        case .whole:
            dims.append(size)
        case let .mask(mask):
            guard mask.count == size else { return nil }
            dims.append(mask.filter { $0 }.count)
        }
    }
    if !ellipsis { dims += shape.dimensions.suffix(from: entries.count) }
    return (Shape(dims), distinct)
}
