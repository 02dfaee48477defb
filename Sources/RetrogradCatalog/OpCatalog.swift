// The catalog of every public op as a gradient-check case: one table, read by the test
// suite and by `retrograd gradcheck`, so both check exactly the same things.
import Retrograd

/// Every public differentiable op of Retrograd as gradient-check cases.
///
/// The catalog covers the arithmetic operators (tensor–tensor, tensor–scalar,
/// scalar–tensor and broadcast), the elementwise functions, reductions over each axis of
/// a rank-3 tensor, over several axes and over all of them (with and without
/// `keepingDimensions`), softmax and friends, the shape ops, `gather`, `concat`,
/// `stack`, `matmul` (plain, transposing, batched with broadcast batch dimensions),
/// `norm`, `cast`, subscripts read and assigned, convolution (`conv2d` over strides,
/// paddings, dilations and groups; `conv2dTranspose`), pooling, image patches, and a few
/// composites. Ops whose tape gradient differs from the
/// derivative of their value on purpose (`stopGradient`, `gradientReversal`,
/// `withCustomGradient`) are not in the catalog: finite differences see the value, so
/// they are tested on their own.
///
/// Every input is built from a ``SeededGenerator`` seeded by the case's name (or given
/// literally), so a case sees the same point on every run, whatever else the catalog
/// holds.
public enum OpCatalog {
    /// All cases, in a stable order, with unique names.
    public static let cases: [OpCheckCase] =
        arithmetic() + elementwise() + reductions() + shapes() + indexing() + products() + convolution()
        + composites()

    /// The cases whose name contains `substring` (all cases when it is empty).
    public static func cases(matching substring: String) -> [OpCheckCase] {
        substring.isEmpty ? cases : cases.filter { $0.name.contains(substring) }
    }
}

/// A float64 tensor from literal values.
private func literal(_ values: [Double], _ shape: Shape) -> Tensor { Tensor(values, shape: shape) }

/// A case whose inputs come from a generator seeded by its name.
func make(
    _ name: String, tolerance: Double = 1e-6, note: String? = nil, inputs: (inout CatalogInputs) -> [Tensor],
    _ function: @escaping @Sendable ([Tensor]) -> Tensor
) -> OpCheckCase {
    var source = CatalogInputs(name)
    return OpCheckCase(name, inputs: inputs(&source), tolerance: tolerance, note: note, function)
}

/// Formats an axis list for a case name: `[0, 2]`, or `all` for nil.
private func axesName(_ axes: [Int]?) -> String { axes.map { "\($0)" } ?? "all" }

// MARK: - Arithmetic

extension OpCatalog {
    static func arithmetic() -> [OpCheckCase] {
        [
            make("add", inputs: { [$0.normal([2, 3]), $0.normal([2, 3])] }) { $0[0] + $0[1] },
            make("sub", inputs: { [$0.normal([2, 3]), $0.normal([2, 3])] }) { $0[0] - $0[1] },
            make("mul", inputs: { [$0.normal([2, 3]), $0.normal([2, 3])] }) { $0[0] * $0[1] },
            make("mul x*x", inputs: { [$0.normal([2, 3])] }) { $0[0] * $0[0] },
            make("div", inputs: { [$0.normal([2, 3]), $0.awayFromZero([2, 3], magnitude: 0.5...2)] }) { $0[0] / $0[1] },
            make("add tensor+scalar", inputs: { [$0.normal([2, 3])] }) { $0[0] + 2 },
            make("add scalar+tensor", inputs: { [$0.normal([2, 3])] }) { 2 + $0[0] },
            make("sub tensor-scalar", inputs: { [$0.normal([2, 3])] }) { $0[0] - 1.5 },
            make("sub scalar-tensor", inputs: { [$0.normal([2, 3])] }) { 1.5 - $0[0] },
            make("mul tensor*scalar", inputs: { [$0.normal([2, 3])] }) { $0[0] * 3 },
            make("mul scalar*tensor", inputs: { [$0.normal([2, 3])] }) { 3 * $0[0] },
            make("div tensor/scalar", inputs: { [$0.normal([2, 3])] }) { $0[0] / 2.5 },
            make("div scalar/tensor", inputs: { [$0.awayFromZero([2, 3], magnitude: 0.5...2)] }) { 2.5 / $0[0] },
            make("neg", inputs: { [$0.normal([2, 3])] }) { -$0[0] },
            make("reciprocal", inputs: { [$0.awayFromZero([2, 3], magnitude: 0.5...2)] }) { $0[0].reciprocal() },
            make("add broadcast [2,3]+[3]", inputs: { [$0.normal([2, 3]), $0.normal([3])] }) { $0[0] + $0[1] },
            make("add broadcast [3]+[2,3]", inputs: { [$0.normal([3]), $0.normal([2, 3])] }) { $0[0] + $0[1] },
            make("mul broadcast [2,1]*[1,3]", inputs: { [$0.normal([2, 1]), $0.normal([1, 3])] }) { $0[0] * $0[1] },
            make("sub broadcast [4,1,3]-[2,1]", inputs: { [$0.normal([4, 1, 3]), $0.normal([2, 1])] }) { $0[0] - $0[1] },
            make("mul broadcast []*[2,3]", inputs: { [$0.normal([]), $0.normal([2, 3])] }) { $0[0] * $0[1] },
            make("add broadcast [2,3]+[]", inputs: { [$0.normal([2, 3]), $0.normal([])] }) { $0[0] + $0[1] },
            make("div broadcast [2,3]/[2,1]", inputs: { [$0.normal([2, 3]), $0.awayFromZero([2, 1], magnitude: 0.5...2)] }) {
                $0[0] / $0[1]
            },
            make("div broadcast []/[2,3]", inputs: { [$0.normal([]), $0.awayFromZero([2, 3], magnitude: 0.5...2)] }) {
                $0[0] / $0[1]
            },
        ]
    }
}

// MARK: - Elementwise functions

extension OpCatalog {
    static func elementwise() -> [OpCheckCase] {
        let condition = Tensor([true, false, true, false, false, true], shape: [2, 3])
        let rowCondition = Tensor([true, false, true], shape: [3])
        let base = Tensor(scalar: 2, dtype: .float64)
        let bases = literal([0.5, 1.5, 3], [3])
        return [
            make("exp", inputs: { [$0.normal([2, 3])] }) { $0[0].exp() },
            make("log", inputs: { [$0.uniform([2, 3], 0.5...3)] }) { $0[0].log() },
            make("sqrt", inputs: { [$0.uniform([2, 3], 0.5...3)] }) { $0[0].sqrt() },
            make("pow tensor exponent", inputs: { [$0.uniform([2, 3], 0.5...2), $0.uniform([2, 3], -1.5...2.5)] }) {
                $0[0].pow($0[1])
            },
            make("pow broadcast exponent [2,3]^[3]", inputs: { [$0.uniform([2, 3], 0.5...2), $0.uniform([3], -1.5...2.5)] }) {
                $0[0].pow($0[1])
            },
            make("pow constant 3 (negative bases)", inputs: { [$0.normal([2, 3])] }) { $0[0].pow(3) },
            make("pow constant 0.5", inputs: { [$0.uniform([2, 3], 0.5...3)] }) { $0[0].pow(0.5) },
            make("pow constant -1.5", inputs: { [$0.uniform([2, 3], 0.5...3)] }) { $0[0].pow(-1.5) },
            make("pow wrt exponent 2^y", inputs: { [$0.uniform([2, 3], -2...2)] }) { base.pow($0[0]) },
            make("pow wrt exponent [3]^y", inputs: { [$0.uniform([2, 3], -2...2)] }) { bases.pow($0[0]) },
            make("square", inputs: { [$0.normal([2, 3])] }) { $0[0].square() },
            make("abs", inputs: { [$0.awayFromZero([2, 3])] }) { $0[0].abs() },
            make("sin", inputs: { [$0.normal([2, 3], scale: 2)] }) { $0[0].sin() },
            make("cos", inputs: { [$0.normal([2, 3], scale: 2)] }) { $0[0].cos() },
            make("tanh", inputs: { [$0.normal([2, 3])] }) { $0[0].tanh() },
            make("sigmoid", inputs: { [$0.normal([2, 3], scale: 2)] }) { $0[0].sigmoid() },
            make("erf", inputs: { [$0.normal([2, 3], scale: 1.5)] }) { $0[0].erf() },
            make("relu", inputs: { [$0.awayFromZero([2, 3])] }) { $0[0].relu() },
            make("leakyRelu", inputs: { [$0.awayFromZero([2, 3])] }) { $0[0].leakyRelu() },
            make("leakyRelu slope 0.2", inputs: { [$0.awayFromZero([2, 3])] }) { $0[0].leakyRelu(slope: 0.2) },
            make("softplus", inputs: { [$0.normal([2, 3], scale: 3)] }) { $0[0].softplus() },
            make("linear (matmul + bias)", inputs: { [$0.normal([3, 4]), $0.normal([4, 5]), $0.normal([5])] }) {
                $0[0].linear(weight: $0[1], bias: $0[2])
            },
            make("softmaxCrossEntropy(labels:) per row", inputs: { [$0.normal([3, 4], scale: 2)] }) {
                $0[0].softmaxCrossEntropy(labels: Tensor([2, 0, 3] as [Int32]))
            },
            make("softplus large |x|", inputs: { _ in [literal([-30, -29.5, -12, 12, 29.5, 30], [6])] }) { $0[0].softplus() },
            make("maximum", inputs: { input in let (a, b) = input.apart([2, 3], [2, 3]); return [a, b] }) { $0[0].maximum($0[1]) },
            make("maximum broadcast [2,3],[3]", inputs: { input in let (a, b) = input.apart([2, 3], [3]); return [a, b] }) {
                $0[0].maximum($0[1])
            },
            make("maximum broadcast [3],[2,3]", inputs: { input in let (a, b) = input.apart([2, 3], [3]); return [b, a] }) {
                $0[0].maximum($0[1])
            },
            make("minimum", inputs: { input in let (a, b) = input.apart([2, 3], [2, 3]); return [a, b] }) { $0[0].minimum($0[1]) },
            make("maximum constant", inputs: { input in [input.awayFromZero([2, 3]) + 0.1] }) { $0[0].maximum(0.1) },
            make("minimum constant", inputs: { input in [input.awayFromZero([2, 3]) + 0.1] }) { $0[0].minimum(0.1) },
            make("clipped", inputs: { _ in [literal([-1.1, -0.7, -0.3, 0.05, 0.35, 0.65, 0.9, -0.45, 1.3, 0.45, -0.55, 0.2], [3, 4])] }) {
                $0[0].clipped(to: -0.5...0.5)
            },
            make("select", inputs: { [$0.normal([2, 3]), $0.normal([2, 3])] }) { select(condition, $0[0], $0[1]) },
            make("select broadcast [3] condition, [2,3], [3]", inputs: { [$0.normal([2, 3]), $0.normal([3])] }) {
                select(rowCondition, $0[0], $0[1])
            },
            make("select constant branch", inputs: { [$0.normal([2, 3])] }) { select(condition, $0[0], 0.5) },
            // Finite differences of a float32 round trip are off by up to ulp(x)/2ε per element
            // (0.06 near x = 1); near x = 1e-5 the float32 ulp is 1e-12, so the error is ~1e-6.
            // The tape gradient is exact up to float32 rounding of the cotangent, and the
            // second derivative is 0 on both sides, so order 2 is checked as usual.
            make("cast float64→float32→float64", tolerance: 1e-5,
                 note: "float32 rounding of x ± εv adds ~1e-6 of noise to the finite differences",
                 inputs: { [$0.uniform([2, 3], 1e-5...2e-5)] }) {
                $0[0].cast(to: .float32).cast(to: .float64)
            },
        ]
    }
}

// MARK: - Reductions

extension OpCatalog {
    static func reductions() -> [OpCheckCase] {
        let axesList: [[Int]?] = [[0], [1], [2], [-1], [0, 2], [1, 2], nil]
        let reductions: [(String, @Sendable (Tensor, [Int]?, Bool) -> Tensor)] = [
            ("sum", { $0.sum(axes: $1, keepingDimensions: $2) }),
            ("mean", { $0.mean(axes: $1, keepingDimensions: $2) }),
            ("max", { $0.max(axes: $1, keepingDimensions: $2) }),
            ("min", { $0.min(axes: $1, keepingDimensions: $2) }),
            ("variance", { $0.variance(axes: $1, keepingDimensions: $2) }),
            ("logSumExp", { $0.logSumExp(axes: $1, keepingDimensions: $2) }),
            ("norm", { $0.norm(axes: $1, keepingDimensions: $2) }),
        ]
        var cases: [OpCheckCase] = []
        for (op, reduce) in reductions {
            for axes in axesList {
                for keep in [false, true] {
                    let name = "\(op) axes \(axesName(axes))\(keep ? " keep" : "")"
                    // Distinct values: max and min have no ties, the others do not mind.
                    cases.append(make(name, inputs: { [$0.distinct([2, 3, 4])] }) { reduce($0[0], axes, keep) })
                }
            }
        }
        for axis in [0, 1, 2, -1] {
            cases.append(make("softmax axis \(axis)", inputs: { [$0.normal([2, 3, 4])] }) { $0[0].softmax(axis: axis) })
            cases.append(make("logSoftmax axis \(axis)", inputs: { [$0.normal([2, 3, 4])] }) { $0[0].logSoftmax(axis: axis) })
            cases.append(make("logSoftmax large logits axis \(axis)", inputs: { [$0.normal([2, 3, 4], scale: 40)] }) {
                $0[0].logSoftmax(axis: axis)
            })
        }
        cases += [
            make("sum of matrix", inputs: { [$0.normal([3, 4])] }) { $0[0].sum() },
            make("logSumExp large values", inputs: { [$0.normal([2, 3], scale: 30)] }) { $0[0].logSumExp(axes: [1]) },
            make("softmax large values", inputs: { [$0.normal([2, 3], scale: 30)] }) { $0[0].softmax() },
        ]
        return cases
    }
}

// MARK: - Shape ops

extension OpCatalog {
    static func shapes() -> [OpCheckCase] {
        let rows = Tensor([2, 0, 2, 1] as [Int32])
        let grid = Tensor([0, 2, 2, 2] as [Int32], shape: [2, 2])
        return [
            make("reshaped [2,3,4]→[4,6]", inputs: { [$0.normal([2, 3, 4])] }) { $0[0].reshaped(to: [4, 6]) },
            make("reshaped [2,3,4]→[-1,2]", inputs: { [$0.normal([2, 3, 4])] }) { $0[0].reshaped(to: [-1, 2]) },
            make("reshaped [1,1]→[]", inputs: { [$0.normal([1, 1])] }) { $0[0].reshaped(to: []) },
            make("transposed [3,4]", inputs: { [$0.normal([3, 4])] }) { $0[0].transposed() },
            make("transposed [2,3,4]", inputs: { [$0.normal([2, 3, 4])] }) { $0[0].transposed() },
            make("permuted [2,0,1]", inputs: { [$0.normal([2, 3, 4])] }) { $0[0].permuted([2, 0, 1]) },
            make("expanded [3,1]→[2,3,4]", inputs: { [$0.normal([3, 1])] }) { $0[0].expanded(to: [2, 3, 4]) },
            make("expanded [4]→[2,3,4]", inputs: { [$0.normal([4])] }) { $0[0].expanded(to: [2, 3, 4]) },
            make("expanded []→[2,3]", inputs: { [$0.normal([])] }) { $0[0].expanded(to: [2, 3]) },
            make("slice lowerBounds sizes", inputs: { [$0.normal([3, 4, 5])] }) {
                $0[0].slice(lowerBounds: [1, 0, 2], sizes: [2, 3, 2])
            },
            make("slice range axis 1", inputs: { [$0.normal([3, 4])] }) { $0[0].slice(1..<3, axis: 1) },
            make("slice range axis -1", inputs: { [$0.normal([2, 3, 4])] }) { $0[0].slice(0..<2, axis: -1) },
            make("padded", inputs: { [$0.normal([2, 3])] }) { $0[0].padded(before: [1, 0], after: [2, 3]) },
            make("gather repeated indices", inputs: { [$0.normal([3, 4])] }) { $0[0].gather(indices: rows, axis: 0) },
            make("gather [Int]", inputs: { [$0.normal([5])] }) { $0[0].gather(indices: [4, 4, 0, 3]) },
            make("gather axis 1, 2-d indices", inputs: { [$0.normal([2, 3, 4])] }) { $0[0].gather(indices: grid, axis: 1) },
            make("concat axis 0", inputs: { [$0.normal([1, 3]), $0.normal([2, 3]), $0.normal([3, 3])] }) {
                concat($0, axis: 0)
            },
            make("concat axis 1", inputs: { [$0.normal([2, 1]), $0.normal([2, 2]), $0.normal([2, 3])] }) {
                concat($0, axis: 1)
            },
            make("concat same input twice", inputs: { [$0.normal([2, 3])] }) { concat([$0[0], $0[0] * 2], axis: -1) },
            make("stack axis 0", inputs: { [$0.normal([2, 3]), $0.normal([2, 3]), $0.normal([2, 3])] }) { stack($0, axis: 0) },
            make("stack axis -1", inputs: { [$0.normal([2, 3]), $0.normal([2, 3])] }) { stack($0, axis: -1) },
        ]
    }
}

// MARK: - Matrix products

extension OpCatalog {
    static func products() -> [OpCheckCase] {
        [
            make("matmul [3,4]×[4,5]", inputs: { [$0.normal([3, 4]), $0.normal([4, 5])] }) { $0[0].matmul($0[1]) },
            make("matmul transposingA", inputs: { [$0.normal([4, 3]), $0.normal([4, 5])] }) {
                $0[0].matmul($0[1], transposingA: true)
            },
            make("matmul transposingB", inputs: { [$0.normal([3, 4]), $0.normal([5, 4])] }) {
                $0[0].matmul($0[1], transposingB: true)
            },
            make("matmul transposingA transposingB", inputs: { [$0.normal([4, 3]), $0.normal([5, 4])] }) {
                $0[0].matmul($0[1], transposingA: true, transposingB: true)
            },
            make("matmul x×x", inputs: { [$0.normal([3, 3])] }) { $0[0].matmul($0[0]) },
            make("matmul batched [2,3,4]×[4,5]", inputs: { [$0.normal([2, 3, 4]), $0.normal([4, 5])] }) {
                $0[0].matmul($0[1])
            },
            make("matmul batched [1,3,4]×[2,4,5]", inputs: { [$0.normal([1, 3, 4]), $0.normal([2, 4, 5])] }) {
                $0[0].matmul($0[1])
            },
            // m·n·k ≥ 4096: the blocked kernel (or BLAS, when loaded) instead of the small-product
            // loop; sizes that are not multiples of the micro-tile, and k spanning two KC blocks.
            make("matmul blocked [13,17]×[17,19]", inputs: { [$0.normal([13, 17]), $0.normal([17, 19])] }) {
                $0[0].matmul($0[1])
            },
            make("matmul blocked transposingA transposingB", inputs: { [$0.normal([17, 13]), $0.normal([19, 17])] }) {
                $0[0].matmul($0[1], transposingA: true, transposingB: true)
            },
            make("matmul blocked k=300 [7,300]×[300,5]", inputs: { [$0.normal([7, 300]), $0.normal([300, 5])] }) {
                $0[0].matmul($0[1])
            },
            make("matmul batched transposingB [2,3,4]×[2,5,4]", inputs: { [$0.normal([2, 3, 4]), $0.normal([2, 5, 4])] }) {
                $0[0].matmul($0[1], transposingB: true)
            },
        ]
    }
}

// MARK: - Composites

extension OpCatalog {
    static func composites() -> [OpCheckCase] {
        let labels = Tensor([1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1] as [Double], shape: [4, 3])
        return [
            make("composite (tanh(x)*y).sum([1]).exp()", inputs: { [$0.normal([2, 3]), $0.normal([2, 3])] }) {
                ($0[0].tanh() * $0[1]).sum(axes: [1]).exp()
            },
            make("composite dense sigmoid layer", inputs: { [$0.normal([4, 3]), $0.normal([3, 5]), $0.normal([5])] }) {
                ($0[0].matmul($0[1]) + $0[2]).sigmoid()
            },
            make("composite cross-entropy", inputs: { [$0.normal([4, 3]), $0.normal([3, 3])] }) {
                -(($0[0].matmul($0[1]).logSoftmax() * labels).sum(axes: [1]).mean())
            },
            make("composite layer norm", inputs: { [$0.normal([3, 4]), $0.normal([4])] }) { inputs in
                let x = inputs[0]
                let centered = x - x.mean(axes: [1], keepingDimensions: true)
                return centered / (x.variance(axes: [1], keepingDimensions: true) + 1e-5).sqrt() * inputs[1]
            },
            make("composite softplus(x).log() + sin(x)*cos(y)", inputs: { [$0.normal([2, 3]), $0.normal([2, 3])] }) {
                $0[0].softplus().log() + $0[0].sin() * $0[1].cos()
            },
        ]
    }
}
