@testable import Retrograd
import RetrogradNN

/// Draws a random expression for a seed.
///
/// The generator works top-down on shapes and bottom-up on values: asked for an
/// expression of shape S, it picks an op, derives operand shapes that give S (broadcast
/// pairs, reduced axes, slice and pad bounds, matrix dimensions, …), builds the operands,
/// computes the op's value at the inputs and keeps the node only when
/// `FuzzOp.violation` finds nothing wrong with it. Domains are met by construction: log,
/// sqrt, a pow base and divisors are fed through `softplus(e) + 0.25`, `e² + 0.5`,
/// `sigmoid(e) + 0.5` or `exp(e)` (negated for divisors half the time); kinks are avoided
/// by redrawing an op whose operands come within `FuzzLimits.kinkMargin` of one.
struct FuzzGenerator {
    var random: FuzzRandom
    private(set) var nodes: [FuzzNode] = []
    private(set) var values: [Tensor] = []
    private(set) var inputs: [Tensor] = []
    /// Nodes the generator built but shape inference rejected: a generator bug, always 0.
    private(set) var shapeRejections: [String] = []

    /// Nodes this deep are leaves.
    static let maxDepth = 6
    /// The most watched inputs a case draws (the checker's cost grows with each).
    static let maxInputs = 4
    /// Reductions add axes up to this rank (the kernels take 8); past rank 4 the added
    /// axes have size 1 or 2, so the cases stay small.
    static let maxRank = 6

    init(seed: UInt64) { random = FuzzRandom(seed: seed) }

    /// The case for `seed`: a compacted expression whose root has a random shape of rank
    /// 0 to 3.
    static func makeCase(seed: UInt64) -> FuzzCase { draw(seed: seed).fuzzCase }

    /// The case for `seed` and the nodes shape inference rejected while drawing it.
    static func draw(seed: UInt64) -> (fuzzCase: FuzzCase, shapeRejections: [String]) {
        var generator = FuzzGenerator(seed: seed)
        let rank = generator.random.int(0...3)
        let root = generator.expression(generator.random.shape(rank: rank), depth: 0)
        var fuzzCase = FuzzCase(nodes: generator.nodes, root: root, inputs: generator.inputs, seed: seed).compacted()
        // Inputs drawn in subtrees that were later discarded count against `maxInputs`, so
        // an expression may be left with constant leaves only: then its first is watched.
        if fuzzCase.inputs.isEmpty, let index = fuzzCase.reachable.first(where: { fuzzCase.nodes[$0].op.isConstant }),
            case let .constant(value) = fuzzCase.nodes[index].op
        {
            fuzzCase.inputs.append(value)
            fuzzCase.nodes[index].op = .input(fuzzCase.inputs.count - 1)
        }
        return (fuzzCase, generator.shapeRejections)
    }

    /// Appends a node when its shape checks out and its value is a fair test.
    mutating func append(_ op: FuzzOp, _ children: [Int]) -> Int? {
        let operands = children.map { values[$0] }
        guard op.outputShape(children: operands.map(\.shape), inputs: inputs) != nil else {
            shapeRejections.append("\(op.kind) of \(operands.map(\.shape))")
            return nil
        }
        let value = withoutRecording { op.apply(operands, inputs: inputs, frozen: nil) }
        guard op.violation(operands: operands, output: value) == nil else { return nil }
        nodes.append(FuzzNode(op: op, children: children))
        values.append(value)
        return nodes.count - 1
    }

    /// An expression of `shape`; leaves get likelier with depth.
    mutating func expression(_ shape: Shape, depth: Int) -> Int {
        let leafChance = [0, 0.05, 0.15, 0.25, 0.35, 0.5]
        if depth >= Self.maxDepth || (depth > 0 && random.chance(leafChance[depth])) { return leaf(shape) }
        for _ in 0..<4 {
            if let index = build(shape, depth: depth) { return index }
        }
        return leaf(shape)
    }

    /// An input (new, or reused when one has this shape) or a constant: one leaf in eight,
    /// so that rules meet unwatched operands too, and every leaf past `maxInputs`.
    mutating func leaf(_ shape: Shape) -> Int {
        if random.chance(0.125) { return append(.constant(random.normalTensor(shape)), [])! }
        let same = inputs.indices.filter { inputs[$0].shape == shape }
        if !same.isEmpty && (inputs.count >= Self.maxInputs || random.chance(0.3)) {
            return append(.input(random.pick(same)), [])!
        }
        if inputs.count >= Self.maxInputs { return append(.constant(random.normalTensor(shape)), [])! }
        inputs.append(random.normalTensor(shape))
        return append(.input(inputs.count - 1), [])!
    }

    /// An expression whose values are positive by construction.
    mutating func positive(_ shape: Shape, depth: Int) -> Int? {
        let inner = expression(shape, depth: depth + 1)
        switch random.int(0...3) {
        case 0: return append(.unary(.softplus), [inner]).flatMap { append(.unary(.addConstant(0.25)), [$0]) }
        case 1: return append(.unary(.square), [inner]).flatMap { append(.unary(.addConstant(0.5)), [$0]) }
        case 2: return append(.unary(.sigmoid), [inner]).flatMap { append(.unary(.addConstant(0.5)), [$0]) }
        default: return append(.unary(.exp), [inner])
        }
    }

    /// An expression whose values are away from zero by construction.
    mutating func nonzero(_ shape: Shape, depth: Int) -> Int? {
        guard let base = positive(shape, depth: depth) else { return nil }
        return random.chance(0.5) ? base : append(.unary(.negate), [base])
    }

    /// One attempt at a non-leaf node of `shape`.
    mutating func build(_ shape: Shape, depth: Int) -> Int? {
        let families: [(Double, (inout FuzzGenerator, Shape, Int) -> Int?)] = [
            (3, { $0.unaryNode($1, depth: $2) }),
            (2, { $0.guardedNode($1, depth: $2) }),
            (4, { $0.binaryNode($1, depth: $2) }),
            (2.5, { $0.reductionNode($1, depth: $2) }),
            (1, { $0.softmaxNode($1, depth: $2) }),
            (3.5, { $0.shapeNode($1, depth: $2) }),
            (1.5, { $0.matmulNode($1, depth: $2) }),
            (1, { $0.convolutionNode($1, depth: $2) }),
            (1, { $0.selectNode($1, depth: $2) }),
            (1, { $0.surgeryNode($1, depth: $2) }),
            (1, { $0.customNode($1, depth: $2) }),
            (0.8, { $0.lossNode($1, depth: $2) }),
        ]
        let family = random.weighted(families.map(\.0))
        return families[family].1(&self, shape, depth)
    }

    mutating func unaryNode(_ shape: Shape, depth: Int) -> Int? {
        let choices: [FuzzUnary] = [
            .exp, .sin, .cos, .tanh, .sigmoid, .erf, .negate, .square, .softplus, .abs, .relu,
            .leakyRelu(slope: random.pick([0.01, 0.2])),
            .clipped(lower: random.constant(-1 ... -0.2), upper: random.constant(0.2...1)),
            .maximumConstant(random.constant(-0.5...0.5)), .minimumConstant(random.constant(-0.5...0.5)),
            .powConstant(random.pick([2, 3])),
            .addConstant(random.constant(-2...2)), .subtractFromConstant(random.constant(-2...2)),
            .multiplyConstant(random.constant(-2...2), onLeft: random.chance(0.5)),
            .divideByConstant(random.pick([2.5, -0.8, 4])),
        ]
        let op = random.pick(choices)
        if random.chance(0.15) {
            let activations: [Activation] = [
                .identity, .relu, .leakyRelu(slope: 0.1), .tanh, .sigmoid, .softplus, shape.rank >= 1 ? .softmax : .tanh,
                .elu(alpha: random.pick([1, 0.5])), .gelu(approximate: random.chance(0.5)), .silu,
            ]
            return append(.activation(random.pick(activations)), [expression(shape, depth: depth + 1)])
        }
        return append(.unary(op), [expression(shape, depth: depth + 1)])
    }

    /// Ops with a domain: log, sqrt, fractional and negative powers, reciprocals.
    mutating func guardedNode(_ shape: Shape, depth: Int) -> Int? {
        switch random.int(0...5) {
        case 0: return positive(shape, depth: depth).flatMap { append(.unary(.log), [$0]) }
        case 1: return positive(shape, depth: depth).flatMap { append(.unary(.sqrt), [$0]) }
        case 2: return positive(shape, depth: depth).flatMap { append(.unary(.powConstant(random.pick([0.5, -1.5]))), [$0]) }
        case 3: return nonzero(shape, depth: depth).flatMap { append(.unary(.powConstant(-1)), [$0]) }
        case 4: return nonzero(shape, depth: depth).flatMap { append(.unary(.reciprocal), [$0]) }
        default: return nonzero(shape, depth: depth).flatMap { append(.unary(.divideConstant(random.pick([1.5, -2]))), [$0]) }
        }
    }

    mutating func binaryNode(_ shape: Shape, depth: Int) -> Int? {
        let op = random.pick(FuzzBinary.allCases)
        let (a, b) = random.broadcastPair(shape)
        switch op {
        case .divide:
            let lhs = expression(a, depth: depth + 1)
            return nonzero(b, depth: depth).flatMap { append(.binary(op), [lhs, $0]) }
        case .pow:
            guard let base = positive(a, depth: depth) else { return nil }
            return append(.binary(op), [base, expression(b, depth: depth + 1)])
        default:
            let lhs = expression(a, depth: depth + 1)
            return append(.binary(op), [lhs, expression(b, depth: depth + 1)])
        }
    }

    mutating func reductionNode(_ shape: Shape, depth: Int) -> Int? {
        let op = random.pick(FuzzReduction.allCases)
        var dims = shape.dimensions
        var axes: [Int]
        let keep = random.chance(0.5)
        if keep {
            let ones = shape.indices.filter { shape[$0] == 1 }
            guard !ones.isEmpty else { return nil }
            axes = random.subset(of: ones.count, count: random.int(1...ones.count)).map { ones[$0] }
            for axis in axes { dims[axis] = random.int(1...4) }
        } else {
            let room = Self.maxRank - shape.rank
            guard room >= 1 else { return nil }
            let added = random.int(1...Swift.min(2, room))
            axes = random.subset(of: shape.rank + added, count: added)
            for axis in axes { dims.insert(random.int(1...(dims.count >= 4 ? 2 : 4)), at: axis) }
        }
        let rank = dims.count
        let spelled: [Int]? = axes.count == rank && random.chance(0.5) ? nil : axes.map { random.chance(0.3) ? $0 - rank : $0 }
        let operand = expression(Shape(dims), depth: depth + 1)
        return append(.reduce(op, axes: spelled, keep: keep), [operand])
    }

    mutating func softmaxNode(_ shape: Shape, depth: Int) -> Int? {
        guard shape.rank >= 1 else { return nil }
        let axis = random.int(-shape.rank...(shape.rank - 1))
        let operand = expression(shape, depth: depth + 1)
        return append(random.chance(0.5) ? .softmax(axis: axis) : .logSoftmax(axis: axis), [operand])
    }

    mutating func surgeryNode(_ shape: Shape, depth: Int) -> Int? {
        let op: FuzzOp = random.chance(0.4) ? .stopGradient : .gradientReversal(scale: random.pick([1, 0.5, 2]))
        return append(op, [expression(shape, depth: depth + 1)])
    }

    mutating func customNode(_ shape: Shape, depth: Int) -> Int? {
        let kind = random.pick([FuzzCustom.sin, .exp, .tanh, .multiplyAdd, .scaled(random.pick([0.5, -1, 3]))])
        let operand = expression(shape, depth: depth + 1)
        if kind == .multiplyAdd { return append(.custom(kind), [operand, expression(shape, depth: depth + 1)]) }
        return append(.custom(kind), [operand])
    }

    mutating func selectNode(_ shape: Shape, depth: Int) -> Int? {
        let (conditionShape, branches) = random.broadcastPair(shape)
        let condition = random.condition(conditionShape)
        if random.chance(0.3) {
            let operand = expression(branches, depth: depth + 1)
            return append(.selectConstant(condition: condition, random.constant(-1...1), constantFirst: random.chance(0.5)), [operand])
        }
        let (a, b) = random.broadcastPair(branches)
        let lhs = expression(a, depth: depth + 1)
        return append(.select(condition: condition), [lhs, expression(b, depth: depth + 1)])
    }

    mutating func matmulNode(_ shape: Shape, depth: Int) -> Int? {
        guard shape.rank >= 2 else { return nil }
        let (batchA, batchB) = random.broadcastPair(Shape(Array(shape.dimensions.dropLast(2))))
        let m = shape[shape.rank - 2], n = shape[shape.rank - 1], k = random.int(1...4)
        let transposingA = random.chance(0.4), transposingB = random.chance(0.4)
        let a = Shape(batchA.dimensions + (transposingA ? [k, m] : [m, k]))
        let b = Shape(batchB.dimensions + (transposingB ? [n, k] : [k, n]))
        let lhs = expression(a, depth: depth + 1)
        return append(.matmul(transposingA: transposingA, transposingB: transposingB), [lhs, expression(b, depth: depth + 1)])
    }
}
