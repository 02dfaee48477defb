// Softmax cross-entropy, for integer class labels and for probability targets, and the
// accuracy of class predictions.

/// The cross-entropy between softmax(`logits`) and integer class `labels`, averaged over
/// the examples by default.
///
/// Each example's loss is logSumExp(logits) − logits[label], computed in one fused pass
/// shifted by the row's maximum, so very large logits (±1000) give finite values and
/// gradients (softmax − one-hot).
///
/// - Parameters:
///   - logits: Unnormalised scores of shape `[batch, classes]` (classes on the last axis;
///     leading axes count as examples).
///   - labels: One class index in `0..<classes` per example.
///   - reduction: `.mean` over the examples, `.sum`, or `.none` for one loss per example.
public func softmaxCrossEntropy(logits: Tensor, labels: [Int], reduction: Reduction = .mean) -> Tensor {
    let name = "softmaxCrossEntropy"
    checkPrecondition(logits.rank >= 1, "\(name): logits need a class axis, got shape \(logits.shape)")
    checkPrecondition(logits.dtype.isFloatingPoint, "\(name): logits must be float32 or float64, got \(logits.dtype)")
    let classes = logits.shape[logits.rank - 1]
    let exampleCount = logits.shape.dropLast().reduce(1, *)
    checkPrecondition(classes > 0, "\(name): logits \(logits.shape) have no classes")
    guard labels.count == exampleCount else {
        preconditionFailed(
            "\(name): logits \(logits.shape) need \(exampleCount) labels (shape \(Array(logits.shape.dropLast()))), "
                + "got labels [\(labels.count)]")
    }
    if let bad = labels.first(where: { !(0..<classes).contains($0) }) {
        preconditionFailed("\(name): label \(bad) is out of range for \(classes) classes (logits \(logits.shape))")
    }
    let indices = Tensor(shape: [exampleCount], of: Int32.self) { buffer in
        for (row, label) in labels.enumerated() { buffer[row] = Int32(label) }
    }
    return crossEntropy(logits, indices, reduction)
}

/// The per-example losses of logits and checked int32 labels (one per example), shaped like
/// the examples, then reduced.
private func crossEntropy(_ logits: Tensor, _ labels: Tensor, _ reduction: Reduction) -> Tensor {
    let classes = logits.shape[logits.rank - 1]
    let rows = logits.rank == 2 ? logits : logits.reshaped(to: [labels.elementCount, classes])
    var losses = rows.softmaxCrossEntropy(labels: labels)
    if logits.rank != 2 { losses = losses.reshaped(to: Shape(Array(logits.shape.dropLast()))) }
    return reduction.apply(to: losses)
}

/// The cross-entropy between softmax(`logits`) and integer class labels given as an
/// `int32` tensor whose shape is the logits' shape without the class axis.
///
/// - Parameters:
///   - logits: Unnormalised scores of shape `[batch, classes]`.
///   - labels: An `int32` tensor of shape `[batch]`.
///   - reduction: `.mean` over the examples, `.sum`, or `.none` for one loss per example.
public func softmaxCrossEntropy(logits: Tensor, labels: Tensor, reduction: Reduction = .mean) -> Tensor {
    checkPrecondition(
        labels.dtype == .int32,
        "softmaxCrossEntropy: labels must be int32 class indices, got \(labels.dtype) \(labels.shape); "
            + "for one-hot or soft targets use softmaxCrossEntropy(logits:probabilities:)")
    let exampleShape = Shape(Array(logits.shape.dropLast()))
    guard labels.shape == exampleShape, logits.rank >= 1 else {
        preconditionFailed(
            "softmaxCrossEntropy: logits \(logits.shape) need labels of shape \(exampleShape), got labels \(labels.shape)")
    }
    checkPrecondition(logits.dtype.isFloatingPoint, "softmaxCrossEntropy: logits must be float32 or float64, got \(logits.dtype)")
    let classes = logits.shape[logits.rank - 1]
    checkPrecondition(classes > 0, "softmaxCrossEntropy: logits \(logits.shape) have no classes")
    let bad = labels.withUnsafeScalars(as: Int32.self) { $0.first { !(0..<Int32(classes)).contains($0) } }
    if let bad {
        preconditionFailed("softmaxCrossEntropy: label \(bad) is out of range for \(classes) classes (logits \(logits.shape))")
    }
    return crossEntropy(logits, labels.rank == 1 ? labels : labels.reshaped(to: [labels.elementCount]), reduction)
}

/// The cross-entropy between softmax(`logits`) and target distributions (one-hot or
/// soft): −Σ p·log softmax(logits) over the class axis, averaged over the examples by
/// default.
///
/// - Parameters:
///   - logits: Unnormalised scores of shape `[batch, classes]`.
///   - probabilities: Targets of the same shape, each row summing to 1.
///   - reduction: `.mean` over the examples, `.sum`, or `.none` for one loss per example.
public func softmaxCrossEntropy(logits: Tensor, probabilities: Tensor, reduction: Reduction = .mean) -> Tensor {
    requireMatching("softmaxCrossEntropy", "logits", logits, "probabilities", probabilities)
    checkPrecondition(logits.rank >= 1, "softmaxCrossEntropy: logits need a class axis, got shape \(logits.shape)")
    let losses = -(probabilities * logits.logSoftmax(axis: -1)).sum(axes: [-1])
    return reduction.apply(to: losses)
}

/// The fraction of examples whose largest logit is at their label, from 0 to 1.
///
/// Ties go to the lowest class index. Not differentiable; use it for reports.
///
/// - Parameters:
///   - logits: Scores of shape `[batch, classes]`.
///   - labels: One class index per example.
public func accuracy(logits: Tensor, labels: [Int]) -> Double {
    let examples = exampleCount(logits, labelCount: labels.count, labels: "[\(labels.count)]")
    let predicted = logits.argmax(axis: -1)
    let correct = predicted.withUnsafeScalars(as: Int32.self) { predicted in
        zip(predicted, labels).reduce(0) { $0 + (Int($1.0) == $1.1 ? 1 : 0) }
    }
    return Double(correct) / Double(examples)
}

/// The fraction of examples whose largest logit is at their label, with labels given as
/// an `int32` tensor.
public func accuracy(logits: Tensor, labels: Tensor) -> Double {
    checkPrecondition(labels.dtype == .int32, "accuracy: labels must be int32 class indices, got \(labels.dtype)")
    let examples = exampleCount(logits, labelCount: labels.elementCount, labels: "\(labels.shape)")
    let predicted = logits.argmax(axis: -1)
    let correct = predicted.withUnsafeScalars(as: Int32.self) { predicted in
        labels.withUnsafeScalars(as: Int32.self) { labels in zip(predicted, labels).reduce(0) { $0 + ($1.0 == $1.1 ? 1 : 0) } }
    }
    return Double(correct) / Double(examples)
}

/// The number of examples in `logits`, stopping unless there is at least one and as many
/// labels (`labels` describes them in the message).
private func exampleCount(_ logits: Tensor, labelCount: Int, labels: @autoclosure () -> String) -> Int {
    checkPrecondition(logits.rank >= 1, "accuracy: logits need a class axis, got shape \(logits.shape)")
    let classes = logits.shape[logits.rank - 1]
    let examples = classes > 0 ? logits.elementCount / classes : 0
    guard labelCount == examples, examples > 0 else {
        preconditionFailed("accuracy: logits \(logits.shape) need \(examples) labels (at least one), got labels \(labels())")
    }
    return examples
}
