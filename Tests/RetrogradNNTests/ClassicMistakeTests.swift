import Testing
@testable import RetrogradNN

// The classic ways to lose a gradient, written with layers, and what the gradient-flow
// report says about each. The expected status follows from the mistake made.

@Suite struct ClassicMistakeTests {
    private let x = Tensor([0.5, -1, 1.5, 0.25, -0.75, 2] as [Float], shape: [3, 2])
    private let labels = [0, 1, 1]

    @Test func aHeadLeftOutOfTheLossIsNotUsed() throws {
        let body = Dense(inputSize: 2, outputSize: 4, activation: .tanh, seed: 1)
        let head = Dense(inputSize: 4, outputSize: 2, seed: 2)
        let auxiliary = Dense(inputSize: 4, outputSize: 1, seed: 3)  // forgotten in the loss
        let model = Sequential(body, head, auxiliary)
        let variables = body.trainableVariables + head.trainableVariables + auxiliary.trainableVariables
        let tape = GradientTape()
        let loss = tape.record { softmaxCrossEntropy(logits: head(body(x)), labels: labels) }
        let grads = try tape.gradient(of: loss, wrt: variables)
        #expect(grads.map { $0 == nil } == [false, false, false, false, true, true])
        let report = try #require(tape.lastGradientFlow)
        #expect(report.missing.map(\.source) == auxiliary.trainableVariables.map(\.name))
        #expect(report.missing.allSatisfy { $0.status == .notUsed })
        _ = model
    }

    @Test func anInputAskedForWithoutWatchingIsAConstant() throws {
        let model = Dense(inputSize: 2, outputSize: 2, seed: 4)
        let tape = GradientTape()
        let loss = tape.record { softmaxCrossEntropy(logits: model(x), labels: labels) }
        // A saliency map needs d loss / d x; x was never watched.
        #expect(try tape.gradient(of: loss, wrt: x) == nil)
        #expect(tape.lastGradientFlow?.entries.map(\.status) == [.notWatched(.constant)])
    }

    @Test func stopGradientAfterTheFeaturesCutsThemOff() throws {
        let features = Dense(inputSize: 2, outputSize: 4, activation: .tanh, seed: 5)
        let classifier = Dense(inputSize: 4, outputSize: 2, seed: 6)
        let tape = GradientTape()
        let line = #line + 1
        let loss = tape.record { softmaxCrossEntropy(logits: classifier(stopGradient(features(x))), labels: labels) }
        let variables = features.trainableVariables + classifier.trainableVariables
        let grads = try tape.gradient(of: loss, wrt: variables)
        #expect(grads.map { $0 == nil } == [true, true, false, false])
        let report = try #require(tape.lastGradientFlow)
        for entry in report.missing {
            guard case let .stoppedGradient(op) = entry.status else {
                Issue.record("\(entry.source): \(entry.status)")
                continue
            }
            #expect(op.site == "RetrogradNNTests/ClassicMistakeTests.swift:\(line)")
            // The dense layer records linear (product plus bias) and tanh before the cut.
            #expect(op.position == 2)
        }
    }

    @Test func aModelCalledBeforeRecordIsReadOutsideTheTape() throws {
        let model = Dense(inputSize: 2, outputSize: 2, seed: 7)
        let logits = model(x)  // outside the tape
        let tape = GradientTape()
        let loss = tape.record { softmaxCrossEntropy(logits: logits, labels: labels) }
        _ = try tape.gradient(of: loss, wrt: model.trainableVariables)
        #expect(tape.lastGradientFlow?.entries.map(\.status) == [.readOutsideTape, .readOutsideTape])
    }
}
