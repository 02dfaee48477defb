import Foundation
import Testing
@testable import DomainAdaptation

/// The training loop as behaviour: determinism, what λ = 0 means, and what the model sees.
@Suite struct DANNTrainerTests {
    static let small = DANNConfiguration(
        epochs: 3, batchSize: 8, hidden: [8], activation: .tanh, domainHidden: [4], learningRate: 0.05, maxLambda: 1, seed: 7)
    static let data = DomainData.moons(count: 64, testCount: 80, seed: 7)

    private func trained(_ mode: DANNMode, configuration: DANNConfiguration = small, data: DomainData = data) throws -> DANNTrainer {
        let trainer = try DANNTrainer(configuration: configuration, data: data, mode: mode)
        while !trainer.isFinished { try trainer.trainEpoch() }
        return trainer
    }

    private func weights(_ trainer: DANNTrainer) -> [[Float]] {
        trainer.model.variables.map { $0.value.scalars(as: Float.self) }
    }

    @Test func sameSeedGivesTheSameNumbers() throws {
        let first = try trained(.dann), second = try trained(.dann)
        #expect(first.history == second.history)
        #expect(weights(first) == weights(second))
    }

    @Test func anotherSeedGivesOtherNumbers() throws {
        var other = Self.small
        other.seed = 8
        #expect(try trained(.dann).history != trained(.dann, configuration: other).history)
    }

    @Test func bothModesStartFromTheSameWeights() throws {
        let dann = try DANNTrainer(configuration: Self.small, data: Self.data, mode: .dann)
        let sourceOnly = try DANNTrainer(configuration: Self.small, data: Self.data, mode: .sourceOnly)
        #expect(weights(dann) == weights(sourceOnly))
    }

    @Test func sourceOnlyFeaturesNeverSeeTheTarget() throws {
        // With λ = 0 no gradient crosses the reversal, so the feature extractor and the label
        // head trained next to a different target domain end up exactly the same; the domain
        // head, which does see the target, differs.
        let rotatedFar = DomainData(
            name: "moons", sourceTrain: Self.data.sourceTrain, targetTrain: Self.data.targetTrain.rotated(byDegrees: 120),
            sourceTest: Self.data.sourceTest, targetTest: Self.data.targetTest, classCount: 2)
        let a = try trained(.sourceOnly), b = try trained(.sourceOnly, data: rotatedFar)
        let names = a.model.variables.map(\.name)
        for (index, name) in names.enumerated() {
            let same = a.model.variables[index].value.scalars(as: Float.self) == b.model.variables[index].value.scalars(as: Float.self)
            #expect(same == !name.hasPrefix("domain."), "\(name)")
        }
        #expect(a.history.map(\.lambda).allSatisfy { $0 == 0 })
    }

    @Test func dannFeaturesDependOnTheTarget() throws {
        let rotatedFar = DomainData(
            name: "moons", sourceTrain: Self.data.sourceTrain, targetTrain: Self.data.targetTrain.rotated(byDegrees: 120),
            sourceTest: Self.data.sourceTest, targetTest: Self.data.targetTest, classCount: 2)
        let a = try trained(.dann), b = try trained(.dann, data: rotatedFar)
        #expect(a.model.features.variables[0].value.scalars(as: Float.self) != b.model.features.variables[0].value.scalars(as: Float.self))
    }

    @Test func metricsAreFractionsAndEpochsCount() throws {
        let trainer = try trained(.dann)
        #expect(trainer.history.map(\.epoch) == [1, 2, 3])
        #expect(trainer.stepsPerEpoch == 8 && trainer.totalSteps == 24)
        for metrics in trainer.history {
            for value in [metrics.trainAccuracy, metrics.trainDomainAccuracy, metrics.evaluation.sourceAccuracy,
                          metrics.evaluation.targetAccuracy ?? -1, metrics.evaluation.domainAccuracy] {
                #expect((0...1).contains(value))
            }
            #expect(metrics.labelLoss > 0 && metrics.domainLoss > 0)
        }
    }

    @Test func domainHitsCountEachDomainsSide() {
        // Source correct when negative, target when positive: 2 of 3 source, 1 of 1 target.
        let hits = domainHits([-1, -0.5, 2, 3], sourceCount: 3)
        #expect(hits.overall == 0.75)
        #expect(abs(hits.balanced - (2.0 / 3 + 1) / 2) < 1e-15)
    }

    @Test func dataWithoutSourceLabelsIsRefused() throws {
        let unlabelled = try Dataset(features: Tensor.zeros(shape: [4, 2]))
        let data = DomainData(name: "x", sourceTrain: unlabelled, targetTrain: unlabelled, sourceTest: unlabelled, targetTest: unlabelled, classCount: 2)
        #expect {
            _ = try DANNTrainer(configuration: Self.small, data: data, mode: .dann)
        } throws: { error in
            guard case DANNError.unusableData(let reason) = error else { return false }
            return reason.contains("no labels")
        }
    }

    @Test func moonsTargetIsTheSourceDistributionTurnedAboutTheSourceMean() {
        // Turning the target back by 35° about the source mean gives points on the moons again:
        // each is within a few noise widths of a moon's arc.
        let data = DomainData.moons(count: 200, testCount: 10, noise: 0, seed: 3)
        let means = data.sourceTrain.featureMeans
        let back = data.targetTrain.rotated(byDegrees: -35, about: SIMD2(means[0], means[1]))
        let points = back.features.scalars(as: Double.self), labels = back.labelScalars!
        for row in 0..<back.count {
            let (x, y) = (points[2 * row], points[2 * row + 1])
            // Upper moon: unit circle about (0, 0); lower moon: unit circle about (1, 0.5).
            let radius = labels[row] == 0 ? (x * x + y * y).squareRoot() : ((x - 1) * (x - 1) + (y - 0.5) * (y - 0.5)).squareRoot()
            #expect(abs(radius - 1) < 1e-5)
        }
    }
}
