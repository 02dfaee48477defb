import RetrogradNN
import RetrogradOptimizers

/// W5: one step of domain-adversarial training (DANN) with a gradient reversal layer.
///
/// Features 784 → 256 → 128 (ReLU on both); a label head 128 → 10 with softmax
/// cross-entropy on the source rows; a domain head behind `GradientReversal(scale: 1)`,
/// 128 → 64 (ReLU) → 1, with binary cross-entropy on all rows (source 0, target 1). The
/// 64 source rows (``BenchmarkData/sineInputs(rows:columns:dtype:)``) and 64 target rows
/// (``BenchmarkData/cosineInputs(rows:columns:dtype:)``) are concatenated and go through
/// the feature extractor together; the loss is the sum of the two mean losses; SGD with
/// learning rate 0.01 and momentum 0.9.
public final class DANNStepTraining: DANNStepWorkload {
    /// The feature extractor.
    public let features: Sequential
    /// The label classifier on the features.
    public let labelHead: Dense
    /// The gradient reversal and the domain classifier.
    public let domainHead: Sequential
    /// The source rows.
    public let source: Tensor
    /// The target rows.
    public let target: Tensor
    /// The source labels, i mod classes.
    public let sourceLabels: [Int]
    /// 0 for each source row, then 1 for each target row, `[2·batch, 1]`.
    public let domainLabels: Tensor
    /// SGD with momentum.
    public let optimizer: SGD
    /// Every trainable variable: features, label head, domain head.
    public let variables: [Variable]

    /// A DANN model; the defaults are W5's sizes.
    public init(
        inputSize: Int = 784, featureSizes: [Int] = [256, 128], classes: Int = 10, domainHidden: Int = 64,
        batch: Int = 64, dtype: DType = .float32, seed: UInt64 = 0
    ) {
        features = multilayerPerceptron(
            [inputSize] + featureSizes, activation: .relu, finalActivation: .relu, dtype: dtype, seed: seed)
        let featureSize = featureSizes.last!
        let next = seed + UInt64(featureSizes.count)
        labelHead = Dense(inputSize: featureSize, outputSize: classes, dtype: dtype, seed: next)
        domainHead = Sequential(
            GradientReversal(scale: 1),
            Dense(inputSize: featureSize, outputSize: domainHidden, activation: .relu, dtype: dtype, seed: next + 1),
            Dense(inputSize: domainHidden, outputSize: 1, dtype: dtype, seed: next + 2))
        source = BenchmarkData.sineInputs(rows: batch, columns: inputSize, dtype: dtype)
        target = BenchmarkData.cosineInputs(rows: batch, columns: inputSize, dtype: dtype)
        sourceLabels = BenchmarkData.labels(count: batch, classes: classes)
        domainLabels = BenchmarkData.domainLabels(batch: batch, dtype: dtype)
        optimizer = SGD(learningRate: 0.01, momentum: 0.9)
        variables = features.trainableVariables + labelHead.trainableVariables + domainHead.trainableVariables
    }
}
