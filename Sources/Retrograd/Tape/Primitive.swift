/// What a recorded op was, with the attributes its derivative rule needs.
///
/// This is the primitive set: every other op is written in terms of these, so only
/// these have derivative rules (in `DerivativeRules.swift`).
enum Primitive {
    case add, mul, neg, reciprocal, exp, log, sin, cos, sqrt, tanh, sigmoid, pow, maximum
    /// `select(cond, a, b)`; the condition is saved, a and b are inputs 0 and 1.
    case select
    case sum(inputShape: Shape, axes: [Int])
    case max(inputShape: Shape, axes: [Int])
    case reshape(inputShape: Shape)
    case expand(inputShape: Shape)
    case permute([Int])
    case slice(lowerBounds: [Int], inputShape: Shape)
    case pad(lowerBounds: [Int], inputShape: Shape)
    case concat(axis: Int, sizes: [Int], inputs: [Int32])
    case matmul(transposeA: Bool, transposeB: Bool)
    case cast(from: DType)
    case gather(axis: Int, indices: Tensor, axisSize: Int)
    case scatterAdd(axis: Int, indices: Tensor)
    case custom(CustomGradientRecord, inputs: [Int32])

    /// The op's name as users know it, for diagnostics and errors.
    var name: String {
        switch self {
        case .add: "add"
        case .mul: "mul"
        case .neg: "neg"
        case .reciprocal: "reciprocal"
        case .exp: "exp"
        case .log: "log"
        case .sin: "sin"
        case .cos: "cos"
        case .sqrt: "sqrt"
        case .tanh: "tanh"
        case .sigmoid: "sigmoid"
        case .pow: "pow"
        case .maximum: "maximum"
        case .select: "select"
        case .sum: "sum"
        case .max: "max"
        case .reshape: "reshape"
        case .expand: "expand"
        case .permute: "permute"
        case .slice: "slice"
        case .pad: "pad"
        case .concat: "concat"
        case .matmul: "matmul"
        case .cast: "cast"
        case .gather: "gather"
        case .scatterAdd: "scatterAdd"
        case .custom(let record, _): record.name
        }
    }

    /// Whether this is a user's custom gradient rather than a built-in primitive.
    var isCustom: Bool {
        if case .custom = self { return true }
        return false
    }
}

/// A user-supplied derivative: the inputs, the output and the pullback to call.
final class CustomGradientRecord {
    let name: String
    let inputs: [Tensor]
    let output: Tensor
    let pullback: ([Tensor], Tensor, Tensor) -> [Tensor?]

    init(name: String, inputs: [Tensor], output: Tensor, pullback: @escaping ([Tensor], Tensor, Tensor) -> [Tensor?]) {
        self.name = name
        self.inputs = inputs
        self.output = output
        self.pullback = pullback
    }
}

/// One recorded op: the primitive, the tape slots of its inputs (-1 when an input is
/// not watched) and of its output, and the tensors its rule reads.
struct Record {
    var op: Primitive
    var output: Int32
    var input0: Int32
    var input1: Int32 = -1
    var saved0: Tensor? = nil
    var saved1: Tensor? = nil
    var saved2: Tensor? = nil
}
