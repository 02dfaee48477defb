// The question "Why does tf2.keras's GradientReversalOperator return fewer gradients than
// expected?" — a feature extractor, a gradient reversal layer and a classifier, trained
// from a custom loop: (1) gradients for all variables, (2) gradients for the last layer
// only, (3) a stop-gradient placed after the reversal.
//
// There is no layer library yet: a dense layer is `x.matmul(w) + b` with Variables. The
// expected gradients come from a closed-form backward pass written in plain Swift doubles
// below (softmax cross-entropy: ∂L/∂logits = (p − y)/N; tanh: 1 − h²; GRL: −λ).
//
// Note on the answer's Example 3: as printed, it computes `loss` *before* the
// `tf.stop_gradient` lines and never recomputes it, so its stop has no effect at all;
// the mistake it means to show (the loss computed from the stopped features) cuts the
// feature extractor off. Both readings are tested.

import Foundation
import Testing
@testable import Retrograd
import RetrogradTestSupport

/// The toy DANN-style model: features h = tanh(x·W1 + b1) (2 → 3), then a reversal
/// layer, then a linear classifier (3 → 2) with softmax cross-entropy, mean over the batch.
private struct ToyModel {
    static let x: [[Double]] = [[0.5, -1.0], [1.5, 0.25]]
    static let labels: [[Double]] = [[1, 0], [0, 1]]
    static let w1: [[Double]] = [[0.2, -0.4, 0.7], [0.5, 0.1, -0.3]]
    static let b1: [Double] = [0.05, -0.1, 0.2]
    static let w2: [[Double]] = [[0.3, -0.6], [-0.2, 0.4], [0.8, 0.1]]
    static let b2: [Double] = [0.1, -0.05]

    let featureW = Variable(Tensor(w1.flatMap { $0 }, shape: [2, 3]), name: "feature/w")
    let featureB = Variable(Tensor(b1, shape: [3]), name: "feature/b")
    let headW = Variable(Tensor(w2.flatMap { $0 }, shape: [3, 2]), name: "classifier/w")
    let headB = Variable(Tensor(b2, shape: [2]), name: "classifier/b")

    var featureExtractor: [Variable] { [featureW, featureB] }
    var classifier: [Variable] { [headW, headB] }
    var trainableVariables: [Variable] { featureExtractor + classifier }

    var input: Tensor { Tensor(Self.x.flatMap { $0 }, shape: [2, 2]) }
    var target: Tensor { Tensor(Self.labels.flatMap { $0 }, shape: [2, 2]) }

    func features(_ x: Tensor) -> Tensor { (x.matmul(featureW.value) + featureB.value).tanh() }
    func classify(_ h: Tensor) -> Tensor { h.matmul(headW.value) + headB.value }
    func loss(logits: Tensor) -> Tensor { -(target * logits.logSoftmax()).sum(axes: [1]).mean() }
}

/// The same model's gradients, by hand, in plain doubles: flattened like the variables.
private func referenceGradients(reversalScale lambda: Double?) -> [[Double]] {
    let (x, y, w1, b1, w2, b2) = (ToyModel.x, ToyModel.labels, ToyModel.w1, ToyModel.b1, ToyModel.w2, ToyModel.b2)
    let n = Double(x.count)
    var dW1 = [[Double]](repeating: [0, 0, 0], count: 2), db1 = [0.0, 0, 0]
    var dW2 = [[Double]](repeating: [0, 0], count: 3), db2 = [0.0, 0]
    for (xi, yi) in zip(x, y) {
        let h = (0..<3).map { j in Foundation.tanh(xi[0] * w1[0][j] + xi[1] * w1[1][j] + b1[j]) }
        let logits = (0..<2).map { k in (0..<3).reduce(b2[k]) { $0 + h[$1] * w2[$1][k] } }
        let top = logits.max()!
        let e = logits.map { Foundation.exp($0 - top) }
        let p = e.map { $0 / e.reduce(0, +) }
        let dLogits = (0..<2).map { (p[$0] - yi[$0]) / n }  // ∂(mean CE)/∂logits
        for j in 0..<3 { for k in 0..<2 { dW2[j][k] += h[j] * dLogits[k] } }
        for k in 0..<2 { db2[k] += dLogits[k] }
        // The reversal layer sits between h and the classifier: −λ·g going back (or g without it).
        let flip = lambda.map { -$0 } ?? 1
        let dh = (0..<3).map { j in flip * (0..<2).reduce(0) { $0 + w2[j][$1] * dLogits[$1] } }
        let dz = (0..<3).map { dh[$0] * (1 - h[$0] * h[$0]) }
        for i in 0..<2 { for j in 0..<3 { dW1[i][j] += xi[i] * dz[j] } }
        for j in 0..<3 { db1[j] += dz[j] }
    }
    return [dW1.flatMap { $0 }, db1, dW2.flatMap { $0 }, db2]
}

extension UserQuestionTests {
    @Suite struct GradientReversalOperatorTests {
        // MARK: Example 1 — the correct loop: every variable gets a gradient

        /// With the reversal layer, the classifier's gradients are the ordinary ones and the
        /// feature extractor's are −λ times the ordinary ones; none is missing.
        @Test(arguments: [1.0, 0.3])
        func allVariablesGetGradientsThroughTheReversal(lambda: Double) throws {
            let model = ToyModel()
            let tape = GradientTape()
            let loss = tape.record {
                model.loss(logits: model.classify(gradientReversal(model.features(model.input), scale: lambda)))
            }
            let gradients = try tape.gradient(of: loss, wrt: model.trainableVariables)
            #expect(gradients.count == model.trainableVariables.count)
            #expect(gradients.allSatisfy { $0 != nil })  // not "fewer gradients"
            for (index, (gradient, expected)) in zip(gradients, referenceGradients(reversalScale: lambda)).enumerated() {
                #expect(gradient?.shape == model.trainableVariables[index].shape)
                #expect(allClose(values(gradient), expected), "variable \(model.trainableVariables[index].name)")
            }
        }

        /// The reversal changes only the sign (and scale) of what reaches the features.
        @Test func reversalFlipsOnlyTheFeatureExtractor() throws {
            let model = ToyModel()
            let tape = GradientTape(persistent: true)
            let (plain, reversed) = tape.record { () -> (Tensor, Tensor) in
                let h = model.features(model.input)
                return (model.loss(logits: model.classify(h)), model.loss(logits: model.classify(gradientReversal(h))))
            }
            let g = try tape.gradient(of: plain, wrt: model.trainableVariables)
            let r = try tape.gradient(of: reversed, wrt: model.trainableVariables)
            #expect(allClose(values(plain), values(reversed)))  // identity forward
            for index in 0..<2 { #expect(allClose(values(r[index]), values(g[index]).map { -$0 })) }
            for index in 2..<4 { #expect(allClose(values(r[index]), values(g[index]))) }
            for (gradient, expected) in zip(g, referenceGradients(reversalScale: nil)) {
                #expect(allClose(values(gradient), expected))
            }
        }

        // MARK: Example 2 — gradients asked for the last layer only

        /// Asking only for the classifier's variables returns two gradients, and an SGD step
        /// with them leaves the feature extractor exactly as it was.
        @Test func lastLayerOnlyLeavesTheOthersUntouched() throws {
            let model = ToyModel()
            let before = model.trainableVariables.map { values($0.value) }
            let lr = 0.5
            let tape = GradientTape()
            let loss = tape.record { model.loss(logits: model.classify(gradientReversal(model.features(model.input)))) }
            let gradients = try tape.gradient(of: loss, wrt: model.classifier)
            #expect(gradients.count == 2)
            for (variable, gradient) in zip(model.classifier, gradients) {
                variable.assignSub(try #require(gradient) * lr)
            }
            let reference = referenceGradients(reversalScale: 1)
            #expect(values(model.featureW.value) == before[0])
            #expect(values(model.featureB.value) == before[1])
            #expect(allClose(values(model.headW.value), zip(before[2], reference[2]).map { $0 - lr * $1 }))
            #expect(allClose(values(model.headB.value), zip(before[3], reference[3]).map { $0 - lr * $1 }))
            #expect(values(model.headW.value) != before[2])
        }

        // MARK: Example 3 — a stop-gradient after the reversal

        /// The loss computed from `stopGradient(reversed)`: nothing reaches the feature
        /// extractor, whose gradients are nil (zeros on request); the classifier's are intact.
        @Test func stopGradientAfterTheReversalCutsTheFeatureExtractorOff() throws {
            let model = ToyModel()
            let tape = GradientTape(persistent: true)
            let loss = tape.record { () -> Tensor in
                let reversed = gradientReversal(model.features(model.input))
                return model.loss(logits: model.classify(stopGradient(reversed)))
            }
            let gradients = try tape.gradient(of: loss, wrt: model.trainableVariables)
            #expect(gradients[0] == nil)
            #expect(gradients[1] == nil)
            let reference = referenceGradients(reversalScale: 1)
            #expect(allClose(values(gradients[2]), reference[2]))
            #expect(allClose(values(gradients[3]), reference[3]))
            let zeros = try tape.gradient(of: loss, wrt: model.featureExtractor, unconnected: .zero)
            #expect(values(zeros[0]) == [Double](repeating: 0, count: 6))
            #expect(values(zeros[1]) == [0, 0, 0])
        }

        /// Without the stop, the same loss reaches the feature extractor (non-nil, reversed).
        @Test func withoutTheStopTheFeatureExtractorGetsItsGradient() throws {
            let model = ToyModel()
            let tape = GradientTape()
            let loss = tape.record { model.loss(logits: model.classify(gradientReversal(model.features(model.input)))) }
            let gradients = try tape.gradient(of: loss, wrt: model.featureExtractor)
            let reference = referenceGradients(reversalScale: 1)
            #expect(gradients[0] != nil && gradients[1] != nil)
            #expect(allClose(values(gradients[0]), reference[0]))
            #expect(allClose(values(gradients[1]), reference[1]))
        }

        /// The answer's code as printed: `loss` is taken before the stop and the recomputed
        /// predictions are never used, so the stop changes nothing.
        @Test func theAnswersLiteralOrderingHasNoEffect() throws {
            let model = ToyModel()
            let tape = GradientTape()
            let loss = tape.record { () -> Tensor in
                let reversed = gradientReversal(model.features(model.input))
                let loss = model.loss(logits: model.classify(reversed))
                let stopped = stopGradient(reversed)
                _ = model.classify(stopped)  // "predictions = ..." — unused by the loss
                return loss
            }
            let gradients = try tape.gradient(of: loss, wrt: model.trainableVariables)
            for (gradient, expected) in zip(gradients, referenceGradients(reversalScale: 1)) {
                #expect(allClose(values(gradient), expected))
            }
        }
    }
}
