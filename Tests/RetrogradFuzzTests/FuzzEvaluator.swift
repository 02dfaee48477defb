@testable import Retrograd
import RetrogradNN

// Evaluating a fuzz expression, as written (the function whose tape gradients are
// checked) and as its reference (each piece of gradient surgery replaced by what its
// backward pass documents, so that finite differences of the reference give the
// derivatives the tape should produce).
//
// With `frozen` (the value of every node at the point checked):
// - `stopGradient(e)` becomes the constant e(x₀): derivative 0, same value at x₀;
// - `gradientReversal(e, scale: λ)` becomes −λ·e + (1 + λ)·e(x₀): derivative −λ·e′;
// - a custom gradient whose pullback is `g·k` becomes k·e + (1 − k)·e(x₀);
// - a custom gradient whose pullback is the true derivative becomes its forward function.
// Constants frozen at x₀ keep the reference's own tape gradients meaningful at the
// shifted points the checker visits, so second derivatives are compared too.

extension FuzzOp {
    /// Applies the op to `operands`. `frozen`, when given, is this node's value at the
    /// checked point and selects the reference form of surgery.
    func apply(_ operands: [Tensor], inputs: [Tensor], frozen: Tensor?) -> Tensor {
        let x = operands.first ?? Tensor(scalar: 0, dtype: .float64)
        switch self {
        case let .input(index): return inputs[index]
        case let .constant(value): return value
        case let .unary(op): return op.apply(x)
        case let .binary(op):
            let y = operands[1]
            switch op {
            case .add: return x + y
            case .subtract: return x - y
            case .multiply: return x * y
            case .divide: return x / y
            case .maximum: return x.maximum(y)
            case .minimum: return x.minimum(y)
            case .pow: return x.pow(y)
            }
        case let .reduce(op, axes, keep):
            switch op {
            case .sum: return x.sum(axes: axes, keepingDimensions: keep)
            case .mean: return x.mean(axes: axes, keepingDimensions: keep)
            case .max: return x.max(axes: axes, keepingDimensions: keep)
            case .min: return x.min(axes: axes, keepingDimensions: keep)
            case .variance: return x.variance(axes: axes, keepingDimensions: keep)
            case .logSumExp: return x.logSumExp(axes: axes, keepingDimensions: keep)
            case .norm: return x.norm(axes: axes, keepingDimensions: keep)
            }
        case let .softmax(axis): return x.softmax(axis: axis)
        case let .logSoftmax(axis): return x.logSoftmax(axis: axis)
        case let .reshape(target, inferring):
            var dims = target.dimensions
            if let inferring { dims[inferring] = -1 }
            return x.reshaped(to: Shape(dims))
        case let .expand(target): return x.expanded(to: target)
        case let .permute(permutation): return x.permuted(permutation)
        case .transpose: return x.transposed()
        case let .slice(lower, sizes): return x.slice(lowerBounds: lower, sizes: sizes)
        case let .sliceRange(range, axis): return x.slice(range, axis: axis)
        case let .pad(before, after): return x.padded(before: before, after: after)
        case let .concat(axis): return Retrograd.concat(operands, axis: axis)
        case let .stack(axis): return Retrograd.stack(operands, axis: axis)
        case let .matmul(transposingA, transposingB):
            return x.matmul(operands[1], transposingA: transposingA, transposingB: transposingB)
        case let .select(condition): return Retrograd.select(condition, x, operands[1])
        case let .selectConstant(condition, constant, constantFirst):
            return constantFirst ? Retrograd.select(condition, constant, x) : Retrograd.select(condition, x, constant)
        case let .gather(indices, nil, axis): return x.gather(indices: indices, axis: axis)
        case let .gather(indices, shape?, axis): return x.gather(indices: Tensor(indices.map(Int32.init), shape: shape), axis: axis)
        case .conv2d, .conv2dTranspose, .pool: return applyWindowed(operands)!
        case let .subscriptRead(entries, ellipsis):
            return x.selecting(TensorSubscript(entries.map(\.index), leadingEllipsis: ellipsis, shape: x.shape))
        case let .subscriptAssign(entries, ellipsis):
            // What the subscript's setter does: `var y = x; y[entries] = values`.
            return x.replacing(TensorSubscript(entries.map(\.index), leadingEllipsis: ellipsis, shape: x.shape), with: operands[1])
        case let .activation(activation): return activation(x)
        case .stopGradient:
            return frozen ?? Retrograd.stopGradient(x)
        case let .gradientReversal(scale):
            guard let frozen else { return Retrograd.gradientReversal(x, scale: scale) }
            return x * -scale + frozen * (1 + scale)
        case let .custom(kind): return kind.apply(operands, frozen: frozen)
        case let .loss(loss): return loss.apply(operands)
        }
    }
}

extension FuzzUnary {
    func apply(_ x: Tensor) -> Tensor {
        switch self {
        case .exp: return x.exp()
        case .log: return x.log()
        case .sin: return x.sin()
        case .cos: return x.cos()
        case .sqrt: return x.sqrt()
        case .tanh: return x.tanh()
        case .sigmoid: return x.sigmoid()
        case .erf: return x.erf()
        case .reciprocal: return x.reciprocal()
        case .negate: return -x
        case .square: return x.square()
        case .abs: return x.abs()
        case .relu: return x.relu()
        case .softplus: return x.softplus()
        case let .leakyRelu(slope): return x.leakyRelu(slope: slope)
        case let .clipped(lower, upper): return x.clipped(to: lower...upper)
        case let .maximumConstant(c): return x.maximum(c)
        case let .minimumConstant(c): return x.minimum(c)
        case let .powConstant(p): return x.pow(p)
        case let .addConstant(c): return x + c
        case let .subtractFromConstant(c): return c - x
        case let .multiplyConstant(c, onLeft): return onLeft ? c * x : x * c
        case let .divideByConstant(c): return x / c
        case let .divideConstant(c): return c / x
        }
    }
}

extension FuzzCustom {
    func apply(_ operands: [Tensor], frozen: Tensor?) -> Tensor {
        let x = operands[0]
        let reference = frozen != nil
        switch self {
        case .sin:
            if reference { return x.sin() }
            return withCustomGradient(x, forward: { $0.sin() }, pullback: { x, _, g in g * x.cos() })
        case .exp:
            if reference { return x.exp() }
            return withCustomGradient(x, forward: { $0.exp() }, pullback: { _, y, g in g * y })
        case .tanh:
            if reference { return x.tanh() }
            return withCustomGradient(x, forward: { $0.tanh() }, pullback: { _, y, g in g * (1 - y * y) })
        case .multiplyAdd:
            if reference { return x * operands[1] + x }
            return withCustomGradient(
                operands, forward: { $0[0] * $0[1] + $0[0] }, pullback: { xs, _, g in [g * (xs[1] + 1), g * xs[0]] })
        case let .scaled(k):
            if let frozen { return x * k + frozen * (1 - k) }
            return withCustomGradient(x, forward: { $0 }, pullback: { _, _, g in g * k })
        case .plantedWrongSin:
            if reference { return x.sin() }
            return withCustomGradient(x, forward: { $0.sin() }, pullback: { x, _, g in g * x.sin() })
        }
    }
}

extension FuzzLoss {
    func apply(_ operands: [Tensor]) -> Tensor {
        switch self {
        case let .meanSquaredError(reduction):
            return RetrogradNN.meanSquaredError(predictions: operands[0], targets: operands[1], reduction: reduction)
        case let .binaryCrossEntropy(labels, reduction):
            return RetrogradNN.binaryCrossEntropy(logits: operands[0], labels: labels, reduction: reduction)
        case let .softmaxCrossEntropyLabels(labels, reduction):
            return RetrogradNN.softmaxCrossEntropy(logits: operands[0], labels: labels, reduction: reduction)
        case let .softmaxCrossEntropyProbabilities(reduction):
            return RetrogradNN.softmaxCrossEntropy(logits: operands[0], probabilities: operands[1].softmax(), reduction: reduction)
        }
    }
}

extension FuzzCase {
    /// The expression's value at `xs`: as written when `frozen` is nil, else its reference.
    func evaluate(_ xs: [Tensor], frozen: [Int: Tensor]? = nil) -> Tensor {
        var values: [Int: Tensor] = [:]
        for index in reachable {
            let node = nodes[index]
            let operands = node.children.map { values[$0]! }
            values[index] = node.op.apply(operands, inputs: xs, frozen: frozen?[index])
        }
        return values[root]!
    }

    /// Every reachable node's value at the case's inputs, or why the case is not a valid
    /// test: an op that rejects its operands' shapes, or a value outside an op's domain,
    /// near a kink or too large (see `FuzzLimits`).
    func evaluated() -> Result<[Int: Tensor], FuzzInvalid> {
        var values: [Int: Tensor] = [:]
        for index in reachable {
            let node = nodes[index]
            let operands = node.children.map { values[$0]! }
            guard node.op.outputShape(children: operands.map(\.shape), inputs: inputs) != nil else {
                return .failure(FuzzInvalid(reason: "\(node.op.kind): operand shapes \(operands.map(\.shape))"))
            }
            let value = withoutRecording { node.op.apply(operands, inputs: inputs, frozen: nil) }
            if let reason = node.op.violation(operands: operands, output: value) {
                return .failure(FuzzInvalid(reason: "\(node.op.kind): \(reason)"))
            }
            values[index] = value
        }
        return .success(values)
    }
}

/// Why a fuzz case cannot be checked (it would test rounding or a kink, not a rule).
struct FuzzInvalid: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}
