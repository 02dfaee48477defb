import Foundation
import RetrogradBenchmarks
import RetrogradNN
import RetrogradTestSupport
import Testing

@Suite("W2, W3, W5: training steps")
struct TrainingWorkloadTests {
    @Test("MLP: the loss is the mean cross-entropy of the hand-computed logits")
    func mlpLoss() throws {
        let training = MLPTraining(sizes: [3, 4, 4, 2], activation: .tanh, batch: 5, dtype: .float64)
        let layers = training.model.layers.map { Affine($0 as! Dense) }
        let inputs = rows(training.inputs)
        #expect(training.labels == [0, 1, 0, 1, 0])
        let expected = inputs.indices.reduce(0.0) { total, i in
            let hidden = layers[1](layers[0](inputs[i]).map(tanh)).map(tanh)
            return total + crossEntropy(layers[2](hidden), label: training.labels[i])
        } / 5
        let (loss, gradients) = try training.lossAndGradients()
        #expect(isClose(loss.scalar(as: Double.self), expected, relative: 1e-12))
        #expect(gradients.count == 6 && gradients.allSatisfy { $0 != nil })
    }

    @Test("MLP: a step is one Adam step (the first moves each parameter by lr·sign(g))")
    func mlpStep() throws {
        let training = MLPTraining(sizes: [3, 4, 2], activation: .relu, batch: 6, learningRate: 0.01, dtype: .float64)
        let before = training.variables.map { $0.value.scalars(as: Double.self) }
        let (_, gradients) = try training.lossAndGradients()
        let loss = try training.step()
        #expect(loss.rank == 0)
        for (index, variable) in training.variables.enumerated() {
            let g = gradients[index]!.scalars(as: Double.self)
            for (k, value) in variable.value.scalars(as: Double.self).enumerated() where abs(g[k]) > 1e-6 {
                let expected = before[index][k] - 0.01 * g[k] / (abs(g[k]) + 1e-8)
                #expect(isClose(value, expected, absolute: 1e-9))
            }
        }
    }

    @Test("W2 and W3 have the benchmark's shapes")
    func benchmarkShapes() {
        let w2 = MLPTraining.w2()
        #expect(w2.inputs.shape == [32, 2] && w2.variables.map(\.shape) == [[2, 64], [64], [64, 64], [64], [64, 2], [2]])
        #expect(w2.optimizer.learningRate == 1e-3)
        #expect(w2.inputs.dtype == .float32)
        // W3 allocates its 784×512 weights in a test only by shape: cheap enough.
        let w3 = MLPTraining.w3()
        #expect(w3.inputs.shape == [128, 784] && w3.labels.last == 127 % 10)
        #expect(w3.variables.map(\.shape) == [[784, 512], [512], [512, 512], [512], [512, 10], [10]])
    }

    @Test("DANN: the loss is source cross-entropy plus domain logistic loss")
    func dannLoss() throws {
        let training = DANNStepTraining(inputSize: 5, featureSizes: [4, 3], classes: 3, domainHidden: 2, batch: 4, dtype: .float64)
        #expect(training.domainLabels.scalars(as: Double.self) == [0, 0, 0, 0, 1, 1, 1, 1])
        let features = training.features.layers.map { Affine($0 as! Dense) }
        let label = Affine(training.labelHead)
        let domain = training.domainHead.layers.dropFirst().map { Affine($0 as! Dense) }
        let relu = { (v: [Double]) in v.map { max($0, 0) } }
        let extract = { (x: [Double]) in relu(features[1](relu(features[0](x)))) }
        let source = rows(training.source), target = rows(training.target)
        #expect(isClose(target[1][2], cos(0.37 * 7 + 1), relative: 1e-15))
        let labelLoss = source.indices.reduce(0.0) {
            $0 + crossEntropy(label(extract(source[$1])), label: training.sourceLabels[$1])
        } / 4
        let domainLoss = (source + target).enumerated().reduce(0.0) { total, row in
            total + logisticLoss(domain[1](relu(domain[0](extract(row.element))))[0], label: row.offset < 4 ? 0 : 1)
        } / 8
        let (loss, _) = try training.lossAndGradients()
        #expect(isClose(loss.scalar(as: Double.self), labelLoss + domainLoss, relative: 1e-12))
    }

    @Test("DANN: features get ∇(label − domain), heads ∇ of their own loss (finite differences)")
    func dannReversal() throws {
        let training = DANNStepTraining(inputSize: 5, featureSizes: [4, 3], classes: 3, domainHidden: 2, batch: 4, dtype: .float64)
        let (_, gradients) = try training.lossAndGradients()
        let featureVariables = training.features.trainableVariables.count
        // Finite differences of label loss − domain loss for a feature weight, of the sum
        // for a domain-head weight.
        func lossParts() -> (label: Double, domain: Double) {
            withoutRecording {
                let batch = training.source.shape[0]
                let extracted = training.features(concat([training.source, training.target], axis: 0))
                let label = softmaxCrossEntropy(logits: training.labelHead(extracted.slice(0..<batch)), labels: training.sourceLabels)
                let domain = binaryCrossEntropy(logits: training.domainHead(extracted), labels: training.domainLabels)
                return (label.scalar(as: Double.self), domain.scalar(as: Double.self))
            }
        }
        for (index, sign) in [(0, -1.0), (featureVariables + 2, 1.0)] {
            let variable = training.variables[index]
            let start = variable.value.scalars(as: Double.self)
            let numeric = finiteDifferences({ point in
                variable.assign(Tensor(point, shape: variable.shape))
                let parts = lossParts()
                return parts.label + sign * parts.domain
            }, at: start)
            variable.assign(Tensor(start, shape: variable.shape))
            let analytic = gradients[index]!.scalars(as: Double.self)
            #expect(zip(analytic, numeric).allSatisfy { isClose($0, $1, absolute: 1e-7) }, "variable \(index)")
        }
    }

    @Test("DANN: a step is one SGD step with momentum (the first is θ − 0.01·g)")
    func dannStep() throws {
        let training = DANNStepTraining(inputSize: 5, featureSizes: [4, 3], classes: 3, domainHidden: 2, batch: 4, dtype: .float64)
        #expect(training.optimizer.momentum == 0.9 && training.optimizer.learningRate == 0.01)
        try expectFirstStepIsSGD(training)
    }
}
