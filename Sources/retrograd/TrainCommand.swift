import ArgumentParser
import Foundation
import RetrogradData
import RetrogradNN
import RetrogradOptimizers

/// `retrograd train`: trains a small classifier on a built-in data set and reports its
/// accuracy — the toolkit end to end (layers, loss, optimizer, batching, checkpoint).
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a small MLP classifier on the two-moons data set.",
        discussion: """
            Trains Dense(2→hidden, tanh) → Dense(hidden→hidden, tanh) → Dense(hidden→2) with softmax \
            cross-entropy on 80% of the points and reports accuracy on the other 20%. Runs are \
            deterministic for a given --seed.
            """)

    enum OptimizerChoice: String, ExpressibleByArgument, CaseIterable {
        case adam, sgd
    }

    @Option(help: "Number of points in the data set.") var samples = 1000
    @Option(help: "Standard deviation of the noise added to the moons.") var noise = 0.1
    @Option(help: "Passes over the training set.") var epochs = 30
    @Option(help: "Examples per step.") var batchSize = 32
    @Option(help: "Width of the two hidden layers.") var hidden = 32
    @Option(help: "Optimizer: adam or sgd (with momentum 0.9).") var optimizer = OptimizerChoice.adam
    @Option(help: "Learning rate.") var lr = 0.01
    @Option(help: "Seed for data, initialisation and shuffling.") var seed: UInt64 = 0
    @Option(help: "Write the trained model's variables to this .safetensors file.") var checkpoint: String?

    func validate() throws {
        guard samples >= 10 else { throw ValidationError("--samples must be at least 10, got \(samples)") }
        guard noise >= 0, noise.isFinite else { throw ValidationError("--noise must be a finite number ≥ 0, got \(noise)") }
        guard epochs > 0 else { throw ValidationError("--epochs must be positive, got \(epochs)") }
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive, got \(batchSize)") }
        guard hidden > 0 else { throw ValidationError("--hidden must be positive, got \(hidden)") }
        guard lr > 0, lr.isFinite else { throw ValidationError("--lr must be a positive number, got \(lr)") }
    }

    func run() throws {
        let data = TwoMoons.make(count: samples, noise: noise, seed: seed)
        let (train, test) = data.split(fraction: 0.8, seed: seed &+ 1)
        let model = Sequential(
            Dense(inputSize: 2, outputSize: hidden, activation: .tanh, seed: seed &+ 2),
            Dense(inputSize: hidden, outputSize: hidden, activation: .tanh, seed: seed &+ 3),
            Dense(inputSize: hidden, outputSize: 2, seed: seed &+ 4))
        let optimizer: any Optimizer =
            switch self.optimizer {
            case .adam: Adam(learningRate: lr)
            case .sgd: SGD(learningRate: lr, momentum: 0.9)
            }
        let variables = model.trainableVariables
        let stepsPerEpoch = train.batches(size: batchSize).count
        let progress = ProgressBar(title: "train", total: epochs * stepsPerEpoch)
        var step = 0
        for epoch in 0..<epochs {
            var lossSum = 0.0, correct = 0.0, seen = 0
            for batch in train.batches(size: batchSize, shuffle: true, seed: seed &+ UInt64(epoch) &+ 100) {
                let labels = batch.labels!
                let tape = GradientTape()
                let logits = tape.record { model(batch.features) }
                let loss = tape.record { softmaxCrossEntropy(logits: logits, labels: labels) }
                let gradients = try tape.gradient(of: loss, wrt: variables)
                optimizer.apply(gradients: gradients, to: variables)
                step += 1
                seen += batch.count
                lossSum += loss.scalar(as: Double.self) * Double(batch.count)
                correct += accuracy(logits: logits, labels: labels) * Double(batch.count)
                progress.update(step: step, metrics: ["epoch": Double(epoch + 1), "loss": lossSum / Double(seen), "accuracy": correct / Double(seen)])
            }
        }
        model.isTraining = false
        let trainAccuracy = accuracy(logits: model(train.features), labels: train.labels!)
        let testAccuracy = accuracy(logits: model(test.features), labels: test.labels!)
        print(String(format: "train accuracy %.2f%% (%d points), test accuracy %.2f%% (%d points)",
                     trainAccuracy * 100, train.count, testAccuracy * 100, test.count))
        if let checkpoint {
            let url = URL(fileURLWithPath: checkpoint)
            try Checkpoint.save(variables: model.variables, metadata: ["model": "moons-mlp", "hidden": "\(hidden)"], to: url)
            print("checkpoint written to \(url.path)")
        }
    }
}
