@testable import Retrograd
import RetrogradNN

// The generator's shape ops and losses: each derives its operands' shapes from the shape
// it must produce.

extension FuzzGenerator {
    mutating func shapeNode(_ shape: Shape, depth: Int) -> Int? {
        switch random.int(0...11) {
        case 0: return reshapeNode(shape, depth: depth)
        case 1: return expandNode(shape, depth: depth)
        case 2: return permuteNode(shape, depth: depth)
        case 3:
            guard shape.rank >= 2 else { return nil }
            var dims = shape.dimensions
            dims.swapAt(shape.rank - 1, shape.rank - 2)
            return append(.transpose, [expression(Shape(dims), depth: depth + 1)])
        case 4: return sliceNode(shape, depth: depth)
        case 5: return padNode(shape, depth: depth)
        case 6: return concatNode(shape, depth: depth)
        case 7: return stackNode(shape, depth: depth)
        case 8, 9: return gatherNode(shape, depth: depth)
        default: return subscriptNode(shape, depth: depth)
        }
    }

    mutating func reshapeNode(_ shape: Shape, depth: Int) -> Int? {
        let source = random.factorization(of: shape.elementCount)
        let inferring = shape.rank >= 1 && random.chance(0.3) ? random.int(0...(shape.rank - 1)) : nil
        return append(.reshape(shape, inferring: inferring), [expression(source, depth: depth + 1)])
    }

    mutating func expandNode(_ shape: Shape, depth: Int) -> Int? {
        var dims = shape.dimensions.map { $0 > 1 && random.chance(0.5) ? 1 : $0 }
        if !dims.isEmpty && random.chance(0.4) { dims.removeFirst(random.int(1...dims.count)) }
        return append(.expand(shape), [expression(Shape(dims), depth: depth + 1)])
    }

    mutating func permuteNode(_ shape: Shape, depth: Int) -> Int? {
        guard shape.rank >= 2 else { return nil }
        let permutation = random.permutation(shape.rank)
        var dims = shape.dimensions
        for (position, axis) in permutation.enumerated() { dims[axis] = shape[position] }
        return append(.permute(permutation), [expression(Shape(dims), depth: depth + 1)])
    }

    /// `slice(lowerBounds:sizes:)` on every axis, or `slice(_:axis:)` on one.
    mutating func sliceNode(_ shape: Shape, depth: Int) -> Int? {
        guard shape.rank >= 1 else { return nil }
        if random.chance(0.5) {
            let axis = random.int(0...(shape.rank - 1))
            let extra = random.int(1...2), lower = random.int(0...extra)
            var dims = shape.dimensions
            dims[axis] += extra
            let spelled = random.chance(0.3) ? axis - shape.rank : axis
            let op = FuzzOp.sliceRange(lower..<(lower + shape[axis]), axis: spelled)
            return append(op, [expression(Shape(dims), depth: depth + 1)])
        }
        let extras = shape.map { _ in random.int(0...2) }
        let lower = extras.map { random.int(0...$0) }
        let source = Shape(zip(shape, extras).map(+))
        return append(.slice(lowerBounds: lower, sizes: shape.dimensions), [expression(source, depth: depth + 1)])
    }

    mutating func padNode(_ shape: Shape, depth: Int) -> Int? {
        var before: [Int] = [], after: [Int] = [], dims: [Int] = []
        for size in shape {
            let total = random.int(0...Swift.min(2, size - 1)), lead = random.int(0...total)
            before.append(lead)
            after.append(total - lead)
            dims.append(size - total)
        }
        return append(.pad(before: before, after: after), [expression(Shape(dims), depth: depth + 1)])
    }

    mutating func concatNode(_ shape: Shape, depth: Int) -> Int? {
        guard shape.rank >= 1 else { return nil }
        let axis = random.int(0...(shape.rank - 1))
        let count = random.int(1...Swift.min(3, shape[axis]))
        // `count` positive parts summing to shape[axis]: cut points among 1..<size.
        let cuts = random.subset(of: shape[axis] - 1, count: count - 1).map { $0 + 1 }
        let bounds = [0] + cuts + [shape[axis]]
        var operands: [Int] = []
        for part in 0..<count {
            var dims = shape.dimensions
            dims[axis] = bounds[part + 1] - bounds[part]
            operands.append(expression(Shape(dims), depth: depth + 1))
        }
        return append(.concat(axis: random.chance(0.3) ? axis - shape.rank : axis), operands)
    }

    mutating func stackNode(_ shape: Shape, depth: Int) -> Int? {
        let axes = shape.indices.filter { shape[$0] <= 3 }
        guard !axes.isEmpty else { return nil }
        let axis = random.pick(axes)
        var dims = shape.dimensions
        let count = dims.remove(at: axis)
        let operands = (0..<count).map { _ in expression(Shape(dims), depth: depth + 1) }
        return append(.stack(axis: random.chance(0.3) ? axis - shape.rank : axis), operands)
    }

    /// `gather` with an `[Int]` list, or with an int32 tensor of indices that replaces one
    /// axis of the operand by two.
    mutating func gatherNode(_ shape: Shape, depth: Int) -> Int? {
        guard shape.rank >= 1 else { return nil }
        let axis = random.int(0...(shape.rank - 1))
        let size = random.int(1...4)
        var dims = shape.dimensions
        var indexShape: Shape? = nil
        if axis + 1 < shape.rank && random.chance(0.3) {
            indexShape = [shape[axis], shape[axis + 1]]
            dims.replaceSubrange(axis...(axis + 1), with: [size])
        } else {
            dims[axis] = size
        }
        let count = indexShape?.elementCount ?? shape[axis]
        let indices = (0..<count).map { _ in random.int(0...(size - 1)) }
        let spelled = random.chance(0.3) ? axis - dims.count : axis
        return append(.gather(indices: indices, shape: indexShape, axis: spelled), [expression(Shape(dims), depth: depth + 1)])
    }

    /// A RetrogradNN loss: reduced (`.mean`, `.sum`) for a 0-d shape, unreduced otherwise.
    mutating func lossNode(_ shape: Shape, depth: Int) -> Int? {
        let reduced = shape.rank == 0 && random.chance(0.7)
        let reduction: Reduction = reduced ? random.pick([.mean, .sum]) : .none
        // The unreduced loss has `values` shape; softmax cross-entropy adds a class axis.
        let values = reduced ? random.shape(rank: random.int(0...2)) : shape
        switch random.int(0...3) {
        case 0:
            let predictions = expression(values, depth: depth + 1)
            return append(.loss(.meanSquaredError(reduction)), [predictions, expression(values, depth: depth + 1)])
        case 1:
            let labels = Tensor((0..<values.elementCount).map { _ in random.constant(0...1) }, shape: values)
            return append(.loss(.binaryCrossEntropy(labels: labels, reduction)), [expression(values, depth: depth + 1)])
        default:
            guard values.rank < Self.maxRank else { return nil }
            let classes = random.int(1...4)
            let logits = Shape(values.dimensions + [classes])
            if random.chance(0.5) {
                let labels = (0..<values.elementCount).map { _ in random.int(0...(classes - 1)) }
                return append(.loss(.softmaxCrossEntropyLabels(labels, reduction)), [expression(logits, depth: depth + 1)])
            }
            let lhs = expression(logits, depth: depth + 1)
            return append(.loss(.softmaxCrossEntropyProbabilities(reduction)), [lhs, expression(logits, depth: depth + 1)])
        }
    }
}
