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
    let points = withoutRecording { inputs.map { $0.cast(to: .float64).withNewIdentity } }
    var generator = SeededGenerator(seed: seed)
    let probe = withoutRecording { function(points) }
    let referenceShape = withoutRecording { reference(points).shape }
    checkPrecondition(
        referenceShape == probe.shape,
        "checkGradients: the function's output has shape \(probe.shape) but the reference's has \(referenceShape); "
            + "the reference must compute the same value")
    let cotangent = Tensor.randomNormal(shape: probe.shape, dtype: .float64, using: &generator)

    /// L(x) = Σ u·f(x) for f = `function` or `reference`, recorded on whatever tapes are active.
    func contracted(_ f: ([Tensor]) -> Tensor, _ xs: [Tensor]) -> Tensor { (f(xs) * cotangent).sum() }

    /// The tape gradient of L at `xs`, one per input (zeros where unconnected).
    func tapeGradient(_ f: ([Tensor]) -> Tensor, _ xs: [Tensor]) -> [Tensor] {
        let tape = GradientTape()
        xs.forEach(tape.watch)
        let value = tape.record { contracted(f, xs) }
        return (try? tape.gradient(of: value, wrt: xs, unconnected: .zero))?.map { $0! } ?? xs.map(Tensor.zeros(like:))
    }

    func dot(_ a: Tensor, _ b: Tensor) -> Double { withoutRecording { (a * b).sum().scalar(as: Double.self) } }
    func shifted(_ xs: [Tensor], _ index: Int, by step: Tensor) -> [Tensor] {
        var copy = xs
        copy[index] = withoutRecording { xs[index] + step }.withNewIdentity
        return copy
    }
    func relativeError(_ a: Double, _ b: Double) -> Double {
        let error = Swift.abs(a - b) / Swift.max(1, Swift.abs(a), Swift.abs(b))
        return error.isNaN ? .infinity : error
    }

    let epsilon = 1e-6
    let firstGradients = tapeGradient(function, points)
    var results: [GradientCheckResult] = []
    for index in points.indices {
        var first = 0.0
        var second: Double? = order == 2 ? 0 : nil
        for _ in 0..<directions {
            let v = Tensor.randomNormal(shape: points[index].shape, dtype: .float64, using: &generator)
            let step = withoutRecording { v * epsilon }
            let plus = withoutRecording { contracted(reference, shifted(points, index, by: step)).scalar(as: Double.self) }
            let minus = withoutRecording { contracted(reference, shifted(points, index, by: -step)).scalar(as: Double.self) }
            let numeric = (plus - minus) / (2 * epsilon)
            first = Swift.max(first, relativeError(dot(firstGradients[index], v), numeric))

            guard order == 2 else { continue }
            // s(x) = Σⱼ ∂L/∂xⱼ · wⱼ, differentiated with respect to xᵢ along v.
            let w = points.map { Tensor.randomNormal(shape: $0.shape, dtype: .float64, using: &generator) }
            func s(_ xs: [Tensor]) -> Double { zip(tapeGradient(reference, xs), w).reduce(0) { $0 + dot($1.0, $1.1) } }
            let outer = GradientTape()
            points.forEach(outer.watch)
            let sValue = outer.record { () -> Tensor in
                let grads = tapeGradient(function, points)
                return zip(grads, w).map { ($0 * $1).sum() }.reduce(Tensor(scalar: 0, dtype: .float64), +)
            }
            let hessianVector = (try? outer.gradient(of: sValue, wrt: points[index], unconnected: .zero)) ?? nil
            let analytic = hessianVector.map { dot($0, v) } ?? 0
            let numericSecond = (s(shifted(points, index, by: step)) - s(shifted(points, index, by: -step))) / (2 * epsilon)
            second = Swift.max(second!, relativeError(analytic, numericSecond))
        }
        results.append(GradientCheckResult(input: index, firstOrderError: first, secondOrderError: second))
    }
    return GradientCheckReport(results: results, tolerance: tolerance)
}
