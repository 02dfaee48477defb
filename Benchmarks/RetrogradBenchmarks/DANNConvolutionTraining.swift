import RetrogradNN
import RetrogradOptimizers

/// W9: one step of domain-adversarial training (DANN) of the paper's MNIST network on
/// 28×28 colour images.
///
/// The network of Ganin et al. for MNIST → MNIST-M, built from the library's layers as a
/// user would: a feature extractor of two 5×5 'valid' convolutions, 3 → 32 and 32 → 48
/// channels, each followed by ReLU and 2×2 max pooling (28 → 24 → 12 → 8 → 4), flattened to
/// 4·4·48 = 768 features; a label head 768 → 100 → 100 → 10 (ReLU between) with softmax
/// cross-entropy on the source images; a domain head behind `GradientReversal(scale: 1)`,
/// 768 → 100 (ReLU) → 1, with binary cross-entropy on all images (source 0, target 1). The
/// loss is the sum of the two mean losses; SGD with learning rate 0.01 and momentum 0.9.
///
/// The 64 source images are ``BenchmarkData/sineInputs(rows:columns:dtype:)`` and the 64
/// target images ``BenchmarkData/cosineInputs(rows:columns:dtype:)``, one row of
/// 28·28·3 values per image read as NHWC; they are concatenated and go through the feature
/// extractor together. Weights are Glorot uniform (a convolution's fans as Keras computes
/// them), biases zero: the layers' defaults.
public final class DANNConvolutionTraining: DANNStepWorkload {
    /// The convolutions, poolings and the flattening.
    public let features: Sequential
    /// The label classifier on the features.
    public let labelHead: Sequential
    /// The gradient reversal and the domain classifier.
    public let domainHead: Sequential
    /// The source images, `[batch, size, size, channels]`.
    public let source: Tensor
    /// The target images, `[batch, size, size, channels]`.
    public let target: Tensor
    /// The source labels, i mod classes.
    public let sourceLabels: [Int]
    /// 0 for each source image, then 1 for each target image, `[2·batch, 1]`.
    public let domainLabels: Tensor
    /// SGD with momentum.
    public let optimizer: SGD
    /// Every trainable variable: features, label head, domain head.
    public let variables: [Variable]

    /// A DANN model of the paper's MNIST shape; the defaults are W9's sizes.
    ///
    /// - Parameters:
    ///   - imageSize: The images' height and width.
    ///   - channels: The images' channels.
    ///   - filters: The output channels of the two convolutions.
    ///   - window: The convolutions' window height and width.
    ///   - labelHidden: The hidden layers of the label head.
    ///   - classes: The label head's outputs.
    ///   - domainHidden: The hidden layer of the domain head.
    ///   - batch: The images per domain.
    ///   - dtype: The element type of the data and the variables.
    ///   - seed: The first layer's seed; each later layer takes the next.
    public init(
        imageSize: Int = 28, channels: Int = 3, filters: (Int, Int) = (32, 48), window: Int = 5,
        labelHidden: [Int] = [100, 100], classes: Int = 10, domainHidden: Int = 100, batch: Int = 64,
        dtype: DType = .float32, seed: UInt64 = 0
    ) {
        let first = (imageSize - window + 1) / 2
        let second = (first - window + 1) / 2
        precondition(second >= 1, "DANNConvolutionTraining: \(imageSize)×\(imageSize) images are too small for two \(window)×\(window) convolutions and 2×2 poolings")
        features = Sequential(
            Conv2D(inputChannels: channels, filters: filters.0, kernelSize: (window, window), activation: .relu, dtype: dtype, seed: seed),
            MaxPool2D(windowSize: (2, 2)),
            Conv2D(inputChannels: filters.0, filters: filters.1, kernelSize: (window, window), activation: .relu, dtype: dtype, seed: seed + 1),
            MaxPool2D(windowSize: (2, 2)),
            Flatten())
        let featureSize = second * second * filters.1
        labelHead = multilayerPerceptron(
            [featureSize] + labelHidden + [classes], activation: .relu, dtype: dtype, seed: seed + 2)
        let next = seed + 2 + UInt64(labelHidden.count + 1)
        domainHead = Sequential(
            GradientReversal(scale: 1),
            Dense(inputSize: featureSize, outputSize: domainHidden, activation: .relu, dtype: dtype, seed: next),
            Dense(inputSize: domainHidden, outputSize: 1, dtype: dtype, seed: next + 1))
        let pixels = imageSize * imageSize * channels
        source = BenchmarkData.sineInputs(rows: batch, columns: pixels, dtype: dtype)
            .reshaped(to: [batch, imageSize, imageSize, channels])
        target = BenchmarkData.cosineInputs(rows: batch, columns: pixels, dtype: dtype)
            .reshaped(to: [batch, imageSize, imageSize, channels])
        sourceLabels = BenchmarkData.labels(count: batch, classes: classes)
        domainLabels = BenchmarkData.domainLabels(batch: batch, dtype: dtype)
        optimizer = SGD(learningRate: 0.01, momentum: 0.9)
        variables = features.trainableVariables + labelHead.trainableVariables + domainHead.trainableVariables
    }
}
