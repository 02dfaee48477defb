/// How well forward-mode derivatives of one input agree with reverse mode and with finite
/// differences.
public struct ForwardModeCheckResult: Sendable {
    /// Position of the input in the list given to ``checkForwardMode(of:at:order:tolerance:seed:directions:)``.
    public var input: Int
    /// Worst relative error of ⟨J·v, u⟩ (the forward rules) against ⟨v, Jᵀ·u⟩ (the reverse
    /// rules) over the random directions.
    public var firstOrderReverseError: Double
    /// Worst relative error of ⟨J·v, u⟩ against central finite differences.
    public var firstOrderFiniteDifferenceError: Double
    /// Worst relative error of the forward-over-reverse Hessian-vector product against the
    /// reverse-over-reverse one (nested tapes), or nil when not checked.
    public var secondOrderReverseError: Double?
    /// Worst relative error of the forward-over-reverse Hessian-vector product against
    /// finite differences of the tape gradient, or nil when not checked.
    public var secondOrderFiniteDifferenceError: Double?

    /// The worst of this input's errors.
    public var maxError: Double {
        [firstOrderReverseError, firstOrderFiniteDifferenceError, secondOrderReverseError ?? 0,
         secondOrderFiniteDifferenceError ?? 0].max()!
    }
}

/// The outcome of a forward-mode check: one result per input and the tolerance used.
public struct ForwardModeCheckReport: Sendable, CustomStringConvertible {
    /// One result per input, in the order the inputs were given.
    public var results: [ForwardModeCheckResult]
    /// The largest relative error that passes.
    public var tolerance: Double

    /// The worst relative error over all inputs, orders and comparisons.
    public var maxError: Double { results.map(\.maxError).max() ?? 0 }

    /// Whether every error is within the tolerance (NaN never passes).
    public var passed: Bool { maxError <= tolerance }

    /// One line per input with its errors, then "passed" or "FAILED".
    public var description: String {
        results.map { result in
            let second = result.secondOrderReverseError.map { reverse in
                ", 2nd order \(reverse) vs reverse, \(result.secondOrderFiniteDifferenceError ?? 0) vs finite differences"
            } ?? ""
            return "input \(result.input): 1st order \(result.firstOrderReverseError) vs reverse, "
                + "\(result.firstOrderFiniteDifferenceError) vs finite differences\(second)"
        }.joined(separator: "\n") + "\n" + (passed ? "passed" : "FAILED") + " (tolerance \(tolerance))"
    }
}

/// Checks the forward-mode derivatives of `function` at `inputs` against its reverse-mode
/// derivatives and against central finite differences, in `float64`, along random
/// directions.
///
/// The output is contracted with a random cotangent `u`. For each input and random
/// direction `v`, the tangent ⟨J·v, u⟩ from a ``ForwardAccumulator`` (the forward rules)
/// is compared with ⟨v, Jᵀ·u⟩ from a ``GradientTape`` (the reverse rules) — the two are
/// transposes of each other, so they agree to rounding when both rules are right — and
/// with finite differences. With `order: 2`, the tangent of the tape gradient
/// (forward-over-reverse, a Hessian-vector product) is compared with the nested-tape
/// Hessian-vector product and with finite differences of the tape gradient. Errors are
/// relative: `|a − b| / max(1, |a|, |b|)`.
///
/// ```swift
/// let report = try checkForwardMode(of: { $0[0].tanh() * $0[1] }, at: [x, y])
/// #expect(report.passed)
/// ```
///
/// - Parameters:
///   - function: The computation, written with tensor ops; it receives float64 copies.
///   - inputs: The point to check at; converted to float64.
///   - order: 1 for Jacobian-vector products only, 2 to check Hessian-vector products too.
///   - tolerance: The largest relative error that passes.
///   - seed: Seeds the random directions and cotangent.
///   - directions: How many random directions per input.
/// - Throws: ``ForwardModeError/customGradient(op:)`` when `function` goes through a
///   custom gradient, which forward mode cannot differentiate.
public func checkForwardMode(
    of function: ([Tensor]) -> Tensor, at inputs: [Tensor], order: Int = 2, tolerance: Double = 1e-6,
    seed: UInt64 = 0x5EED, directions: Int = 2
) throws -> ForwardModeCheckReport {
    checkPrecondition(order == 1 || order == 2, "checkForwardMode: order must be 1 or 2, got \(order)")
    var generator = SeededGenerator(seed: seed)
    let probe = DerivativeProbe(function, reference: function, at: inputs, using: &generator, op: "checkForwardMode")
    let points = probe.points

    /// The tangent of `value(points)` (a scalar) along `v` at input `index`, by forward mode.
    func tangent(input index: Int, along v: Tensor, of value: () -> Tensor) throws -> Double {
        let accumulator = try ForwardAccumulator(primals: [points[index]], tangents: [v])
        let result = accumulator.record(value)
        return try accumulator.jvp(result, unconnected: .zero)!.scalar(as: Double.self)
    }

    let reverseGradients = probe.tapeGradient(function, points)  // Jᵀ·u, one per input
    var results: [ForwardModeCheckResult] = []
    for index in points.indices {
        var result = ForwardModeCheckResult(
            input: index, firstOrderReverseError: 0, firstOrderFiniteDifferenceError: 0,
            secondOrderReverseError: order == 2 ? 0 : nil, secondOrderFiniteDifferenceError: order == 2 ? 0 : nil)
        for _ in 0..<directions {
            let v = Tensor.randomNormal(shape: points[index].shape, dtype: .float64, using: &generator)
            let forward = try tangent(input: index, along: v) { probe.contracted(function, points) }
            let numeric = probe.finiteDifference(of: function, input: index, along: v)
            result.firstOrderReverseError = Swift.max(
                result.firstOrderReverseError, relativeError(forward, dot(reverseGradients[index], v)))
            result.firstOrderFiniteDifferenceError = Swift.max(result.firstOrderFiniteDifferenceError, relativeError(forward, numeric))

            guard order == 2 else { continue }
            // s(x) = Σⱼ ⟨∂L/∂xⱼ, wⱼ⟩: its tangent along v at xᵢ is wᵀ·H·v.
            let w = points.map { Tensor.randomNormal(shape: $0.shape, dtype: .float64, using: &generator) }
            let forwardOverReverse = try tangent(input: index, along: v) { probe.weightedGradient(function, points, weights: w) }
            let reverseOverReverse = probe.reverseOverReverse(function, weights: w, input: index, along: v)
            let numericSecond = probe.finiteDifferenceOfGradient(of: function, weights: w, input: index, along: v)
            result.secondOrderReverseError = Swift.max(
                result.secondOrderReverseError!, relativeError(forwardOverReverse, reverseOverReverse))
            result.secondOrderFiniteDifferenceError = Swift.max(
                result.secondOrderFiniteDifferenceError!, relativeError(forwardOverReverse, numericSecond))
        }
        results.append(result)
    }
    return ForwardModeCheckReport(results: results, tolerance: tolerance)
}
