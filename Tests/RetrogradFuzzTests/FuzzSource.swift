@testable import Retrograd
import RetrogradNN

// Fuzz cases as Swift source: what a failure prints, ready to paste into a regression
// test. Inputs are `x[i]`; constants and conditions are declared above the expression.

extension FuzzCase {
    /// The case as Swift: declarations of the inputs and fixed tensors, then the
    /// expression as the body of the closure handed to `checkGradients`.
    var source: String {
        var declarations: [String] = []
        var expressions: [Int: String] = [:]
        func declare(_ name: String, _ tensor: Tensor) -> String {
            let label = "\(name)\(declarations.count)"
            declarations.append("let \(label) = \(literal(tensor))")
            return label
        }
        for index in reachable {
            let node = nodes[index]
            let operands = node.children.map { expressions[$0]! }
            switch node.op {
            case let .constant(value):
                expressions[index] = declare("c", value)
            case let .select(condition):
                expressions[index] = "select(\(declare("condition", condition)), \(operands[0]), \(operands[1]))"
            case let .selectConstant(condition, constant, constantFirst):
                let name = declare("condition", condition)
                expressions[index] = constantFirst
                    ? "select(\(name), \(constant), \(operands[0]))" : "select(\(name), \(operands[0]), \(constant))"
            case let .loss(.binaryCrossEntropy(labels, reduction)):
                expressions[index] = "binaryCrossEntropy(logits: \(operands[0]), labels: \(declare("labels", labels)), "
                    + "reduction: .\(reduction))"
            default:
                expressions[index] = node.op.source(operands)
            }
        }
        let inputs = self.inputs.map { "    " + literal($0) + "," }.joined(separator: "\n")
        return (declarations + ["let inputs = [", inputs, "]", "let f = { (x: [Tensor]) -> Tensor in \(expressions[root]!) }"])
            .joined(separator: "\n")
    }
}

/// A tensor as a Swift initialiser call.
func literal(_ tensor: Tensor) -> String {
    if tensor.dtype == .bool {
        return "Tensor(\(tensor.scalars(as: Bool.self)), shape: \(tensor.shape))"
    }
    let values = tensor.scalars(as: Double.self).map { "\($0)" }.joined(separator: ", ")
    return "Tensor([\(values)] as [Double], shape: \(tensor.shape))"
}

extension FuzzOp {
    /// The op applied to operand sources, spelled as the public API spells it.
    func source(_ operands: [String]) -> String {
        let x = operands.first ?? ""
        func axesList(_ axes: [Int]?) -> String { axes.map { "axes: \($0), " } ?? "" }
        switch self {
        case let .input(index): return "x[\(index)]"
        case .constant: return "<constant>"
        case let .unary(op): return op.source(x)
        case let .binary(op):
            let y = operands[1]
            switch op {
            case .add: return "(\(x) + \(y))"
            case .subtract: return "(\(x) - \(y))"
            case .multiply: return "(\(x) * \(y))"
            case .divide: return "(\(x) / \(y))"
            case .maximum: return "\(x).maximum(\(y))"
            case .minimum: return "\(x).minimum(\(y))"
            case .pow: return "\(x).pow(\(y))"
            }
        case let .reduce(op, axes, keep):
            let arguments = axesList(axes) + "keepingDimensions: \(keep)"
            return "\(x).\(op)(\(arguments))"
        case let .softmax(axis): return "\(x).softmax(axis: \(axis))"
        case let .logSoftmax(axis): return "\(x).logSoftmax(axis: \(axis))"
        case let .reshape(target, inferring):
            var dims = target.dimensions
            if let inferring { dims[inferring] = -1 }
            return "\(x).reshaped(to: \(dims))"
        case let .expand(target): return "\(x).expanded(to: \(target))"
        case let .permute(permutation): return "\(x).permuted(\(permutation))"
        case .transpose: return "\(x).transposed()"
        case let .slice(lower, sizes): return "\(x).slice(lowerBounds: \(lower), sizes: \(sizes))"
        case let .sliceRange(range, axis): return "\(x).slice(\(range.lowerBound)..<\(range.upperBound), axis: \(axis))"
        case let .pad(before, after): return "\(x).padded(before: \(before), after: \(after))"
        case let .concat(axis): return "concat([\(operands.joined(separator: ", "))], axis: \(axis))"
        case let .stack(axis): return "stack([\(operands.joined(separator: ", "))], axis: \(axis))"
        case let .matmul(transposingA, transposingB):
            let flags = (transposingA ? ", transposingA: true" : "") + (transposingB ? ", transposingB: true" : "")
            return "\(x).matmul(\(operands[1])\(flags))"
        case .select, .selectConstant: return "<select>"
        case let .gather(indices, nil, axis): return "\(x).gather(indices: \(indices), axis: \(axis))"
        case let .gather(indices, shape?, axis):
            return "\(x).gather(indices: Tensor(\(indices) as [Int32], shape: \(shape)), axis: \(axis))"
        case .conv2d, .conv2dTranspose, .pool: return windowedSource(operands)!
        case let .subscriptRead(entries, ellipsis):
            return "\(x)[\(((ellipsis ? ["..."] : []) + entries.map(\.source)).joined(separator: ", "))]"
        case let .subscriptAssign(entries, ellipsis):
            let index = ((ellipsis ? ["..."] : []) + entries.map(\.source)).joined(separator: ", ")
            return "{ var y = \(x); y[\(index)] = \(operands[1]); return y }()"
        case let .activation(activation):
            switch activation {
            case let .leakyRelu(slope): return "Activation.leakyRelu(slope: \(slope))(\(x))"
            case let .elu(alpha): return "Activation.elu(alpha: \(alpha))(\(x))"
            case let .gelu(approximate): return "Activation.gelu(approximate: \(approximate))(\(x))"
            default: return "Activation.\(activation)(\(x))"
            }
        case .stopGradient: return "stopGradient(\(x))"
        case let .gradientReversal(scale): return "gradientReversal(\(x), scale: \(scale))"
        case let .custom(kind): return kind.source(operands)
        case let .loss(loss):
            switch loss {
            case let .meanSquaredError(reduction):
                return "meanSquaredError(predictions: \(x), targets: \(operands[1]), reduction: .\(reduction))"
            case .binaryCrossEntropy: return "<binaryCrossEntropy>"
            case let .softmaxCrossEntropyLabels(labels, reduction):
                return "softmaxCrossEntropy(logits: \(x), labels: \(labels), reduction: .\(reduction))"
            case let .softmaxCrossEntropyProbabilities(reduction):
                return "softmaxCrossEntropy(logits: \(x), probabilities: \(operands[1]).softmax(), reduction: .\(reduction))"
            }
        }
    }
}

extension FuzzUnary {
    func source(_ x: String) -> String {
        switch self {
        case .exp, .log, .sin, .cos, .sqrt, .tanh, .sigmoid, .erf, .reciprocal, .square, .abs, .relu, .softplus:
            return "\(x).\(self)()"
        case .negate: return "(-\(x))"
        case let .leakyRelu(slope): return "\(x).leakyRelu(slope: \(slope))"
        case let .clipped(lower, upper): return "\(x).clipped(to: \(lower)...\(upper))"
        case let .maximumConstant(c): return "\(x).maximum(\(c))"
        case let .minimumConstant(c): return "\(x).minimum(\(c))"
        case let .powConstant(p): return "\(x).pow(\(p))"
        case let .addConstant(c): return "(\(x) + \(c))"
        case let .subtractFromConstant(c): return "(\(c) - \(x))"
        case let .multiplyConstant(c, onLeft): return onLeft ? "(\(c) * \(x))" : "(\(x) * \(c))"
        case let .divideByConstant(c): return "(\(x) / \(c))"
        case let .divideConstant(c): return "(\(c) / \(x))"
        }
    }
}

extension FuzzCustom {
    func source(_ operands: [String]) -> String {
        let x = operands[0]
        switch self {
        case .sin: return "withCustomGradient(\(x), forward: { $0.sin() }, pullback: { a, _, g in g * a.cos() })"
        case .exp: return "withCustomGradient(\(x), forward: { $0.exp() }, pullback: { _, y, g in g * y })"
        case .tanh: return "withCustomGradient(\(x), forward: { $0.tanh() }, pullback: { _, y, g in g * (1 - y * y) })"
        case .multiplyAdd:
            return "withCustomGradient([\(x), \(operands[1])], forward: { $0[0] * $0[1] + $0[0] }, "
                + "pullback: { a, _, g in [g * (a[1] + 1), g * a[0]] })"
        case let .scaled(k): return "withCustomGradient(\(x), forward: { $0 }, pullback: { _, _, g in g * \(k) })"
        case .plantedWrongSin: return "withCustomGradient(\(x), forward: { $0.sin() }, pullback: { a, _, g in g * a.sin() })"
        }
    }
}
