import Testing
import RetrogradNN

// The cached variable list follows changes to a model's structure: every kind of change a
// stored property can undergo after the list was first built.

private final class Changing: Layer {
    var head = Dense(inputSize: 1, outputSize: 1, seed: 1)
    var extra: Dense? = nil
    var blocks: [Dense] = [Dense(inputSize: 1, outputSize: 1, seed: 2)]
    var table: [String: Variable] = [:]
    var scale = Variable(Tensor([1.0] as [Double]))
    var isTraining = true
    func callAsFunction(_ input: Tensor) -> Tensor { head(input) }
}

@Suite struct LayerStructureChangeTests {
    private func names(_ model: some Layer) -> [String] { model.trainableVariables.map(\.name) }

    @Test func replacingAChildIsSeen() {
        let model = Changing()
        let before = model.trainableVariables
        model.head = Dense(inputSize: 1, outputSize: 1, seed: 3)
        let after = model.trainableVariables
        #expect(after[0] === model.head.weight && after[0] !== before[0])
        #expect(model.head.weight.name == "head.weight")
    }

    @Test func settingAndClearingAnOptionalIsSeen() {
        let model = Changing()
        #expect(!names(model).contains("extra.weight"))
        model.extra = Dense(inputSize: 1, outputSize: 1, seed: 4)
        #expect(names(model).contains("extra.weight"))
        model.extra = nil
        #expect(!names(model).contains("extra.weight"))
        // Set again after the old one was freed: a new object that may sit at the old address.
        model.extra = Dense(inputSize: 1, outputSize: 1, seed: 5)
        #expect(model.variable(named: "extra.weight") === model.extra!.weight)
    }

    @Test func changingAnArrayInPlaceIsSeen() {
        let model = Changing()
        #expect(names(model).filter { $0.hasPrefix("blocks.") } == ["blocks.0.weight", "blocks.0.bias"])
        model.blocks.append(Dense(inputSize: 1, outputSize: 1, seed: 6))
        #expect(names(model).filter { $0.hasPrefix("blocks.") }.count == 4)
        let replacement = Dense(inputSize: 1, outputSize: 1, seed: 7)
        model.blocks[0] = replacement
        #expect(model.variable(named: "blocks.0.weight") === replacement.weight)
        model.blocks.removeAll()
        #expect(names(model).filter { $0.hasPrefix("blocks.") }.isEmpty)
    }

    @Test func changingADictionaryOrAVariableIsSeen() {
        let model = Changing()
        model.table["temperature"] = Variable(Tensor([1.0] as [Double]))
        #expect(names(model).contains("table.temperature"))
        let scale = Variable(Tensor([2.0] as [Double]))
        model.scale = scale
        #expect(model.variable(named: "scale") === scale)
    }

    @Test func aChangeDeepInsideAModelIsSeenByTheModel() {
        final class Outer: Layer {
            let inner = Changing()
            var isTraining = true
            func callAsFunction(_ input: Tensor) -> Tensor { inner(input) }
        }
        let model = Outer()
        _ = model.trainableVariables
        model.inner.head = Dense(inputSize: 1, outputSize: 1, seed: 8)
        #expect(model.variable(named: "inner.head.weight") === model.inner.head.weight)
        #expect(model.inner.head.weight.name == "inner.head.weight")
    }

    @Test func anUnchangedModelGivesTheSameList() {
        let model = Changing()
        let first = model.trainableVariables, second = model.trainableVariables
        #expect(first.count == second.count && zip(first, second).allSatisfy { $0 === $1 })
    }
}
