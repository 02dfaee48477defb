/// The gradient penalty of WGAN-GP (Gulrajani et al., 2017): the mean over the batch of
/// (‖∂critic/∂xᵢ‖ − `target`)², where xᵢ is the i-th example of `inputs`.
///
/// The input gradient is taken on a fresh inner tape, inside whatever tapes are already
/// recording. Those outer tapes record the inner backward pass, so the penalty is an
/// ordinary differentiable tensor there: add it to the critic's loss, and the outer tape's
/// gradient with respect to the critic's variables includes the penalty's (a second-order
/// derivative, taken with no extra machinery).
///
/// ```swift
/// let tape = GradientTape()
/// let loss = try tape.record { () throws -> Tensor in
///     let wasserstein = critic(fake).mean() - critic(real).mean()
///     return try wasserstein + 10 * gradientPenalty(of: critic.callAsFunction, at: interpolated)
/// }
/// let grads = try tape.gradient(of: loss, wrt: critic.trainableVariables)
/// ```
///
/// The per-example gradients come from one backward pass of the summed scores, which is
/// exact only when the critic treats examples independently (no batch statistics mixing
/// them). Its derivative needs a critic that is twice differentiable almost everywhere;
/// ReLU and tanh networks are fine.
///
/// - Parameters:
///   - critic: Maps a batch `[batch, …]` to one score per example (`[batch]` or
///     `[batch, 1]`).
///   - inputs: The points to penalise at, batch first (for WGAN-GP, random interpolations
///     between real and generated examples).
///   - target: The gradient norm aimed at; 1 for the 1-Lipschitz constraint.
/// - Returns: A scalar of the inputs' element type; zero gradient norms are penalised by
///   `target`², as the norm's gradient at 0 is taken to be 0.
/// - Throws: A `TapeError` from the inner tape.
public func gradientPenalty(of critic: (Tensor) -> Tensor, at inputs: Tensor, target: Double = 1) throws -> Tensor {
    checkPrecondition(
        inputs.rank >= 1 && inputs.shape[0] > 0 && inputs.dtype.isFloatingPoint,
        "gradientPenalty: inputs must be a non-empty float batch [batch, …], got \(inputs.dtype) \(inputs.shape)")
    let batch = inputs.shape[0]
    // Only the path from the inputs matters to the inner tape; the outer tapes watch the
    // critic's variables themselves.
    let inner = GradientTape(watchAccessedVariables: false)
    inner.watch(inputs)
    let scores = inner.record { critic(inputs) }
    checkPrecondition(
        scores.rank >= 1 && scores.shape[0] == batch && scores.elementCount == batch,
        "gradientPenalty: the critic must give one score per example ([\(batch)] or [\(batch), 1]) "
            + "for inputs \(inputs.shape), got \(scores.shape)")
    guard let gradient = try inner.gradient(of: scores, wrt: inputs, unconnected: .zero) else {
        preconditionFailed("gradientPenalty: no gradient for inputs \(inputs.shape)")
    }
    let norms = gradient.reshaped(to: [batch, -1]).norm(axes: [1])
    return (norms - target).square().mean()
}
