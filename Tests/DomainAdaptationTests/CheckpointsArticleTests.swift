import Foundation
import RetrogradData
import RetrogradNN
import RetrogradOptimizers
import Testing

// The examples of the DocC article "Checkpoints and resuming"
// (Sources/RetrogradData/RetrogradData.docc/CheckpointsAndResuming.md),
// copied as written between the "Article." and "End of article." comments, with assertions
// on what the article says about them. Change an example and its copy together.

@Suite struct CheckpointsArticleTests {
    @Test func checkpointsResumeARunExactlyAndRefuseAModelThatDoesNotFit() throws {
        let scratch = try ScratchDirectory(label: "docs-checkpoints")
        defer { scratch.cleanUp() }
        let runDirectory = scratch.url

        // Article.
        func makeModel(seed: UInt64) -> Sequential {
            Sequential(Dense(inputSize: 2, outputSize: 16, activation: .tanh, seed: seed),
                       Dense(inputSize: 16, outputSize: 2, seed: seed + 1))
        }

        let data = TwoMoons.make(count: 200, noise: 0.1, seed: 0)

        func trainEpoch(_ epoch: Int, model: Sequential, optimizer: SGD) throws {
            let variables = model.trainableVariables
            for batch in data.batches(size: 20, shuffle: true, seed: 1_000 &+ UInt64(epoch)) {
                let tape = GradientTape()
                let loss = tape.record { softmaxCrossEntropy(logits: model(batch.features), labels: batch.labels!) }
                optimizer.apply(gradients: try tape.gradient(of: loss, wrt: variables), to: variables)
            }
        }

        func save(_ model: Sequential, _ optimizer: SGD, completedEpochs: Int, to url: URL) throws {
            try Checkpoint.save(
                variables: model.variables,
                extra: optimizer.stateTensors(for: model.trainableVariables),
                metadata: ["epoch": String(completedEpochs)],
                to: url)
        }

        enum ResumeError: Error {
            case missingEpoch(file: String?)
        }

        func resume(from url: URL) throws -> (model: Sequential, optimizer: SGD, completedEpochs: Int) {
            let checkpoint = try Checkpoint.load(from: url)
            guard let completedEpochs = checkpoint.metadata["epoch"].flatMap({ Int($0) }) else {
                throw ResumeError.missingEpoch(file: checkpoint.file)
            }
            let model = makeModel(seed: 42)                       // any seed: every weight is replaced
            let optimizer = SGD(learningRate: 0.1, momentum: 0.9)
            try checkpoint.restore(into: model.variables)
            try optimizer.loadState(checkpoint.extra, for: model.trainableVariables)
            return (model, optimizer, completedEpochs)
        }

        let url = runDirectory.appendingPathComponent("moons.safetensors")

        // Six epochs without a break.
        let model = makeModel(seed: 0)
        let optimizer = SGD(learningRate: 0.1, momentum: 0.9)
        for epoch in 0..<6 { try trainEpoch(epoch, model: model, optimizer: optimizer) }

        // The same run, saving after every epoch, stopped after the third.
        let interrupted = makeModel(seed: 0)
        let interruptedOptimizer = SGD(learningRate: 0.1, momentum: 0.9)
        for epoch in 0..<3 {
            try trainEpoch(epoch, model: interrupted, optimizer: interruptedOptimizer)
            try save(interrupted, interruptedOptimizer, completedEpochs: epoch + 1, to: url)
        }

        // Later, in another process perhaps.
        let resumed = try resume(from: url)
        for epoch in resumed.completedEpochs..<6 {
            try trainEpoch(epoch, model: resumed.model, optimizer: resumed.optimizer)
        }
        // End of article.
        /// The values of the variables, exactly.
        func values(_ variables: [Variable]) -> [[Float]] { variables.map { $0.value.scalars(as: Float.self) } }
        let names = ["0.weight", "0.bias", "1.weight", "1.bias"]
        #expect(resumed.completedEpochs == 3)
        #expect(resumed.optimizer.iterations == 6 * 200 / 20, "six epochs of ten batches")
        #expect(resumed.model.variables.map(\.name) == names)
        #expect(values(resumed.model.variables) == values(model.variables), "bit for bit")
        let saved = try Checkpoint.load(from: url)
        #expect(saved.tensors["iterations"].map { Int($0.scalar(as: Int32.self)) } == 3 * 200 / 20, "saved after the third epoch")
        #expect(Set(saved.tensors.keys) == Set(names + ["iterations"] + names.flatMap { [$0 + "/step", $0 + "/momentum"] }))
        #expect(try FileManager.default.contentsOfDirectory(atPath: runDirectory.path) == ["moons.safetensors"],
                "saving over the checkpoint three times leaves one file and no temporary")

        // Without the optimizer's state, the momentum restarts and the run takes another path.
        let weightsOnly = makeModel(seed: 42)
        try saved.restore(into: weightsOnly.variables)
        let freshOptimizer = SGD(learningRate: 0.1, momentum: 0.9)
        for epoch in 3..<6 { try trainEpoch(epoch, model: weightsOnly, optimizer: freshOptimizer) }
        #expect(values(weightsOnly.variables) != values(model.variables))

        let unlabelled = runDirectory.appendingPathComponent("no-epoch.safetensors")
        try Checkpoint.save(variables: model.variables, to: unlabelled)
        #expect(throws: ResumeError.self) { try resume(from: unlabelled) }

        // Article.
        let wider = Sequential(Dense(inputSize: 2, outputSize: 32, activation: .tanh, seed: 0),
                               Dense(inputSize: 32, outputSize: 2, seed: 1))
        do {
            try Checkpoint.load(from: url).restore(into: wider.variables)
        } catch {
            print(error)   // checkpoint …/moons.safetensors: entry '0.weight' has shape [2, 16], but the variable has shape [2, 32]. …
        }
        // End of article.
        let mismatch = thrownError(CheckpointError.self) { try Checkpoint.load(from: url).restore(into: wider.variables) }
        #expect(mismatch == .shapeMismatch(name: "0.weight", expected: [2, 32], found: [2, 16], file: url.path))
        let message = mismatch.map(String.init(describing:)) ?? ""
        #expect(message.hasPrefix("checkpoint \(url.path): entry '0.weight' has shape [2, 16], but the variable has shape [2, 32]."))
        let asBuilt = Sequential(Dense(inputSize: 2, outputSize: 32, activation: .tanh, seed: 0),
                                 Dense(inputSize: 32, outputSize: 2, seed: 1))
        #expect(values(wider.variables) == values(asBuilt.variables), "a failed restore changes nothing")

        // Article.
        let encoder = Sequential(Dense(inputSize: 2, outputSize: 16, activation: .tanh))
        try Checkpoint.load(from: url).restore(into: encoder.variables, strict: false)
        // End of article.
        #expect(values(encoder.variables) == values(Array(interrupted.variables.prefix(2))))
        let strict = thrownError(CheckpointError.self) { try Checkpoint.load(from: url).restore(into: encoder.variables) }
        #expect(strict == .unexpectedEntry(name: "1.bias", file: url.path), "the first entry in name order no variable takes")
    }

    @Test func aWholeModelCheckpointRebuildsTheModelAndItsOptimizerState() throws {
        let scratch = try ScratchDirectory(label: "docs-model-checkpoint")
        defer { scratch.cleanUp() }
        let url = scratch.file("classifier.safetensors")
        let optimizer = Adam(learningRate: 0.01)

        // Article.
        let classifier = Sequential(Dense(inputSize: 2, outputSize: 16, activation: .gelu(), seed: 0),
                                    Dropout(rate: 0.1), Dense(inputSize: 16, outputSize: 2, seed: 1))
        try Checkpoint.save(model: classifier, extra: optimizer.stateTensors(for: classifier.trainableVariables), to: url)

        let checkpoint = try Checkpoint.load(from: url)
        let rebuilt = try checkpoint.makeModel(as: Sequential.self)      // same layers, same weights
        try optimizer.loadState(checkpoint.extra, for: rebuilt.trainableVariables)
        // End of article.
        #expect(rebuilt.variables.map { $0.value.scalars(as: Float.self) } == classifier.variables.map { $0.value.scalars(as: Float.self) })
        #expect(rebuilt.variables.map(\.name) == ["0.weight", "0.bias", "2.weight", "2.bias"])
        let wider = Sequential(Dense(inputSize: 2, outputSize: 32, activation: .gelu(), seed: 0),
                               Dropout(rate: 0.1), Dense(inputSize: 32, outputSize: 2, seed: 1))
        let mismatch = thrownError(CheckpointError.self) { try checkpoint.restore(into: wider) }
        #expect(mismatch == .architectureMismatch(path: "layers.0.outputSize", expected: "32", found: "16", file: url.path))
    }
}
