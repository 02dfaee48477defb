// Each optimizer against a scalar reimplementation of PyTorch's rule, step by step, on
// f(w) = Σ a·(w − c)² with the gradient taken from the tape.

import Foundation
import Testing
import RetrogradOptimizers
import RetrogradTestSupport

@Suite struct OptimizerTrajectoryTests {
    @Test(arguments: OptimizerCase.all)
    func tenStepsFollowPyTorchsRule(_ configuration: OptimizerCase) throws {
        let optimizer = configuration.make()
        var reference = configuration.reference()
        let w = variable(Quadratic.start, name: "w")
        var expected = Quadratic.start
        for step in 1...10 {
            let gradients = try Quadratic.tapeGradients(w)
            let g = Quadratic.gradient(expected)
            #expect(allClose(values(gradients[0]), g), "gradient before step \(step)")
            optimizer.apply(gradients: gradients, to: [w])
            reference.step(&expected, g, lr: configuration.learningRate)
            #expect(allClose(values(w.value), expected), "step \(step): \(values(w.value)) vs \(expected)")
        }
        #expect(optimizer.iterations == 10)
        // The trajectory went somewhere: the ten steps were not all no-ops.
        #expect(!allClose(values(w.value), Quadratic.start, tolerance: 1e-3))
    }

    /// Adam's bias correction makes the first step lr·g/(|g| + ε) ≈ lr·sign(g) whatever
    /// the gradient's size: m̂ = g and v̂ = g² at t = 1.
    @Test func adamFirstStepIsLearningRateTimesSign() throws {
        let lr = 0.1, epsilon = 1e-8
        let optimizer = Adam(learningRate: lr)
        let w = variable(Quadratic.start, name: "w")
        optimizer.apply(gradients: try Quadratic.tapeGradients(w), to: [w])
        let g = Quadratic.gradient(Quadratic.start)  // [−4, −1, −6]
        let expected = Quadratic.start.indices.map { Quadratic.start[$0] - lr * g[$0] / (abs(g[$0]) + epsilon) }
        #expect(allClose(values(w.value), expected))
        #expect(allClose(values(w.value), [1.1, -1.9, 0.6], tolerance: 1e-8))
    }

    /// The second Adam step written out: m₂ = β₁(1 − β₁)g₁ + (1 − β₁)g₂,
    /// v₂ = β₂(1 − β₂)g₁² + (1 − β₂)g₂², θ₂ = θ₁ − lr/(1 − β₁²) · m₂ / (√v₂/√(1 − β₂²) + ε).
    @Test func adamSecondStepWrittenOut() throws {
        let lr = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-8
        let optimizer = Adam(learningRate: lr)
        let w = variable(Quadratic.start, name: "w")
        optimizer.apply(gradients: try Quadratic.tapeGradients(w), to: [w])
        let theta1 = values(w.value)
        optimizer.apply(gradients: try Quadratic.tapeGradients(w), to: [w])
        let g1 = Quadratic.gradient(Quadratic.start), g2 = Quadratic.gradient(theta1)
        let expected = theta1.indices.map { i -> Double in
            let m2 = b1 * (1 - b1) * g1[i] + (1 - b1) * g2[i]
            let v2 = b2 * (1 - b2) * g1[i] * g1[i] + (1 - b2) * g2[i] * g2[i]
            return theta1[i] - lr / (1 - b1 * b1) * m2 / (v2.squareRoot() / (1 - b2 * b2).squareRoot() + eps)
        }
        #expect(allClose(values(w.value), expected))
    }

    /// AdamW's decay is decoupled: with a zero gradient the moments stay 0 and θ only
    /// shrinks by (1 − lr·λ) per step.
    @Test func adamWDecaysWithAZeroGradient() {
        let optimizer = AdamW(learningRate: 0.1, weightDecay: 0.5)
        let w = variable([2, -4], name: "w")
        for _ in 0..<3 { optimizer.apply(gradients: [Tensor([0, 0] as [Double])], to: [w]) }
        #expect(allClose(values(w.value), [2 * pow(0.95, 3), -4 * pow(0.95, 3)]))
    }

    /// float32 variables are updated in float32 and follow the float64 reference closely.
    @Test func float32VariablesFollowTheReference() throws {
        let optimizer = Adam(learningRate: 0.1, amsgrad: true)
        var reference = ReferenceAdam(amsgrad: true)
        func float32(_ scalars: [Double]) -> Tensor { Tensor(scalars.map { Float($0) }) }
        let w = Variable(float32(Quadratic.start), name: "w")
        let c = float32(Quadratic.center), a = float32(Quadratic.weights)
        var expected = Quadratic.start
        for _ in 0..<10 {
            let tape = GradientTape()
            let loss = tape.record { ((w.value - c).square() * a).sum() }
            optimizer.apply(gradients: try tape.gradient(of: loss, wrt: [w]), to: [w])
            reference.step(&expected, Quadratic.gradient(expected), lr: 0.1)
        }
        #expect(w.dtype == DType.float32)
        #expect(allClose(values(w.value), expected, tolerance: 1e-5))
    }

    /// A schedule is consulted with the optimizer's call count: 0 on the first call.
    @Test func scheduleDecidesTheRateByIterations() throws {
        let schedule = StepDecay(initial: 0.1, stepSize: 3, factor: 0.5)
        let optimizer = SGD(learningRate: 99, momentum: 0.5, schedule: schedule)
        var reference = ReferenceSGD(momentum: 0.5)
        let w = variable(Quadratic.start, name: "w")
        var expected = Quadratic.start
        for k in 0..<10 {
            let rate = 0.1 * pow(0.5, Double(k / 3))
            #expect(abs(optimizer.currentLearningRate - rate) < 1e-15)
            optimizer.apply(gradients: try Quadratic.tapeGradients(w), to: [w])
            reference.step(&expected, Quadratic.gradient(expected), lr: rate)
            #expect(allClose(values(w.value), expected), "step \(k + 1)")
        }
        optimizer.schedule = nil
        #expect(optimizer.currentLearningRate == 99)
    }

    /// Changing `learningRate` between steps takes effect on the next step.
    @Test func learningRateCanChangeBetweenSteps() {
        let optimizer = SGD(learningRate: 0.1)
        let w = variable([1], name: "w")
        optimizer.apply(gradients: [Tensor([1] as [Double])], to: [w])
        optimizer.learningRate = 0.25
        optimizer.apply(gradients: [Tensor([1] as [Double])], to: [w])
        #expect(allClose(values(w.value), [1 - 0.1 - 0.25]))
    }
}
