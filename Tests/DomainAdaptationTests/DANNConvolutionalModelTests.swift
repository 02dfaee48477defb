import Foundation
import Testing
@testable import DomainAdaptation

/// The convolutional DANN model (`--model cnn`): how it scales to image sizes, its shapes
/// and parameter counts worked out by hand, its gradients against finite differences, and
/// a short digits run that learns.
@Suite struct DANNConvolutionalModelTests {
    /// Two blocks of 5×5 convolutions and 2×2 poolings, sizes worked out by hand:
    /// valid when both fit (28 → 24 → 12 → 8 → 4; 16 → 12 → 6 → 2 → 1), else same
    /// (8 → 4 → 2; 15 → 7 → 3), and nothing below 4 pixels a side.
    @Test func planScalesToTheImage() throws {
        let filters = [32, 48]
        let mnist = try DANNConvolutionPlan(height: 28, width: 28, filters: filters)
        #expect(mnist.padding == .valid && mnist.outputHeight == 4 && mnist.outputWidth == 4 && mnist.featureCount == 768)
        let sixteen = try DANNConvolutionPlan(height: 16, width: 16, filters: filters)
        #expect(sixteen.padding == .valid && sixteen.outputHeight == 1 && sixteen.featureCount == 48)
        let digits = try DANNConvolutionPlan(height: 8, width: 8, filters: filters)
        #expect(digits.padding == .same && digits.outputHeight == 2 && digits.outputWidth == 2 && digits.featureCount == 192)
        let odd = try DANNConvolutionPlan(height: 15, width: 28, filters: filters)
        #expect(odd.padding == .same && odd.outputHeight == 3 && odd.outputWidth == 7)
        #expect(throws: DANNError.imageTooSmall(height: 3, width: 8, minimum: 4)) {
            try DANNConvolutionPlan(height: 3, width: 8, filters: filters)
        }
        let error = DANNError.imageTooSmall(height: 3, width: 8, minimum: 4).description
        #expect(error.contains("--model cnn") && error.contains("4×4") && error.contains("3×8") && error.contains("--model mlp"))
    }

    /// Output shapes and parameter counts of the paper's network on 8×8 and 28×28 colour
    /// images: conv 5·5·3·32 + 32 = 2,432 and 5·5·32·48 + 48 = 38,448; label 100-100-10 and
    /// domain 100-1 on 192 (8×8) or 768 (28×28) features.
    @Test(arguments: [(8, 192, 90_691), (28, 768, 205_891)])
    func shapes(side: Int, features: Int, parameters: Int) throws {
        let configuration = DANNConfiguration.digitsCNN()
        let model = try DANNModel(exampleShape: [side, side, 3], classCount: 10, configuration: configuration, seed: 1)
        let images = Tensor.zeros(shape: [5, side, side, 3])
        let extracted = model.features(images)
        #expect(extracted.shape == [5, features])
        #expect(model.classLogits(features: extracted).shape == [5, 10])
        #expect(model(images).shape == [5, 10])
        #expect(model.domainLogits(features: extracted).shape == [5])
        #expect(model.variables.map(\.shape.elementCount).reduce(0, +) == parameters)
        #expect(try configuration.parameterCount(exampleShape: [side, side, 3], classCount: 10) == parameters)
        #expect(model.variable(named: "features.0.filter")?.shape == [5, 5, 3, 32])
        #expect(model.variable(named: "labelHidden.1.weight")?.shape == [100, 100])
        #expect(model.variable(named: "domain.0.weight")?.shape == Shape([features, 100]))
    }

    /// The CNN refuses rows; the MLP's names and counts are those of earlier releases.
    @Test func refusesRowsAndKeepsTheMLP() throws {
        #expect(throws: DANNError.notImages(shape: [64])) {
            try DANNModel(exampleShape: [64], classCount: 10, configuration: .digitsCNN(), seed: 1)
        }
        let data = DomainData.moons(count: 16, testCount: 16, seed: 1)
        #expect(throws: DANNError.notImages(shape: [2])) {
            try DANNTrainer(configuration: .digitsCNN(), data: data, mode: .dann)
        }
        let mlp = DANNModel(featureCount: 192, classCount: 10, configuration: .digits(), seed: 1)
        #expect(mlp.labelHidden.variables.isEmpty && mlp.variable(named: "label.weight") != nil)
    }

    /// One DANN step of a tiny float64 CNN: the gradient of every variable against central
    /// finite differences along a random direction. Through the reversal, the feature
    /// extractor's gradient must be ∂L_y/∂θ − λ ∂L_d/∂θ, and the heads' the plain one,
    /// so the two losses are differenced separately and combined by hand.
    @Test func gradientsMatchFiniteDifferences() throws {
        let configuration = DANNConfiguration(
            epochs: 1, batchSize: 3, model: .cnn, hidden: [2, 3], labelHidden: [4], activation: .tanh, domainHidden: [3],
            learningRate: 0.1)
        let model = try DANNModel(exampleShape: [8, 8, 3], classCount: 3, configuration: configuration, dtype: .float64, seed: 4)
        let lambda = 0.7
        model.reversal.scale = lambda
        var generator = SeededGenerator(seed: 5)
        let source = Tensor.randomNormal(shape: [3, 8, 8, 3], using: &generator).cast(to: .float64)
        let target = Tensor.randomNormal(shape: [3, 8, 8, 3], using: &generator).cast(to: .float64)
        let labels = Tensor([0, 2, 1] as [Int32], shape: [3])
        let domains = Tensor([0, 0, 0, 1, 1, 1] as [Double], shape: [6])
        func losses() -> (label: Tensor, domain: Tensor) {
            let features = model.features(concat([source, target], axis: 0))
            let label = softmaxCrossEntropy(logits: model.classLogits(features: features.slice(0..<3)), labels: labels)
            return (label, binaryCrossEntropy(logits: model.domainLogits(features: features), labels: domains))
        }
        let variables = model.trainableVariables
        let tape = GradientTape()
        let total = tape.record { () -> Tensor in let (label, domain) = losses(); return label + domain }
        let gradients = try tape.gradient(of: total, wrt: variables)
        for (part, sign) in [(model.features.variables, -lambda), (model.labelHidden.variables + model.labelHead.variables + model.domainHead.variables, 1.0)] {
            let chosen = Set(part.map(ObjectIdentifier.init))
            let direction = variables.map { variable in
                chosen.contains(ObjectIdentifier(variable))
                    ? Tensor.randomNormal(shape: variable.shape, using: &generator).cast(to: .float64) : Tensor.zeros(shape: variable.shape, dtype: .float64)
            }
            let originals = variables.map(\.value)
            func at(_ step: Double) -> (Double, Double) {
                for (variable, (original, delta)) in zip(variables, zip(originals, direction)) { variable.assign(original + delta * step) }
                let (label, domain) = losses()
                return (label.scalar(as: Double.self), domain.scalar(as: Double.self))
            }
            let epsilon = 1e-5
            let (plus, minus) = (at(epsilon), at(-epsilon))
            for (variable, original) in zip(variables, originals) { variable.assign(original) }
            let labelSlope = (plus.0 - minus.0) / (2 * epsilon), domainSlope = (plus.1 - minus.1) / (2 * epsilon)
            let expected = labelSlope + sign * domainSlope
            let predicted = zip(gradients, direction).map { gradient, delta in
                zip(gradient?.scalars(as: Double.self) ?? [], delta.scalars(as: Double.self)).map(*).reduce(0, +)
            }.reduce(0, +)
            #expect(abs(expected - predicted) < 1e-6 * max(1, abs(expected)), "finite differences \(expected), gradient \(predicted)")
            #expect(abs(domainSlope) > 1e-4, "the domain loss moves along the direction, so the check sees the reversal")
        }
    }

    /// A few epochs of the digits preset on the 8×8 images: the CNN learns the source
    /// digits far above the 10% of guessing (more than half right after 15 epochs).
    @Test func learnsTheDigits() throws {
        var configuration = DANNConfiguration.digitsCNN(seed: 2)
        configuration.epochs = 15
        let data = try DANNDataSpec.digits.load(seed: 2, model: .cnn)
        #expect(data.sourceTrain.exampleShape == [8, 8, 3])
        let trainer = try DANNTrainer(configuration: configuration, data: data, mode: .dann)
        while !trainer.isFinished { try trainer.trainEpoch() }
        let final = try #require(trainer.history.last?.evaluation)
        #expect(final.sourceAccuracy > 0.5, "source accuracy \(final.sourceAccuracy)")
        #expect((final.targetAccuracy ?? 0) > 0.2, "target accuracy \(final.targetAccuracy ?? 0)")
    }

    /// Older run files have no model: they mean the MLP; a CNN configuration round-trips.
    @Test func configurationCoding() throws {
        let cnn = DANNConfiguration.digitsCNN(seed: 3)
        let decoded = try JSONDecoder().decode(DANNConfiguration.self, from: JSONEncoder().encode(cnn))
        #expect(decoded == cnn && decoded.model == .cnn && decoded.labelHidden == [100, 100])
        var object = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(DANNConfiguration.digits())) as? [String: Any])
        object["model"] = nil
        object["labelHidden"] = nil
        let old = try JSONDecoder().decode(DANNConfiguration.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(old == .digits() && old.model == .mlp && old.labelHidden.isEmpty)
        #expect(DANNDataSpec.Kind.mnist.defaultModel == .cnn && DANNDataSpec.Kind.digits.defaultModel == .mlp)
        #expect(DANNDataSpec.Kind.moons.defaultModel == .mlp && DANNDataSpec.Kind.files.defaultModel == .mlp)
    }
}

/// A CNN run records its network in run.json and its checkpoints, so `--resume` rebuilds
/// the CNN and ends with the numbers of an uninterrupted run.
@Suite struct DANNConvolutionalResumeTests {
    @Test func resumedCNNRunEndsAsAnUninterruptedOne() throws {
        var configuration = DANNConfiguration.digitsCNN(seed: 1)
        configuration.epochs = 2
        let description = DANNRunDescription(data: .digits, configuration: configuration, modes: [.dann])
        let whole = try ScratchDirectory(), parts = try ScratchDirectory()
        defer { whole.cleanUp(); parts.cleanUp() }
        let uninterrupted = try DANNExperiment.start(description, in: whole.url).run()
        let first = try DANNExperiment.start(description, in: parts.url).run(observer: DANNObserver(shouldStop: { true }))
        #expect(!first.finished && first.models.map(\.epochsCompleted) == [1])
        #expect(try DANNRunDescription.read(from: parts.url).configuration.model == .cnn)
        let resumed = try DANNExperiment.resume(from: parts.url)
        #expect(resumed.trainers[0].model.variable(named: "features.2.filter")?.shape == [5, 5, 32, 48])
        let report = try resumed.run()
        #expect(report.finished && report.models[0].sameResults(as: uninterrupted.models[0]))
    }
}
