import Testing
import RetrogradNN

// Layers find their own variables: paths from stored properties, containers of every kind,
// what is skipped, and the errors.

/// A dense layer of known weights (`weights` row-major `[inputs, outputs]`), float64.
private func fixedDense(_ weights: [Double], inputs: Int, outputs: Int, bias: [Double]? = nil) -> Dense {
    let dense = Dense(inputSize: inputs, outputSize: outputs, useBias: bias != nil, dtype: .float64, seed: 0)
    dense.weight.assign(Tensor(weights, shape: [inputs, outputs]))
    if let bias { dense.bias!.assign(Tensor(bias, shape: [outputs])) }
    return dense
}

/// Two branches summed.
private final class TwoBranches: Layer {
    let main = fixedDense([1, 2], inputs: 2, outputs: 1)
    let side = fixedDense([0.5, -1], inputs: 2, outputs: 1)
    var isTraining = true

    func callAsFunction(_ input: Tensor) -> Tensor { main(input) + side(input) }
}

/// Every kind of property discovery searches, in declaration order.
private class Base: Layer {
    let scale = Variable(Tensor([2.0] as [Double]), name: "scale")
    var isTraining = true
    func callAsFunction(_ input: Tensor) -> Tensor { input * scale.value }
}

private struct Pair {
    let left: Dense
    let right: Dense
}

private final class Everything: Base {
    let blocks: [any Layer] = [Dense(inputSize: 1, outputSize: 1, seed: 1), ActivationLayer(.relu), Dense(inputSize: 1, outputSize: 1, seed: 2)]
    var head: Dense? = nil
    let byName: [String: Dense] = ["b": Dense(inputSize: 1, outputSize: 1, seed: 3), "a": Dense(inputSize: 1, outputSize: 1, seed: 4)]
    let byIndex: [Int: Variable] = [10: Variable(Tensor([1.0] as [Double])), 2: Variable(Tensor([1.0] as [Double]))]
    let pair = Pair(left: Dense(inputSize: 1, outputSize: 1, useBias: false, seed: 5), right: Dense(inputSize: 1, outputSize: 1, useBias: false, seed: 6))
    let tuple: (Variable, gate: Variable) = (Variable(Tensor([1.0] as [Double])), Variable(Tensor([1.0] as [Double])))
    lazy var late = Variable(Tensor([3.0] as [Double]))
    let notSearched: [Tensor] = [Tensor([1.0] as [Double])]
    let count = 3
}

/// A child that points back to its parent.
private final class Child: Layer {
    weak var parent: Parent?
    let weight = Variable(Tensor([1.0] as [Double]))
    var isTraining = true
    func callAsFunction(_ input: Tensor) -> Tensor { input * weight.value }
}

private final class Parent: Layer {
    let child = Child()
    var isTraining = true
    init() { child.parent = self }
    func callAsFunction(_ input: Tensor) -> Tensor { child(input) }
}

@Suite struct LayerDiscoveryTests {
    @Test func pathsFollowPropertiesIndicesKeysAndLabels() {
        let model = Everything()
        model.head = Dense(inputSize: 1, outputSize: 1, seed: 7)
        _ = model.late  // a lazy variable is found once it exists
        #expect(
            model.namedVariables.map(\.name) == [
                "scale",
                "blocks.0.weight", "blocks.0.bias", "blocks.2.weight", "blocks.2.bias",
                "head.weight", "head.bias",
                "byName.a.weight", "byName.a.bias", "byName.b.weight", "byName.b.bias",
                "byIndex.2", "byIndex.10",
                "pair.left.weight", "pair.right.weight",
                "tuple.0", "tuple.gate",
                "late",
            ])
        #expect(model.variable(named: "byName.a.weight") === model.byName["a"]!.weight)
        #expect(model.variable(named: "late") === model.late)
    }

    @Test func anEmptyOptionalAddsNothingUntilItIsSet() {
        let model = Everything()
        #expect(!model.namedVariables.map(\.name).contains("head.weight"))
        let head = Dense(inputSize: 1, outputSize: 1, seed: 8)
        model.head = head
        #expect(model.variable(named: "head.bias") === head.bias)
        #expect(head.weight.name == "head.weight")
    }

    @Test func aBackReferenceToAParentIsSkipped() {
        let parent = Parent()
        #expect(parent.namedVariables.map(\.name) == ["child.weight"])
        #expect(parent.child.namedVariables.map(\.name) == ["weight"])
    }

    @Test func namedVariablesPrefixedByPutsAPartsPathsUnderAPrefix() {
        let model = TwoBranches()
        #expect(model.side.namedVariables(prefixedBy: "side").map(\.name) == ["side.weight"])
    }
}

@Suite struct VariableNamingTests {
    @Test func twoStandaloneSequentialsHeldByOneLayerGetDistinctPrefixes() {
        final class Combined: Layer {
            let first = Sequential(Dense(inputSize: 2, outputSize: 2, seed: 1), Dense(inputSize: 2, outputSize: 2, seed: 2))
            let second = Sequential(Dense(inputSize: 2, outputSize: 2, seed: 3), Dense(inputSize: 2, outputSize: 2, seed: 4))
            var isTraining = true
            func callAsFunction(_ input: Tensor) -> Tensor { second(first(input)) }
        }
        let model = Combined()
        // Each Sequential named its own variables when it was made.
        #expect(model.first[1].variables.map(\.name) == ["1.weight", "1.bias"])
        #expect(model.second[1].variables.map(\.name) == ["1.weight", "1.bias"])
        let names = model.trainableVariables.map(\.name)
        #expect(names.contains("first.1.weight") && names.contains("second.1.weight"))
        #expect(Set(names).count == names.count)
    }

    @Test func listingAPartAfterTheModelKeepsTheModelsNames() {
        let model = TwoBranches()
        _ = model.trainableVariables
        #expect(model.side.trainableVariables.map(\.name) == ["side.weight"])
        model.side.freeze()
        model.side.unfreeze()
        #expect(model.side.weight.name == "side.weight")
    }

    @Test func listingAPartFirstThenTheModelRenamesFromTheModel() {
        let model = TwoBranches()
        #expect(model.side.trainableVariables.map(\.name) == ["weight"])
        #expect(model.trainableVariables.map(\.name) == ["main.weight", "side.weight"])
        #expect(model.side.weight.name == "side.weight")
    }

    @Test func assignVariableNamesNamesFromAPartOnPurpose() {
        let model = TwoBranches()
        _ = model.trainableVariables
        model.side.assignVariableNames()
        #expect(model.side.weight.name == "weight")
    }
}

@Suite struct DuplicatePathTests {
    @Test func twoContainersListedWithoutNamesStopWithAMessage() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            final class Flattened: Layer {
                static let variablePathNames = ["encoder": "", "decoder": ""]
                let encoder = Sequential(Dense(inputSize: 2, outputSize: 2, seed: 1))
                let decoder = Sequential(Dense(inputSize: 2, outputSize: 2, seed: 2))
                var isTraining = true
                func callAsFunction(_ input: Tensor) -> Tensor { decoder(encoder(input)) }
            }
            _ = Flattened().trainableVariables
        }
        let message = standardError(result)
        #expect(message.contains("Flattened: two different variables have the path '0.weight'"), "\(message)")
        #expect(message.contains("variablePathNames"), "\(message)")
    }

    @Test func aLayerUsedTwiceIsOneVariableUnderTwoPathsNotAnError() {
        let shared = Dense(inputSize: 2, outputSize: 2, seed: 1)
        let model = Sequential(shared, shared)
        #expect(model.namedVariables.map(\.name) == ["0.weight", "0.bias", "1.weight", "1.bias"])
        #expect(model.variables.count == 2)
    }
}
