import Foundation
import Testing
@testable import DomainAdaptation

/// The graph behind `retrograd dann --dump-graph`: what it shows, that drawing it changes
/// nothing, and where it can be written.
@Suite struct DANNStepGraphTests {
    static let configuration = DANNConfiguration(
        epochs: 2, batchSize: 8, hidden: [8], activation: .tanh, domainHidden: [4], learningRate: 0.05, maxLambda: 1, seed: 11)
    static let data = DomainData.moons(count: 32, testCount: 40, seed: 11)

    @Test func theGraphShowsEveryPartOfTheNetwork() throws {
        let trainer = try DANNTrainer(configuration: Self.configuration, data: Self.data, mode: .dann)
        let dot = trainer.stepGraph()
        let variables = trainer.model.trainableVariables
        // One watched source per variable, labelled with its name and shape.
        #expect(dot.components(separatedBy: "shape=ellipse").count - 1 == variables.count)
        for variable in variables {
            #expect(dot.contains("[label=\"\(variable.name)\\n\(variable.shape)\", shape=ellipse"), "\(variable.name)")
        }
        // features.0 (tanh), label head, the reversal, domain.0 (ReLU) and domain.1.
        #expect(["features.0.weight", "label.weight", "domain.0.weight", "domain.1.weight"].allSatisfy { dot.contains($0) })
        #expect(dot.components(separatedBy: "gradientReversal").count - 1 == 1)
        #expect(dot.contains("tanh"))
        for output in ["label loss", "domain loss", "total loss"] {
            #expect(dot.contains("[label=\"\(output)\\n[]\", shape=note"), "\(output)")
        }
    }

    @Test func drawingTheGraphChangesNoResult() throws {
        let plain = try DANNTrainer(configuration: Self.configuration, data: Self.data, mode: .dann)
        let drawn = try DANNTrainer(configuration: Self.configuration, data: Self.data, mode: .dann)
        while !plain.isFinished { try plain.trainEpoch() }
        while !drawn.isFinished {
            _ = drawn.stepGraph()
            try drawn.trainEpoch()
        }
        _ = drawn.stepGraph()
        #expect(plain.history == drawn.history)
        #expect(plain.model.variables.map { $0.value.scalars(as: Float.self) } == drawn.model.variables.map { $0.value.scalars(as: Float.self) })
        #expect(plain.model.reversal.scale == drawn.model.reversal.scale)
    }

    @Test func theExperimentWritesTheDANNModelsGraph() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.cleanUp() }
        let description = DANNRunDescription(data: .moons(angle: 35), configuration: Self.configuration, modes: [.sourceOnly, .dann])
        let experiment = try DANNExperiment.start(description, in: scratch.file("run"))
        let file = scratch.file("step.dot")
        try DANNExperiment.checkGraphDestination(file)
        #expect(try experiment.writeStepGraph(to: file) == .dann)
        let written = try String(contentsOf: file, encoding: .utf8)
        #expect(written == experiment.trainers[1].stepGraph())
        #expect(written.hasPrefix("digraph tape {"))
    }

    @Test func unwritablePathsAreRefusedWithTheReason() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.cleanUp() }
        let missing = scratch.file("no-such-directory/step.dot")
        let error = thrownError(DANNError.self) { try DANNExperiment.checkGraphDestination(missing) }
        #expect(error == .writeFailed(path: missing.path, reason: "the directory \(missing.deletingLastPathComponent().path) does not exist"))
        let directory = thrownError(DANNError.self) { try DANNExperiment.checkGraphDestination(scratch.url) }
        #expect(directory?.description.contains("it is a directory") == true)
        #expect(directory?.description.contains("\n") == false)
    }
}
