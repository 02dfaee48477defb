import Retrograd

/// One op (or composite of ops) to check against finite differences, with the point to
/// check it at.
///
/// Inputs are `float64` and built deterministically, away from kinks (relu and abs at 0,
/// ties in `max` / `maximum`, clip bounds) and inside domains (log, sqrt and a pow base
/// above 0, reciprocal away from 0), where finite differences and the tape agree.
///
/// ```swift
/// for check in OpCatalog.cases {
///     let report = check.check(order: 2)
///     print(check.name, report.passed)
/// }
/// ```
public struct OpCheckCase: Sendable, CustomStringConvertible {
    /// A unique, human-readable name, such as `"sum axes [0, 2] keep"`.
    public let name: String
    /// The point to check at, one tensor per argument of ``function``.
    public let inputs: [Tensor]
    /// The computation; it receives tensors of the shapes of ``inputs``.
    public let function: @Sendable ([Tensor]) -> Tensor
    /// The largest relative error that passes (1e-6 unless the case needs more room).
    public let tolerance: Double
    /// Why the case needs a tolerance other than the default, if it does.
    public let note: String?

    /// Creates a case.
    ///
    /// - Parameters:
    ///   - name: A unique name.
    ///   - inputs: The point to check at.
    ///   - tolerance: The largest relative error that passes.
    ///   - note: Why `tolerance` differs from the default, if it does.
    ///   - function: The computation to check.
    public init(
        _ name: String, inputs: [Tensor], tolerance: Double = 1e-6, note: String? = nil,
        _ function: @escaping @Sendable ([Tensor]) -> Tensor
    ) {
        self.name = name
        self.inputs = inputs
        self.tolerance = tolerance
        self.note = note
        self.function = function
    }

    /// Runs ``checkGradients(of:at:order:tolerance:seed:directions:)`` on this case with its
    /// tolerance.
    ///
    /// - Parameters:
    ///   - order: 1 for gradients only, 2 to check second derivatives too.
    ///   - seed: Seeds the checker's random directions and cotangent.
    public func check(order: Int = 2, seed: UInt64 = 0x5EED) -> GradientCheckReport {
        checkGradients(of: function, at: inputs, order: order, tolerance: tolerance, seed: seed)
    }

    /// Runs ``checkForwardMode(of:at:order:tolerance:seed:directions:)`` on this case with
    /// its tolerance: the forward rules against the reverse rules and finite differences.
    ///
    /// - Parameters:
    ///   - order: 1 for Jacobian-vector products only, 2 to check Hessian-vector products too.
    ///   - seed: Seeds the checker's random directions and cotangent.
    /// - Throws: ``ForwardModeError`` when the case goes through a custom gradient (none
    ///   in the catalog does).
    public func checkForwardMode(order: Int = 2, seed: UInt64 = 0x5EED) throws -> ForwardModeCheckReport {
        try Retrograd.checkForwardMode(of: function, at: inputs, order: order, tolerance: tolerance, seed: seed)
    }

    public var description: String { name }
}
