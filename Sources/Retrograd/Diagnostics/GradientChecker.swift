/// How well tape gradients of one input agree with finite differences.
public struct GradientCheckResult: Sendable {
    /// Position of the input in the list given to ``checkGradients(of:at:order:tolerance:seed:directions:)``.
    public var input: Int
    /// Worst relative error of the first derivative over the random directions.
    public var firstOrderError: Double
    /// Worst relative error of the second derivative, or nil when not checked.
    public var secondOrderError: Double?
}

/// The outcome of a gradient check: one result per input and the tolerance used.
public struct GradientCheckReport: Sendable, CustomStringConvertible {
    /// One result per input, in the order the inputs were given.
    public var results: [GradientCheckResult]
    /// The largest relative error that passes.
    public var tolerance: Double

    /// The worst relative error over all inputs and orders.
    public var maxError: Double {
        results.map { Swift.max($0.firstOrderError, $0.secondOrderError ?? 0) }.max() ?? 0
    }

    /// Whether every error is within the tolerance (NaN never passes).
    public var passed: Bool { maxError <= tolerance }

    /// One line per input with its errors, then "passed" or "FAILED".
    public var description: String {
        results.map { result in
            let second = result.secondOrderError.map { ", 2nd order \($0)" } ?? ""
            return "input \(result.input): 1st order \(result.firstOrderError)\(second)"
        }.joined(separator: "\n") + "\n" + (passed ? "passed" : "FAILED") + " (tolerance \(tolerance))"
    }
}

/// Checks the tape's gradients of `function` at `inputs` against central finite
/// differences, in `float64`, along random directions.
///
/// The function's output is contracted with a random cotangent `u` to a scalar
/// `L(x) = Σ u·f(x)`. For each input `i` and random direction `v`, the tape's
/// `∂L/∂xᵢ · v` is compared with `(L(xᵢ + εv) − L(xᵢ − εv)) / 2ε`. With `order: 2`, the
/// gradient itself is differentiated on an outer tape (a Hessian-vector product) and
/// compared with finite differences of the first-order tape gradient. Errors are
/// relative: `|a − b| / max(1, |a|, |b|)`.
///
/// Use it to verify a hand-written gradient:
/// ```swift
/// let report = checkGradients(of: { x in myLoss(x[0]) }, at: [Tensor([0.3, -1.2] as [Double])])
/// #expect(report.passed)
/// ```
///
/// - Parameters:
///   - function: The computation, written with tensor ops; it receives float64 copies.
///   - inputs: The point to check at; converted to float64.
///   - order: 1 for gradients only, 2 to check second derivatives too.
///   - tolerance: The largest relative error that passes.
///   - seed: Seeds the random directions and cotangent.
///   - directions: How many random directions per input.
public func checkGradients(
    of function: ([Tensor]) -> Tensor, at inputs: [Tensor], order: Int = 2, tolerance: Double = 1e-6,
    seed: UInt64 = 0x5EED, directions: Int = 2
) -> GradientCheckReport {
    checkGradients(
        of: function, against: function, at: inputs, order: order, tolerance: tolerance, seed: seed,
        directions: directions)
}

/// Checks the tape's gradients of `function` against finite differences of `reference`,
/// a function without gradient surgery whose derivatives are the ones `function`'s tape
/// should produce.
///
/// Finite differences see values, so they cannot check `stopGradient`,
/// `gradientReversal` or a `withCustomGradient` whose pullback is not the derivative of
/// its forward. Write the reference with each such op replaced by what its backward pass
/// documents, frozen at the point checked: `stopGradient(e)` by the constant value of
/// `e` there, `gradientReversal(e, scale: λ)` by `−λ·e + (1 + λ)·c` with `c` that value.
/// The tape's first derivatives of `function` are compared with finite differences of
/// `reference`; with `order: 2`, its Hessian-vector products are compared with finite
/// differences of `reference`'s tape gradient.
///
/// ```swift
/// let x = Tensor([0.4, -1.1] as [Double])
/// let c = x.sin()                       // the value stopGradient freezes
/// let report = checkGradients(
///     of: { $0[0] * stopGradient($0[0].sin()) }, against: { $0[0] * c }, at: [x])
/// ```
///
/// - Parameters:
///   - function: The computation with gradient surgery; its tape gradients are checked.
///   - reference: A computation of the same output shape whose finite differences give
///     the expected derivatives.
///   - inputs: The point to check at; converted to float64.
///   - order: 1 for gradients only, 2 to check second derivatives too.
///   - tolerance: The largest relative error that passes.
///   - seed: Seeds the random directions and cotangent.
///   - directions: How many random directions per input.
public func checkGradients(
    of function: ([Tensor]) -> Tensor, against reference: ([Tensor]) -> Tensor, at inputs: [Tensor],
    order: Int = 2, tolerance: Double = 1e-6, seed: UInt64 = 0x5EED, directions: Int = 2
) -> GradientCheckReport {
    checkPrecondition(order == 1 || order == 2, "checkGradients: order must be 1 or 2, got \(order)")
    var generator = SeededGenerator(seed: seed)
    let probe = DerivativeProbe(function, reference: reference, at: inputs, using: &generator, op: "checkGradients")
    let points = probe.points

    let firstGradients = probe.tapeGradient(function, points)
    var results: [GradientCheckResult] = []
    for index in points.indices {
        var first = 0.0
        var second: Double? = order == 2 ? 0 : nil
        for _ in 0..<directions {
            let v = Tensor.randomNormal(shape: points[index].shape, dtype: .float64, using: &generator)
            let numeric = probe.finiteDifference(of: reference, input: index, along: v)
            first = Swift.max(first, relativeError(dot(firstGradients[index], v), numeric))

            guard order == 2 else { continue }
            // s(x) = Σⱼ ∂L/∂xⱼ · wⱼ, differentiated with respect to xᵢ along v.
            let w = points.map { Tensor.randomNormal(shape: $0.shape, dtype: .float64, using: &generator) }
            let analytic = probe.reverseOverReverse(function, weights: w, input: index, along: v)
            let numericSecond = probe.finiteDifferenceOfGradient(of: reference, weights: w, input: index, along: v)
            second = Swift.max(second!, relativeError(analytic, numericSecond))
        }
        results.append(GradientCheckResult(input: index, firstOrderError: first, secondOrderError: second))
    }
    return GradientCheckReport(results: results, tolerance: tolerance)
}
