import RetrogradNN
import RetrogradOptimizers

/// W4: a critic trained on its mean score plus a WGAN-GP gradient penalty, which needs a
/// double backward pass.
///
/// loss = mean(critic(x)) + 10 · mean_i (‖∂critic(x)_i/∂x_i‖₂ − 1)², the critic
/// 784 → 256 → 256 → 1 with tanh on the hidden layers, batch 64 of W3's inputs, Adam(1e-3).
///
/// The critic runs forward once: its scores are recorded by the inner tape (watching the
/// inputs only) and by the step's outer tape; the inner tape's backward pass gives the
/// per-example input gradients (one backward of the summed scores), and the outer tape,
/// which records that backward pass, differentiates the whole loss with respect to the
/// critic's variables. This is `gradientPenalty(of:at:target:)` with the mean score
/// sharing the forward pass.
public final class GradientPenaltyTraining: TrainingStep {
    /// The critic.
    public let critic: Sequential
    /// The batch, `[batch, inputSize]`.
    public let inputs: Tensor
    /// The penalty's weight (10).
    public let penaltyWeight: Double
    /// Adam.
    public let optimizer: Adam
    /// The critic's trainable variables.
    public let variables: [Variable]

    /// A critic with layer sizes `sizes` (the last one 1) and tanh on the hidden layers.
    public init(
        sizes: [Int] = [784, 256, 256, 1], batch: Int = 64, penaltyWeight: Double = 10, learningRate: Double = 1e-3,
        dtype: DType = .float32, seed: UInt64 = 0
    ) {
        precondition(sizes.last == 1, "GradientPenaltyTraining: the critic must end in one score, got sizes \(sizes)")
        critic = multilayerPerceptron(sizes, activation: .tanh, dtype: dtype, seed: seed)
        inputs = BenchmarkData.sineInputs(rows: batch, columns: sizes[0], dtype: dtype)
        self.penaltyWeight = penaltyWeight
        optimizer = Adam(learningRate: learningRate)
        variables = critic.trainableVariables
    }

    /// The loss, recorded by whatever tapes are active (the outer tape of a step).
    public func loss() throws -> Tensor {
        let inner = GradientTape(watchAccessedVariables: false)
        inner.watch(inputs)
        let scores = inner.record { critic(inputs) }
        guard let inputGradients = try inner.gradient(of: scores, wrt: inputs) else {
            preconditionFailure("GradientPenaltyTraining: the scores do not depend on the inputs")
        }
        let norms = inputGradients.norm(axes: [1])
        return scores.mean() + penaltyWeight * (norms - 1).square().mean()
    }

    /// The loss under a fresh tape and its gradients (second-order through the penalty).
    public func lossAndGradients() throws -> (loss: Tensor, gradients: [Tensor?]) {
        let tape = GradientTape()
        let loss = try tape.record { try self.loss() }
        return (loss, try tape.gradient(of: loss, wrt: variables))
    }

    /// One Adam step.
    public func update(with gradients: [Tensor?]) {
        optimizer.apply(gradients: gradients, to: variables)
    }
}
