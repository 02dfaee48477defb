// Schedules at chosen steps against their formulas, written out here.

import Foundation
import Testing
import RetrogradOptimizers
import RetrogradTestSupport

@Suite struct LearningRateScheduleTests {
    @Test func constant() {
        let schedule = ConstantSchedule(0.05)
        #expect([0, 1, 1000].allSatisfy { schedule.learningRate(atStep: $0) == 0.05 })
    }

    /// 0.1 · 0.5^⌊t/3⌋.
    @Test(arguments: [(0, 0.1), (2, 0.1), (3, 0.05), (5, 0.05), (6, 0.025), (10, 0.0125)])
    func stepDecay(step: Int, expected: Double) {
        #expect(isClose(StepDecay(initial: 0.1, stepSize: 3, factor: 0.5).learningRate(atStep: step), expected, tolerance: 1e-14))
    }

    /// 1 · 0.5^(t/4), and with staircase 0.5^⌊t/4⌋.
    @Test(arguments: [0, 2, 4, 6, 8, 13])
    func exponentialDecay(step: Int) {
        let smooth = ExponentialDecay(initial: 1, decayRate: 0.5, decaySteps: 4)
        let stairs = ExponentialDecay(initial: 1, decayRate: 0.5, decaySteps: 4, staircase: true)
        #expect(isClose(smooth.learningRate(atStep: step), pow(0.5, Double(step) / 4), tolerance: 1e-14))
        #expect(isClose(stairs.learningRate(atStep: step), pow(0.5, Double(step / 4)), tolerance: 1e-14))
    }

    @Test func exponentialDecayHandPicked() {
        let schedule = ExponentialDecay(initial: 2, decayRate: 0.25, decaySteps: 10)
        #expect(isClose(schedule.learningRate(atStep: 5), 1, tolerance: 1e-14))  // 2 · 0.25^0.5
        #expect(isClose(schedule.learningRate(atStep: 20), 0.125, tolerance: 1e-14))
    }

    /// 0.1 + 0.9 · (1 + cos(π·min(t, 10)/10)) / 2.
    @Test(arguments: [(0, 1.0), (5, 0.55), (10, 0.1), (20, 0.1)])
    func cosineDecay(step: Int, expected: Double) {
        let schedule = CosineDecay(initial: 1, totalSteps: 10, minimum: 0.1)
        #expect(isClose(schedule.learningRate(atStep: step), expected, tolerance: 1e-14))
    }

    @Test func cosineDecayQuarter() {
        // At a quarter of the way, cos(π/4) = √2/2: (1 + √2/2)/2 of the initial rate.
        #expect(isClose(CosineDecay(initial: 2, totalSteps: 8).learningRate(atStep: 2), 1 + 0.5.squareRoot(), tolerance: 1e-14))
    }

    /// DANN's μ_p = μ₀ / (1 + 10p)^0.75 with p = t / 100 clamped to [0, 1].
    @Test(arguments: [0, 10, 50, 99, 100, 250])
    func annealing(step: Int) {
        let schedule = AnnealingSchedule(initial: 0.01, totalSteps: 100)
        let p = min(Double(step) / 100, 1)
        #expect(isClose(schedule.learningRate(atStep: step), 0.01 / pow(1 + 10 * p, 0.75), tolerance: 1e-14))
        #expect(isClose(schedule.progress(atStep: step), p, tolerance: 1e-14))
    }

    @Test func annealingHandPicked() {
        // p = 0.5 with α = 2, β = 1: μ₀ / 2.
        #expect(isClose(AnnealingSchedule(initial: 0.3, alpha: 2, beta: 1, totalSteps: 8).learningRate(atStep: 4), 0.15, tolerance: 1e-14))
        // p = 1 with the paper's constants: μ₀ / 11^0.75.
        #expect(isClose(AnnealingSchedule(initial: 1, totalSteps: 3).learningRate(atStep: 3), 1 / pow(11, 0.75), tolerance: 1e-14))
    }

    /// An optimizer's schedule replaces its learning rate: DANN's annealed SGD.
    @Test func annealedSGDStepSizes() throws {
        let optimizer = SGD(learningRate: 0.01, schedule: AnnealingSchedule(initial: 0.01, totalSteps: 4))
        let x = variable([0], name: "x")
        var expected = 0.0
        for k in 0..<6 {
            // loss = x (gradient 1): each step moves x by −μ_k.
            optimizer.apply(gradients: [Tensor([1] as [Double])], to: [x])
            expected -= 0.01 / pow(1 + 10 * min(Double(k) / 4, 1), 0.75)
            #expect(allClose(values(x.value), [expected]), "step \(k + 1)")
        }
    }
}
