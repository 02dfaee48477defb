@testable import Retrograd
import RetrogradNN

// The expression trees the fuzzer draws: one node per public op (or per spelling of an
// op), stored in an arena so that the shrinker can replace nodes by index.

/// An op of one operand; the scalar-constant arithmetic spellings are here too.
enum FuzzUnary: Equatable {
    case exp, log, sin, cos, sqrt, tanh, sigmoid, erf, reciprocal, negate, square, abs, relu, softplus
    case leakyRelu(slope: Double)
    case clipped(lower: Double, upper: Double)
    case maximumConstant(Double), minimumConstant(Double)
    case powConstant(Double)
    /// `x + c`, `c - x`, `x * c`, `c * x`, `x / c`, `c / x`.
    case addConstant(Double), subtractFromConstant(Double), multiplyConstant(Double, onLeft: Bool)
    case divideByConstant(Double), divideConstant(Double)
}

/// An op of two broadcast operands.
enum FuzzBinary: Equatable, CaseIterable {
    case add, subtract, multiply, divide, maximum, minimum, pow
}

/// A reduction over axes.
enum FuzzReduction: Equatable, CaseIterable {
    case sum, mean, max, min, variance, logSumExp, norm
}

/// A `withCustomGradient` the fuzzer knows the expected derivative of.
enum FuzzCustom: Equatable {
    /// Forward `sin`, pullback `g·cos x` (the true derivative, written with the input).
    case sin
    /// Forward `exp`, pullback `g·y` (the true derivative, written with the output).
    case exp
    /// Forward `tanh`, pullback `g·(1 − y²)`.
    case tanh
    /// Two inputs of one shape: forward `a·b + a`, pullback `[g·(b + 1), g·a]`.
    case multiplyAdd
    /// Forward identity, pullback `g·k`: surgery, like a gradient reversal of scale −k.
    case scaled(Double)
    /// Forward `sin`, pullback `g·sin x`: a wrong rule, planted only by the shrinker's own
    /// tests to show that the fuzzer catches and shrinks a bug.
    case plantedWrongSin
}

/// One entry of a fuzzed subscript, spelled as written: positions and bounds may be
/// negative (counted from the end).
enum FuzzIndexEntry {
    case position(Int)
    /// `lower..<upper`.
    case range(lower: Int, upper: Int)
    /// `stride(from:through:by:)`.
    case stride(from: Int, through: Int, by: Int)
    /// `0...`, the whole axis.
    case whole
    /// A bool mask over one axis.
    case mask([Bool])

    /// The entry as the subscript takes it.
    var index: any TensorIndex {
        switch self {
        case let .position(position): return position
        case let .range(lower, upper): return lower..<upper
        case let .stride(from, through, by): return Swift.stride(from: from, through: through, by: by)
        case .whole: return 0...
        case let .mask(mask): return Tensor(mask, shape: [mask.count])
        }
    }

    /// The entry as Swift source.
    var source: String {
        func spelled(_ value: Int) -> String { value < 0 ? "(\(value))" : "\(value)" }
        switch self {
        case let .position(position): return "\(position)"
        case let .range(lower, upper): return "\(spelled(lower))..<\(spelled(upper))"
        case let .stride(from, through, by): return "stride(from: \(from), through: \(through), by: \(by))"
        case .whole: return "0..."
        case let .mask(mask): return "Tensor(\(mask))"
        }
    }
}

/// A loss from RetrogradNN.
enum FuzzLoss {
    case meanSquaredError(Reduction)
    /// Labels are a fixed tensor in [0, 1] of the logits' shape.
    case binaryCrossEntropy(labels: Tensor, Reduction)
    /// One fixed class index per example.
    case softmaxCrossEntropyLabels([Int], Reduction)
    /// Children: logits and `q`; the probabilities are `q.softmax()`.
    case softmaxCrossEntropyProbabilities(Reduction)
}

/// One node of an expression. Children are given by the node that holds the op.
enum FuzzOp {
    /// Input `i` of the checked function (a watched float64 tensor).
    case input(Int)
    /// A fixed tensor no tape watches.
    case constant(Tensor)
    case unary(FuzzUnary)
    case binary(FuzzBinary)
    case reduce(FuzzReduction, axes: [Int]?, keep: Bool)
    case softmax(axis: Int)
    case logSoftmax(axis: Int)
    /// `reshaped(to:)`, with `-1` written at `inferring` when it is set.
    case reshape(Shape, inferring: Int?)
    case expand(Shape)
    case permute([Int])
    case transpose
    case slice(lowerBounds: [Int], sizes: [Int])
    case sliceRange(Range<Int>, axis: Int)
    case pad(before: [Int], after: [Int])
    case concat(axis: Int)
    case stack(axis: Int)
    case matmul(transposingA: Bool, transposingB: Bool)
    /// `select(condition, a, b)` with a fixed bool condition.
    case select(condition: Tensor)
    /// `select(condition, a, c)` or `select(condition, c, a)` with a constant `c`.
    case selectConstant(condition: Tensor, Double, constantFirst: Bool)
    /// `gather(indices: [Int], axis:)` when `shape` is nil, else `gather(indices:axis:)` with
    /// an int32 tensor of that shape.
    case gather(indices: [Int], shape: Shape?, axis: Int)
    /// `conv2d(image, filter:, …, groups:)` (children: image, filter).
    case conv2d(FuzzWindows, groups: Int)
    /// `conv2dTranspose(input, filter:, outputSize:, …)` with a `window`-sized filter
    /// (children: input, filter).
    case conv2dTranspose(FuzzWindows, window: (Int, Int), outputSize: (Int, Int))
    /// `maxPool2D` or `avgPool2D` with no dilation.
    case pool(max: Bool, window: (Int, Int), FuzzWindows)
    /// `x[entries]`, with a leading `...` when `ellipsis` is set.
    case subscriptRead([FuzzIndexEntry], ellipsis: Bool)
    /// `var y = x; y[entries] = values; y` (children: x, values).
    case subscriptAssign([FuzzIndexEntry], ellipsis: Bool)
    /// A RetrogradNN `Activation` called on the operand.
    case activation(Activation)
    case stopGradient
    case gradientReversal(scale: Double)
    case custom(FuzzCustom)
    case loss(FuzzLoss)

    /// Whether the tape's derivative of this op differs from the derivative of its value
    /// on purpose, so that finite differences need a reference (see `FuzzEvaluator`).
    var isSurgery: Bool {
        switch self {
        case .stopGradient, .gradientReversal, .custom(.scaled): return true
        default: return false
        }
    }

    var isConstant: Bool {
        if case .constant = self { return true }
        return false
    }

    var isInput: Bool {
        if case .input = self { return true }
        return false
    }

    /// A short name for coverage counts, such as `"unary.log"` or `"reduce.max"`.
    var kind: String {
        switch self {
        case .input: return "input"
        case .constant: return "constant"
        case let .unary(op): return "unary.\(String(describing: op).prefix { $0 != "(" })"
        case let .binary(op): return "binary.\(op)"
        case let .reduce(op, _, keep): return "reduce.\(op)\(keep ? ".keep" : "")"
        case .softmax: return "softmax"
        case .logSoftmax: return "logSoftmax"
        case let .reshape(_, inferring): return inferring == nil ? "reshape" : "reshape.inferring"
        case .expand: return "expand"
        case .permute: return "permute"
        case .transpose: return "transpose"
        case .slice: return "slice"
        case .sliceRange: return "sliceRange"
        case .pad: return "pad"
        case .concat: return "concat"
        case .stack: return "stack"
        case let .matmul(a, b): return "matmul\(a ? ".tA" : "")\(b ? ".tB" : "")"
        case .select: return "select"
        case .selectConstant: return "selectConstant"
        case let .gather(_, shape, _): return shape == nil ? "gather" : "gather.tensor"
        case .conv2d: return "conv2d"
        case .conv2dTranspose: return "conv2dTranspose"
        case let .pool(max, _, _): return max ? "maxPool2D" : "avgPool2D"
        case .subscriptRead: return "subscript.read"
        case .subscriptAssign: return "subscript.assign"
        case let .activation(activation): return "activation.\(String(describing: activation).prefix { $0 != "(" })"
        case .stopGradient: return "stopGradient"
        case .gradientReversal: return "gradientReversal"
        case let .custom(kind): return "custom.\(String(describing: kind).prefix { $0 != "(" })"
        case let .loss(loss):
            switch loss {
            case .meanSquaredError: return "loss.meanSquaredError"
            case .binaryCrossEntropy: return "loss.binaryCrossEntropy"
            case .softmaxCrossEntropyLabels: return "loss.softmaxCrossEntropy.labels"
            case .softmaxCrossEntropyProbabilities: return "loss.softmaxCrossEntropy.probabilities"
            }
        }
    }
}

/// A node: an op and the indices of its operands in the case's arena.
struct FuzzNode {
    var op: FuzzOp
    var children: [Int]
}

/// One fuzz case: an expression over float64 inputs, and the seed it was drawn from.
struct FuzzCase {
    var nodes: [FuzzNode]
    var root: Int
    var inputs: [Tensor]
    var seed: UInt64

    /// The nodes reachable from the root, each after its children.
    var reachable: [Int] {
        var order: [Int] = [], seen = Set<Int>()
        func visit(_ index: Int) {
            guard seen.insert(index).inserted else { return }
            nodes[index].children.forEach(visit)
            order.append(index)
        }
        visit(root)
        return order
    }

    /// Whether any reachable node is gradient surgery.
    var hasSurgery: Bool { reachable.contains { nodes[$0].op.isSurgery } }

    /// The number of reachable nodes: what the shrinker makes smaller first.
    var size: Int { reachable.count }

    /// The same case with only reachable nodes and used inputs, renumbered.
    func compacted() -> FuzzCase {
        let order = reachable
        var newIndex: [Int: Int] = [:], inputIndex: [Int: Int] = [:]
        var nodes: [FuzzNode] = [], inputs: [Tensor] = []
        for old in order {
            var node = self.nodes[old]
            node.children = node.children.map { newIndex[$0]! }
            if case let .input(i) = node.op {
                if inputIndex[i] == nil {
                    inputIndex[i] = inputs.count
                    inputs.append(self.inputs[i])
                }
                node.op = .input(inputIndex[i]!)
            }
            newIndex[old] = nodes.count
            nodes.append(node)
        }
        return FuzzCase(nodes: nodes, root: newIndex[root]!, inputs: inputs, seed: seed)
    }
}
