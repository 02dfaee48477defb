import Testing
@testable import RetrogradNN

// The Layer protocol as users meet it: variable lists and names, freezing, the training
// flag, and a hand-written container.

@Suite struct SequentialNamingTests {
    @Test func childrenArePrefixedByTheirPosition() {
        let first = Dense(inputSize: 2, outputSize: 3, seed: 1)
        let second = Dense(inputSize: 3, outputSize: 1, seed: 2)
        let model = Sequential(first, ActivationLayer(.relu), second)
        #expect(model.variables.map(\.name) == ["0.weight", "0.bias", "2.weight", "2.bias"])
        // Order is the children's order, own variables first within each child.
        let expected = [first.weight, first.bias!, second.weight, second.bias!]
        #expect(model.variables.count == expected.count)
        #expect(zip(model.variables, expected).allSatisfy { $0 === $1 })
        #expect(model.trainableVariables.map(\.name) == ["0.weight", "0.bias", "2.weight", "2.bias"])
    }

    @Test func aStandaloneDenseUsesPlainNames() {
        let dense = Dense(inputSize: 2, outputSize: 3, seed: 1)
        #expect(dense.variables.map(\.name) == ["weight", "bias"])
        let noBias = Dense(inputSize: 2, outputSize: 3, useBias: false, seed: 1)
        #expect(noBias.variables.map(\.name) == ["weight"])
    }

    @Test func nestedSequentialGivesPathNames() {
        let inner = Sequential(Dense(inputSize: 3, outputSize: 3, seed: 1), Dense(inputSize: 3, outputSize: 2, seed: 2))
        #expect(inner.variables.map(\.name) == ["0.weight", "0.bias", "1.weight", "1.bias"])
        let outer = Sequential(Dense(inputSize: 4, outputSize: 3, seed: 3), inner)
        #expect(
            outer.variables.map(\.name) == ["0.weight", "0.bias", "1.0.weight", "1.0.bias", "1.1.weight", "1.1.bias"])
        // The names the inner container reports stay relative to it.
        #expect(inner.namedVariables.map(\.name) == ["0.weight", "0.bias", "1.weight", "1.bias"])
        #expect(outer.variable(named: "1.1.bias") === (inner[1] as! Dense).bias)
        #expect(outer.variable(named: "2.weight") == nil)
    }

    @Test func wrappingAgainRenamesFromTheNewRootWithoutStackingPrefixes() {
        let features = Sequential(Dense(inputSize: 2, outputSize: 4, seed: 1))
        let labelModel = Sequential(features, Dense(inputSize: 4, outputSize: 2, seed: 2))
        #expect(features.variables.map(\.name) == ["0.0.weight", "0.0.bias"])
        _ = labelModel
        // The domain branch of DANN reuses the same features at position 1.
        let domainModel = Sequential(GradientReversal(), features, Dense(inputSize: 4, outputSize: 1, seed: 3))
        #expect(domainModel.variables.map(\.name) == ["1.0.weight", "1.0.bias", "2.weight", "2.bias"])
    }

    @Test func arrayAndVariadicInitialisersAgree() {
        let a = Dense(inputSize: 2, outputSize: 2, seed: 1), b = Dense(inputSize: 2, outputSize: 2, seed: 2)
        let fromArray = Sequential([a, b])
        #expect(fromArray.layers.count == 2)
        #expect(fromArray.variables.map(\.name) == ["0.weight", "0.bias", "1.weight", "1.bias"])
        let variadic = Sequential(a, b)
        #expect(zip(fromArray.variables, variadic.variables).allSatisfy { $0 === $1 })
    }

    @Test func aLayerUsedTwiceListsItsVariablesOnce() {
        let shared = Dense(inputSize: 3, outputSize: 3, activation: .tanh, seed: 1)
        let model = Sequential(shared, Dropout(rate: 0.1, seed: 1), shared)
        #expect(model.namedVariables.count == 4)
        #expect(model.variables.map(\.name) == ["0.weight", "0.bias"])
    }

    @Test func namesInADeepModelAreUnique() {
        let model = Sequential(
            Sequential(Dense(inputSize: 2, outputSize: 4, seed: 1), Dense(inputSize: 4, outputSize: 4, seed: 2)),
            Dropout(rate: 0.5, seed: 3),
            Sequential(Sequential(Dense(inputSize: 4, outputSize: 4, seed: 4)), Dense(inputSize: 4, outputSize: 2, seed: 5)))
        let names = model.trainableVariables.map(\.name)
        #expect(names.count == 8)
        #expect(Set(names).count == names.count, "\(names)")
        #expect(names.contains("2.0.0.weight"))
    }
}

@Suite struct FreezingTests {
    private func twoPartModel() -> (features: Dense, head: Dense, model: Sequential) {
        let features = Dense(inputSize: 2, outputSize: 3, activation: .tanh, seed: 11)
        let head = Dense(inputSize: 3, outputSize: 2, seed: 12)
        return (features, head, Sequential(features, head))
    }

    @Test func freezeRemovesVariablesFromTrainableVariables() {
        let (features, head, model) = twoPartModel()
        features.freeze()
        #expect(model.variables.count == 4)
        #expect(model.trainableVariables.map(\.name) == ["1.weight", "1.bias"])
        #expect(zip(model.trainableVariables, head.variables).allSatisfy { $0 === $1 })
        #expect(features.trainableVariables.isEmpty)
        features.unfreeze()
        #expect(model.trainableVariables.count == 4)
    }

    @Test func theTapeGivesNilGradientsForFrozenVariables() throws {
        let (features, head, model) = twoPartModel()
        features.freeze()
        let x = Tensor([0.5, -1, 2, 0.25] as [Float], shape: [2, 2])
        let tape = GradientTape(persistent: true)
        let loss = tape.record { softmaxCrossEntropy(logits: model(x), labels: [0, 1]) }
        let frozen = try tape.gradient(of: loss, wrt: features.variables)
        #expect(frozen.count == 2 && frozen.allSatisfy { $0 == nil })
        let trained = try tape.gradient(of: loss, wrt: head.variables)
        #expect(trained.allSatisfy { $0 != nil })
    }

    @Test func freezingAContainerFreezesEverythingInside() {
        let (_, _, model) = twoPartModel()
        model.freeze()
        #expect(model.trainableVariables.isEmpty)
        #expect(model.variables.allSatisfy { !$0.trainable })
        model.unfreeze()
        #expect(model.variables.allSatisfy { $0.trainable })
    }
}

@Suite struct TrainingFlagTests {
    @Test func containersPassTheFlagToEveryLayerInside() {
        let dropout = Dropout(rate: 0.5, seed: 1)
        let inner = Sequential(Dense(inputSize: 2, outputSize: 2, seed: 1), dropout)
        let model = Sequential(inner, ActivationLayer(.relu), GradientReversal())
        #expect(model.isTraining && dropout.isTraining)
        model.isTraining = false
        #expect(!inner.isTraining && !dropout.isTraining)
        #expect(model.layers.allSatisfy { !$0.isTraining })
        model.isTraining = true
        #expect(dropout.isTraining)
    }

    @Test func inferenceModeTurnsDropoutOffInsideAModel() {
        let model = Sequential(Dropout(rate: 0.9, seed: 5))
        let x = Tensor.ones(shape: [4, 8])
        model.isTraining = false
        #expect(model(x).scalars(as: Float.self) == x.scalars(as: Float.self))
    }
}

/// A container written as a user would: two branches over a shared trunk, its variables
/// found in its properties.
private final class TwoHeads: Layer {
    let trunk = Dense(inputSize: 2, outputSize: 3, activation: .tanh, seed: 21)
    let heads = Sequential(Dense(inputSize: 3, outputSize: 2, seed: 22), Dense(inputSize: 2, outputSize: 1, seed: 23))
    var isTraining = true {
        didSet {
            trunk.isTraining = isTraining
            heads.isTraining = isTraining
        }
    }

    func callAsFunction(_ input: Tensor) -> Tensor { heads(trunk(input)) }
}

@Suite struct CustomLayerTests {
    @Test func aHandWrittenContainerNamesItsChildrenByRole() {
        let model = TwoHeads()
        #expect(
            model.trainableVariables.map(\.name)
                == ["trunk.weight", "trunk.bias", "heads.0.weight", "heads.0.bias", "heads.1.weight", "heads.1.bias"])
        model.isTraining = false
        #expect(!model.heads.isTraining)
    }

    @Test func itsVariablesGetGradientsInTheListedOrder() throws {
        let model = TwoHeads()
        let tape = GradientTape()
        let y = tape.record { model(Tensor([1, -1] as [Float], shape: [1, 2])).sum() }
        let grads = try tape.gradient(of: y, wrt: model.trainableVariables)
        #expect(grads.count == 6)
        for (gradient, variable) in zip(grads, model.trainableVariables) {
            #expect(gradient?.shape == variable.shape, "\(variable.name)")
        }
    }
}
