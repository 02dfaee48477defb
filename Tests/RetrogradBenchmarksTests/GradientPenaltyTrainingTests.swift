import Foundation
import RetrogradBenchmarks
import RetrogradNN
import RetrogradTestSupport
import Testing

/// W4's loss written out by hand for a critic x → tanh → tanh → score: the input gradient
/// is W1·((W2·((W3·1) ⊙ (1 − h2²))) ⊙ (1 − h1²)).
private func handLoss(_ layers: [Affine], inputs: Matrix, penaltyWeight: Double) -> Double {
    var scores = 0.0, penalty = 0.0
    for x in inputs {
        let h1 = layers[0](x).map(tanh)
        let h2 = layers[1](h1).map(tanh)
        scores += layers[2](h2)[0]
        let delta2 = h2.indices.map { layers[2].weight[$0][0] * (1 - h2[$0] * h2[$0]) }
        let delta1 = h1.indices.map { j in
            delta2.indices.reduce(0.0) { $0 + layers[1].weight[j][$1] * delta2[$1] } * (1 - h1[j] * h1[j])
        }
        let gradient = x.indices.map { d in delta1.indices.reduce(0.0) { $0 + layers[0].weight[d][$1] * delta1[$1] } }
        let norm = sqrt(gradient.reduce(0) { $0 + $1 * $1 })
        penalty += (norm - 1) * (norm - 1)
    }
    return scores / Double(inputs.count) + penaltyWeight * penalty / Double(inputs.count)
}

@Suite("W4: gradient penalty")
struct GradientPenaltyTrainingTests {
    let training = GradientPenaltyTraining(sizes: [3, 4, 4, 1], batch: 5, dtype: .float64)

    @Test("the loss is the mean score plus 10 · mean (‖∂score/∂x‖ − 1)², by hand")
    func loss() throws {
        let layers = training.critic.layers.map { Affine($0 as! Dense) }
        let (loss, _) = try training.lossAndGradients()
        let expected = handLoss(layers, inputs: rows(training.inputs), penaltyWeight: 10)
        #expect(isClose(loss.scalar(as: Double.self), expected, relative: 1e-12))
        #expect(training.penaltyWeight == 10)
    }

    @Test("the double-backward gradients match finite differences of the hand-written loss")
    func gradients() throws {
        let layers = training.critic.layers.map { Affine($0 as! Dense) }
        let inputs = rows(training.inputs)
        let (_, gradients) = try training.lossAndGradients()
        #expect(gradients.count == 6)
        // The variables come as weight, bias per layer: the order of Affine.parameters.
        for (index, layer) in layers.enumerated() {
            let numeric = finiteDifferences({ point in
                var perturbed = layers
                perturbed[index].parameters = point
                return handLoss(perturbed, inputs: inputs, penaltyWeight: 10)
            }, at: layer.parameters)
            let analytic = gradients[2 * index]!.scalars(as: Double.self) + gradients[2 * index + 1]!.scalars(as: Double.self)
            #expect(
                zip(analytic, numeric).allSatisfy { isClose($0, $1, absolute: 1e-7, relative: 1e-6) },
                "layer \(index): \(analytic) vs \(numeric)")
        }
    }

    @Test("the benchmark critic has W4's shapes and a step runs")
    func benchmarkShapes() throws {
        let w4 = GradientPenaltyTraining()
        #expect(w4.inputs.shape == [64, 784])
        #expect(w4.variables.map(\.shape) == [[784, 256], [256], [256, 256], [256], [256, 1], [1]])
        let small = GradientPenaltyTraining(sizes: [3, 4, 4, 1], batch: 5)
        let before = small.variables[0].value.scalars(as: Float.self)
        try small.step()
        #expect(small.variables[0].value.scalars(as: Float.self) != before)
    }
}
