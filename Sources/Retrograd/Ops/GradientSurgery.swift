// Gradient control: stop, reverse, replace.

/// The same value with no gradient path back: ops after it are not recorded against
/// its inputs (TensorFlow's `tf.stop_gradient`, PyTorch's `.detach()`).
///
/// The tape notes where the cut sits (`file` and `line`, the caller's by default), so a
/// ``GradientFlowReport`` can say which `stopGradient` kept a source from its gradient.
public func stopGradient(_ x: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    let output = x.withNewIdentity
    Tensor.recordCut(.stopGradient(file: file, line: line), output, x)
    return output
}

/// The identity forward, −`scale`·g backward: the gradient reversal layer of
/// domain-adversarial training. `scale` may change on every call.
///
/// Reverse once: a hand-written `stopGradient(2 * f) - f` around it would flip the sign
/// back.
public func gradientReversal(_ x: Tensor, scale: Double = 1) -> Tensor {
    withCustomGradient(x, name: "gradientReversal", forward: { $0.withNewIdentity }, pullback: { _, _, g in g * -scale })
}

/// Applies `forward` to `x` and, in the backward pass, uses `pullback` instead of the
/// derivative of `forward`.
///
/// The ops inside `forward` are not recorded. `pullback` receives the input, the output
/// and the gradient arriving at the output, and returns the gradient for the input, of
/// the input's shape. It is ordinary tensor code, so when an outer tape records the
/// backward pass, the pullback is differentiated in turn.
public func withCustomGradient(
    _ x: Tensor, name: String = "customGradient", forward: (Tensor) throws -> Tensor,
    pullback: @escaping (_ x: Tensor, _ y: Tensor, _ g: Tensor) -> Tensor
) rethrows -> Tensor {
    try withCustomGradient([x], name: name, forward: { try forward($0[0]) }, pullback: { [pullback($0[0], $1, $2)] })
}

/// Applies `forward` to several inputs with a hand-written pullback that returns one
/// gradient per input (`nil` for an input that gets none).
public func withCustomGradient(
    _ inputs: [Tensor], name: String = "customGradient", forward: ([Tensor]) throws -> Tensor,
    pullback: @escaping (_ inputs: [Tensor], _ y: Tensor, _ g: Tensor) -> [Tensor?]
) rethrows -> Tensor {
    let value = try withoutRecording { try forward(inputs) }
    // A fresh identity, so the output is distinct from an input even when forward returns it.
    let output = value.withNewIdentity
    if output.dtype.isFloatingPoint {
        let custom = CustomGradientRecord(name: name, inputs: inputs, output: output, pullback: pullback)
        Tensor.record(.custom(custom), output, inputs: inputs)
    }
    return output
}
