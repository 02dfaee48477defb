import Foundation
import RetrogradBenchmarks
import RetrogradNN
import RetrogradTestSupport
import Testing

/// W9's network written out in plain loops over `Double`s: 'valid' convolutions, ReLU,
/// 2×2 max pooling, height-width-channel flattening, dense layers, the two losses. The
/// parameters are flat arrays in the order of `DANNConvolutionTraining.variables`.
private struct ReferenceDANN {
    var parameters: [[Double]]
    let shapes: [[Int]]
    let source: [Double], target: [Double]
    let imageShape: (size: Int, channels: Int)
    let labels: [Int]

    init(_ training: DANNConvolutionTraining) {
        parameters = training.variables.map { $0.value.scalars(as: Double.self) }
        shapes = training.variables.map(\.shape.dimensions)
        source = training.source.scalars(as: Double.self)
        target = training.target.scalars(as: Double.self)
        imageShape = (training.source.shape[1], training.source.shape[3])
        labels = training.sourceLabels
    }

    /// One image `[size, size, channels]` (flat) through conv + bias + ReLU with parameters
    /// `p` (filter HWIO) and `p + 1` (bias).
    func convolve(_ x: [Double], size: Int, channels: Int, _ p: Int) -> (values: [Double], size: Int, channels: Int) {
        let (window, outChannels) = (shapes[p][0], shapes[p][3])
        let filter = parameters[p], bias = parameters[p + 1]
        let out = size - window + 1
        var y = [Double](repeating: 0, count: out * out * outChannels)
        for i in 0..<out {
            for j in 0..<out {
                for o in 0..<outChannels {
                    var sum = bias[o]
                    for di in 0..<window {
                        for dj in 0..<window {
                            for c in 0..<channels {
                                let pixel = x[((i + di) * size + (j + dj)) * channels + c]
                                sum += pixel * filter[((di * window + dj) * channels + c) * outChannels + o]
                            }
                        }
                    }
                    y[(i * out + j) * outChannels + o] = max(sum, 0)
                }
            }
        }
        return (y, out, outChannels)
    }

    /// 2×2 max pooling with stride 2, dropping an odd last row or column.
    func pool(_ x: [Double], size: Int, channels: Int) -> (values: [Double], size: Int) {
        let out = size / 2
        var y = [Double](repeating: 0, count: out * out * channels)
        for i in 0..<out {
            for j in 0..<out {
                for c in 0..<channels {
                    let cells = [(0, 0), (0, 1), (1, 0), (1, 1)].map { x[((2 * i + $0) * size + 2 * j + $1) * channels + c] }
                    y[(i * out + j) * channels + c] = cells.max()!
                }
            }
        }
        return (y, out)
    }

    /// x · W + b for the dense layer whose weight is parameter `p`, ReLU if asked.
    func dense(_ x: [Double], _ p: Int, relu: Bool) -> [Double] {
        let (inputs, outputs) = (shapes[p][0], shapes[p][1])
        return (0..<outputs).map { o in
            let value = (0..<inputs).reduce(parameters[p + 1][o]) { $0 + x[$1] * parameters[p][$1 * outputs + o] }
            return relu ? max(value, 0) : value
        }
    }

    /// The 768-style feature vector of one image (flattened height, width, channel).
    func features(_ image: [Double]) -> [Double] {
        let first = convolve(image, size: imageShape.size, channels: imageShape.channels, 0)
        let pooled = pool(first.values, size: first.size, channels: first.channels)
        let second = convolve(pooled.values, size: pooled.size, channels: first.channels, 2)
        return pool(second.values, size: second.size, channels: second.channels).values
    }

    /// The mean cross-entropy on the source images and the mean logistic loss on all.
    func losses() -> (label: Double, domain: Double) {
        let pixels = imageShape.size * imageShape.size * imageShape.channels
        let batch = labels.count
        let images = (0..<batch).map { Array(source[($0 * pixels)..<(($0 + 1) * pixels)]) }
            + (0..<batch).map { Array(target[($0 * pixels)..<(($0 + 1) * pixels)]) }
        var label = 0.0, domain = 0.0
        for (index, image) in images.enumerated() {
            let f = features(image)
            if index < batch {
                let logits = dense(dense(dense(f, 4, relu: true), 6, relu: true), 8, relu: false)
                label += crossEntropy(logits, label: labels[index])
            }
            let logit = dense(dense(f, 10, relu: true), 12, relu: false)[0]
            domain += logisticLoss(logit, label: index < batch ? 0 : 1)
        }
        return (label / Double(batch), domain / Double(2 * batch))
    }
}

@Suite("W9: a DANN step of the paper's MNIST CNN")
struct DANNConvolutionTests {
    /// 14×14×2 images, 3×3 convolutions to 3 and 4 channels (14 → 12 → 6 → 4 → 2, 16
    /// features), label head 16 → 5 → 4 → 3, domain head 16 → 4 → 1, 2 + 2 images, float64.
    static func small() -> DANNConvolutionTraining {
        DANNConvolutionTraining(
            imageSize: 14, channels: 2, filters: (3, 4), window: 3, labelHidden: [5, 4], classes: 3, domainHidden: 4,
            batch: 2, dtype: .float64, seed: 7)
    }

    @Test("W9 has the paper's shapes: 28×28×3 NHWC images, 768 features, 100-100-10 and 100-1 heads")
    func shapes() {
        let training = DANNConvolutionTraining()
        #expect(training.source.shape == [64, 28, 28, 3] && training.target.shape == [64, 28, 28, 3])
        #expect(training.source.dtype == .float32)
        #expect(training.variables.map(\.shape.dimensions) == [
            [5, 5, 3, 32], [32], [5, 5, 32, 48], [48],
            [768, 100], [100], [100, 100], [100], [100, 10], [10],
            [768, 100], [100], [100, 1], [1],
        ])
        #expect(training.optimizer.learningRate == 0.01 && training.optimizer.momentum == 0.9)
        #expect(training.domainLabels.shape == [128, 1])
        // Image 1's pixel (2, 3), channel 1 is row 1's element (2·28 + 3)·3 + 1 of sin(0.37·k + 1).
        let element = 1 * 2352 + (2 * 28 + 3) * 3 + 1
        #expect(training.source.scalars(as: Float.self)[element] == Float(sin(0.37 * Double(element) + 1)))
    }

    @Test("the loss is the plain-loop network's: label cross-entropy plus domain logistic loss")
    func loss() throws {
        let training = Self.small()
        let reference = ReferenceDANN(training)
        let (label, domain) = reference.losses()
        let (loss, gradients) = try training.lossAndGradients()
        #expect(isClose(loss.scalar(as: Double.self), label + domain, relative: 1e-12))
        #expect(gradients.count == 14 && gradients.allSatisfy { $0 != nil })
        // Small random logits: near ln 3 + ln 2.
        #expect(abs(label + domain - (log(3) + log(2))) < 0.5)
    }

    @Test("gradients match central differences: features get ∇(label − domain), each head ∇ of its loss")
    func gradients() throws {
        let training = Self.small()
        let (_, gradients) = try training.lossAndGradients()
        let reference = ReferenceDANN(training)
        let featureVariables = training.features.trainableVariables.count
        #expect(featureVariables == 4)
        // A sample of each variable: first, middle and last elements.
        for (variable, values) in reference.parameters.enumerated() {
            let sign = variable < featureVariables ? -1.0 : 1.0
            let analytic = try #require(gradients[variable]).scalars(as: Double.self)
            for element in Set([0, values.count / 2, values.count - 1]) {
                let h = 1e-6
                var plus = reference, minus = reference
                plus.parameters[variable][element] += h
                minus.parameters[variable][element] -= h
                let (lp, dp) = plus.losses(), (lm, dm) = minus.losses()
                let numeric = ((lp + sign * dp) - (lm + sign * dm)) / (2 * h)
                #expect(
                    isClose(analytic[element], numeric, absolute: 1e-7, relative: 1e-5),
                    "variable \(variable) element \(element): \(analytic[element]) vs \(numeric)")
            }
        }
    }

    @Test("a step is one SGD step with momentum (the first is θ − 0.01·g)")
    func step() throws {
        let training = Self.small()
        try expectFirstStepIsSGD(training)
    }
}
