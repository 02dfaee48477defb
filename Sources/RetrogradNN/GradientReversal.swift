/// The gradient reversal layer of domain-adversarial training (Ganin et al., 2016): the
/// identity going forward, −``scale``·g going back.
///
/// Put it between the feature extractor and the domain classifier. The classifier learns
/// to tell the domains apart while the features are pushed to make that impossible.
/// ``scale`` (the paper's λ) may change on every step:
///
/// ```swift
/// let reversal = GradientReversal(scale: 0)
/// let domainModel = Sequential(features, reversal, domainHead)
/// for step in 0..<steps {
///     let p = Double(step) / Double(steps)
///     reversal.scale = 2 / (1 + exp(-10 * p)) - 1
///     …
/// }
/// ```
///
/// Reverse once: negating the features' gradients by hand as well would undo it.
public final class GradientReversal: Layer {
    /// The factor λ ≥ 0 the gradient is multiplied by, after the sign flip. Read on each
    /// call, so a change applies from the next forward pass on.
    public var scale: Double
    /// Not used by the reversal; kept so containers can set it.
    public var isTraining = true

    /// Creates a reversal layer that multiplies gradients by −`scale`.
    public init(scale: Double = 1) {
        self.scale = scale
    }

    /// Returns `input`; its gradient comes back multiplied by −``scale``.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        gradientReversal(input, scale: scale)
    }

    /// Keeps the input's shape and element type.
    public func outputSpec(for input: TensorSpec) throws(LayerInputError) -> TensorSpec? { input }
}
