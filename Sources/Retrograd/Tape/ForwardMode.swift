// Forward mode as functions: `jvp` (jax.jvp) and a whole Jacobian of a function (jax.jacobian,
// choosing forward or reverse mode).

/// The value of `function` at `primals` and its derivative along `tangents`, J·v, computed
/// in one forward pass (JAX's `jax.jvp`).
///
/// ```swift
/// let (y, dy) = try jvp(of: { $0[0].sin() * $0[1] }, at: [x, w], tangents: [v, Tensor.zeros(like: w)])
/// ```
///
/// The function runs on `primals` themselves, so a tape recording around the call sees
/// both results as functions of them (reverse-over-forward).
///
/// - Returns: The value, and its tangent: zeros when the value does not depend on the
///   primals.
/// - Throws: ``ForwardModeError`` for tangents that do not fit their primals, or when the
///   value depends on the primals through a custom gradient, which has no forward rule;
///   and whatever `function` throws.
public func jvp(
    of function: ([Tensor]) throws -> Tensor, at primals: [Tensor], tangents: [Tensor]
) throws -> (value: Tensor, tangent: Tensor) {
    let accumulator = try ForwardAccumulator(primals: primals, tangents: tangents)
    let value = try accumulator.record { try function(primals) }
    return (value, try accumulator.jvp(value) ?? Tensor.zeros(like: value))
}

/// The value of `function` at `primal` and its derivative along `tangent`: the
/// one-argument form of ``jvp(of:at:tangents:)``.
///
/// ```swift
/// let (y, dy) = try jvp(of: { $0.exp() }, at: x, tangent: v)    // dy = eˣ·v
/// ```
public func jvp(
    of function: (Tensor) throws -> Tensor, at primal: Tensor, tangent: Tensor
) throws -> (value: Tensor, tangent: Tensor) {
    try jvp(of: { try function($0[0]) }, at: [primal], tangents: [tangent])
}

/// The Jacobian of `function` at `point`, of shape `output.shape + point.shape`, with the
/// entry `[i…, j…]` equal to ∂output[i…]/∂point[j…] (zeros when the output does not
/// depend on the point).
///
/// Records `function` on a tape and asks ``GradientTape/jacobian(of:wrt:unconnected:mode:)-(_,Tensor,_,_)``,
/// which by default runs forward sweeps when `point` has fewer elements than the output
/// and backward passes otherwise.
///
/// ```swift
/// let x = Tensor([0.5] as [Double])
/// let j = try jacobian(of: { t in concat([t.sin(), t * t], axis: 0) }, at: x)   // [[cos 0.5], [1]]
/// ```
public func jacobian(
    of function: (Tensor) throws -> Tensor, at point: Tensor, mode: JacobianMode = .automatic
) throws -> Tensor {
    let tape = GradientTape()
    tape.watch(point)
    let output = try tape.record { try function(point) }
    if let jacobian = try tape.jacobian(of: output, wrt: point, unconnected: .zero, mode: mode) { return jacobian }
    return Tensor.zeros(shape: Shape(output.shape.dimensions + point.shape.dimensions), dtype: point.dtype)
}
