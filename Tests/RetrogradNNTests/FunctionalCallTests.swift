import Testing
import RetrogradNN

// Calling a layer with substituted variable values (torch.func.functional_call), and the
// MAML meta-gradient through it, checked by hand and against finite differences.

/// A float64 dense layer with the given weights and optional bias.
private func dense(_ weights: [Double], _ inputs: Int, _ outputs: Int, bias: [Double]? = nil, activation: Activation = .identity) -> Dense {
    let layer = Dense(inputSize: inputs, outputSize: outputs, activation: activation, useBias: bias != nil, dtype: .float64, seed: 0)
    layer.weight.assign(Tensor(weights, shape: [inputs, outputs]))
    if let bias { layer.bias!.assign(Tensor(bias, shape: [outputs])) }
    return layer
}

private struct Failure: Error {}

@Suite struct FunctionalCallTests {
    @Test func theSubstitutesAreReadAndTheVariablesKeepTheirValues() {
        let layer = dense([1, 2], 2, 1, bias: [0.5])
        let x = Tensor([1.0, 1] as [Double], shape: [1, 2])
        // x·[3, −1] + 0 = 2, where the layer's own weights give 1 + 2 + 0.5 = 3.5.
        let substituted = layer(x, with: ["weight": Tensor([3.0, -1] as [Double], shape: [2, 1]), "bias": Tensor([0.0] as [Double])])
        #expect(substituted.scalars(as: Double.self) == [2])
        #expect(layer(x).scalars(as: Double.self) == [3.5])
        #expect(layer.weight.value.scalars(as: Double.self) == [1, 2])
    }

    @Test func aPartialSubstitutionKeepsTheOtherVariables() {
        let model = Sequential(dense([2], 1, 1, bias: [1]), dense([3], 1, 1, bias: [0]))
        let x = Tensor([1.0] as [Double], shape: [1, 1])
        // (1·2 + 1)·(−1) + 0 = −3 with only the second weight replaced by −1.
        #expect(model(x, with: ["1.weight": Tensor([-1.0] as [Double], shape: [1, 1])]).scalars(as: Double.self) == [-3])
    }

    @Test func valuesAlignedWithTrainableVariablesSkipFrozenOnes() {
        let first = dense([2], 1, 1, bias: [1]), second = dense([3], 1, 1, bias: [0])
        let model = Sequential(first, second)
        first.freeze()
        #expect(model.trainableVariables.map(\.name) == ["1.weight", "1.bias"])
        let x = Tensor([1.0] as [Double], shape: [1, 1])
        // (1·2 + 1)·4 + 0.5 = 12.5.
        let y = model(x, with: [Tensor([4.0] as [Double], shape: [1, 1]), Tensor([0.5] as [Double])])
        #expect(y.scalars(as: Double.self) == [12.5])
    }

    @Test func theValuesComeBackWhenTheBodyThrows() {
        let layer = dense([1, 2], 2, 1, bias: [0.5])
        #expect(throws: Failure.self) {
            try layer.withVariableValues(["weight": Tensor([9.0, 9] as [Double], shape: [2, 1])]) {
                #expect(layer.weight.value.scalars(as: Double.self) == [9, 9])
                throw Failure()
            }
        }
        #expect(layer.weight.value.scalars(as: Double.self) == [1, 2])
    }

    @Test func nestedSubstitutionsUnwindInOrder() {
        let layer = dense([1], 1, 1)
        layer.withVariableValues(["weight": Tensor([2.0] as [Double], shape: [1, 1])]) {
            layer.withVariableValues(["weight": Tensor([3.0] as [Double], shape: [1, 1])]) {
                #expect(layer.weight.value.scalars(as: Double.self) == [3])
            }
            #expect(layer.weight.value.scalars(as: Double.self) == [2])
        }
        #expect(layer.weight.value.scalars(as: Double.self) == [1])
    }

    @Test func anUnknownPathStopsWithTheKnownOnes() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let layer = Dense(inputSize: 2, outputSize: 1, seed: 1)
            _ = layer(Tensor.ones(shape: [1, 2]), with: ["weights": Tensor.ones(shape: [2, 1])])
        }
        let message = standardError(result)
        #expect(message.contains("has no variable 'weights'; its paths are weight, bias"), "\(message)")
    }

    @Test func aValueOfTheWrongShapeStops() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let layer = Dense(inputSize: 2, outputSize: 1, seed: 1)
            _ = layer(Tensor.ones(shape: [1, 2]), with: ["weight": Tensor.ones(shape: [1, 2])])
        }
        let message = standardError(result)
        #expect(message.contains("variable 'weight' holds float32 [2, 1], the value given for it is float32 [1, 2]"), "\(message)")
    }
}

@Suite struct MAMLMetaGradientTests {
    /// The meta-loss of one MAML inner step: the query loss after one gradient step of
    /// size `rate` on the support loss, with the fast weights passed to the model as
    /// substitutes for `weights`.
    private static func metaLoss(
        _ model: some Layer, weights: [Tensor], rate: Double,
        support: (Tensor, Tensor), query: (Tensor, Tensor)
    ) throws -> Tensor {
        let inner = GradientTape()
        for weight in weights { inner.watch(weight) }
        let supportLoss = inner.record {
            meanSquaredError(predictions: model(support.0, with: weights), targets: support.1, reduction: .sum)
        }
        let gradients = try inner.gradient(of: supportLoss, wrt: weights)
        let fast = zip(weights, gradients).map { $0 - rate * $1! }
        return meanSquaredError(predictions: model(query.0, with: fast), targets: query.1, reduction: .sum)
    }

    @Test func aScalarModelMatchesTheHandDerivedSecondOrderMetaGradient() throws {
        // y = w·x, w = 0.8, α = 0.1; support (x = 2, t = 1), query (x = −1, t = 0.5).
        // Inner step: ∂/∂w (w·2 − 1)² = 2·2·(1.6 − 1) = 2.4, so w′ = 0.8 − 0.24 = 0.56.
        // Query loss (−0.56 − 0.5)² = 1.1236; ∂/∂w′ = 2·(−1)·(−1.06) = 2.12.
        // dw′/dw = 1 − α·2·x_s² = 1 − 0.8 = 0.2, so the meta-gradient is 2.12·0.2 = 0.424
        // (first-order MAML, which drops dw′/dw, would give 2.12).
        let model = dense([0.8], 1, 1)
        let support = (Tensor([2.0] as [Double], shape: [1, 1]), Tensor([1.0] as [Double], shape: [1, 1]))
        let query = (Tensor([-1.0] as [Double], shape: [1, 1]), Tensor([0.5] as [Double], shape: [1, 1]))
        let outer = GradientTape()
        let loss = try outer.record { () throws -> Tensor in
            try Self.metaLoss(model, weights: model.trainableVariables.map(\.value), rate: 0.1, support: support, query: query)
        }
        let gradient = try #require(try outer.gradient(of: loss, wrt: model.weight))
        #expect(abs(loss.scalar(as: Double.self) - 1.1236) < 1e-12)
        #expect(abs(gradient.scalar(as: Double.self) - 0.424) < 1e-12)
        #expect(model.weight.value.scalars(as: Double.self) == [0.8])
    }

    @Test func aTanhNetworkMatchesFiniteDifferencesOfTheMetaLoss() throws {
        let model = Sequential(
            dense([0.3, -0.2, 0.5, 0.1, 0.4, -0.6], 2, 3, bias: [0.1, 0, -0.1], activation: .tanh),
            dense([0.7, -0.5, 0.2], 3, 1, bias: [0.05]))
        let support = (Tensor([0.5, -1, 1.5, 0.2, -0.3, 0.8] as [Double], shape: [3, 2]), Tensor([0.2, -0.4, 0.6] as [Double], shape: [3, 1]))
        let query = (Tensor([-0.7, 0.4, 0.9, -1.1] as [Double], shape: [2, 2]), Tensor([0.3, -0.1] as [Double], shape: [2, 1]))
        let start = model.trainableVariables.map(\.value)
        // The tape's gradient of the meta-loss with respect to the weights, second-order
        // terms included, against central finite differences of the meta-loss itself.
        let report = checkGradients(
            of: { weights in try! Self.metaLoss(model, weights: weights, rate: 0.3, support: support, query: query) },
            at: start, order: 1)
        #expect(report.passed, "\(report)")
        #expect(zip(model.trainableVariables.map(\.value), start).allSatisfy { $0.scalars(as: Double.self) == $1.scalars(as: Double.self) })
    }
}
