// What the derivative checkers share: the float64 point, the random cotangent that turns
// a function into the scalar L(x) = Σ u·f(x), and the derivatives of L by tape, by forward
// mode and by central finite differences.

/// A point at which to check a function's derivatives, with a random cotangent.
struct DerivativeProbe {
    /// The step of the central finite differences.
    static let epsilon = 1e-6
    /// The point: float64 copies of the inputs under fresh identities.
    let points: [Tensor]
    /// The random cotangent `u` of the function's output.
    let cotangent: Tensor

    /// Probes `function` at `inputs`, stopping (naming `op`) when `reference` computes an
    /// output of another shape.
    init(
        _ function: ([Tensor]) -> Tensor, reference: ([Tensor]) -> Tensor, at inputs: [Tensor],
        using generator: inout SeededGenerator, op: String
    ) {
        let points = withoutRecording { inputs.map { $0.cast(to: .float64).withNewIdentity } }
        let output = withoutRecording { function(points) }
        let referenceShape = withoutRecording { reference(points).shape }
        checkPrecondition(
            referenceShape == output.shape,
            "\(op): the function's output has shape \(output.shape) but the reference's has \(referenceShape); "
                + "the reference must compute the same value")
        self.points = points
        cotangent = Tensor.randomNormal(shape: output.shape, dtype: .float64, using: &generator)
    }

    /// L(x) = Σ u·f(x) for f = `function`, recorded on whatever tapes and accumulators are active.
    func contracted(_ function: ([Tensor]) -> Tensor, _ xs: [Tensor]) -> Tensor { (function(xs) * cotangent).sum() }

    /// The tape gradient of L at `xs`, one per input (zeros where unconnected).
    func tapeGradient(_ function: ([Tensor]) -> Tensor, _ xs: [Tensor]) -> [Tensor] {
        let tape = GradientTape()
        xs.forEach(tape.watch)
        let value = tape.record { contracted(function, xs) }
        return (try? tape.gradient(of: value, wrt: xs, unconnected: .zero))?.map { $0! } ?? xs.map(Tensor.zeros(like:))
    }

    /// s(x) = Σⱼ ⟨∂L/∂xⱼ, wⱼ⟩ from `function`'s tape gradients, recorded on the active recorders.
    func weightedGradient(_ function: ([Tensor]) -> Tensor, _ xs: [Tensor], weights: [Tensor]) -> Tensor {
        zip(tapeGradient(function, xs), weights).map { ($0 * $1).sum() }.reduce(Tensor(scalar: 0, dtype: .float64), +)
    }

    /// (L(x + εv) − L(x − εv)) / 2ε with `v` added to input `index`.
    func finiteDifference(of function: ([Tensor]) -> Tensor, input index: Int, along v: Tensor) -> Double {
        centralDifference(input: index, along: v) { xs in withoutRecording { contracted(function, xs).scalar(as: Double.self) } }
    }

    /// The derivative of s along `v` at input `index` by central finite differences of the
    /// tape gradients of `function`.
    func finiteDifferenceOfGradient(
        of function: ([Tensor]) -> Tensor, weights: [Tensor], input index: Int, along v: Tensor
    ) -> Double {
        centralDifference(input: index, along: v) { xs in
            zip(tapeGradient(function, xs), weights).reduce(0) { $0 + dot($1.0, $1.1) }
        }
    }

    /// The derivative of s along `v` at input `index` by a tape around the tape gradient
    /// (reverse over reverse).
    func reverseOverReverse(_ function: ([Tensor]) -> Tensor, weights: [Tensor], input index: Int, along v: Tensor) -> Double {
        let outer = GradientTape()
        points.forEach(outer.watch)
        let s = outer.record { weightedGradient(function, points, weights: weights) }
        let hessianVector = (try? outer.gradient(of: s, wrt: points[index], unconnected: .zero)) ?? nil
        return hessianVector.map { dot($0, v) } ?? 0
    }

    private func centralDifference(input index: Int, along v: Tensor, _ value: ([Tensor]) -> Double) -> Double {
        let step = withoutRecording { v * Self.epsilon }
        return (value(shifted(index, by: step)) - value(shifted(index, by: -step))) / (2 * Self.epsilon)
    }

    /// The point with `step` added to input `index`.
    private func shifted(_ index: Int, by step: Tensor) -> [Tensor] {
        var copy = points
        copy[index] = withoutRecording { points[index] + step }.withNewIdentity
        return copy
    }
}

/// ⟨a, b⟩, not recorded.
func dot(_ a: Tensor, _ b: Tensor) -> Double { withoutRecording { (a * b).sum().scalar(as: Double.self) } }

/// |a − b| / max(1, |a|, |b|); NaN counts as infinitely wrong.
func relativeError(_ a: Double, _ b: Double) -> Double {
    let error = Swift.abs(a - b) / Swift.max(1, Swift.abs(a), Swift.abs(b))
    return error.isNaN ? .infinity : error
}
