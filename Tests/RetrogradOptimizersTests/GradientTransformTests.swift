// Gradient transforms: the seeds' patterns (ascent by negation, reversing one head,
// per-variable rates) and clipping, against closed forms and hand-computed vectors.

import Foundation
import Testing
import RetrogradOptimizers
import RetrogradTestSupport

/// The tape's gradients of Σ over pairs of (vᵢ − targetᵢ)², aligned with `variables`.
/// ∂/∂vᵢ = 2(vᵢ − targetᵢ).
private func squaredDistanceGradients(_ variables: [Variable], targets: [Double]) throws -> [Tensor?] {
    let tape = GradientTape()
    let loss = tape.record { () -> Tensor in
        var total = (variables[0].value - targets[0]).square().sum()
        for (variable, target) in zip(variables, targets).dropFirst() {
            total = total + (variable.value - target).square().sum()
        }
        return total
    }
    return try tape.gradient(of: loss, wrt: variables)
}

@Suite struct GradientNegationTests {
    /// The inverting-gradients question (Tests/RetrogradTests/UserQuestions), example 1:
    /// loss (x − 5)², SGD with lr on the negated gradient:
    /// x − 5 ← (1 + 2lr)(x − 5), so x_k − 5 = (1 + 2lr)^k (x₀ − 5): ascent.
    @Test func negationClimbsTheLoss() throws {
        let lr = 0.1, x0 = 2.0
        let x = variable([x0], name: "x")
        let optimizer = SGD(learningRate: lr)
        for k in 1...10 {
            let gradients = try squaredDistanceGradients([x], targets: [5])
            optimizer.apply(gradients: gradients.negated(), to: [x])
            #expect(allClose(values(x.value), [5 + pow(1 + 2 * lr, Double(k)) * (x0 - 5)]), "step \(k)")
        }
    }

    /// The inverting-gradients question, example 3: only the second variable's gradient
    /// reversed. The first descends (factor 1 − 2lr per step), the second ascends (1 + 2lr).
    @Test func selectiveNegationReversesOnlyTheSelectedVariables() throws {
        let lr = 0.1
        let a = variable([2], name: "features.a"), b = variable([1], name: "domain.b")
        let optimizer = SGD(learningRate: lr)
        for k in 1...5 {
            let gradients = try squaredDistanceGradients([a, b], targets: [5, -3])
            optimizer.apply(gradients: gradients.negated(only: [b], in: [a, b]), to: [a, b])
            #expect(allClose(values(a.value), [5 + pow(1 - 2 * lr, Double(k)) * (2 - 5)]))
            #expect(allClose(values(b.value), [-3 + pow(1 + 2 * lr, Double(k)) * (1 + 3)]))
        }
    }

    @Test func negationByNamePredicate() {
        let a = variable([1], name: "features.a"), b = variable([1], name: "domain.b"), c = variable([1], name: "domain.c")
        let gradients: [Tensor?] = [Tensor([1.5] as [Double]), Tensor([-2] as [Double]), nil]
        let result = gradients.negated(in: [a, b, c], where: { $0.name.hasPrefix("domain.") })
        #expect(values(result[0]) == [1.5] && values(result[1]) == [2] && result[2] == nil)
        #expect(gradients.negated().map(values) == [[-1.5], [2], []])
    }
}

@Suite struct GradientScalingTests {
    /// A per-variable learning rate: "features." moves with 0.1·lr, so its factor per
    /// step is 1 − 2·(0.1·lr); the rest moves with lr.
    @Test func scalingByNameGivesAPerVariableRate() throws {
        let lr = 0.2
        let a = variable([0], name: "features.a"), b = variable([0], name: "head.b")
        let optimizer = SGD(learningRate: lr)
        for k in 1...5 {
            let gradients = try squaredDistanceGradients([a, b], targets: [1, 1])
            let scaled = gradients.scaled(by: 0.1, in: [a, b], where: { $0.name.hasPrefix("features.") })
            optimizer.apply(gradients: scaled, to: [a, b])
            #expect(allClose(values(a.value), [1 - pow(1 - 2 * 0.1 * lr, Double(k))]))
            #expect(allClose(values(b.value), [1 - pow(1 - 2 * lr, Double(k))]))
        }
    }

    @Test func scalingAllAndSelected() {
        let a = variable([0, 0], name: "a"), b = variable([0], name: "b")
        let gradients: [Tensor?] = [Tensor([1, -2] as [Double]), Tensor([4] as [Float])]
        #expect(gradients.scaled(by: 0.5).map(values) == [[0.5, -1], [2]])
        #expect(gradients.scaled(by: 0.5)[1]?.dtype == .float32)
        #expect(gradients.scaled(by: 3, only: [b], in: [a, b]).map(values) == [[1, -2], [12]])
        #expect([nil, gradients[1]].scaled(by: 3, only: [a], in: [a, b]).map(values) == [[], [4]])
    }

    /// Transforms chain: reverse the domain head, then halve everything.
    @Test func transformsChain() {
        let a = variable([0], name: "features.a"), b = variable([0], name: "domain.b")
        let gradients: [Tensor?] = [Tensor([2] as [Double]), Tensor([6] as [Double])]
        let result = gradients.negated(only: [b], in: [a, b]).scaled(by: 0.5).clippedByValue(-2...2)
        #expect(result.map(values) == [[1], [-2]])
    }
}

@Suite struct GradientClippingTests {
    @Test func clipByValue() {
        let gradients: [Tensor?] = [Tensor([-3, 0.5, 2, 1] as [Double]), nil]
        let clipped = gradients.clippedByValue(-1...1)
        #expect(values(clipped[0]) == [-1, 0.5, 1, 1] && clipped[1] == nil)
    }

    /// [3, 4] has norm 5: clipped to 1 it is [0.6, 0.8]; [[1, 2], [2, 4]] has norm 5 and
    /// clipped to 2.5 is halved; a gradient within the bound keeps its bits; zero stays zero.
    @Test func clipByNormPerTensor() {
        let gradients: [Tensor?] = [
            Tensor([3, 4] as [Double]), Tensor([1, 2, 2, 4] as [Double], shape: [2, 2]), nil,
            Tensor([0.1, 0.7] as [Double]), Tensor([0, 0] as [Double]),
        ]
        let byOne = gradients.clippedByNorm(1)
        #expect(allClose(values(byOne[0]), [0.6, 0.8]))
        #expect(allClose(values(byOne[1]), [0.2, 0.4, 0.4, 0.8]) && byOne[1]?.shape == [2, 2])
        #expect(byOne[2] == nil)
        #expect(values(byOne[3]) == [0.1, 0.7])
        #expect(values(byOne[4]) == [0, 0])
        #expect(allClose(values(gradients.clippedByNorm(2.5)[1]), [0.5, 1, 1, 2]))
        #expect(values(gradients.clippedByNorm(5)[0]) == [3, 4])
    }

    /// N = √(3² + 4² + 12²) = 13; clipped to 6.5 every gradient is halved; nil skipped.
    @Test func clipByGlobalNormScalesTogether() {
        var gradients: [Tensor?] = [Tensor([3, 4] as [Double]), nil, Tensor([12] as [Float])]
        let norm = clipByGlobalNorm(&gradients, maxNorm: 6.5)
        #expect(abs(norm - 13) < 1e-12)
        #expect(allClose(values(gradients[0]), [1.5, 2]))
        #expect(gradients[1] == nil)
        #expect(allClose(values(gradients[2]), [6], tolerance: 1e-6) && gradients[2]?.dtype == .float32)
    }

    @Test func clipByGlobalNormBelowTheBoundChangesNothing() {
        var gradients: [Tensor?] = [Tensor([3, 4] as [Double]), Tensor([12] as [Double])]
        #expect(abs(clipByGlobalNorm(&gradients, maxNorm: 20) - 13) < 1e-12)
        #expect(gradients.map(values) == [[3, 4], [12]])
        var none: [Tensor?] = [nil, nil]
        #expect(clipByGlobalNorm(&none, maxNorm: 1) == 0 && none.allSatisfy { $0 == nil })
    }

    /// As in TensorFlow, a non-finite global norm makes every gradient NaN.
    @Test func clipByGlobalNormWithAnInfiniteNorm() {
        var gradients: [Tensor?] = [Tensor([Double.infinity, 1] as [Double]), Tensor([2] as [Double])]
        let norm = clipByGlobalNorm(&gradients, maxNorm: 1)
        #expect(norm == .infinity)
        #expect(gradients.allSatisfy { values($0).allSatisfy(\.isNaN) })
    }

    /// Clipping is tensor math, so it differentiates: for x = [3, 4] clipped to norm 1,
    /// f = Σ x/‖x‖ and ∂f/∂xᵢ = 1/‖x‖ − (x₁ + x₂)·xᵢ/‖x‖³ = [0.032, −0.024].
    @Test func clippingIsDifferentiable() throws {
        let x = variable([3, 4], name: "x")
        let tape = GradientTape()
        let f = tape.record { [x.value].clippedByNorm(1)[0]!.sum() }
        let gradient = try tape.gradient(of: f, wrt: x)
        let norm: Double = 5, sum: Double = 7
        let expected: [Double] = [3, 4].map { (xi: Double) -> Double in 1 / norm - sum * xi / (norm * norm * norm) }
        #expect(allClose(values(gradient), expected))
        #expect(allClose(expected, [0.032, -0.024]))
    }
}
