import Foundation
import Testing
@testable import DomainAdaptation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything a failed restore must leave alone: weights, optimizer state, history.
private struct TrainerState: Equatable {
    var weights: [[UInt32]]
    var optimizer: [String: [UInt32]]
    var epochs: Int

    init(_ trainer: DANNTrainer) {
        weights = trainer.model.variables.map { $0.value.scalars(as: Float.self).map(\.bitPattern) }
        optimizer = trainer.optimizer.stateTensors(for: trainer.variables).mapValues { $0.scalars(as: Float.self).map(\.bitPattern) }
        epochs = trainer.completedEpochs
    }
}

/// Seeded damage: every truncation at `stride`, and `count` single-byte XORs.
private func damagedCopies(of bytes: [UInt8], stride step: Int, flips count: Int, seed: UInt64) -> [(String, [UInt8])] {
    var generator = SeededGenerator(seed: seed)
    let cuts = Swift.stride(from: 0, to: bytes.count, by: step).map { ("cut at \($0)", Array(bytes[0..<$0])) }
    let flips = (0..<count).map { _ -> (String, [UInt8]) in
        var damaged = bytes
        let position = Int.random(in: 0..<bytes.count, using: &generator)
        let mask = UInt8.random(in: 1...255, using: &generator)
        damaged[position] ^= mask
        return ("byte \(position) XOR \(mask)", damaged)
    }
    return cuts + flips
}

@Suite struct DANNCorruptionTests {
    static let data = DomainData.moons(count: 32, testCount: 32, seed: 1)
    static let configuration = DANNConfiguration(epochs: 3, batchSize: 8, hidden: [4], learningRate: 0.1, seed: 1)

    /// A damaged checkpoint either restores (the damage hit the weights) or is refused with
    /// a DANNError, and then the trainer is exactly as before.
    @Test func damagedCheckpointsAreRefusedWithoutChangingTheTrainer() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.cleanUp() }
        let saved = try DANNTrainer(configuration: Self.configuration, data: Self.data, mode: .dann)
        try saved.trainEpoch()
        let url = scratch.file("dann.safetensors")
        try saved.saveCheckpoint(to: url)
        let bytes = [UInt8](try Data(contentsOf: url))

        let trainer = try DANNTrainer(configuration: Self.configuration, data: Self.data, mode: .dann)
        try trainer.trainEpoch()
        try trainer.trainEpoch()  // two epochs: a refused restore must not go back to one
        var refused = 0
        for (what, damaged) in damagedCopies(of: bytes, stride: 7, flips: 300, seed: 21) {
            try Data(damaged).write(to: url)
            let before = TrainerState(trainer)
            do {
                try trainer.restore(from: url)
            } catch {
                refused += 1
                #expect(TrainerState(trainer) == before, "\(what): \(error)")
                #expect(error.description.contains("dann.safetensors"), "\(what): \(error)")
            }
        }
        #expect(refused > bytes.count / 7)
    }

    @Test func damagedRunDescriptionsAreTypedErrors() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.cleanUp() }
        let description = DANNRunDescription(data: .moons(angle: 20), configuration: Self.configuration, modes: [.sourceOnly, .dann])
        try description.write(to: scratch.url)
        let url = scratch.file(DANNRunDescription.fileName)
        let bytes = [UInt8](try Data(contentsOf: url))
        for (what, damaged) in damagedCopies(of: bytes, stride: 1, flips: 300, seed: 22) {
            try Data(damaged).write(to: url)
            do {
                let read = try DANNRunDescription.read(from: scratch.url)
                try read.configuration.validate()
            } catch {
                guard case .damagedRun(let file, _) = error else { Issue.record("\(what): \(error)"); continue }
                #expect(file == url.path)
            }
        }
    }

    /// run.json files that parse but hold values no run could use (written by hand, or by
    /// another version) are refused before anything is built from them.
    @Test func runDescriptionsWithValuesOutOfRangeAreDamaged() throws {
        let changes: [(String, (inout DANNRunDescription) -> Void)] = [
            ("angle nan", { $0.data.angle = .nan }), ("angle -inf", { $0.data.angle = -.infinity }),
            ("epochs Int.max", { $0.configuration.epochs = .max }), ("batch size 0", { $0.configuration.batchSize = 0 }),
            ("hidden 10⁹", { $0.configuration.hidden = [1_000_000_000] }), ("domain hidden 0", { $0.configuration.domainHidden = [0] }),
            ("no modes", { $0.modes = [] }),
        ]
        let scratch = try ScratchDirectory()
        defer { scratch.cleanUp() }
        for (what, change) in changes {
            var description = DANNRunDescription(data: .moons(angle: 20), configuration: Self.configuration, modes: [.dann])
            change(&description)
            try description.write(to: scratch.url)
            #expect(throws: DANNError.self, "\(what)") { _ = try DANNRunDescription.read(from: scratch.url) }
        }
    }
}

@Suite struct DANNLimitTests {
    @Test func aHugeBatchSizeTakesTheWholeSetInOneStep() throws {
        var configuration = DANNCorruptionTests.configuration
        configuration.batchSize = .max
        let trainer = try DANNTrainer(configuration: configuration, data: DANNCorruptionTests.data, mode: .dann)
        #expect(trainer.stepsPerEpoch == 1)
        try trainer.trainEpoch()
        #expect(trainer.completedEpochs == 1)
    }

    @Test func epochAndWidthLimits() {
        var configuration = DANNCorruptionTests.configuration
        configuration.epochs = DANNConfiguration.maximumEpochs + 1
        #expect(throws: DANNError.invalidConfiguration(name: "epochs", value: "1000001", rule: "a whole number from 1 to 1000000")) {
            try configuration.validate()
        }
        configuration.epochs = DANNConfiguration.maximumEpochs
        #expect(throws: Never.self) { try configuration.validate() }
        configuration.hidden = [4, DANNConfiguration.maximumWidth + 1]
        #expect(throws: DANNError.self) { try configuration.validate() }
        configuration.hidden = [4]
        configuration.domainHidden = [Int.max]
        #expect(throws: DANNError.self) { try configuration.validate() }
    }

    /// Parameter counts worked out by hand: 2 features → 4 hidden → 3 classes, and the domain
    /// head 4 → 5 → 1: (2·4 + 4) + (4·3 + 3) + (4·5 + 5) + (5·1 + 1) = 12 + 15 + 25 + 6 = 58.
    @Test func parameterCount() {
        var configuration = DANNCorruptionTests.configuration
        configuration.hidden = [4]
        configuration.domainHidden = [5]
        #expect(configuration.parameterCount(featureCount: 2, classCount: 3) == 58)
        #expect(configuration.parameterCount(featureCount: .max, classCount: 3) == nil)
    }

    /// A label of two billion makes two billion classes: refused before any weight is made.
    @Test func aHugeLabelIsRefusedAsAModelTooLarge() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.cleanUp() }
        let rows = (0..<20).map { "\($0),\($0 % 3),\($0 == 7 ? 2_000_000_000 : $0 % 2)" }.joined(separator: "\n")
        let source = try scratch.write(rows + "\n", to: "source.csv")
        let target = try scratch.write((0..<20).map { "\($0),1" }.joined(separator: "\n") + "\n", to: "target.csv")
        let data = try DomainData.files(source: source, target: target, seed: 0)
        #expect(data.classCount == 2_000_000_001)
        #expect(throws: DANNError.modelTooLarge(parameters: 2 * 15 + 15 + 15 * 2_000_000_001 + 2_000_000_001 + 15 + 1,
                                                featureCount: 2, hidden: [15], classCount: 2_000_000_001)) {
            _ = try DANNTrainer(configuration: .moons(), data: data, mode: .dann)
        }
    }
}

@Suite struct DANNRunFileWriteTests {
    /// run.json and report.json go through the checkpoints' atomic writer: a write that
    /// fails (here at the file-size limit, as on a full disk) leaves the previous file and
    /// no temporary file. The child process makes the failing write; the parent checks.
    @Test func aFailedReportWriteLeavesThePreviousReport() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.cleanUp() }
        let description = DANNRunDescription(data: .moons(), configuration: DANNCorruptionTests.configuration, modes: [.dann])
        let experiment = try DANNExperiment.start(description, in: scratch.url)
        let report = try Data(contentsOf: scratch.file(DANNReport.fileName))
        let directory = scratch.url.path
        await #expect(processExitsWith: .success) { [directory = directory as String] in
            signal(SIGXFSZ, SIG_IGN)
            var limit = rlimit()
            guard getrlimit(Int32(RLIMIT_FSIZE.rawValue), &limit) == 0 else { exit(3) }
            limit.rlim_cur = 256
            guard setrlimit(Int32(RLIMIT_FSIZE.rawValue), &limit) == 0 else { exit(3) }
            var big = try DANNReport.read(from: URL(fileURLWithPath: directory))
            big.plots = Array(repeating: "a-long-plot-name.svg", count: 100)
            do {
                try big.write(to: URL(fileURLWithPath: directory))
                exit(4)
            } catch {
                guard case .writeFailed? = error as? DANNError else { exit(5) }
            }
            exit(0)
        }
        #expect(try Data(contentsOf: scratch.file(DANNReport.fileName)) == report)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == [DANNReport.fileName, DANNRunDescription.fileName])
        _ = experiment
    }
}
