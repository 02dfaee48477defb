// Gradient clipping on the list a tape returns, with TensorFlow's semantics
// (tf.clip_by_value, tf.clip_by_norm, tf.clip_by_global_norm). `nil` gradients stay
// `nil` and do not count towards a global norm. The math is ordinary tensor ops, so
// clipping inside a tape's `record` is recorded too.

extension Array where Element == Tensor? {
    /// Every element of every gradient limited to `range` (`tf.clip_by_value`).
    ///
    /// ```swift
    /// let grads = grads.clippedByValue(-1...1)
    /// ```
    public func clippedByValue(_ range: ClosedRange<Double>) -> [Tensor?] {
        map { $0?.clipped(to: range) }
    }

    /// Each gradient whose L2 norm exceeds `maxNorm` rescaled to norm `maxNorm`; the
    /// others unchanged (`tf.clip_by_norm`, per tensor):
    ///
    ///     g = g · maxNorm / max(‖g‖₂, maxNorm)
    ///
    /// Each tensor is clipped on its own; use ``clipByGlobalNorm(_:maxNorm:)`` to keep
    /// the direction of the whole update.
    ///
    /// - Parameter maxNorm: The largest norm a gradient keeps; positive.
    public func clippedByNorm(_ maxNorm: Double) -> [Tensor?] {
        checkPrecondition(maxNorm > 0, "clippedByNorm: maxNorm must be positive, got \(maxNorm)")
        return map { gradient in
            guard let gradient else { return nil }
            return gradient * clippingFactor(norm: gradient.norm(), maxNorm: maxNorm)
        }
    }
}

/// Rescales all gradients together so that their global norm is at most `maxNorm`, and
/// returns the global norm they had before (`tf.clip_by_global_norm`):
///
///     N = √(Σᵢ ‖gᵢ‖₂²),   gᵢ = gᵢ · maxNorm / max(N, maxNorm)
///
/// `nil` entries are skipped and stay `nil`; a list with no gradients has norm 0. The
/// norm is computed in `float64` whatever the gradients' element types. As in
/// TensorFlow, a global norm that is infinite or NaN turns every gradient into NaNs, so
/// a diverging step shows up instead of being silently scaled to zero.
///
/// ```swift
/// var grads = try tape.gradient(of: loss, wrt: variables)
/// let norm = clipByGlobalNorm(&grads, maxNorm: 1.0)   // log it to watch for explosions
/// optimizer.apply(gradients: grads, to: variables)
/// ```
///
/// - Parameters:
///   - gradients: The gradients to clip in place.
///   - maxNorm: The largest global norm the gradients keep; positive.
/// - Returns: The global norm N before clipping.
@discardableResult
public func clipByGlobalNorm(_ gradients: inout [Tensor?], maxNorm: Double) -> Double {
    checkPrecondition(maxNorm > 0, "clipByGlobalNorm: maxNorm must be positive, got \(maxNorm)")
    let norms = gradients.compactMap { $0?.norm().cast(to: .float64) }
    guard !norms.isEmpty else { return 0 }
    let globalNorm = stack(norms).norm()
    let value = globalNorm.scalar(as: Double.self)
    let factor = value.isFinite
        ? clippingFactor(norm: globalNorm, maxNorm: maxNorm)
        : Tensor(scalar: .nan, dtype: .float64)
    gradients = gradients.map { gradient in gradient.map { $0 * factor.cast(to: $0.dtype) } }
    return value
}

/// maxNorm / max(norm, maxNorm) as a 0-d tensor of `norm`'s type: exactly 1 when
/// `norm ≤ maxNorm`, so unclipped gradients keep their bits, and no division by zero
/// on either branch (which would turn into a NaN gradient through `select`).
private func clippingFactor(norm: Tensor, maxNorm: Double) -> Tensor {
    let exceeds = norm .> maxNorm
    return select(exceeds, maxNorm / norm.maximum(maxNorm), 1)
}
