import RetrogradNN
import RetrogradOptimizers

/// What W5 and W9 share: one step of domain-adversarial training (DANN) on a fixed batch.
///
/// The source and target rows are concatenated and go through ``features`` together; the
/// label head sees the source rows' features (softmax cross-entropy against
/// ``sourceLabels``), the domain head, which starts with a gradient reversal, all of them
/// (binary cross-entropy against ``domainLabels``). The loss is the sum of the two mean
/// losses; the step is ``optimizer``'s. Only the networks differ between the workloads.
public protocol DANNStepWorkload: TrainingStep {
    associatedtype Features: Layer
    associatedtype LabelHead: Layer
    associatedtype DomainHead: Layer

    /// The feature extractor.
    var features: Features { get }
    /// The label classifier on the features.
    var labelHead: LabelHead { get }
    /// The gradient reversal and the domain classifier.
    var domainHead: DomainHead { get }
    /// The source rows (or images).
    var source: Tensor { get }
    /// The target rows (or images).
    var target: Tensor { get }
    /// The source labels.
    var sourceLabels: [Int] { get }
    /// 0 for each source row, then 1 for each target row, `[2·batch, 1]`.
    var domainLabels: Tensor { get }
    /// SGD with momentum.
    var optimizer: SGD { get }
}

extension DANNStepWorkload {
    /// The summed loss, recorded by whatever tapes are active.
    public func loss() -> Tensor {
        let batch = source.shape[0]
        let extracted = features(concat([source, target], axis: 0))
        let labelLoss = softmaxCrossEntropy(logits: labelHead(extracted.slice(0..<batch)), labels: sourceLabels)
        let domainLoss = binaryCrossEntropy(logits: domainHead(extracted), labels: domainLabels)
        return labelLoss + domainLoss
    }

    /// The loss under a fresh tape and its gradients.
    public func lossAndGradients() throws -> (loss: Tensor, gradients: [Tensor?]) {
        let tape = GradientTape()
        let loss = tape.record { self.loss() }
        return (loss, try tape.gradient(of: loss, wrt: variables))
    }

    /// One step of ``optimizer``.
    public func update(with gradients: [Tensor?]) {
        optimizer.apply(gradients: gradients, to: variables)
    }
}

extension BenchmarkData {
    /// Domain labels for `batch` source rows followed by `batch` target rows: 0 then 1,
    /// `[2·batch, 1]`.
    public static func domainLabels(batch: Int, dtype: DType) -> Tensor {
        concat([Tensor.zeros(shape: [batch, 1], dtype: dtype), Tensor.ones(shape: [batch, 1], dtype: dtype)], axis: 0)
    }
}
