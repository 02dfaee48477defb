import Foundation
import RetrogradNN
import RetrogradOptimizers
import Testing

// The examples of the DocC article "Gradient surgery in a model"
// (Sources/RetrogradNN/RetrogradNN.docc/GradientSurgeryInAModel.md),
// copied as written between the "Article." and "End of article." comments, with assertions
// on what the article says about them. Change an example and its copy together.

@Suite struct GradientSurgeryArticleTests {
    @Test func gradientSurgeryInAModelChangesTheGradientsTheArticleSays() throws {
        // Article.
        var generator = SeededGenerator(seed: 7)
        let source = Tensor.randomNormal(shape: [8, 2], using: &generator)
        let target = source + 1.5                                   // the same points, shifted
        let labels = [0, 1, 0, 1, 1, 0, 0, 1]
        let both = concat([source, target], axis: 0)
        let domains = Tensor([Float](repeating: 0, count: 8) + [Float](repeating: 1, count: 8), shape: [16, 1])
        // End of article.
        #expect(TwoHeadedModel().variables.map(\.name) == [
            "features.weight", "features.bias", "label.weight", "label.bias", "domain.weight", "domain.bias",
        ])

        do {
            let reference = TwoHeadedModel()
            // Article.
            let model = TwoHeadedModel()
            model.features.freeze()
            let variables = model.trainableVariables            // label.weight, label.bias, domain.weight, domain.bias
            let optimizer = SGD(learningRate: 0.1)

            let tape = GradientTape()
            let loss = tape.record { softmaxCrossEntropy(logits: model(source), labels: labels) }
            let gradients = try tape.gradient(of: loss, wrt: variables)
            optimizer.apply(gradients: gradients, to: variables)
            // End of article.
            #expect(variables.map(\.name) == ["label.weight", "label.bias", "domain.weight", "domain.bias"])
            #expect(gradients.map { $0 != nil } == [true, true, false, false])
            #expect(values(model.features.weight) == values(reference.features.weight), "frozen: unchanged")
            #expect(values(model.domainHead.weight) == values(reference.domainHead.weight), "nil gradient: unchanged")
            let expected = zip(values(reference.labelHead.weight), values(gradients[0])).map { $0 - 0.1 * $1 }
            #expect(maxDifference(values(model.labelHead.weight), expected) < 1e-6)
            let probe = GradientTape()
            let probeLoss = probe.record { model(source).sum() }
            #expect(try probe.gradient(of: probeLoss, wrt: model.features.weight) == nil, "a frozen variable is not watched")
        }

        do {
            // Article.
            let model = TwoHeadedModel()
            let variables = model.trainableVariables
            let tape = GradientTape()
            let loss = tape.record { () -> Tensor in
                let shared = model.features(both)
                let labelLoss = softmaxCrossEntropy(logits: model.labelHead(shared.slice(0..<8)), labels: labels)
                let probeLoss = binaryCrossEntropy(logits: model.domainHead(stopGradient(shared)), labels: domains)
                return labelLoss + probeLoss
            }
            let gradients = try tape.gradient(of: loss, wrt: variables)
            // End of article.
            // References: the label loss alone, and the probe's loss on features that are constants.
            let labelTape = GradientTape()
            let labelOnly = labelTape.record { softmaxCrossEntropy(logits: model(source), labels: labels) }
            let labelGradients = try labelTape.gradient(of: labelOnly, wrt: variables)
            let fixed = withoutRecording { model.features(both) }
            let probeTape = GradientTape()
            let probeOnly = probeTape.record { binaryCrossEntropy(logits: model.domainHead(fixed), labels: domains) }
            let probeGradients = try probeTape.gradient(of: probeOnly, wrt: variables)
            for index in 0..<4 {
                #expect(maxDifference(values(gradients[index]), values(labelGradients[index])) < 1e-6, "\(variables[index].name)")
            }
            for index in 4..<6 {
                #expect(maxDifference(values(gradients[index]), values(probeGradients[index])) < 1e-6, "\(variables[index].name)")
            }
        }

        do {
            let untrained = TwoHeadedModel()
            // Article.
            let model = TwoHeadedModel()
            let variables = model.trainableVariables
            let optimizer = SGD(learningRate: 0.05, momentum: 0.9)
            let steps = 200
            for step in 0..<steps {
                let progress = Double(step) / Double(steps)
                model.reversal.scale = 2 / (1 + exp(-10 * progress)) - 1     // λ rises from 0 towards 1
                let tape = GradientTape()
                let loss = tape.record {
                    softmaxCrossEntropy(logits: model(source), labels: labels)
                        + binaryCrossEntropy(logits: model.domainLogits(both), labels: domains)
                }
                optimizer.apply(gradients: try tape.gradient(of: loss, wrt: variables), to: variables)
            }
            // End of article.
            let lambda = model.reversal.scale
            #expect(lambda > 0.99 && lambda < 1, "λ at the last step, 2 / (1 + e^(−9.95)) − 1: \(lambda)")
            func labelLoss(_ model: TwoHeadedModel) -> Double {
                softmaxCrossEntropy(logits: model(source), labels: labels).scalar(as: Double.self)
            }
            #expect(labelLoss(model) < labelLoss(untrained) / 2, "the label head still learns")
            // Through the reversal, the domain head's gradient is unchanged and the features get −λ times theirs.
            let reversed = GradientTape(), plain = GradientTape()
            let through = reversed.record { binaryCrossEntropy(logits: model.domainLogits(both), labels: domains) }
            let direct = plain.record { binaryCrossEntropy(logits: model.domainHead(model.features(both)), labels: domains) }
            let withReversal = try reversed.gradient(of: through, wrt: variables)
            let without = try plain.gradient(of: direct, wrt: variables)
            for index in [0, 1] {
                #expect(maxDifference(values(withReversal[index]), values(without[index]).map { -lambda * $0 }) < 1e-6)
            }
            for index in [4, 5] {
                #expect(maxDifference(values(withReversal[index]), values(without[index])) < 1e-6)
            }
        }

        do {
            let reference = TwoHeadedModel()
            let referenceTape = GradientTape()
            let referenceLoss = referenceTape.record {
                softmaxCrossEntropy(logits: reference(source), labels: labels)
                    + binaryCrossEntropy(logits: reference.domainLogits(both), labels: domains)
            }
            let raw = try referenceTape.gradient(of: referenceLoss, wrt: reference.trainableVariables).map { values($0) }
            // Article.
            let model = TwoHeadedModel()
            let variables = model.trainableVariables
            let optimizer = SGD(learningRate: 0.1)
            let tape = GradientTape()
            let loss = tape.record {
                softmaxCrossEntropy(logits: model(source), labels: labels)
                    + binaryCrossEntropy(logits: model.domainLogits(both), labels: domains)
            }
            var gradients = try tape.gradient(of: loss, wrt: variables)
                .negated(only: model.domainHead.trainableVariables, in: variables)
                .scaled(by: 0.1, in: variables, where: { $0.name.hasPrefix("features.") })
            clipByGlobalNorm(&gradients, maxNorm: 1)
            optimizer.apply(gradients: gradients, to: variables)
            // End of article.
            // By hand: features × 0.1, domain head × −1, then all × 1 / max(N, 1), N the global norm.
            let factors = [0.1, 0.1, 1, 1, -1, -1]
            let transformed = zip(raw, factors).map { gradient, factor in gradient.map { $0 * factor } }
            let norm = transformed.flatMap { $0 }.map { $0 * $0 }.reduce(0, +).squareRoot()
            for (index, variable) in reference.trainableVariables.enumerated() {
                let expected = zip(values(variable), transformed[index]).map { $0 - 0.1 * $1 / max(norm, 1) }
                #expect(maxDifference(values(variables[index]), expected) < 1e-6, "\(variable.name)")
            }
        }

        do {
            // Article.
            let critic = Sequential(Dense(inputSize: 2, outputSize: 16, activation: .tanh, seed: 4),
                                    Dense(inputSize: 16, outputSize: 1, seed: 5))

            func criticLoss(at x: Tensor) throws -> Tensor {
                let inner = GradientTape()
                inner.watch(x)
                let scores = inner.record { critic(x) }
                let inputGradient = try inner.gradient(of: scores, wrt: x)!
                let penalty = (inputGradient.norm(axes: [1]) - 1).square().mean()
                return scores.mean() + 10 * penalty
            }

            let tape = GradientTape()
            let loss = try tape.record { try criticLoss(at: both) }
            let gradients = try tape.gradient(of: loss, wrt: critic.trainableVariables)
            // End of article.
            let penalty = try gradientPenalty(of: critic.callAsFunction, at: both).scalar(as: Double.self)
            let meanScore = critic(both).mean().scalar(as: Double.self)
            #expect(abs(loss.scalar(as: Double.self) - (meanScore + 10 * penalty)) < 1e-5, "gradientPenalty agrees")
            try expectSlopesMatch(critic.trainableVariables, gradients, of: { try criticLoss(at: both) })
        }
    }
}

// Article.
/// Features shared by a label head and, behind a gradient reversal, a domain head.
final class TwoHeadedModel: Layer {
    let features = Dense(inputSize: 2, outputSize: 8, activation: .tanh, seed: 1)
    let labelHead = Dense(inputSize: 8, outputSize: 2, seed: 2)
    let reversal = GradientReversal(scale: 0.3)
    let domainHead = Dense(inputSize: 8, outputSize: 1, seed: 3)
    var isTraining = true {
        didSet { for layer in [features, labelHead, domainHead] { layer.isTraining = isTraining } }
    }

    /// Variables are found in the properties; the heads get short names.
    static let variablePathNames = ["labelHead": "label", "domainHead": "domain"]

    /// The class logits.
    func callAsFunction(_ input: Tensor) -> Tensor { labelHead(features(input)) }

    /// The domain logits, through the reversal.
    func domainLogits(_ input: Tensor) -> Tensor { domainHead(reversal(features(input))) }
}
// End of article.

// MARK: - Helpers

/// The elements of a tensor (or of a variable's value) as doubles; empty for `nil`.
private func values(_ tensor: Tensor?) -> [Double] { tensor?.scalars(as: Double.self) ?? [] }

private func values(_ variable: Variable) -> [Double] { values(variable.value) }

/// The largest absolute difference between two lists of the same length (infinity otherwise).
private func maxDifference(_ a: [Double], _ b: [Double]) -> Double {
    guard a.count == b.count else { return .infinity }
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

/// Checks `gradients` of `loss` with respect to `variables` against central finite
/// differences along one random direction (float32, so the tolerance is loose).
private func expectSlopesMatch(
    _ variables: [Variable], _ gradients: [Tensor?], of loss: () throws -> Tensor,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    var generator = SeededGenerator(seed: 99)
    let direction = variables.map { Tensor.randomNormal(shape: $0.shape, using: &generator) }
    let originals = variables.map(\.value)
    func lossAt(_ step: Double) throws -> Double {
        for (variable, (original, delta)) in zip(variables, zip(originals, direction)) {
            variable.assign(original + delta * step)
        }
        return try loss().scalar(as: Double.self)
    }
    let epsilon = 1e-2
    let slope = (try lossAt(epsilon) - lossAt(-epsilon)) / (2 * epsilon)
    for (variable, original) in zip(variables, originals) { variable.assign(original) }
    let predicted = zip(gradients, direction).map { gradient, delta in
        zip(values(gradient), values(delta)).map(*).reduce(0, +)
    }.reduce(0, +)
    #expect(abs(slope - predicted) < 1e-2 * max(1, abs(slope)), "slope \(slope), gradient · direction \(predicted)",
            sourceLocation: sourceLocation)
}
