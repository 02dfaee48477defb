import ArgumentParser
import Foundation
import RetrogradData
import RetrogradDistributed
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

            Started by mpirun (mpirun -np N retrograd train ...), the N processes train data-parallel: \
            each takes its share of every batch of --batch-size points and the gradients are averaged, \
            so the run ends with the weights of one process up to float rounding. Rank 0 alone prints \
            and writes the checkpoint.
            """)

    enum OptimizerChoice: String, ExpressibleByArgument, CaseIterable {
        case adam, sgd
    }

    /// The largest data set, width and number of epochs accepted: beyond them a run would
    /// exhaust memory or its step count would overflow.
    static let maximumSamples = 10_000_000, maximumHidden = 4096, maximumEpochs = 1_000_000

    @Option(help: "Number of points in the data set, 10 to 10000000.", transform: ArgumentValue.wholeNumber)
    var samples = 1000
    @Option(help: "Standard deviation of the noise added to the moons, ≥ 0.", transform: ArgumentValue.number)
    var noise = 0.1
    @Option(help: "Passes over the training set, 1 to 1000000.", transform: ArgumentValue.wholeNumber) var epochs = 30
    @Option(help: "Examples per step (over all processes under mpirun), ≥ 1.", transform: ArgumentValue.wholeNumber)
    var batchSize = 32
    @Option(help: "Width of the two hidden layers, 1 to 4096.", transform: ArgumentValue.wholeNumber) var hidden = 32
    @Option(help: "Optimizer: adam or sgd (with momentum 0.9).") var optimizer = OptimizerChoice.adam
    @Option(help: "Learning rate, > 0.", transform: ArgumentValue.number) var lr = 0.01
    @Option(help: "Seed for data, initialisation and shuffling.", transform: ArgumentValue.seed) var seed: UInt64 = 0
    @Option(help: "Write the trained model's variables to this .safetensors file.", transform: ArgumentValue.path)
    var checkpoint: String?

    func validate() throws {
        guard (10...Self.maximumSamples).contains(samples) else {
            throw ValidationError("--samples must be a whole number from 10 to \(Self.maximumSamples), got \(samples)")
        }
        guard noise >= 0, noise.isFinite else { throw ValidationError("--noise must be a finite number ≥ 0, got \(noise)") }
        guard (1...Self.maximumEpochs).contains(epochs) else {
            throw ValidationError("--epochs must be a whole number from 1 to \(Self.maximumEpochs), got \(epochs)")
        }
        guard batchSize > 0 else { throw ValidationError("--batch-size must be a positive whole number, got \(batchSize)") }
        guard (1...Self.maximumHidden).contains(hidden) else {
            throw ValidationError("--hidden must be a whole number from 1 to \(Self.maximumHidden), got \(hidden)")
        }
        guard lr > 0, lr.isFinite else { throw ValidationError("--lr must be a finite number > 0, got \(lr)") }
        // Checked now, not after training: a checkpoint that cannot be written would lose the run.
        if let checkpoint { try OutputLocation.checkFile(checkpoint, flag: "--checkpoint") }
    }

    func run() throws {
        let group = try ProcessGroup.world()
        let data = TwoMoons.make(count: samples, noise: noise, seed: seed)
        let (train, test) = data.split(fraction: 0.8, seed: seed &+ 1)
        let model = Sequential(
            Dense(inputSize: 2, outputSize: hidden, activation: .tanh, seed: seed &+ 2),
            Dense(inputSize: hidden, outputSize: hidden, activation: .tanh, seed: seed &+ 3),
            Dense(inputSize: hidden, outputSize: 2, seed: seed &+ 4))
        let optimizer = DistributedOptimizer(
            self.optimizer == .adam ? Adam(learningRate: lr) : SGD(learningRate: lr, momentum: 0.9), group: group)
        let variables = model.trainableVariables
        if group.isDistributed {
            try group.checkAgreement([
                AgreementFact("configuration", text: "\(samples) \(noise) \(epochs) \(batchSize) \(hidden) \(self.optimizer) \(lr) \(seed)"),
                .contents(of: train, name: "training data"),
            ])
            try optimizer.synchronize(variables)
        }
        let stepsPerEpoch = train.batches(size: batchSize).count
        let progress = group.isMain ? ProgressBar(title: "train", total: epochs * stepsPerEpoch) : nil
        var step = 0
        for epoch in 0..<epochs {
            var lossSum = 0.0, correct = 0.0, seen = 0
            for batch in train.batches(size: batchSize, shuffle: true, seed: seed &+ UInt64(epoch) &+ 100, shard: group.shard) {
                step += 1
                // A process's share of a short last batch can be empty: it joins the average with weight 0.
                guard let labels = batch.labels, batch.count > 0 else {
                    optimizer.apply(gradients: variables.map { _ in nil }, to: variables, weight: 0)
                    continue
                }
                let tape = GradientTape()
                let logits = tape.record { model(batch.features) }
                let loss = tape.record { softmaxCrossEntropy(logits: logits, labels: labels) }
                let gradients = try tape.gradient(of: loss, wrt: variables)
                optimizer.apply(gradients: gradients, to: variables, weight: Double(batch.count))
                seen += batch.count
                lossSum += loss.scalar(as: Double.self) * Double(batch.count)
                correct += accuracy(logits: logits, labels: labels) * Double(batch.count)
                // Under mpirun, rank 0's running figures are those of its share of the batches.
                progress?.update(step: step, metrics: ["epoch": Double(epoch + 1), "loss": lossSum / Double(seen), "accuracy": correct / Double(seen)])
            }
        }
        model.isTraining = false
        let trainAccuracy = accuracy(logits: model(train.features), labels: train.labels!)
        let testAccuracy = accuracy(logits: model(test.features), labels: test.labels!)
        guard group.isMain else { return }
        printLine(String(format: "train accuracy %.2f%% (%d points), test accuracy %.2f%% (%d points)",
                     trainAccuracy * 100, train.count, testAccuracy * 100, test.count))
        if let checkpoint {
            let url = URL(fileURLWithPath: checkpoint)
            try Checkpoint.save(variables: model.variables, metadata: ["model": "moons-mlp", "hidden": "\(hidden)"], to: url)
            printLine("checkpoint written to \(url.path)")
        }
    }
}
