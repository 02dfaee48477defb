import Foundation
import RetrogradData
import RetrogradNN
import RetrogradOptimizers
import Testing

// The examples of the DocC article "Writing a custom training loop"
// (Sources/RetrogradOptimizers/RetrogradOptimizers.docc/WritingATrainingLoop.md),
// copied as written between the "Article." and "End of article." comments, with assertions
// on what the article says about them. Change an example and its copy together.

@Suite struct TrainingLoopArticleTests {
    @Test func theTrainingLoopLearnsTheMoonsAndGivesTheSameHistoryEveryRun() throws {
        let run = try TrainingLoopArticle.run()
        // 400 points split 0.75 / 0.25: 300 training rows, nine batches of 32 and one of 12.
        #expect(run.stepsPerEpoch == 10)
        #expect(run.iterations == 20 * 10)
        // The cosine ends at its minimum after the last step.
        #expect(abs(run.finalLearningRate - 0.001) < 1e-12)
        let losses = run.history.map(\.trainLoss)
        #expect(losses.count == 20)
        #expect(losses.last! < losses.first! / 5, "\(losses)")
        #expect(run.history.last!.testAccuracy > 0.95, "\(run.history.last!)")
        #expect(run.metricGradients.allSatisfy { $0 == nil }, "metrics under withoutRecording reach no variable")

        let again = try TrainingLoopArticle.run()
        #expect(again.history.map(\.trainLoss) == losses)
        #expect(again.history.map(\.testAccuracy) == run.history.map(\.testAccuracy))
        #expect(again.weights == run.weights)
    }
}

/// "Writing a custom training loop", run as written, and the figures its text speaks of.
struct TrainingLoopArticle {
    var history: [(trainLoss: Double, testLoss: Double, testAccuracy: Double)]
    var stepsPerEpoch: Int
    var iterations: Int
    var finalLearningRate: Double
    var weights: [[Double]]
    /// The gradients of a metric computed inside a tape's `record` under `withoutRecording`.
    var metricGradients: [Tensor?]

    static func run() throws -> TrainingLoopArticle {
        // Article.
        let data = TwoMoons.make(count: 400, noise: 0.1, seed: 0)
        let (train, test) = data.split(fraction: 0.75, seed: 1)

        let model = Sequential(Dense(inputSize: 2, outputSize: 32, activation: .tanh, seed: 1),
                               Dense(inputSize: 32, outputSize: 2, seed: 2))
        let variables = model.trainableVariables

        let epochs = 20
        let stepsPerEpoch = train.batches(size: 32).count
        let optimizer = Adam(learningRate: 0.1,
                             schedule: CosineDecay(initial: 0.1, totalSteps: epochs * stepsPerEpoch, minimum: 0.001))

        func trainStep(on batch: Batch) throws -> (loss: Double, gradientNorm: Double) {
            let tape = GradientTape()
            let loss = tape.record {
                softmaxCrossEntropy(logits: model(batch.features), labels: batch.labels!)
            }
            var gradients = try tape.gradient(of: loss, wrt: variables)
            let norm = clipByGlobalNorm(&gradients, maxNorm: 5)
            optimizer.apply(gradients: gradients, to: variables)
            return (loss.scalar(as: Double.self), norm)
        }

        func evaluate(_ dataset: Dataset) -> (loss: Double, accuracy: Double) {
            withoutRecording {
                model.isTraining = false
                defer { model.isTraining = true }
                let logits = model(dataset.features)
                let loss = softmaxCrossEntropy(logits: logits, labels: dataset.labels!)
                return (loss.scalar(as: Double.self), accuracy(logits: logits, labels: dataset.labels!))
            }
        }

        var history: [(trainLoss: Double, testLoss: Double, testAccuracy: Double)] = []
        for epoch in 0..<epochs {
            var lossSum = 0.0
            for batch in train.batches(size: 32, shuffle: true, seed: 100 &+ UInt64(epoch)) {
                let (loss, _) = try trainStep(on: batch)
                lossSum += loss * Double(batch.count)
            }
            let (testLoss, testAccuracy) = evaluate(test)
            history.append((lossSum / Double(train.count), testLoss, testAccuracy))
        }
        // End of article.
        let probe = GradientTape()
        let metric = probe.record { withoutRecording { softmaxCrossEntropy(logits: model(test.features), labels: test.labels!) } }
        return TrainingLoopArticle(
            history: history, stepsPerEpoch: stepsPerEpoch, iterations: optimizer.iterations,
            finalLearningRate: optimizer.currentLearningRate, weights: variables.map { $0.value.scalars(as: Double.self) },
            metricGradients: try probe.gradient(of: metric, wrt: variables))
    }
}
