import RetrogradNN
import RetrogradOptimizers

/// A training workload (W2–W5): one fixed batch, a model, an optimizer. A step is the
/// forward pass on a fresh tape, the backward pass, and the optimizer's update.
public protocol TrainingStep: AnyObject {
    /// The variables the optimizer updates, in the order of ``lossAndGradients()``.
    var variables: [Variable] { get }

    /// The loss on the batch and its gradient with respect to ``variables``, on a fresh
    /// tape, without updating anything.
    func lossAndGradients() throws -> (loss: Tensor, gradients: [Tensor?])

    /// Applies `gradients` (aligned with ``variables``) with the workload's optimizer.
    func update(with gradients: [Tensor?])
}

extension TrainingStep {
    /// One training step: forward, backward, update. Returns the loss before the update.
    @discardableResult
    public func step() throws -> Tensor {
        let (loss, gradients) = try lossAndGradients()
        update(with: gradients)
        return loss
    }
}

/// Dense layers `sizes[0] → sizes[1] → … → sizes.last`, with `activation` after every
/// layer but the last (`finalActivation` there), seeded `seed`, `seed + 1`, …
/// (Glorot-uniform weights, zero biases: `Dense`'s defaults).
func multilayerPerceptron(
    _ sizes: [Int], activation: Activation, finalActivation: Activation = .identity, dtype: DType, seed: UInt64
) -> Sequential {
    precondition(sizes.count >= 2, "multilayerPerceptron: needs at least input and output sizes, got \(sizes)")
    let layers = (0..<(sizes.count - 1)).map { index in
        Dense(
            inputSize: sizes[index], outputSize: sizes[index + 1],
            activation: index < sizes.count - 2 ? activation : finalActivation, dtype: dtype, seed: seed + UInt64(index))
    }
    return Sequential(layers)
}

/// W2 and W3: a multilayer perceptron trained with softmax cross-entropy (mean over the
/// batch) and Adam.
///
/// The inputs are ``BenchmarkData/sineInputs(rows:columns:dtype:)`` and the labels
/// i mod classes, the same batch every step.
public final class MLPTraining: TrainingStep {
    /// The model.
    public let model: Sequential
    /// The batch, `[batch, sizes[0]]`.
    public let inputs: Tensor
    /// The batch's labels.
    public let labels: [Int]
    /// Adam.
    public let optimizer: Adam
    /// The model's trainable variables.
    public let variables: [Variable]

    /// An MLP with layer sizes `sizes` and `activation` on the hidden layers.
    public init(
        sizes: [Int], activation: Activation, batch: Int, learningRate: Double = 1e-3, dtype: DType = .float32,
        seed: UInt64 = 0
    ) {
        model = multilayerPerceptron(sizes, activation: activation, dtype: dtype, seed: seed)
        inputs = BenchmarkData.sineInputs(rows: batch, columns: sizes[0], dtype: dtype)
        labels = BenchmarkData.labels(count: batch, classes: sizes[sizes.count - 1])
        optimizer = Adam(learningRate: learningRate)
        variables = model.trainableVariables
    }

    /// W2: 2 → 64 → 64 → 2, tanh, batch 32, Adam(1e-3).
    public static func w2() -> MLPTraining {
        MLPTraining(sizes: [2, 64, 64, 2], activation: .tanh, batch: 32)
    }

    /// W3: 784 → 512 → 512 → 10, ReLU, batch 128, Adam(1e-3).
    public static func w3() -> MLPTraining {
        MLPTraining(sizes: [784, 512, 512, 10], activation: .relu, batch: 128)
    }

    /// The loss under a fresh tape and its gradients.
    public func lossAndGradients() throws -> (loss: Tensor, gradients: [Tensor?]) {
        let tape = GradientTape()
        let loss = tape.record { softmaxCrossEntropy(logits: model(inputs), labels: labels) }
        return (loss, try tape.gradient(of: loss, wrt: variables))
    }

    /// One Adam step.
    public func update(with gradients: [Tensor?]) {
        optimizer.apply(gradients: gradients, to: variables)
    }
}
