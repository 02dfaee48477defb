/// Misuse of forward-mode differentiation, or a tangent it cannot give.
public enum ForwardModeError: Error, Equatable, CustomStringConvertible {
    /// The tangent asked for depends on a custom-gradient op (`withCustomGradient`,
    /// `gradientReversal`), which has a pullback but no forward rule.
    case customGradient(op: String)
    /// The primals and the tangents are lists of different lengths.
    case countMismatch(primals: Int, tangents: Int)
    /// A tangent does not have its primal's shape and element type.
    case tangentMismatch(index: Int, primal: Shape, primalType: DType, tangent: Shape, tangentType: DType)
    /// A primal is an integer or bool tensor, which has no tangent.
    case notDifferentiable(index: Int, type: DType)

    /// What went wrong and what to do instead.
    public var description: String {
        switch self {
        case let .customGradient(op):
            return "forward mode cannot differentiate through the custom-gradient op '\(op)': it has a pullback but no "
                + "forward rule, so its tangent is not defined (jax.jvp refuses custom_vjp functions the same way); "
                + "take this derivative in reverse mode (GradientTape's gradient or jacobian), or write the op "
                + "with differentiable ops instead of withCustomGradient"
        case let .countMismatch(primals, tangents):
            return "\(primals) primals but \(tangents) tangents; pass one tangent per primal"
        case let .tangentMismatch(index, primal, primalType, tangent, tangentType):
            return "tangent \(index) has shape \(tangent) (\(tangentType)) but primal \(index) has shape \(primal) "
                + "(\(primalType)); pass a tangent of the primal's shape and element type"
        case let .notDifferentiable(index, type):
            return "primal \(index) is \(type), which has no tangent; only float32 and float64 values can be primals"
        }
    }
}

/// Computes Jacobian-vector products (forward-mode derivatives) alongside a computation,
/// as TensorFlow's `tf.autodiff.ForwardAccumulator` does.
///
/// Give it primals and their tangents (the direction to differentiate along), run the
/// computation inside ``record(_:)``, then ask ``jvp(_:unconnected:)`` for the tangent of
/// any value computed there: the directional derivative J·v, in one pass, whatever the
/// size of the output.
///
/// ```swift
/// let x = Tensor([0.5, 2] as [Double])
/// let acc = try ForwardAccumulator(primals: [x], tangents: [Tensor([1, 0] as [Double])])
/// let y = acc.record { x.sin() * x }
/// let dy = try acc.jvp(y)          // ∂y/∂x₀: [sin 0.5 + 0.5·cos 0.5, 0]
/// ```
///
/// Tangents are computed with Retrograd's own ops, so accumulators and tapes compose in
/// both nestings. A tape recording around an accumulator records the tangent computations
/// and can differentiate a tangent (reverse-over-forward). An accumulator around a tape
/// sees the tape's backward pass, so the tangent of a gradient is a Hessian-vector product
/// (forward-over-reverse):
///
/// ```swift
/// let acc = try ForwardAccumulator(primals: [x], tangents: [v])
/// let g = try acc.record { () throws -> Tensor in
///     let tape = GradientTape()
///     let y = tape.record { tape.watch(x); return f(x) }
///     return try tape.gradient(of: y, wrt: x)!
/// }
/// let hv = try acc.jvp(g)          // H·v
/// ```
///
/// An accumulator's own tangent computations are seen by the tapes and accumulators that
/// were recording when its `record` began, not by those started inside it. Custom
/// gradients have no forward rule: ``jvp(_:unconnected:)`` throws
/// ``ForwardModeError/customGradient(op:)`` for a value whose tangent depends on one.
/// ``withoutRecording(_:)`` pauses accumulators too. An accumulator keeps the tangent of
/// every value it saw for as long as it lives, and belongs to the task that uses it.
public final class ForwardAccumulator {
    /// A value's tangent, or why it has none.
    enum Tangent {
        case value(Tensor)
        /// Depends on the custom-gradient op of this name.
        case undefined(op: String)
    }

    // Used from one thread at a time, as a tape's storage is.
    @exclusivity(unchecked) private var slots = IdentityMap()
    @exclusivity(unchecked) private var tangents: [Tangent] = []
    /// The recorders that see this accumulator's tangent computations, one entry per open
    /// `record`: those that were recording when it began (nil: none).
    @exclusivity(unchecked) private var outerStacks: [TapeStack?] = []

    /// Creates an accumulator that follows `tangents` from `primals`.
    ///
    /// - Throws: ``ForwardModeError`` when the lists differ in length, a tangent's shape or
    ///   element type differs from its primal's, or a primal is not floating point.
    public init(primals: [Tensor], tangents: [Tensor]) throws {
        try watch(primals.map { ($0.id, $0.shape, $0.dtype) }, tangents)
    }

    /// Creates an accumulator that follows `tangents` from the values of `variables`: every
    /// read of a variable's value inside ``record(_:)`` carries its tangent.
    ///
    /// - Throws: ``ForwardModeError`` as ``init(primals:tangents:)-([Tensor],_)`` does.
    public init(primals variables: [Variable], tangents: [Tensor]) throws {
        try watch(variables.map { ($0.id, $0.shape, $0.dtype) }, tangents)
    }

    private func watch(_ primals: [(id: UInt64, shape: Shape, dtype: DType)], _ seeds: [Tensor]) throws {
        guard primals.count == seeds.count else {
            throw ForwardModeError.countMismatch(primals: primals.count, tangents: seeds.count)
        }
        for (index, (primal, seed)) in zip(primals, seeds).enumerated() {
            guard primal.dtype.isFloatingPoint else { throw ForwardModeError.notDifferentiable(index: index, type: primal.dtype) }
            guard seed.shape == primal.shape && seed.dtype == primal.dtype else {
                throw ForwardModeError.tangentMismatch(
                    index: index, primal: primal.shape, primalType: primal.dtype, tangent: seed.shape, tangentType: seed.dtype)
            }
            set(.value(seed), for: primal.id)
        }
    }

    /// Runs `body` with this accumulator following tangents through every op, and returns
    /// its result. An accumulator can record several times.
    public func record<Result>(_ body: () throws -> Result) rethrows -> Result {
        if !outerStacks.isEmpty { return try body() }  // already recording
        outerStacks.append(TapeStack.current.map(TapeStack.init(copying:)))
        TapeStack.push(self)
        defer {
            TapeStack.pop(self)
            outerStacks.removeLast()
        }
        return try body()
    }

    /// The tangent of `target`: the derivative of `target` along the tangents given at
    /// creation (J·v), of `target`'s shape.
    ///
    /// Returns nil when `target` does not depend on the primals (or was computed outside
    /// ``record(_:)``), or zeros with `unconnected: .zero`.
    ///
    /// - Throws: ``ForwardModeError/customGradient(op:)`` when the tangent depends on a
    ///   custom-gradient op, which forward mode cannot go through.
    public func jvp(_ target: Tensor, unconnected: UnconnectedGradients = .none) throws -> Tensor? {
        switch tangent(of: target.id) {
        case let .value(tangent)?: return tangent
        case let .undefined(op)?: throw ForwardModeError.customGradient(op: op)
        case nil: return unconnected == .zero && target.dtype.isFloatingPoint ? Tensor.zeros(like: target) : nil
        }
    }

    // MARK: Following ops

    private func tangent(of id: UInt64) -> Tangent? {
        guard let index = slots[id].trackedIndex else { return nil }
        return tangents[Int(index)]
    }

    private func set(_ tangent: Tangent, for id: UInt64) {
        if let index = slots[id].trackedIndex {
            tangents[Int(index)] = tangent
        } else {
            slots.set(id, .tracked(Int32(tangents.count)))
            tangents.append(tangent)
        }
    }

    /// Gives `output` its tangent after `op` ran on `inputs`, when an input has one. With
    /// `broadcasting`, input tangents are first expanded to the output's shape, as the tape
    /// expands inputs before a broadcasting op.
    func follow(_ op: @autoclosure () -> Primitive, _ output: Tensor, _ inputs: [Tensor], broadcasting: Bool) {
        var seeds: [Tensor?] = []
        var found = false
        for input in inputs {
            switch tangent(of: input.id) {
            case let .value(tangent)?:
                seeds.append(tangent)
                found = true
            case let .undefined(op)?:
                return set(.undefined(op: op), for: output.id)
            case nil:
                seeds.append(nil)
            }
        }
        guard found else { return }
        let primitive = op()
        do throws(ForwardModeError) {
            // Under the recorders outside this accumulator: they may differentiate the tangent.
            let tangent = try TapeStack.substituted(outerStacks.last ?? nil) { () throws(ForwardModeError) -> Tensor? in
                let shape = output.shape
                let aligned = broadcasting ? seeds.map { $0.map { $0.shape == shape ? $0 : $0.expanded(to: shape) } } : seeds
                return try ForwardRules.tangent(of: primitive, aligned, outputShape: shape)
            }
            if let tangent { set(.value(tangent), for: output.id) }
        } catch {
            switch error {
            case let .customGradient(op): set(.undefined(op: op), for: output.id)
            case .countMismatch, .tangentMismatch, .notDifferentiable: break  // not thrown by rules
            }
        }
    }
}

extension ForwardAccumulator {
    /// Lets every accumulator recording on `stack` follow an op of up to three inputs
    /// (`Tensor.record`'s hook; out of line, so the inlined record path stays small).
    @inline(never)
    static func follow(
        _ stack: TapeStack, _ op: Primitive, _ output: Tensor, _ a: Tensor, _ b: Tensor?, _ c: Tensor?, broadcasting: Bool
    ) {
        let inputs = [a] + [b, c].compactMap { $0 }
        follow(stack, op, output, inputs, broadcasting: broadcasting)
    }

    /// Lets every accumulator recording on `stack` follow an op.
    static func follow(
        _ stack: TapeStack, _ op: @autoclosure () -> Primitive, _ output: Tensor, _ inputs: [Tensor], broadcasting: Bool
    ) {
        for accumulator in stack.accumulators {
            accumulator.follow(op(), output, inputs, broadcasting: broadcasting)
        }
    }
}
