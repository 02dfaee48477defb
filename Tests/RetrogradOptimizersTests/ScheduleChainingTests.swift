// Warm-up and chained schedules at chosen steps against their formulas, written out here.

import Foundation
import Testing
import RetrogradOptimizers
import RetrogradTestSupport

@Suite struct ScheduleChainingTests {
    /// 0.01 + 0.09 · min(t, 4) / 4.
    @Test(arguments: [(0, 0.01), (1, 0.0325), (2, 0.055), (3, 0.0775), (4, 0.1), (9, 0.1)])
    func linearWarmup(step: Int, expected: Double) {
        #expect(isClose(LinearWarmup(from: 0.01, to: 0.1, steps: 4).learningRate(atStep: step), expected, tolerance: 1e-15))
    }

    @Test func aLinearWarmupCanGoDownAndStartsAtZeroByDefault() {
        #expect(LinearWarmup(to: 1, steps: 2).learningRate(atStep: 0) == 0)
        #expect(isClose(LinearWarmup(from: 1, to: 0.5, steps: 5).learningRate(atStep: 2), 0.8, tolerance: 1e-15))
    }

    /// Warm-up from 0 to 1 over 3 steps, then a cosine decay from 1 over 4 steps that sees
    /// step t − 3: 1 · (1 + cos(π · min(t − 3, 4) / 4)) / 2.
    static let warmupThenCosineCases: [(Int, Double)] = [
        (0, 0), (1, 1.0 / 3), (2, 2.0 / 3), (3, 1), (4, (1 + cos(Double.pi / 4)) / 2), (5, 0.5),
        (6, (1 + cos(3 * Double.pi / 4)) / 2), (7, 0), (50, 0),
    ]

    @Test(arguments: warmupThenCosineCases)
    func warmupThenCosine(step: Int, expected: Double) {
        let schedule = SequentialSchedule(
            [LinearWarmup(from: 0, to: 1, steps: 3), CosineDecay(initial: 1, totalSteps: 4)], milestones: [3])
        #expect(isClose(schedule.learningRate(atStep: step), expected, tolerance: 1e-15))
    }

    /// Three pieces: constant 0.5 for t < 2; 0.4 · 0.5^⌊(t − 2)/2⌋ for 2 ≤ t < 7; 0.01 · 0.9^(t − 7) after.
    @Test(arguments: [(0, 0.5), (1, 0.5), (2, 0.4), (3, 0.4), (4, 0.2), (6, 0.1), (7, 0.01), (9, 0.01 * 0.81)])
    func eachPieceSeesItsOwnStepCount(step: Int, expected: Double) {
        let schedule = SequentialSchedule(
            [ConstantSchedule(0.5), StepDecay(initial: 0.4, stepSize: 2, factor: 0.5),
             ExponentialDecay(initial: 0.01, decayRate: 0.9, decaySteps: 1)],
            milestones: [2, 7])
        #expect(isClose(schedule.learningRate(atStep: step), expected, tolerance: 1e-15))
    }

    @Test func anOptimizerReadsTheChainAtItsIterationCount() throws {
        // SGD on f(w) = w²/2 (gradient w) from w = 1 with rates 0.1, 0.2 (warm-up) then 0.5, 0.5:
        // w ← w·(1 − rate) each step: 1 · 0.9 · 0.8 · 0.5 · 0.5 = 0.18.
        let schedule = SequentialSchedule([LinearWarmup(from: 0.1, to: 0.3, steps: 2), ConstantSchedule(0.5)], milestones: [2])
        let optimizer = SGD(learningRate: 0, schedule: schedule)
        let w = Variable(Tensor(1.0 as Double), name: "w")
        var rates: [Double] = []
        for _ in 0..<4 {
            rates.append(optimizer.currentLearningRate)
            optimizer.apply(gradients: [w.value], to: [w])
        }
        #expect(allClose(rates, [0.1, 0.2, 0.5, 0.5], tolerance: 1e-15))
        expectClose(w.value, [0.18], absolute: 1e-15)
    }
}
