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
// | maxPool2D | ties within a window            | all to the first (row-major)    |
// | relu      | x == 0                          | 0                               |
// | abs       | x == 0                          | 0                               |
// | clip      | x == lower or upper bound       | 1 (passes through)              |
// | pow       | d/dexponent where base <= 0     | 0                               |

extension Record {
    /// Adds the gradients of the inputs of the op `record` points at, given the gradient
    /// `g` of its output. The record is read in place: copying it would retain and release
    /// everything it holds.
    static func propagate(_ record: UnsafePointer<Record>, _ g: Tensor, into grads: inout GradientAccumulator) {
        let inputs = record.pointee.inputs
        switch record.pointee.op {
        case .add:
            grads.add(inputs[0], g)
            grads.add(inputs[1], g)
        case .sub:
            grads.add(inputs[0], g)
            grads.add(inputs[1], -g)
        case let .mul(a, b):
            grads.add(inputs[0], g * b)
            grads.add(inputs[1], g * a)
        case let .div(b, y):  // d(a/b)/da = 1/b, d(a/b)/db = −(a/b)/b
            grads.add(inputs[0], g / b)
            grads.add(inputs[1], -(g * y) / b)
        case .neg:
            grads.add(inputs[0], -g)
        case let .reciprocal(y):
            grads.add(inputs[0], -(g * y * y))
        case let .exp(y):
            grads.add(inputs[0], g * y)
        case let .log(x):
            grads.add(inputs[0], g / x)
        case let .sin(x):
            grads.add(inputs[0], g * x.cos())
        case let .cos(x):
            grads.add(inputs[0], -(g * x.sin()))
        case let .sqrt(y):
            grads.add(inputs[0], g / (y * 2))
        case let .tanh(y):
            grads.add(inputs[0], g * (1 - y * y))
        case let .sigmoid(y):
            grads.add(inputs[0], g * y * (1 - y))
        case let .erf(x):  // d/dx erf(x) = 2/√π · e^(−x²)
            grads.add(inputs[0], g * (-(x * x)).exp() * (2 / Double.pi.squareRoot()))
        case let .softplus(x):  // d/dx log(1 + eˣ) = σ(x)
            grads.add(inputs[0], g * x.sigmoid())
        case let .logSoftmax(y, axis):  // g − softmax · Σ g along the axis
            grads.add(inputs[0], g - y.exp() * g.sum(axes: [axis], keepingDimensions: true))
        case let .softmaxCrossEntropy(logits, labels):  // (softmax − one-hot) · g per row
            grads.add(inputs[0], {
                let oneHot = Tensor.oneHotRows(labels, classes: logits.shape[1], dtype: logits.dtype)
                return (logits.logSoftmax(axis: 1).exp() - oneHot) * g.reshaped(to: [g.shape[0], 1])
            }())
        case let .pow(base, exponent, y):
            grads.add(inputs[0], g * exponent * base.pow(exponent - 1))
            grads.add(inputs[1], {
                let positive = base .> 0
                let safeLog = select(positive, select(positive, base, 1).log(), 0)
                return g * y * safeLog
            }())
        case let .maximum(a, b):
            let takesA = a .>= b
            let zero = Tensor(scalar: 0, dtype: g.dtype)
            grads.add(inputs[0], select(takesA, g, zero))
            grads.add(inputs[1], select(takesA, zero, g))
        case let .select(condition):
            let zero = Tensor(scalar: 0, dtype: g.dtype)
            grads.add(inputs[0], select(condition, g, zero))
            grads.add(inputs[1], select(condition, zero, g))
        case let .sum(inputShape, axes):
            // A 0-d or kept-dimension g broadcasts as it is; otherwise its axes are put back first.
            let kept = inputShape.keeping(axes)
            grads.add(inputs[0], (g.rank == 0 || g.shape == kept ? g : g.reshaped(to: kept)).expanded(to: inputShape))
        case let .max(x, keptY, axes):
            let ties = (x .== keptY).cast(to: g.dtype)
            let share = g.reshaped(to: keptY.shape) / ties.sum(axes: axes, keepingDimensions: true)
            grads.add(inputs[0], ties * share)
        case let .reshape(inputShape):
            grads.add(inputs[0], g.reshaped(to: inputShape))
        case let .expand(inputShape):
            grads.add(inputs[0], g.summed(toShape: inputShape))
        case let .permute(permutation):
            var inverse = permutation
            for (position, axis) in permutation.enumerated() { inverse[axis] = position }
            grads.add(inputs[0], g.permuted(inverse))
        case let .slice(lowerBounds, inputShape):
            let upper = (0..<inputShape.rank).map { inputShape[$0] - lowerBounds[$0] - g.shape[$0] }
            grads.add(inputs[0], g.padded(before: lowerBounds, after: upper))
        case let .pad(lowerBounds, inputShape):
            grads.add(inputs[0], g.slice(lowerBounds: lowerBounds, sizes: inputShape.dimensions))
        case let .concat(axis, sizes):
            var offset = 0
            for (index, size) in sizes.enumerated() {
                var lower = [Int](repeating: 0, count: g.rank)
                var extent = g.shape.dimensions
                lower[axis] = offset
                extent[axis] = size
                grads.add(inputs[index], g.slice(lowerBounds: lower, sizes: extent))
                offset += size
            }
        case let .matmul(a, b, transposeA, transposeB):
            switch (transposeA, transposeB) {
            case (false, false):
                grads.add(inputs[0], g.matmul(b, transposingB: true))
                grads.add(inputs[1], a.matmul(g, transposingA: true))
            case (false, true):
                grads.add(inputs[0], g.matmul(b))
                grads.add(inputs[1], g.matmul(a, transposingA: true))
            case (true, false):
                grads.add(inputs[0], b.matmul(g, transposingB: true))
                grads.add(inputs[1], a.matmul(g))
            case (true, true):
                grads.add(inputs[0], b.matmul(g, transposingA: true, transposingB: true))
                grads.add(inputs[1], g.matmul(a, transposingA: true, transposingB: true))
            }
        case let .linear(x, weight):
            grads.add(inputs[0], g.matmul(weight, transposingB: true))
            grads.add(inputs[1], x.matmul(g, transposingA: true))
            grads.add(inputs[2], g.sum(axes: [0]))
        case let .cast(from):
            grads.add(inputs[0], g.cast(to: from))
        case let .gather(indices, axis, axisSize):
            grads.add(inputs[0], g.scatterAdding(indices: indices, axis: axis, axisSize: axisSize))
        case let .scatterAdd(indices, axis):
            grads.add(inputs[0], g.gather(indices: indices, axis: axis))
        case let .patches(geometry):
            grads.add(inputs[0], g.patchesAdjoint(geometry))
        case let .patchesAdjoint(geometry):
            grads.add(inputs[0], g.patches(geometry))
        case let .maxPoolPick(winners):
            grads.add(inputs[0], g.spreadingToWinners(winners))
        case let .maxPoolSpread(winners):
            grads.add(inputs[0], g.pickingWinners(winners))
        case let .custom(custom):
            let results = custom.pullback(custom.inputs, custom.output, g)
            checkPrecondition(
                results.count == custom.inputs.count,
                "\(custom.name): pullback returned \(results.count) gradients for \(custom.inputs.count) inputs")
            for (index, result) in results.enumerated() {
                guard let result, inputs[index].trackedIndex != nil else { continue }
                let input = custom.inputs[index]
                checkPrecondition(
                    result.shape == input.shape && result.dtype == input.dtype,
                    "\(custom.name): pullback gradient \(index) has shape \(result.shape) (\(result.dtype)) "
                        + "but input \(index) has shape \(input.shape) (\(input.dtype))")
                grads.add(inputs[index], result)
            }
        }
    }
}
