import Foundation
import RetrogradNN
import RetrogradOptimizers

/// W8: domain-adversarial training on the two moons as Ganin et al. (JMLR 2016, §5.1.1)
/// run it, one source and one target example per SGD step.
///
/// The network is 2-15-2: features `Dense` 2 → 15 with a sigmoid; a label head 15 → 2
/// (softmax cross-entropy on the source example); a logistic domain head 15 → 1 behind a
/// `GradientReversal` of fixed scale λ = 6. A step concatenates the source and the target
/// example into one `[2, 2]` batch, takes
///
///     loss = CE(label head(h_s), y_s) + BCE(domain logit of h_s, 0) + BCE(domain logit of h_t, 1)
///
/// (the two BCE terms summed, not averaged) on a fresh `GradientTape`, and applies plain
/// SGD (learning rate 0.05, no momentum). The examples come from ``MoonsDANNData``: step s
/// uses source point s mod 300 and target point `MoonsDANNData.targetIndex(s mod 300)`.
///
/// Initial weights, the same floats in every framework: the feature weight is
/// `MoonsDANNData.glorotRangeWeight(rows: 2, columns: 15, sin)`, the label head's
/// `glorotRangeWeight(rows: 15, columns: 2, cos)`; the domain head and every bias are zero.
public final class MoonsDANNTraining {
    /// The hidden layer's width.
    public static let hiddenSize = 15
    /// The number of classes.
    public static let classCount = 2
    /// SGD's learning rate.
    public static let learningRate = 0.05
    /// The gradient reversal scale λ, fixed for the benchmark.
    public static let reversalScale = 6.0
    /// The epochs of the paper's run.
    public static let epochs = 500
    /// The steps of a full run: 500 epochs of 300 steps.
    public static var fullRunSteps: Int { epochs * MoonsDANNData.exampleCount }

    /// G_f: 2 → 15, sigmoid.
    public let features: Dense
    /// G_y: 15 → 2, logits.
    public let labelHead: Dense
    /// The reversal in front of the domain head, scale λ = 6.
    public let reversal: GradientReversal
    /// G_d: 15 → 1, the domain logit (positive means "target").
    public let domainHead: Dense
    /// Plain SGD.
    public let optimizer: SGD
    /// Every trainable variable: features, label head, domain head (weight, then bias, each).
    public let variables: [Variable]
    /// The steps taken so far; the next step uses the pair of position `stepCount mod 300`.
    public private(set) var stepCount = 0

    /// The source points as `[1, 2]` tensors, made once (no data loading is timed).
    private let sources: [Tensor]
    /// The target points as `[1, 2]` tensors, in the order the steps use them.
    private let targets: [Tensor]
    private let labels: [Int]
    /// `[[0], [1]]`: the source row's domain, then the target row's.
    private let domains: Tensor

    /// A fresh training at the initial weights, its tensors of element type `dtype`.
    public init(data: MoonsDANNData = MoonsDANNData(), dtype: DType = .float32) {
        let hidden = Self.hiddenSize, classes = Self.classCount
        features = Dense(
            inputSize: 2, outputSize: hidden, activation: .sigmoid, weightInitializer: .zeros, dtype: dtype, seed: 0)
        features.weight.assign(
            Tensor(MoonsDANNData.glorotRangeWeight(rows: 2, columns: hidden, sin), shape: [2, hidden]).cast(to: dtype))
        labelHead = Dense(inputSize: hidden, outputSize: classes, weightInitializer: .zeros, dtype: dtype, seed: 0)
        labelHead.weight.assign(
            Tensor(MoonsDANNData.glorotRangeWeight(rows: hidden, columns: classes, cos), shape: [hidden, classes])
                .cast(to: dtype))
        reversal = GradientReversal(scale: Self.reversalScale)
        domainHead = Dense(inputSize: hidden, outputSize: 1, weightInitializer: .zeros, dtype: dtype, seed: 0)
        optimizer = SGD(learningRate: Self.learningRate)
        variables = features.trainableVariables + labelHead.trainableVariables + domainHead.trainableVariables
        let row = { (point: [Double]) in Tensor(point, shape: [1, 2]).cast(to: dtype) }
        sources = data.source.map(row)
        targets = (0..<MoonsDANNData.exampleCount).map { row(data.target[MoonsDANNData.targetIndex($0)]) }
        labels = data.labels
        domains = Tensor([0.0, 1.0] as [Double], shape: [2, 1]).cast(to: dtype)
    }

    /// The loss of the pair at `position` (0..<300), recorded by whatever tapes are active.
    public func loss(at position: Int) -> Tensor {
        let hidden = features(concat([sources[position], targets[position]], axis: 0))
        let labelLoss = softmaxCrossEntropy(logits: labelHead(hidden.slice(0..<1)), labels: [labels[position]])
        let domainLoss = binaryCrossEntropy(logits: domainHead(reversal(hidden)), labels: domains, reduction: .sum)
        return labelLoss + domainLoss
    }

    /// The next step's loss and its gradients with respect to ``variables``, on a fresh
    /// tape, without updating anything or advancing.
    public func lossAndGradients() throws -> (loss: Tensor, gradients: [Tensor?]) {
        let position = stepCount % MoonsDANNData.exampleCount
        let tape = GradientTape()
        let loss = tape.record { self.loss(at: position) }
        return (loss, try tape.gradient(of: loss, wrt: variables))
    }

    /// One step: forward and backward on a fresh tape, the SGD update, on to the next pair.
    /// Returns the loss before the update.
    @discardableResult
    public func step() throws -> Tensor {
        let (loss, gradients) = try lossAndGradients()
        optimizer.apply(gradients: gradients, to: variables)
        stepCount += 1
        return loss
    }

    /// Takes `count` steps.
    public func run(steps count: Int) throws {
        for _ in 0..<count { try step() }
    }
}
