import Foundation
import Testing
@testable import DomainAdaptation

/// Runs in a directory: the report's contents, resuming, and refusing what cannot work.
@Suite struct DANNExperimentTests {
    static let description = DANNRunDescription(
        data: .moons(angle: 35),
        configuration: DANNConfiguration(
            epochs: 4, batchSize: 16, hidden: [6], activation: .sigmoid, learningRate: 0.1, maxLambda: 2, seed: 3),
        modes: [.sourceOnly, .dann])

    @Test func reportHoldsTheConfigurationEveryEpochAndTheFinalNumbers() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.cleanUp() }
        var epochsSeen = [DANNMode: Int]()
        let report = try DANNExperiment.start(Self.description, in: scratch.url)
            .run(observer: DANNObserver(epochFinished: { mode, _ in epochsSeen[mode, default: 0] += 1 }))
        #expect(epochsSeen == [.sourceOnly: 4, .dann: 4])

        let onDisk = try DANNReport.read(from: scratch.url)
        #expect(onDisk == report)
        #expect(onDisk.finished && onDisk.retrograd == retrogradVersion)
        #expect(onDisk.run == Self.description)
        #expect(onDisk.data.name == "moons" && onDisk.data.featureCount == 2 && onDisk.data.classCount == 2)
        #expect(onDisk.data.sourceTrain == 300 && onDisk.data.sourceTest == 1000 && onDisk.data.targetLabelled)
        #expect(onDisk.models.map(\.mode) == [.sourceOnly, .dann])
        for model in onDisk.models {
            #expect(model.epochsCompleted == 4 && model.history.map(\.epoch) == [1, 2, 3, 4])
            #expect(model.final == model.history.last?.evaluation && model.final?.targetAccuracy != nil)
        }
        // The JSON itself names what a reader looks for.
        let text = try String(contentsOf: scratch.file("report.json"), encoding: .utf8)
        for key in ["\"configuration\"", "\"maxLambda\"", "\"history\"", "\"targetAccuracy\"", "\"domainAccuracy\"", "\"source-only\""] {
            #expect(text.contains(key), "\(key)")
        }
        #expect(Set(onDisk.plots) == ["curves.svg", "schedule.svg", "boundary.svg"])
        for plot in onDisk.plots {
            let svg = try String(contentsOf: scratch.file(plot), encoding: .utf8)
            #expect(svg.hasPrefix("<svg") || svg.hasPrefix("<?xml"), "\(plot)")
        }
        // Each checkpoint restores into a fresh model of the run.
        for model in onDisk.models {
            let checkpoint = try Checkpoint.load(from: scratch.file(model.checkpoint))
            #expect(checkpoint.metadata["epoch"] == "4" && checkpoint.metadata["dann.mode"] == model.mode.name)
        }
    }

    @Test func resumedRunEndsWithTheNumbersOfAnUninterruptedOne() throws {
        let whole = try ScratchDirectory(), parts = try ScratchDirectory()
        defer { whole.cleanUp(); parts.cleanUp() }
        let uninterrupted = try DANNExperiment.start(Self.description, in: whole.url).run()

        // Stop after 2 epochs of source-only, then after its last 2, then run DANN to the end.
        var epochs = 0
        let stopEveryTwo = DANNObserver(epochFinished: { _, _ in epochs += 1 }, shouldStop: { epochs % 2 == 0 })
        let first = try DANNExperiment.start(Self.description, in: parts.url).run(observer: stopEveryTwo)
        #expect(!first.finished && first.models.map(\.epochsCompleted) == [2, 0])
        let second = try DANNExperiment.resume(from: parts.url).run(observer: stopEveryTwo)
        #expect(!second.finished && second.models.map(\.epochsCompleted) == [4, 0])
        let resumed = try DANNExperiment.resume(from: parts.url).run()
        #expect(resumed.finished)

        #expect(resumed.models.count == uninterrupted.models.count)
        for (a, b) in zip(resumed.models, uninterrupted.models) { #expect(a.sameResults(as: b), "\(a.mode)") }
        for mode in DANNMode.allCases {
            let name = DANNExperiment.checkpointName(mode)
            let x = try Checkpoint.load(from: whole.file(name)).tensors, y = try Checkpoint.load(from: parts.file(name)).tensors
            #expect(Set(x.keys) == Set(y.keys))
            for (key, tensor) in x { #expect(tensor.scalars(as: Double.self) == y[key]?.scalars(as: Double.self), "\(key)") }
        }
    }

    /// Checkpoints are rewritten after the first epoch, then at most once per interval,
    /// and after the last epoch: seen from each epoch's observer call (which comes before
    /// that epoch's write), the file on disk holds the epoch of the last write.
    @Test(arguments: [(interval: 3600.0, seen: ["", "1", "1", "1"]), (interval: 0.0, seen: ["", "1", "2", "3"])])
    func checkpointsAreRewrittenByTheInterval(interval: Double, seen: [String]) throws {
        let scratch = try ScratchDirectory()
        defer { scratch.cleanUp() }
        var description = Self.description
        description.modes = [.sourceOnly]
        let experiment = try DANNExperiment.start(description, in: scratch.url)
        experiment.checkpointInterval = interval
        let file = scratch.file(DANNExperiment.checkpointName(.sourceOnly))
        var epochsOnDisk: [String] = []
        try experiment.run(observer: DANNObserver(epochFinished: { _, _ in
            epochsOnDisk.append((try? Checkpoint.load(from: file))?.metadata["epoch"] ?? "")
        }))
        #expect(epochsOnDisk == seen)
        #expect(try Checkpoint.load(from: file).metadata["epoch"] == "4")
    }

    @Test func aDirectoryWithARunIsNotStartedAgain() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.cleanUp() }
        _ = try DANNExperiment.start(Self.description, in: scratch.url)
        #expect(throws: DANNError.runExists(directory: scratch.url.path)) {
            _ = try DANNExperiment.start(Self.description, in: scratch.url)
        }
        #expect(DANNError.runExists(directory: "out").description.contains("--resume out"))
    }

    @Test func badDataLeavesNoDirectoryBehind() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.cleanUp() }
        let out = scratch.file("run")
        var description = Self.description
        description.data = .files(source: scratch.file("missing.csv").path, target: scratch.file("missing.csv").path)
        #expect(throws: DomainDataError.self) { _ = try DANNExperiment.start(description, in: out) }
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func resumingNothingOrSomethingDamagedSaysSo() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.cleanUp() }
        #expect(throws: DANNError.noRunToResume(directory: scratch.url.path)) { _ = try DANNExperiment.resume(from: scratch.url) }
        _ = try scratch.write("{\"data\": 3}", to: "run.json")
        #expect {
            _ = try DANNExperiment.resume(from: scratch.url)
        } throws: { error in
            guard case DANNError.damagedRun(let file, _) = error else { return false }
            return file.hasSuffix("run.json") && (error as? DANNError)?.description.contains("new run") == true
        }
    }

    /// 32 source rows in batches of 8: 4 steps an epoch.
    static let smallData = DomainData.moons(count: 32, testCount: 32, seed: 1)

    /// The checkpoint of a DANN trainer after its first epoch, as `dann.safetensors` in `scratch`.
    private func checkpointAfterOneEpoch(_ config: DANNConfiguration, in scratch: ScratchDirectory) throws -> URL {
        let trainer = try DANNTrainer(configuration: config, data: Self.smallData, mode: .dann)
        try trainer.trainEpoch()
        let url = scratch.file("dann.safetensors")
        try trainer.saveCheckpoint(to: url)
        return url
    }

    @Test func aCheckpointOfAnotherModeIsRefusedAndChangesNothing() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.cleanUp() }
        let data = Self.smallData
        let config = DANNConfiguration(epochs: 2, batchSize: 8, hidden: [4], learningRate: 0.1, seed: 1)
        _ = try checkpointAfterOneEpoch(config, in: scratch)
        let other = try DANNTrainer(configuration: config, data: data, mode: .sourceOnly)
        let before = other.model.variables.map { $0.value.scalars(as: Float.self) }
        #expect {
            try other.restore(from: scratch.file("dann.safetensors"))
        } throws: { error in
            guard case DANNError.checkpointMismatch(_, let reason) = error else { return false }
            return reason.contains("mode 'dann'")
        }
        #expect(other.model.variables.map { $0.value.scalars(as: Float.self) } == before && other.completedEpochs == 0)

        var changed = config
        changed.learningRate = 0.2
        let retuned = try DANNTrainer(configuration: changed, data: data, mode: .dann)
        #expect(throws: DANNError.self) { try retuned.restore(from: scratch.file("dann.safetensors")) }
    }

    /// The learning-rate schedule reads the optimizer's step count, so a restore brings it
    /// back, and a checkpoint whose count disagrees with its epochs is refused.
    @Test func theOptimizersStepCountIsRestoredAndChecked() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.cleanUp() }
        let config = DANNConfiguration(epochs: 3, batchSize: 8, hidden: [4], learningRate: 0.1, seed: 1)
        let url = try checkpointAfterOneEpoch(config, in: scratch)

        let restored = try DANNTrainer(configuration: config, data: Self.smallData, mode: .dann)
        try restored.restore(from: url)
        #expect(restored.optimizer.iterations == 4)  // one epoch of 4 steps
        // The next step is at p = 4/12: μ = 0.1 / (1 + 10/3)^0.75.
        #expect(abs(restored.optimizer.currentLearningRate - 0.1 / pow(13.0 / 3, 0.75)) < 1e-12)

        var checkpoint = try Checkpoint.load(from: url)
        checkpoint.tensors["optimizer:iterations"] = Tensor(Int32(3))
        try checkpoint.save(to: url)
        let fresh = try DANNTrainer(configuration: config, data: Self.smallData, mode: .dann)
        #expect {
            try fresh.restore(from: url)
        } throws: { error in
            guard case DANNError.checkpointMismatch(_, let reason) = error else { return false }
            return reason.contains("3 steps") && reason.contains("make 4")
        }
        #expect(fresh.optimizer.iterations == 0 && fresh.completedEpochs == 0)
    }
}
