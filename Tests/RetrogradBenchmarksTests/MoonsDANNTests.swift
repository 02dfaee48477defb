import Foundation
import RetrogradBenchmarks
import RetrogradNN
import RetrogradTestSupport
import Testing

@Suite("W8: the two-moons DANN protocol, one example per domain per step")
struct MoonsDANNTests {
    @Test("the data: moons with a sin jitter, the target rotated 35° about the source mean")
    func data() {
        let data = MoonsDANNData()
        #expect(data.source.count == 300 && data.target.count == 300)
        #expect(data.labels.prefix(4) == [0, 1, 0, 1] && data.labels.last == 1)
        // Point 0 is the upper moon's start (1, 0), point 299 the lower moon's end (2, 0.5).
        #expect(data.source[0][0] == 1 + 0.05 * sin(1) && isClose(data.source[0][1], 0.05 * sin(1.37), absolute: 1e-15))
        #expect(isClose(data.source[299][0], 2 + 0.05 * sin(0.37 * 598 + 1), absolute: 1e-15))
        #expect(isClose(data.source[299][1], 0.5 + 0.05 * sin(0.37 * 599 + 1), absolute: 1e-15))
        let mean = [0, 1].map { axis in data.source.reduce(0) { $0 + $1[axis] } / 300 }
        #expect(zip(mean, data.sourceMean).allSatisfy { isClose($0, $1, absolute: 1e-14) })
        // Rotating target 0 back by 35° about the mean gives moon point 0 with the cos jitter.
        let angle = -35 * Double.pi / 180
        let (u, v) = (data.target[0][0] - mean[0], data.target[0][1] - mean[1])
        let back = [cos(angle) * u - sin(angle) * v + mean[0], sin(angle) * u + cos(angle) * v + mean[1]]
        #expect(isClose(back[0], 1 + 0.05 * cos(1), absolute: 1e-14) && isClose(back[1], 0.05 * cos(1.37), absolute: 1e-14))
        #expect(Set((0..<300).map(MoonsDANNData.targetIndex)) == Set(0..<300))
        #expect(MoonsDANNData.targetIndex(0) == 29 && MoonsDANNData.targetIndex(2) == 255)
    }

    @Test("the initial weights: sin and cos in Glorot's range, the domain head and biases zero")
    func initialWeights() {
        let training = MoonsDANNTraining(dtype: .float64)
        let bound = (6.0 / 17).squareRoot()
        #expect(training.variables.map(\.shape) == [[2, 15], [15], [15, 2], [2], [15, 1], [1]])
        let feature = training.features.weight.value.scalars(as: Double.self)
        #expect(isClose(feature[15 + 3], bound * sin(0.37 * 18 + 1), absolute: 1e-15))
        let label = training.labelHead.weight.value.scalars(as: Double.self)
        #expect(isClose(label[2 * 7 + 1], bound * cos(0.37 * 15 + 1), absolute: 1e-15))
        for index in [1, 3, 4, 5] {
            #expect(training.variables[index].value.scalars(as: Double.self).allSatisfy { $0 == 0 })
        }
        #expect(training.optimizer.momentum == 0 && training.optimizer.learningRate == 0.05)
        #expect(training.reversal.scale == 6)
    }

    @Test("the first loss: cross-entropy of the source example plus 2·log 2 (a zero domain head)")
    func firstLoss() throws {
        let training = MoonsDANNTraining(dtype: .float64)
        let data = MoonsDANNData()
        let hand = HandMoonsDANN(training)
        let logits = Affine(training.labelHead)(hand.hidden(data.source[0]))
        let (loss, _) = try training.lossAndGradients()
        #expect(isClose(loss.scalar(as: Double.self), crossEntropy(logits, label: 0) + 2 * log(2), relative: 1e-13))
    }

    @Test("gradients: the hand-derived ones, the features' domain part reversed and scaled by 6")
    func gradients() throws {
        let training = MoonsDANNTraining(dtype: .float64)
        try training.run(steps: 7)
        // A domain head far from zero, so that the reversed path carries weight.
        training.domainHead.weight.assign(Tensor((0..<15).map { 0.3 * cos(Double($0)) }, shape: [15, 1]))
        training.domainHead.bias!.assign(Tensor([-0.2] as [Double], shape: [1]))
        let data = MoonsDANNData()
        let expected = HandMoonsDANN(training).lossAndGradients(
            source: data.source[7], label: data.labels[7], target: data.target[MoonsDANNData.targetIndex(7)])
        let (loss, gradients) = try training.lossAndGradients()
        #expect(isClose(loss.scalar(as: Double.self), expected.loss, relative: 1e-13))
        for (index, gradient) in gradients.enumerated() {
            let values = try #require(gradient).scalars(as: Double.self)
            #expect(zip(values, expected.gradients[index]).allSatisfy { isClose($0, $1, absolute: 1e-13) }, "variable \(index)")
        }
    }

    @Test("an epoch: 300 plain SGD steps over the pairs in order, as the hand-derived reference takes them")
    func epoch() throws {
        let training = MoonsDANNTraining(dtype: .float64)
        let data = MoonsDANNData()
        var hand = HandMoonsDANN(training)
        var handLoss = 0.0, loss = 0.0
        for i in 0..<300 {
            let step = hand.lossAndGradients(
                source: data.source[i], label: data.labels[i], target: data.target[MoonsDANNData.targetIndex(i)])
            hand.parameters = zip(hand.parameters, step.gradients).map { zip($0, $1).map { $0 - 0.05 * $1 } }
            handLoss += step.loss
            loss += try training.step().scalar(as: Double.self)
        }
        #expect(training.stepCount == 300)
        #expect(isClose(loss, handLoss, relative: 1e-12))
        for (index, variable) in training.variables.enumerated() {
            let values = variable.value.scalars(as: Double.self)
            #expect(zip(values, hand.parameters[index]).allSatisfy { isClose($0, $1, absolute: 1e-11) }, "variable \(index)")
        }
        // The benchmark's float32 training follows the same path to float32 rounding.
        let single = MoonsDANNTraining()
        var singleLoss = 0.0
        for _ in 0..<300 { singleLoss += try single.step().scalar(as: Double.self) }
        #expect(isClose(singleLoss / 300, handLoss / 300, relative: 1e-5))
    }

    @Test("the quick suite reports W8 in µs/step and its 150,000-step estimate, and no real run")
    func quickSuite() throws {
        let results = try BenchmarkSuite(workloads: [.w8], plan: .quick).measure(.w8)
        #expect(results.map(\.id) == ["W8", "W8.run-estimate"])
        let (perStep, estimate) = (results[0], results[1])
        #expect(perStep.unit == .microsecondsPerStep && estimate.unit == .seconds && estimate.better == .lower)
        #expect(perStep.samples.count == 3 && perStep.samples.allSatisfy { $0 > 0 })
        #expect(zip(estimate.samples, perStep.samples).allSatisfy { isClose($0, $1 * 0.15, relative: 1e-12) })
        #expect(perStep.note?.contains("first epoch (300 steps from the initial weights): mean loss") == true)
        #expect(perStep.note?.hasSuffix("3 repeats of 300 steps") == true)
        #expect(estimate.note?.hasSuffix("no W8.run with --quick") == true)
    }
}

/// W8's network in plain `Double`s, with its gradient derived by hand:
/// h = σ(x·W1 + b1) for the source and the target example, logits = h_s·W2 + b2,
/// domain logits d = h·w3 + b3, loss = CE(logits, y) + softplus(d_s) + softplus(d_t) − d_t.
struct HandMoonsDANN {
    var features: Affine
    var label: Affine
    var domain: Affine
    let lambda = 6.0

    init(_ training: MoonsDANNTraining) {
        features = Affine(training.features)
        label = Affine(training.labelHead)
        domain = Affine(training.domainHead)
    }

    /// The layers' parameters in the order of `MoonsDANNTraining.variables`.
    var parameters: [[Double]] {
        get {
            [features, label, domain].flatMap { [$0.weight.flatMap { $0 }, $0.bias] }
        }
        set {
            features.parameters = newValue[0] + newValue[1]
            label.parameters = newValue[2] + newValue[3]
            domain.parameters = newValue[4] + newValue[5]
        }
    }

    func hidden(_ x: [Double]) -> [Double] {
        features(x).map { 1 / (1 + exp(-$0)) }
    }

    /// The loss and its gradient, aligned with ``parameters``.
    func lossAndGradients(source: [Double], label y: Int, target: [Double]) -> (loss: Double, gradients: [[Double]]) {
        let (hs, ht) = (hidden(source), hidden(target))
        let logits = label(hs)
        let (ds, dt) = (domain(hs)[0], domain(ht)[0])
        let loss = crossEntropy(logits, label: y) + logisticLoss(ds, label: 0) + logisticLoss(dt, label: 1)
        let sigmoid = { (x: Double) in 1 / (1 + exp(-x)) }
        let total = logits.reduce(0) { $0 + exp($1) }
        let gLogits = logits.indices.map { exp(logits[$0]) / total - ($0 == y ? 1 : 0) }
        let (es, et) = (sigmoid(ds), sigmoid(dt) - 1)
        let w3 = domain.weight.map { $0[0] }
        // The domain gradient reaches the features through the reversal: × −λ.
        let ghs = (0..<15).map { i in
            (0..<2).reduce(0) { $0 + gLogits[$1] * label.weight[i][$1] } - lambda * es * w3[i]
        }
        let ght = (0..<15).map { -lambda * et * w3[$0] }
        let gzs = (0..<15).map { ghs[$0] * hs[$0] * (1 - hs[$0]) }
        let gzt = (0..<15).map { ght[$0] * ht[$0] * (1 - ht[$0]) }
        let gW1 = (0..<2).flatMap { r in (0..<15).map { source[r] * gzs[$0] + target[r] * gzt[$0] } }
        let gb1 = (0..<15).map { gzs[$0] + gzt[$0] }
        let gW2 = (0..<15).flatMap { i in (0..<2).map { hs[i] * gLogits[$0] } }
        let gw3 = (0..<15).map { hs[$0] * es + ht[$0] * et }
        return (loss, [gW1, gb1, gW2, gLogits, gw3, [es + et]])
    }
}
