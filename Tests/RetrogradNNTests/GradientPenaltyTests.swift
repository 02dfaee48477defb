import Foundation
import Testing
@testable import RetrogradNN
import RetrogradTestSupport

// The gradient penalty: its value for critics whose input gradient is known in closed
// form, its gradient with respect to the critic's variables through an outer tape, and a
// training step that lowers it.

@Suite struct GradientPenaltyTests {
    /// c(x) = x·w has ∂c/∂xᵢ = w for every example, so the penalty is (‖w‖ − target)²:
    /// w = [3, 4] gives ‖w‖ = 5, penalty (5 − 1)² = 16, or 25 with target 0.
    @Test func linearCriticPenaltyIsTheSquaredDistanceOfItsWeightNorm() throws {
        let w = Variable(doubles([3, 4], shape: [2, 1]), name: "w")
        let x = doubles([1, 2, -1, 0.5, 0, 0], shape: [3, 2])
        expectClose(try gradientPenalty(of: { $0.matmul(w.value) }, at: x), [16])
        expectClose(try gradientPenalty(of: { $0.matmul(w.value) }, at: x, target: 0), [25])
    }

    /// c(x) = Σⱼ xⱼ² has ∂c/∂xᵢ = 2xᵢ: rows [3, 4] and [0, 0.5] have norms 10 and 1, so the
    /// penalty is ((10 − 1)² + (1 − 1)²) / 2 = 40.5. Each example gets its own norm.
    @Test func eachExampleIsPenalisedByItsOwnGradientNorm() throws {
        let x = doubles([3, 4, 0, 0.5], shape: [2, 2])
        expectClose(try gradientPenalty(of: { ($0 * $0).sum(axes: [1]) }, at: x), [40.5])
    }

    /// d/dw (‖w‖ − 1)² = 2(‖w‖ − 1)·w/‖w‖ = 2·4·[3, 4]/5 = [4.8, 6.4]. One step with
    /// lr = 0.05 gives w = [2.76, 3.68] = 0.92·[3, 4], ‖w‖ = 4.6, penalty 3.6² = 12.96.
    @Test func underAnOuterTapeTheLinearCriticLearnsTowardsUnitNorm() throws {
        let w = Variable(doubles([3, 4], shape: [2, 1]), name: "w")
        let x = doubles([1, 2, -1, 0.5, 0.25, 3], shape: [3, 2])
        let tape = GradientTape()
        let penalty = try tape.record { try gradientPenalty(of: { $0.matmul(w.value) }, at: x) }
        let gradient = try tape.gradient(of: penalty, wrt: w)
        expectClose(gradient, [4.8, 6.4])
        w.assignSub(gradient! * 0.05)
        expectClose(w.value, [2.76, 3.68])
        expectClose(try gradientPenalty(of: { $0.matmul(w.value) }, at: x), [12.96], absolute: 1e-10)
    }

    @Test func aNonlinearCriticGetsGradientsAndOneStepLowersThePenalty() throws {
        let critic = Sequential(
            Dense(inputSize: 3, outputSize: 8, activation: .tanh, dtype: .float64, seed: 5),
            Dense(inputSize: 8, outputSize: 1, dtype: .float64, seed: 6))
        var generator = SeededGenerator(seed: 17)
        let x = Tensor.randomNormal(shape: [6, 3], dtype: .float64, using: &generator)
        let tape = GradientTape()
        let penalty = try tape.record { try gradientPenalty(of: critic.callAsFunction, at: x) }
        let variables = critic.trainableVariables
        let grads = try tape.gradient(of: penalty, wrt: variables)
        for (gradient, variable) in zip(grads, variables) {
            if variable.name == "1.bias" {
                // The output bias shifts every score alike and never reaches ∂c/∂x.
                #expect(gradient == nil, "\(variable.name)")
            } else {
                let values = gradient?.scalars(as: Double.self) ?? []
                #expect(!values.isEmpty && values.contains { $0 != 0 }, "\(variable.name): \(values)")
            }
        }
        let before = penalty.scalar(as: Double.self)
        #expect(before > 1e-3, "the starting penalty should leave room to improve")
        let learningRate = 0.01
        for (gradient, variable) in zip(grads, variables) {
            if let gradient { variable.assignSub(gradient * learningRate) }
        }
        let after = try gradientPenalty(of: critic.callAsFunction, at: x).scalar(as: Double.self)
        #expect(after < before, "penalty \(before) → \(after)")
    }

    /// The penalty as a function of the inputs and of the critic's weight, against finite
    /// differences: the tape's gradient of it is a second derivative of the critic.
    @Test func penaltyGradientsMatchFiniteDifferences() {
        let x = doubles([0.3, -0.8, 1.1, 0.4, -0.2, 0.9], shape: [3, 2])
        let w = doubles([0.7, -1.3, 0.5, 0.2], shape: [2, 2])
        let report = checkGradients(
            of: { inputs in
                let weight = inputs[1]
                return try! gradientPenalty(of: { $0.matmul(weight).tanh().sum(axes: [1]) }, at: inputs[0])
            }, at: [x, w], order: 1, tolerance: 1e-6)
        #expect(report.passed, "\(report)")
    }

    @Test func theOuterTapeSeesThePenaltyAddedToAnotherLoss() throws {
        // loss = mean(c(x)) + λ·penalty for c(x) = x·w: ∂/∂w mean(x·w) = column means of x,
        // and the penalty part is as above: λ = 0.5 gives 0.5·[4.8, 6.4] = [2.4, 3.2].
        let w = Variable(doubles([3, 4], shape: [2, 1]), name: "w")
        let x = doubles([1, 2, -1, 0.5], shape: [2, 2])
        let tape = GradientTape()
        let loss = try tape.record { () throws -> Tensor in
            let critic = { (input: Tensor) in input.matmul(w.value) }
            return try critic(x).mean() + 0.5 * gradientPenalty(of: critic, at: x)
        }
        // Column means of x: [(1 − 1)/2, (2 + 0.5)/2] = [0, 1.25].
        expectClose(try tape.gradient(of: loss, wrt: w), [0 + 2.4, 1.25 + 3.2])
    }

    @Test func aCriticWithSeveralScoresPerExampleStops() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = try? gradientPenalty(of: { $0 * 2 }, at: Tensor.zeros(shape: [4, 3]))
        }
        let message = standardError(result)
        #expect(message.contains("gradientPenalty") && message.contains("[4, 3]"), "\(message)")
    }
}
