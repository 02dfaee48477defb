/// Gradients summed or averaged over several micro-batches, for one optimizer step
/// (gradient accumulation): a batch too large for memory, taken in parts.
///
/// Add the gradient list of each micro-batch, then hand ``gradients`` to an optimizer as
/// if they came from one tape:
///
/// ```swift
/// var accumulated = AccumulatedGradients(for: variables)     // reduction: .mean
/// for part in microBatches {                                  // 4 equal parts of one batch
///     let tape = GradientTape()
///     let loss = tape.record { lossFunction(model(part.features), part.labels) }
///     accumulated.add(try tape.gradient(of: loss, wrt: variables))
/// }
/// optimizer.apply(gradients: accumulated.gradients, to: variables)
/// accumulated.reset()
/// ```
///
/// With ``Reduction/mean`` the result is Σ wₖ·gₖ / Σ wₖ over the micro-batches' gradient
/// lists gₖ and weights wₖ (1 unless given), so micro-batches of equal size whose losses
/// are means give the gradient of the mean loss over the whole batch; for unequal sizes,
/// pass each micro-batch's size as its weight. With ``Reduction/sum`` it is Σ wₖ·gₖ, the
/// gradient of a summed loss.
///
/// A `nil` gradient (a micro-batch whose loss does not reach the variable) counts as zero
/// for that micro-batch, as it would inside one big batch. A variable that got `nil` from
/// every micro-batch stays `nil`, so the optimizer skips it, as it skips any `nil`
/// gradient. Adding is never recorded on a tape: the results are constants to every tape.
public struct AccumulatedGradients {
    /// How the micro-batches' gradients combine.
    public enum Reduction: Sendable, Equatable {
        /// Σ wₖ·gₖ.
        case sum
        /// Σ wₖ·gₖ / Σ wₖ.
        case mean
    }

    /// The variables the gradient lists are aligned with.
    public let variables: [Variable]
    /// How the gradients combine.
    public let reduction: Reduction
    /// The number of gradient lists added since the last ``reset()``.
    public private(set) var count = 0
    /// The sum of the weights added since the last ``reset()``.
    public private(set) var totalWeight: Double = 0
    /// Σ wₖ·gₖ per variable; nil while no micro-batch gave the variable a gradient.
    private var sums: [Tensor?]

    /// Starts an empty accumulation for gradient lists aligned with `variables`.
    public init(for variables: [Variable], reduction: Reduction = .mean) {
        self.variables = variables
        self.reduction = reduction
        sums = [Tensor?](repeating: nil, count: variables.count)
    }

    /// Adds one micro-batch's gradients, aligned with ``variables``, with weight `weight`
    /// (positive and finite; its size, when micro-batches differ in size).
    public mutating func add(_ gradients: [Tensor?], weight: Double = 1) {
        checkPrecondition(
            gradients.count == variables.count,
            "AccumulatedGradients.add: \(gradients.count) gradients for \(variables.count) variables; "
                + "pass the list the tape returned for exactly these variables")
        checkPrecondition(
            weight > 0 && weight.isFinite, "AccumulatedGradients.add: weight must be positive and finite, got \(weight)")
        for (gradient, variable) in zip(gradients, variables) {
            guard let gradient else { continue }
            checkPrecondition(
                gradient.shape == variable.shape && gradient.dtype == variable.dtype,
                "AccumulatedGradients.add: the gradient for variable '\(variable.name)' is \(gradient.dtype) "
                    + "\(gradient.shape), but the variable holds \(variable.dtype) \(variable.shape)")
        }
        withoutRecording {
            for (index, gradient) in gradients.enumerated() {
                guard let gradient else { continue }
                // A new value either way (stopGradient with no tape recording copies nothing),
                // so the result is a constant to every tape, even for one micro-batch.
                let weighted = weight == 1 ? stopGradient(gradient) : gradient * weight
                sums[index] = sums[index].map { $0 + weighted } ?? weighted
            }
        }
        count += 1
        totalWeight += weight
    }

    /// The combined gradients, aligned with ``variables``: the weighted sum, or the weighted
    /// mean; `nil` for a variable no micro-batch gave a gradient (all `nil` before the first
    /// ``add(_:weight:)``).
    public var gradients: [Tensor?] {
        guard reduction == .mean else { return sums }
        return withoutRecording { sums.map { $0.map { $0 / totalWeight } } }
    }

    /// Forgets what was added, to start the next step's accumulation.
    public mutating func reset() {
        sums = [Tensor?](repeating: nil, count: variables.count)
        count = 0
        totalWeight = 0
    }
}
