import Testing
import RetrogradNN
import RetrogradOptimizers

// Training with variables the layers find themselves: the branch a hand-written list used
// to leave out (issue 15: "its weights moved 0.0 and warnsOnMissingGradients said nothing").

/// A model with a second branch; before layers found their variables, a hand-written list
/// that named only `main` left `side` untrained without a word.
private final class TwoBranches: Layer {
    let main = Dense(inputSize: 2, outputSize: 1, useBias: false, dtype: .float64, seed: 1)
    let side = Dense(inputSize: 2, outputSize: 1, useBias: false, dtype: .float64, seed: 2)
    var isTraining = true

    init() {
        main.weight.assign(Tensor([1.0, 2] as [Double], shape: [2, 1]))
        side.weight.assign(Tensor([0.5, -1] as [Double], shape: [2, 1]))
    }

    func callAsFunction(_ input: Tensor) -> Tensor { main(input) + side(input) }
}

@Suite struct DiscoveredVariablesTrainingTests {
    @Test func theBranchAHandWrittenListWouldMissIsTrained() throws {
        let model = TwoBranches()
        #expect(model.trainableVariables.map(\.name) == ["main.weight", "side.weight"])
        let x = Tensor([1.5, -2] as [Double], shape: [1, 2])
        let tape = GradientTape()
        let loss = tape.record { model(x).sum() }
        let gradients = try tape.gradient(of: loss, wrt: model.trainableVariables)
        SGD(learningRate: 0.1).apply(gradients: gradients, to: model.trainableVariables)
        // loss = x·w_main + x·w_side, so both weights have gradient xᵀ = [1.5, −2] and move
        // by −0.1·xᵀ.
        #expect(model.main.weight.value.scalars(as: Double.self) == [1 - 0.15, 2 + 0.2])
        #expect(model.side.weight.value.scalars(as: Double.self) == [0.5 - 0.15, -1 + 0.2])
    }

    @Test func aReplacedHeadIsTrainedFromTheNextListOn() throws {
        final class Swappable: Layer {
            var head = Dense(inputSize: 2, outputSize: 1, seed: 3)
            var isTraining = true
            func callAsFunction(_ input: Tensor) -> Tensor { head(input) }
        }
        let swappable = Swappable()
        let old = swappable.trainableVariables
        swappable.head = Dense(inputSize: 2, outputSize: 1, seed: 4)
        let new = swappable.trainableVariables
        #expect(new.count == 2 && zip(old, new).allSatisfy { $0 !== $1 })
        #expect(new[0] === swappable.head.weight && new[0].name == "head.weight")
        let tape = GradientTape()
        let loss = tape.record { swappable(Tensor.ones(shape: [1, 2])).sum() }
        let gradients = try tape.gradient(of: loss, wrt: new)
        // d(x·w + b)/dw = xᵀ = [1, 1], d/db = 1.
        #expect(gradients[0]?.scalars(as: Float.self) == [1, 1])
        #expect(gradients[1]?.scalars(as: Float.self) == [1])
    }

    @Test func aHeldButUnusedChildIsNamedByTheMissingGradientWarning() async {
        // In a child process: the warning switch and its output are process-wide.
        let result = await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
            final class Unused: Layer {
                let used = Dense(inputSize: 2, outputSize: 1, seed: 1)
                let forgotten = Dense(inputSize: 2, outputSize: 1, seed: 2)
                var isTraining = true
                func callAsFunction(_ input: Tensor) -> Tensor { used(input) }
            }
            GradientDiagnostics.warnsOnMissingGradients = true
            let model = Unused()
            let tape = GradientTape()
            let loss = tape.record { model(Tensor.ones(shape: [1, 2])).sum() }
            let gradients = try tape.gradient(of: loss, wrt: model.trainableVariables)
            SGD(learningRate: 0.1).apply(gradients: gradients, to: model.trainableVariables)
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("variable 'forgotten.weight' got no gradient"), "\(message)")
        #expect(message.contains("variable 'forgotten.bias' got no gradient"), "\(message)")
        #expect(!message.contains("'used.weight'"), "\(message)")
    }
}
