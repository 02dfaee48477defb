import Testing
@testable import RetrogradNN

// The patterns of the user questions (Tests/RetrogradTests/UserQuestions), written with
// layers.
//
// "Why does tf2.keras's GradientReversalOperator return fewer gradients than expected?":
// asking for gradients of `model.trainable_variables` gives one per variable, reversal or
// not; asking only for the last layer's (example 2) or cutting the graph with
// `stop_gradient` (example 3) is what loses them. Freezing is the way to train only part
// of a model on purpose. "How do I obtain symbolic gradients in TensorFlow 2.x?",
// example 3: gradients as tensors, applied by hand with `assign_sub`.

@Suite struct UserQuestionPatternTests {
    private struct Model {
        let features = Dense(inputSize: 2, outputSize: 4, activation: .tanh, seed: 31)
        let reversal = GradientReversal(scale: 1)
        let classifier = Dense(inputSize: 4, outputSize: 2, seed: 32)
        var whole: Sequential { Sequential(features, reversal, classifier) }
    }

    private let x = Tensor([0.5, -1, 1.5, 0.25, -0.75, 2] as [Float], shape: [3, 2])
    private let labels = [0, 1, 1]

    /// Example 1: every trainable variable, before or after the reversal, gets a gradient.
    @Test func reversalQuestionEveryVariableGetsAGradient() throws {
        let model = Model().whole
        let tape = GradientTape()
        let loss = tape.record { softmaxCrossEntropy(logits: model(x), labels: labels) }
        let grads = try tape.gradient(of: loss, wrt: model.trainableVariables)
        #expect(grads.count == 4)
        #expect(grads.allSatisfy { $0 != nil })
    }

    /// Example 3: a stopGradient after the features leaves them without gradients, which the
    /// tape reports as nil rather than zeros.
    @Test func reversalQuestionStopGradientCutsTheFeaturesOff() throws {
        let parts = Model()
        let model = parts.whole
        let tape = GradientTape()
        let loss = tape.record {
            softmaxCrossEntropy(logits: parts.classifier(stopGradient(parts.reversal(parts.features(x)))), labels: labels)
        }
        let grads = try tape.gradient(of: loss, wrt: model.trainableVariables)
        #expect(grads.map { $0 == nil } == [true, true, false, false])
    }

    /// Training only the classifier on purpose: freeze the features, ask for gradients of
    /// the model's trainable variables, and step by hand (`assignSub`). The features do not
    /// move; the classifier does, and the loss goes down.
    @Test func freezingTheFeaturesTrainsOnlyTheClassifier() throws {
        let parts = Model()
        let model = parts.whole
        parts.features.freeze()
        let trainable = model.trainableVariables
        #expect(trainable.map(\.name) == ["2.weight", "2.bias"])
        let frozenBefore = parts.features.variables.map { $0.value.scalars(as: Float.self) }
        let classifierBefore = parts.classifier.weight.value.scalars(as: Float.self)

        func lossAndGradients() throws -> (Float, [Tensor?]) {
            let tape = GradientTape()
            let loss = tape.record { softmaxCrossEntropy(logits: model(x), labels: labels) }
            return (loss.scalar(as: Float.self), try tape.gradient(of: loss, wrt: trainable))
        }
        let (before, grads) = try lossAndGradients()
        #expect(grads.count == 2 && grads.allSatisfy { $0 != nil })
        for (gradient, variable) in zip(grads, trainable) { variable.assignSub(gradient! * 0.1) }
        let (after, _) = try lossAndGradients()

        #expect(after < before, "loss \(before) → \(after)")
        #expect(parts.features.variables.map { $0.value.scalars(as: Float.self) } == frozenBefore)
        #expect(parts.classifier.weight.value.scalars(as: Float.self) != classifierBefore)
    }

    /// The API tour in DESIGN.md, trained by hand: a small network separates two clusters.
    @Test func aSmallModelLearnsTwoClustersWithHandWrittenSGD() throws {
        let model = Sequential(
            Dense(inputSize: 2, outputSize: 8, activation: .tanh, seed: 41), Dense(inputSize: 8, outputSize: 2, seed: 42))
        let points = Tensor([1, 1, 1.5, 0.5, 0.5, 1.5, -1, -1, -1.5, -0.5, -0.5, -1.5] as [Float], shape: [6, 2])
        let classes = [0, 0, 0, 1, 1, 1]
        var first: Float = 0, last: Float = 0
        for step in 0..<40 {
            let tape = GradientTape()
            let loss = tape.record { softmaxCrossEntropy(logits: model(points), labels: classes) }
            let grads = try tape.gradient(of: loss, wrt: model.trainableVariables)
            for (gradient, variable) in zip(grads, model.trainableVariables) { variable.assignSub(gradient! * 0.5) }
            if step == 0 { first = loss.scalar(as: Float.self) }
            last = loss.scalar(as: Float.self)
        }
        #expect(last < first / 4, "loss \(first) → \(last)")
        #expect(accuracy(logits: model(points), labels: classes) == 1)
    }
}
