import Testing
@testable import RetrogradNN
import RetrogradTestSupport

// BatchNorm against a reference written here with plain loops over [values, channels]:
// the batch statistics in training, the running statistics (PyTorch's momentum and
// unbiased update) and their use in inference, and derivatives to second order.

/// Per-channel statistics of `values` laid out as rows of `channels`, computed by loops.
private func channelStatistics(_ values: [Double], channels: Int) -> (mean: [Double], biased: [Double], unbiased: [Double]) {
    let n = values.count / channels
    var mean = [Double](repeating: 0, count: channels)
    for (i, v) in values.enumerated() { mean[i % channels] += v / Double(n) }
    var squares = [Double](repeating: 0, count: channels)
    for (i, v) in values.enumerated() { squares[i % channels] += (v - mean[i % channels]) * (v - mean[i % channels]) }
    return (mean, squares.map { $0 / Double(n) }, squares.map { $0 / Double(n - 1) })
}

/// (x − μ) / √(σ² + ε) · γ + β per element, channels last.
private func normalized(
    _ values: [Double], mean: [Double], variance: [Double], gamma: [Double], beta: [Double], epsilon: Double
) -> [Double] {
    values.enumerated().map { i, v in
        let c = i % mean.count
        return (v - mean[c]) / (variance[c] + epsilon).squareRoot() * gamma[c] + beta[c]
    }
}

/// A batch of 2 × 2 × 3 values with 3 channels, not centred and of different spreads.
private let batch: [Double] = [0.5, -1.2, 3, 1.5, 0.3, 2.2, -0.7, 0.9, 4.1, 2.4, -0.1, 2.9, 0.1, 1.1, 3.3, -1, 0.4, 5]

private func makeLayer(momentum: Double = 0.1, affine: Bool = true) -> BatchNorm {
    let layer = BatchNorm(featureCount: 3, momentum: momentum, epsilon: 1e-3, affine: affine, dtype: .float64)
    layer.scale?.assign(doubles([1.5, -0.5, 2]))
    layer.offset?.assign(doubles([0.1, 0.2, -0.3]))
    return layer
}

@Suite struct BatchNormTests {
    @Test func trainingNormalizesWithTheBatchStatistics() {
        let layer = makeLayer()
        let y = layer(doubles(batch, shape: [3, 2, 3]))
        let stats = channelStatistics(batch, channels: 3)
        let expected = normalized(batch, mean: stats.mean, variance: stats.biased, gamma: [1.5, -0.5, 2], beta: [0.1, 0.2, -0.3], epsilon: 1e-3)
        #expect(y.shape == [3, 2, 3])
        #expect(allClose(values(y), expected, tolerance: 1e-12), "\(values(y))")
    }

    /// Two training calls: running ← (1 − m)·running + m·batch, from mean 0 and variance 1,
    /// with the unbiased variance (PyTorch).
    @Test func runningStatisticsFollowPyTorchsMomentumAndUnbiasedVariance() {
        let layer = makeLayer(momentum: 0.25)
        let second = batch.map { $0 * 0.5 + 1 }
        _ = layer(doubles(batch, shape: [6, 3]))
        _ = layer(doubles(second, shape: [6, 3]))
        var mean = [0.0, 0, 0], variance = [1.0, 1, 1]
        for values in [batch, second] {
            let stats = channelStatistics(values, channels: 3)
            mean = zip(mean, stats.mean).map { 0.75 * $0 + 0.25 * $1 }
            variance = zip(variance, stats.unbiased).map { 0.75 * $0 + 0.25 * $1 }
        }
        #expect(allClose(values(layer.runningMean.value), mean, tolerance: 1e-12))
        #expect(allClose(values(layer.runningVariance.value), variance, tolerance: 1e-12))
    }

    @Test func inferenceUsesTheRunningStatisticsAndLeavesThemAlone() {
        let layer = makeLayer(momentum: 0.5)
        _ = layer(doubles(batch, shape: [6, 3]))
        let (mean, variance) = (values(layer.runningMean.value), values(layer.runningVariance.value))
        layer.isTraining = false
        let x: [Double] = [1, 2, 3, -1, 0, 0.5]
        let y = layer(doubles(x, shape: [2, 3]))
        let expected = normalized(x, mean: mean, variance: variance, gamma: [1.5, -0.5, 2], beta: [0.1, 0.2, -0.3], epsilon: 1e-3)
        #expect(allClose(values(y), expected, tolerance: 1e-12))
        #expect(values(layer.runningMean.value) == mean)
        #expect(values(layer.runningVariance.value) == variance)
        // A single example is fine in inference.
        #expect(layer(doubles([1, 2, 3], shape: [1, 3])).shape == [1, 3])
    }

    @Test func withoutAffineParametersTheOutputIsStandardized() {
        let layer = makeLayer(affine: false)
        #expect(layer.variables.map(\.name) == ["runningMean", "runningVariance"])
        let y = values(layer(doubles(batch, shape: [6, 3])))
        let stats = channelStatistics(y, channels: 3)
        #expect(allClose(stats.mean, [0, 0, 0], absolute: 1e-12))
        // Variance σ²/(σ² + ε) per channel.
        let inputStats = channelStatistics(batch, channels: 3)
        #expect(allClose(stats.biased, inputStats.biased.map { $0 / ($0 + 1e-3) }, tolerance: 1e-12))
    }

    @Test func runningStatisticsAreSavedButNeverTrained() {
        let layer = makeLayer()
        #expect(layer.namedVariables.map(\.name) == ["scale", "offset", "runningMean", "runningVariance"])
        #expect(layer.trainableVariables.map(\.name) == ["scale", "offset"])
        let model = Sequential(Dense(inputSize: 2, outputSize: 3, dtype: .float64, seed: 1), layer)
        model.freeze()
        #expect(model.trainableVariables.isEmpty)
        model.unfreeze()
        #expect(model.trainableVariables.map(\.name) == ["0.weight", "0.bias", "1.scale", "1.offset"])
        #expect(!layer.runningMean.trainable && !layer.runningVariance.trainable)
    }

    /// The gradients through the batch statistics (each output depends on every input of
    /// its channel) and through γ and β, to second order, against finite differences.
    @Test func trainingGradientsMatchFiniteDifferencesToSecondOrder() {
        let layer = makeLayer()
        let x = doubles(batch, shape: [3, 2, 3])
        let report = checkGradients(
            of: { inputs in layer(inputs[0], with: [inputs[1], inputs[2]]).tanh() },
            at: [x, doubles([1.5, -0.5, 2]), doubles([0.1, 0.2, -0.3])], order: 2, tolerance: 1e-6)
        #expect(report.passed, "\(report)")
    }

    @Test func inferenceGradientsMatchFiniteDifferencesToSecondOrder() {
        let layer = makeLayer()
        _ = layer(doubles(batch, shape: [6, 3]))
        layer.isTraining = false
        let report = checkGradients(
            of: { inputs in layer(inputs[0], with: [inputs[1], inputs[2]]).sin() },
            at: [doubles(batch, shape: [6, 3]), doubles([1.5, -0.5, 2]), doubles([0.1, 0.2, -0.3])], order: 2)
        #expect(report.passed, "\(report)")
    }

    @Test func outputSpecDeclaresChannelsLastInputs() throws {
        let layer = BatchNorm(featureCount: 3)
        #expect(try layer.outputSpec(for: TensorSpec(shape: [2, 5, 5, 3], dtype: .float32)) == TensorSpec(shape: [2, 5, 5, 3], dtype: .float32))
        #expect(throws: LayerInputError(layer: "BatchNorm", problem: .featureCount(expected: 3, found: [2, 3, 5]))) {
            try layer.outputSpec(for: TensorSpec(shape: [2, 3, 5], dtype: .float32))
        }
        #expect(throws: LayerInputError(layer: "BatchNorm", problem: .rank(minimum: 2, found: [3]))) {
            try layer.outputSpec(for: TensorSpec(shape: [3], dtype: .float32))
        }
        #expect(throws: LayerInputError(layer: "BatchNorm", problem: .dtype(expected: .float32, found: .float64))) {
            try layer.outputSpec(for: TensorSpec(shape: [2, 3], dtype: .float64))
        }
    }

    @Test func trainingOnOneValuePerChannelStopsWithWhatToDo() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = BatchNorm(featureCount: 3)(Tensor.ones(shape: [1, 3]))
        }
        let message = standardError(result)
        #expect(message.contains("BatchNorm: training needs more than one value per channel"), "\(message)")
        #expect(message.contains("set isTraining = false"), "\(message)")
    }
}
