// Every derivative rule of Retrograd, one case per primitive.
//
// Rules are written in Retrograd's own differentiable ops, never with kernel calls, so
// while an outer tape records, the backward pass itself is recorded and can be
// differentiated again. `g` is the gradient arriving at the op's output; broadcast inputs
// arrive here already expanded (see `Tensor.record`), so each rule returns gradients of
// the output's shape and `expand`'s rule alone sums them back.
//
// Subgradient conventions (one table):
// | op        | at the kink                     | gradient there                  |
// |-----------|---------------------------------|---------------------------------|
// | maximum   | a == b                          | all to a, none to b             |
// | max (reduction) | ties between elements     | split evenly among the ties     |
// | relu      | x == 0                          | 0                               |
// | abs       | x == 0                          | 0                               |
// | clip      | x == lower or upper bound       | 1 (passes through)              |
// | pow       | d/dexponent where base <= 0     | 0                               |

extension Record {
    /// Adds the gradients of the inputs of the op `record` points at, given the gradient
    /// `g` of its output. The record is read in place: copying it would retain and release
    /// everything it holds.
    static func propagate(_ record: UnsafePointer<Record>, _ g: Tensor, into grads: inout GradientAccumulator) {
        let input0 = record.pointee.input0, input1 = record.pointee.input1
        let saved0 = record.pointee.saved0, saved1 = record.pointee.saved1, saved2 = record.pointee.saved2
        switch record.pointee.op {
        case .add:
            grads.add(input0, g)
            grads.add(input1, g)
        case .mul:  // saved: a, b
            grads.add(input0, g * saved1!)
            grads.add(input1, g * saved0!)
        case .neg:
            grads.add(input0, -g)
        case .reciprocal:  // saved: y = 1/x
            grads.add(input0, -(g * saved1! * saved1!))
        case .exp:  // saved: y
            grads.add(input0, g * saved1!)
        case .log:  // saved: x
            grads.add(input0, g / saved0!)
        case .sin:  // saved: x
            grads.add(input0, g * saved0!.cos())
        case .cos:  // saved: x
            grads.add(input0, -(g * saved0!.sin()))
        case .sqrt:  // saved: y
            grads.add(input0, g / (saved1! * 2))
        case .tanh:  // saved: y
            grads.add(input0, g * (1 - saved1! * saved1!))
        case .sigmoid:  // saved: y
            grads.add(input0, g * saved1! * (1 - saved1!))
        case .pow:  // saved: base, exponent, y
            let base = saved0!, exponent = saved1!
            grads.add(input0, g * exponent * base.pow(exponent - 1))
            if input1 >= 0 {
                let positive = base .> 0
                let safeLog = select(positive, select(positive, base, 1).log(), 0)
                grads.add(input1, g * saved2! * safeLog)
            }
        case .maximum:  // saved: a, b
            let takesA = saved0! .>= saved1!
            let zero = Tensor(scalar: 0, dtype: g.dtype)
            grads.add(input0, select(takesA, g, zero))
            grads.add(input1, select(takesA, zero, g))
        case .select:  // saved: condition
            let zero = Tensor(scalar: 0, dtype: g.dtype)
            grads.add(input0, select(saved0!, g, zero))
            grads.add(input1, select(saved0!, zero, g))
        case let .sum(inputShape, axes):
            grads.add(input0, g.reshaped(to: inputShape.keeping(axes)).expanded(to: inputShape))
        case let .max(inputShape, axes):  // saved: x, y with kept dimensions
            let kept = inputShape.keeping(axes)
            let ties = (saved0! .== saved1!).cast(to: g.dtype)
            let share = g.reshaped(to: kept) / ties.sum(axes: axes, keepingDimensions: true)
            grads.add(input0, ties * share)
        case let .reshape(inputShape):
            grads.add(input0, g.reshaped(to: inputShape))
        case let .expand(inputShape):
            grads.add(input0, g.summed(toShape: inputShape))
        case let .permute(permutation):
            var inverse = permutation
            for (position, axis) in permutation.enumerated() { inverse[axis] = position }
            grads.add(input0, g.permuted(inverse))
        case let .slice(lowerBounds, inputShape):
            let upper = (0..<inputShape.rank).map { inputShape[$0] - lowerBounds[$0] - g.shape[$0] }
            grads.add(input0, g.padded(before: lowerBounds, after: upper))
        case let .pad(lowerBounds, inputShape):
            grads.add(input0, g.slice(lowerBounds: lowerBounds, sizes: inputShape.dimensions))
        case let .concat(axis, sizes, inputs):
            var offset = 0
            for (slot, size) in zip(inputs, sizes) {
                if slot >= 0 {
                    var lower = [Int](repeating: 0, count: g.rank)
                    var extent = g.shape.dimensions
                    lower[axis] = offset
                    extent[axis] = size
                    grads.add(slot, g.slice(lowerBounds: lower, sizes: extent))
                }
                offset += size
            }
        case let .matmul(transposeA, transposeB):  // saved: a, b
            let a = saved0!, b = saved1!
            switch (transposeA, transposeB) {
            case (false, false):
                grads.add(input0, g.matmul(b, transposingB: true))
                grads.add(input1, a.matmul(g, transposingA: true))
            case (false, true):
                grads.add(input0, g.matmul(b))
                grads.add(input1, g.matmul(a, transposingA: true))
            case (true, false):
                grads.add(input0, b.matmul(g, transposingB: true))
                grads.add(input1, a.matmul(g))
            case (true, true):
                grads.add(input0, b.matmul(g, transposingA: true, transposingB: true))
                grads.add(input1, g.matmul(a, transposingA: true, transposingB: true))
            }
        case let .cast(from):
            grads.add(input0, g.cast(to: from))
        case let .gather(axis, indices, axisSize):
            grads.add(input0, g.scatterAdding(indices: indices, axis: axis, axisSize: axisSize))
        case let .scatterAdd(axis, indices):
            grads.add(input0, g.gather(indices: indices, axis: axis))
        case let .custom(custom, inputs):
            let results = custom.pullback(custom.inputs, custom.output, g)
            precondition(
                results.count == custom.inputs.count,
                "\(custom.name): pullback returned \(results.count) gradients for \(custom.inputs.count) inputs")
            for (index, result) in results.enumerated() {
                guard let result, inputs[index] >= 0 else { continue }
                let input = custom.inputs[index]
                precondition(
                    result.shape == input.shape && result.dtype == input.dtype,
                    "\(custom.name): pullback gradient \(index) has shape \(result.shape) (\(result.dtype)) "
                        + "but input \(index) has shape \(input.shape) (\(input.dtype))")
                grads.add(inputs[index], result)
            }
        }
    }
}

extension Shape {
    /// This shape with the given axes set to 1 (what `keepingDimensions` produces).
    func keeping(_ axes: [Int]) -> Shape {
        var dims = dimensions
        for axis in axes { dims[axis] = 1 }
        return Shape(dims)
    }
}
