/// A recorded primitive with the values its derivative rule reads, named as the rule
/// names them (`x` the input, `y` the result, `a` and `b` two operands).
///
/// This is the primitive set: every other op is written in terms of these, so only these
/// have derivative rules, all of them in `DerivativeRules.swift`. The inputs that receive
/// gradients are not here but in the ``Record``'s ``RecordInputs``, in the op's argument
/// order.
enum Primitive {
    case add
    case sub
    case mul(a: Tensor, b: Tensor)
    /// `a / b`; `y` is the quotient.
    case div(b: Tensor, y: Tensor)
    case neg
    case reciprocal(y: Tensor)
    case exp(y: Tensor)
    case log(x: Tensor)
    case sin(x: Tensor)
    case cos(x: Tensor)
    case sqrt(y: Tensor)
    case tanh(y: Tensor)
    case sigmoid(y: Tensor)
    case erf(x: Tensor)
    case softplus(x: Tensor)
    /// log softmax along `axis`; `y` is the result.
    case logSoftmax(y: Tensor, axis: Int)
    /// The cross-entropy of each row of `logits` (`[rows, classes]`) with its int32 label.
    case softmaxCrossEntropy(logits: Tensor, labels: Tensor)
    case pow(base: Tensor, exponent: Tensor, y: Tensor)
    case maximum(a: Tensor, b: Tensor)
    /// `select(condition, a, b)`: a and b are inputs 0 and 1.
    case select(condition: Tensor)
    case sum(inputShape: Shape, axes: [Int])
    /// `keptY` is the result with the reduced axes kept as 1.
    case max(x: Tensor, keptY: Tensor, axes: [Int])
    case reshape(inputShape: Shape)
    case expand(inputShape: Shape)
    case permute([Int])
    case slice(lowerBounds: [Int], inputShape: Shape)
    case pad(lowerBounds: [Int], inputShape: Shape)
    /// One input per joined tensor, `sizes` their extents along `axis`.
    case concat(axis: Int, sizes: [Int])
    case matmul(a: Tensor, b: Tensor, transposeA: Bool, transposeB: Bool)
    /// `x · weight + bias` (x `[m, k]`, weight `[k, n]`, bias `[n]`): inputs x, weight, bias.
    case linear(x: Tensor, weight: Tensor)
    case cast(from: DType)
    case gather(indices: Tensor, axis: Int, axisSize: Int)
    case scatterAdd(indices: Tensor, axis: Int)
    /// The windows of an NHWC image as rows (im2col); linear, its rule is `patchesAdjoint`.
    /// Boxed (`indirect`), so the geometry's sixteen numbers do not widen every record.
    indirect case patches(PatchGeometry)
    /// The adjoint of `patches` (col2im): each patch value added back into the cell it
    /// came from; its rule is `patches`.
    indirect case patchesAdjoint(PatchGeometry)
    /// Max pooling at fixed winners: each output is the input's value at the cell that won
    /// its window. Linear; its rule is `maxPoolSpread`. Boxed, as `patches` is.
    indirect case maxPoolPick(MaxPoolWinners)
    /// The adjoint of `maxPoolPick`: each value added into the cell that won its window;
    /// its rule is `maxPoolPick`.
    indirect case maxPoolSpread(MaxPoolWinners)
    /// A user's derivative: one input per tensor the custom op received.
    case custom(CustomGradientRecord)

    /// The op's name as users know it, for diagnostics and errors.
    var name: String {
        switch self {
        case .add: "add"
        case .sub: "sub"
        case .mul: "mul"
        case .div: "div"
        case .neg: "neg"
        case .reciprocal: "reciprocal"
        case .exp: "exp"
        case .log: "log"
        case .sin: "sin"
        case .cos: "cos"
        case .sqrt: "sqrt"
        case .tanh: "tanh"
        case .sigmoid: "sigmoid"
        case .erf: "erf"
        case .softplus: "softplus"
        case .logSoftmax: "logSoftmax"
        case .softmaxCrossEntropy: "softmaxCrossEntropy"
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
        case .linear: "linear"
        case .cast: "cast"
        case .gather: "gather"
        case .scatterAdd: "scatterAdd"
        case .patches: "patches"
        case .patchesAdjoint: "patchesAdjoint"
        case .maxPoolPick: "maxPoolPick"
        case .maxPoolSpread: "maxPoolSpread"
        case .custom(let record): record.name
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
