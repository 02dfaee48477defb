import Testing
@testable import Retrograd
import RetrogradNN

/// A case that applies `ops` in turn to one input.
func chain(_ input: Tensor, _ ops: [FuzzOp], seed: UInt64 = 1) -> FuzzCase {
    var nodes = [FuzzNode(op: .input(0), children: [])]
    for op in ops { nodes.append(FuzzNode(op: op, children: [nodes.count - 1])) }
    return FuzzCase(nodes: nodes, root: nodes.count - 1, inputs: [input], seed: seed)
}

/// The fuzzer's own machinery: the generator, the fairness rules, the source it prints
/// and the shrinker. If these were wrong the fuzz run could pass without testing anything.
@Suite("Fuzz harness", .tags(.fuzz))
struct FuzzHarnessTests {
    @Test func aSeedAlwaysDrawsTheSameCase() {
        for index in 0..<20 {
            let seed = FuzzRun.seed(ofCase: index)
            let first = FuzzGenerator.makeCase(seed: seed), second = FuzzGenerator.makeCase(seed: seed)
            #expect(first.source == second.source)
            #expect(first.seed == seed)
        }
        let sources = Set((0..<20).map { FuzzGenerator.makeCase(seed: FuzzRun.seed(ofCase: $0)).source })
        #expect(sources.count == 20)
    }

    /// Every drawn case type-checks on the first try at each node and is a fair test.
    @Test func drawnCasesAreFair() {
        for index in 0..<300 {
            let (fuzzCase, rejections) = FuzzGenerator.draw(seed: FuzzRun.seed(ofCase: index))
            #expect(rejections.isEmpty, "case \(index): \(rejections)")
            #expect(!fuzzCase.inputs.isEmpty, "case \(index) has no inputs")
            if case let .failure(invalid) = fuzzCase.evaluated() { Issue.record("case \(index): \(invalid)") }
        }
    }

    /// Within the first 1000 cases of the default run, every op (and spelling) the
    /// generator knows appears.
    @Test func theDefaultRunCoversEveryOp() {
        var kinds = Set<String>()
        for index in 0..<1000 {
            let fuzzCase = FuzzGenerator.makeCase(seed: FuzzRun.seed(ofCase: index))
            for node in fuzzCase.reachable { kinds.insert(fuzzCase.nodes[node].op.kind) }
        }
        let unary = [
            "exp", "log", "sin", "cos", "sqrt", "tanh", "sigmoid", "erf", "reciprocal", "negate", "square", "abs", "relu",
            "softplus", "leakyRelu", "clipped", "maximumConstant", "minimumConstant", "powConstant", "addConstant",
            "subtractFromConstant", "multiplyConstant", "divideByConstant", "divideConstant",
        ].map { "unary.\($0)" }
        let binary = ["add", "subtract", "multiply", "divide", "maximum", "minimum", "pow"].map { "binary.\($0)" }
        let reductions = ["sum", "mean", "max", "min", "variance", "logSumExp", "norm"].flatMap {
            ["reduce.\($0)", "reduce.\($0).keep"]
        }
        let shapes = [
            "reshape", "reshape.inferring", "expand", "permute", "transpose", "slice", "sliceRange", "pad", "concat",
            "stack", "gather", "matmul", "matmul.tA", "matmul.tB", "matmul.tA.tB", "select", "selectConstant",
            "subscript.read", "subscript.assign", "conv2d", "conv2dTranspose", "maxPool2D", "avgPool2D",
        ]
        let rest = [
            "input", "softmax", "logSoftmax", "stopGradient", "gradientReversal", "custom.sin", "custom.exp",
            "custom.tanh", "custom.multiplyAdd", "custom.scaled", "loss.meanSquaredError", "loss.binaryCrossEntropy",
            "loss.softmaxCrossEntropy.labels", "loss.softmaxCrossEntropy.probabilities", "gather.tensor",
        ] + ["identity", "relu", "leakyRelu", "tanh", "sigmoid", "softplus", "softmax", "elu", "gelu", "silu"].map {
            "activation.\($0)"
        }
        let missing = Set(unary + binary + reductions + shapes + rest).subtracting(kinds)
        #expect(missing.isEmpty, "never drawn: \(missing.sorted())")
    }

    @Test func kinksAndDomainsMakeACaseUnfair() {
        func isFair(_ fuzzCase: FuzzCase) -> Bool {
            if case .success = fuzzCase.evaluated() { return true }
            return false
        }
        let nearZero = Tensor([0.5, -0.005] as [Double])
        #expect(!isFair(chain(nearZero, [.unary(.relu)])))
        #expect(!isFair(chain(nearZero, [.unary(.abs)])))
        #expect(isFair(chain(Tensor([0.5, -0.02] as [Double]), [.unary(.relu)])))
        #expect(!isFair(chain(Tensor([0.05, 1] as [Double]), [.unary(.log)])))
        #expect(isFair(chain(Tensor([0.15, 1] as [Double]), [.unary(.log)])))
        #expect(!isFair(chain(Tensor([-0.095, 1] as [Double]), [.unary(.reciprocal)])))
        #expect(!isFair(chain(Tensor([0.3, 0.6] as [Double]), [.unary(.clipped(lower: -0.5, upper: 0.595))])))
        // Rows [1, 1.005, 0] and [2, 0, 1]: the first row's two largest are 0.005 apart.
        let rows = Tensor([1, 1.005, 0, 2, 0, 1] as [Double], shape: [2, 3])
        #expect(!isFair(chain(rows, [.reduce(.max, axes: [1], keep: false)])))
        #expect(isFair(chain(rows, [.reduce(.max, axes: [0], keep: false)])))
        #expect(!isFair(chain(Tensor([20, 30] as [Double]), [.unary(.square)])))  // 900 > magnitude
        #expect(topGap([1, 1.005, 0, 2, 0, 1], shape: [2, 3], axes: [1]) == 1.005 - 1)
        #expect(topGap([1, 1.005, 0, 2, 0, 1], shape: [2, 3], axes: [0]) == 1)
    }

    @Test func aCasePrintsAsSwift() {
        let fuzzCase = chain(
            Tensor([0.5, -1, 2, 0.25] as [Double], shape: [2, 2]),
            [.unary(.softplus), .unary(.addConstant(0.25)), .unary(.log), .reduce(.mean, axes: [-1], keep: true),
             .gradientReversal(scale: 0.5)])
        let expected = """
            let inputs = [
                Tensor([0.5, -1.0, 2.0, 0.25] as [Double], shape: [2, 2]),
            ]
            let f = { (x: [Tensor]) -> Tensor in gradientReversal((x[0].softplus() + 0.25).log().mean(axes: [-1], \
            keepingDimensions: true), scale: 0.5) }
            """
        #expect(fuzzCase.source == expected)
    }

    @Test func renamingADimensionKeepsLeadingBlocksAndFollowsParameters() {
        // x = [[0, 1, 2], [3, 4, 5]] reshaped to [3, 2]; renaming 3 → 2 keeps columns 0 and 1.
        let x = Tensor([0, 1, 2, 3, 4, 5] as [Double], shape: [2, 3])
        let renamed = chain(x, [.reshape([3, 2], inferring: nil)]).renamingDimension(3, to: 2)
        #expect(renamed.inputs[0].shape == [2, 2])
        #expect(renamed.inputs[0].scalars(as: Double.self) == [0, 1, 3, 4])
        guard case let .reshape(target, _) = renamed.nodes[1].op else {
            Issue.record("the reshape node changed kind")
            return
        }
        #expect(target == [2, 2])
        #expect(leadingBlock(Array(0..<24), [2, 3, 4], [1, 2, 2]) == [0, 1, 4, 5])
    }

    /// A wrong pullback planted deep in a drawn expression is caught, and the shrinker
    /// reduces the case to that op on one rounded number.
    @Test func aPlantedBugIsFoundAndShrunk() throws {
        var fuzzCase = try #require(
            (0..<50).lazy.map { FuzzGenerator.makeCase(seed: FuzzRun.seed(ofCase: $0)) }
                // A stopped gradient hides any pullback behind it, so draw a case without one.
                .first { $0.size >= 8 && !$0.source.contains("stopGradient") })
        let original = fuzzCase.root
        fuzzCase.nodes.append(FuzzNode(op: .custom(.plantedWrongSin), children: [original]))
        fuzzCase.nodes.append(FuzzNode(op: .unary(.tanh), children: [fuzzCase.nodes.count - 1]))
        fuzzCase.root = fuzzCase.nodes.count - 1
        #expect(fuzzCase.check().failed, "\(fuzzCase.source)")
        let shrunk = FuzzShrinker.shrink(fuzzCase)
        #expect(shrunk.check().failed)
        #expect(shrunk.size == 2, "\(shrunk.source)")
        #expect(shrunk.inputs.count == 1 && shrunk.inputs[0].elementCount == 1, "\(shrunk.source)")
        #expect(shrunk.source.contains("pullback: { a, _, g in g * a.sin() }"))
        let value = try #require(shrunk.inputs.first?.scalars(as: Double.self).first)
        #expect((value * 10).rounded() == value * 10, "input \(value) was not rounded")
    }

    /// Gradient surgery needs the reference: the tape's gradient of x·stopGradient(x) is
    /// x, which finite differences of the value (2x) contradict.
    @Test func surgeryIsCheckedAgainstItsReference() {
        var fuzzCase = chain(Tensor([0.7, -1.3] as [Double]), [.stopGradient])
        fuzzCase.nodes.append(FuzzNode(op: .binary(.multiply), children: [0, 1]))
        fuzzCase.root = 2
        #expect(!fuzzCase.check().failed)
        let againstValue = checkGradients(of: { fuzzCase.evaluate($0) }, at: fuzzCase.inputs, tolerance: FuzzLimits.tolerance)
        #expect(!againstValue.passed)
    }
}
