import Testing
@testable import DomainAdaptation

/// A small DANN run on the moons: it must beat the source-only model on the target.
@Suite struct DANNEndToEndTests {
    @Test func dannBeatsSourceOnlyOnTheRotatedMoons() throws {
        // Two seeds, so that one lucky or unlucky draw does not decide; 40 epochs of 150
        // steps with 2 + 2 examples each. In release runs of this setting DANN's mean target
        // accuracy was about 0.84 against 0.71 for source-only (3 seeds).
        var gains = [Double]()
        for seed in [UInt64(0), 1] {
            var configuration = DANNConfiguration.moons(seed: seed)
            configuration.epochs = 40
            configuration.batchSize = 2
            configuration.learningRate = 0.1
            let data = DomainData.moons(testCount: 500, seed: seed)
            var target = [DANNMode: Double](), domain = [DANNMode: Double]()
            for (mode, evaluation) in try finalEvaluations(configuration, data: data) {
                #expect(evaluation.sourceAccuracy > 0.85, "\(mode) seed \(seed)")
                let targetAccuracy = try #require(evaluation.targetAccuracy)
                target[mode] = targetAccuracy
                domain[mode] = evaluation.domainAccuracy
            }
            gains.append(target[.dann]! - target[.sourceOnly]!)
            // DANN's features fool its domain classifier; source-only's do not.
            #expect(domain[.dann]! < 0.56 && domain[.sourceOnly]! > 0.58, "seed \(seed): \(domain)")
        }
        #expect(gains.allSatisfy { $0 > 0 }, "\(gains)")
        #expect(gains.reduce(0, +) / Double(gains.count) > 0.05, "\(gains)")
    }
}
