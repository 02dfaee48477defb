import Foundation
import Testing
@testable import DomainAdaptation

/// The λ and learning-rate schedules against closed forms worked out by hand.
@Suite struct DANNScheduleTests {
    let configuration = DANNConfiguration(epochs: 1, batchSize: 1, hidden: [4], learningRate: 0.8, maxLambda: 3)

    @Test func lambdaStartsAtZeroAndRisesToItsMaximum() {
        #expect(configuration.lambda(atProgress: 0) == 0)
        // 2/(1+e^(−γp)) − 1 = tanh(γp/2): at p = 1 with γ = 10 that is tanh 5 = 0.999909204…
        #expect(abs(configuration.lambda(atProgress: 1) - 3 * 0.999909204262595) < 1e-12)
        // At p = ln 3 / 10, e^(−γp) = 1/3, so 2/(1 + 1/3) − 1 = 1/2.
        #expect(abs(configuration.lambda(atProgress: log(3) / 10) - 1.5) < 1e-12)
        let values = stride(from: 0.0, through: 1.0, by: 0.05).map(configuration.lambda(atProgress:))
        #expect(zip(values, values.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test func gammaZeroMeansConstantLambda() {
        var constant = configuration
        constant.lambdaGamma = 0
        #expect(constant.lambda(atProgress: 0) == 3 && constant.lambda(atProgress: 0.5) == 3)
    }

    @Test func learningRateAnnealsOverTheRun() {
        // 4 steps: step t is at progress t / 4.
        let schedule = configuration.learningRateSchedule(totalSteps: 4)
        #expect(schedule.learningRate(atStep: 0) == 0.8)
        // (1 + 10·1)^0.75 at the end of the run: 11^0.75 = 6.0401…
        #expect(abs(schedule.learningRate(atStep: 4) - 0.8 / 6.0401053545372365) < 1e-12)
        var squareRoot = configuration
        squareRoot.annealingBeta = 0.5
        // At step 1 of 4: (1 + 10·0.25)^0.5 = 3.5^0.5.
        #expect(abs(squareRoot.learningRateSchedule(totalSteps: 4).learningRate(atStep: 1) - 0.8 / 3.5.squareRoot()) < 1e-12)
        var constant = configuration
        constant.annealingAlpha = 0
        #expect(constant.learningRateSchedule(totalSteps: 10).learningRate(atStep: 7) == 0.8)
    }

    @Test func trainerFollowsTheSchedulesStepByStep() throws {
        // 10 source rows, batch 5: 2 steps per epoch, 4 steps in 2 epochs; the last step is
        // step 3, at p = 3/4.
        let config = DANNConfiguration(epochs: 2, batchSize: 5, hidden: [3], learningRate: 0.1, maxLambda: 2, seed: 1)
        let trainer = try DANNTrainer(configuration: config, data: DomainData.moons(count: 10, testCount: 10, seed: 1), mode: .dann)
        var lambdas = [Double]()
        while !trainer.isFinished { try trainer.trainEpoch { lambdas.append($0.lambda) } }
        let expected = [0.0, 0.25, 0.5, 0.75].map { 2 * tanh(10 * $0 / 2) }
        #expect(lambdas.count == 4)
        for (got, want) in zip(lambdas, expected) { #expect(abs(got - want) < 1e-12) }
        #expect(abs(trainer.history[1].learningRate - 0.1 / pow(8.5, 0.75)) < 1e-12)
        #expect(trainer.optimizer.iterations == 4)
        // The optimizer sets the rate itself, from its step count: step 4 would be at p = 1.
        #expect(abs(trainer.optimizer.currentLearningRate - 0.1 / pow(11, 0.75)) < 1e-12)
    }

    @Test func invalidCountsAreNamed() {
        var noEpochs = configuration, negativeBatch = configuration
        noEpochs.epochs = 0
        negativeBatch.batchSize = -1
        #expect(throws: DANNError.invalidConfiguration(name: "epochs", value: "0", rule: "a whole number from 1 to 1000000")) { try noEpochs.validate() }
        #expect(throws: DANNError.invalidConfiguration(name: "batch-size", value: "-1", rule: "a positive whole number")) {
            try negativeBatch.validate()
        }
    }

    @Test func invalidValuesAreRefusedWithTheirFlagName() {
        func name(_ change: (inout DANNConfiguration) -> Void) -> String? {
            var bad = configuration
            change(&bad)
            do { try bad.validate() } catch { if case .invalidConfiguration(let name, _, _) = error { return name } }
            return nil
        }
        #expect(name { $0.hidden = [] } == "hidden")
        #expect(name { $0.hidden = [4, 0] } == "hidden")
        #expect(name { $0.activation = .softmax } == "activation")
        #expect(name { $0.activation = .leakyRelu() } == nil)
        #expect(name { $0.learningRate = .nan } == "lr")
        #expect(name { $0.momentum = 1 } == "momentum")
        #expect(name { $0.maxLambda = -1 } == "lambda")
        #expect(name { $0.lambdaGamma = .infinity } == "lambda-gamma")
        #expect(name { $0.annealingBeta = -0.5 } == "annealing-beta")
        #expect(name { _ in } == nil)
    }
}
