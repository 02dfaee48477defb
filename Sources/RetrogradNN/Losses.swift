// Losses: free functions with labelled arguments, written in differentiable tensor ops.
// Shapes are checked up front, so a mismatch names the loss, not an op deep inside it.

/// How a loss combines its per-element (or per-example) values.
public enum Reduction: Sendable {
    /// The mean over all values (the default).
    case mean
    /// The sum over all values.
    case sum
    /// No reduction: one value per element (`meanSquaredError`, `binaryCrossEntropy`) or
    /// per example (`softmaxCrossEntropy`).
    case none
}

extension Reduction {
    /// Applies the reduction to unreduced loss values.
    func apply(to values: Tensor) -> Tensor {
        switch self {
        case .mean: return values.mean()
        case .sum: return values.sum()
        case .none: return values
        }
    }
}

/// Stops with a message naming `loss` when two operands differ in shape or element type.
func requireMatching(
    _ loss: String, _ firstLabel: String, _ first: Tensor, _ secondLabel: String, _ second: Tensor
) {
    guard first.shape == second.shape else {
        preconditionFailed(
            "\(loss): \(firstLabel) \(first.shape) and \(secondLabel) \(second.shape) have different shapes")
    }
    checkPrecondition(
        first.dtype == second.dtype,
        "\(loss): \(firstLabel) are \(first.dtype) and \(secondLabel) are \(second.dtype); convert one with .cast(to:)")
    checkPrecondition(first.dtype.isFloatingPoint, "\(loss): \(firstLabel) must be float32 or float64, got \(first.dtype)")
}

/// The squared difference between `predictions` and `targets`, averaged by default.
///
/// The two must have the same shape (no broadcasting: a `[batch]` target against
/// `[batch, 1]` predictions is a bug this catches).
///
/// - Parameters:
///   - predictions: The model's outputs.
///   - targets: The wanted values, of the same shape and element type.
///   - reduction: `.mean` over all elements, `.sum`, or `.none` for one value per element.
public func meanSquaredError(predictions: Tensor, targets: Tensor, reduction: Reduction = .mean) -> Tensor {
    requireMatching("meanSquaredError", "predictions", predictions, "targets", targets)
    return reduction.apply(to: (predictions - targets).square())
}

/// The logistic loss of `logits` against binary (or soft) `labels` in [0, 1]:
/// −y·log σ(x) − (1 − y)·log(1 − σ(x)), averaged by default.
///
/// It is computed as softplus(x) − x·y, which never overflows (±1000 is fine) and is smooth
/// everywhere, so its gradient σ(x) − y is right at x = 0 too. Integer or bool labels are
/// converted to the logits' element type.
///
/// - Parameters:
///   - logits: Unnormalised scores, one per label (apply no sigmoid first).
///   - labels: Targets of the same shape.
///   - reduction: `.mean` over all elements, `.sum`, or `.none` for one value per element.
public func binaryCrossEntropy(logits: Tensor, labels: Tensor, reduction: Reduction = .mean) -> Tensor {
    let labels = labels.dtype.isFloatingPoint ? labels : labels.cast(to: logits.dtype)
    requireMatching("binaryCrossEntropy", "logits", logits, "labels", labels)
    return reduction.apply(to: logits.softplus() - logits * labels)
}
