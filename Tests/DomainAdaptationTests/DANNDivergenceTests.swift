import Foundation
import Testing
@testable import DomainAdaptation

/// A run that blows up, watched by anomaly detection: the step throws instead of crashing
/// the program, and the weights keep their last finite values.
@Suite struct DANNDivergenceTests {
    /// A learning rate of 1e20 on float32 moons: after one step the ReLU features and the
    /// label head's weights are around 1e19–1e20, so the next forward pass overflows
    /// float32 (largest value about 3.4e38).
    static let diverging = DANNConfiguration(
        epochs: 2, batchSize: 4, hidden: [8], activation: .relu, learningRate: 1e20, momentum: 0, maxLambda: 1, seed: 5)
    static let data = DomainData.moons(count: 32, testCount: 16, seed: 5)

    private func allFinite(_ trainer: DANNTrainer) -> Bool {
        trainer.model.variables.allSatisfy { $0.value.scalars(as: Float.self).allSatisfy(\.isFinite) }
    }

    @Test func withoutDetectionTheRunDiverges() throws {
        let trainer = try DANNTrainer(configuration: Self.diverging, data: Self.data, mode: .dann)
        let metrics = try trainer.trainEpoch()
        #expect(!metrics.labelLoss.isFinite || !allFinite(trainer), "\(metrics)")
    }

    @Test func anomalyDetectionStopsTheStepWithAnAnomalyError() throws {
        let trainer = try DANNTrainer(configuration: Self.diverging, data: Self.data, mode: .dann)
        var steps = 0
        let error = thrownError(AnomalyError.self) {
            _ = try withAnomalyDetection { try trainer.trainEpoch { _ in steps += 1 } }
        }
        #expect(error != nil)
        #expect(steps >= 1 && steps < trainer.stepsPerEpoch, "the anomaly should come within the first epoch, after \(steps) steps")
        #expect(allFinite(trainer))
        #expect(trainer.completedEpochs == 0)
        #expect(trainer.optimizer.iterations == steps)  // the failing step made no update
    }

    @Test func theExperimentPassesTheAnomalyOn() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.cleanUp() }
        let description = DANNRunDescription(data: .moons(), configuration: Self.diverging, modes: [.dann])
        let experiment = try DANNExperiment.start(description, in: scratch.url)
        let error = thrownError(AnomalyError.self) { _ = try withAnomalyDetection { try experiment.run() } }
        #expect(error?.description.contains("anomaly") == true, "\(String(describing: error))")
        #expect(experiment.trainers.allSatisfy(allFinite))
    }
}
