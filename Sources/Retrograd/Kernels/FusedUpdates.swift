// Optimizer updates as single passes over the elements (C kernels in
// CRetrogradKernels/optimizers.c): one read of θ, g and the slots, one write of θ and of
// each slot. θ and the slots are updated in place when nothing else holds their storage
// (an optimizer's slots, and a variable's value once the tape that read it is gone);
// otherwise copy-on-write (`withUnsafeMutableScalars`) copies them first, so a tape or a
// caller still holding the old value never sees it change.
//
// The arithmetic is the same, in the same order and element type, as writing the rule
// with tensor ops (`m * β₁ + d * (1 − β₁)`, `a / b` as `a * b.reciprocal()`, …); every
// constant is rounded to the element type first, as a tensor op with a Swift number does.
// Large tensors are split across the cores with `Parallel.forEachChunk`.
import CRetrogradKernels

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// One step of stochastic gradient descent, PyTorch's `torch.optim.SGD` rule, applied
/// to a tensor in one fused pass.
///
/// With learning rate η, momentum μ, dampening τ and weight decay λ, at the variable's
/// t-th update:
///
///     d = g + λ·θ                               (when λ ≠ 0)
///     b = d  (t = 1)   or   b = μ·b + (1 − τ)·d  (t > 1)        (when μ ≠ 0)
///     d = d + μ·b   (Nesterov)   or   d = b     (otherwise)      (when μ ≠ 0)
///     θ = θ − η·d
public struct SGDStep: Sendable, Equatable {
    /// The learning rate η.
    public var learningRate: Double
    /// The momentum factor μ; 0 for plain gradient descent, which keeps no buffer.
    public var momentum: Double
    /// The dampening τ of the gradient added to the momentum buffer.
    public var dampening: Double
    /// The L2 penalty λ added to the gradient as λ·θ.
    public var weightDecay: Double
    /// Whether the step uses Nesterov momentum.
    public var nesterov: Bool
    /// The variable's update count t, this update included; on the first (1) the
    /// momentum buffer starts as the gradient.
    public var stepCount: Int

    /// Creates the constants of one SGD step.
    public init(
        learningRate: Double, momentum: Double = 0, dampening: Double = 0, weightDecay: Double = 0,
        nesterov: Bool = false, stepCount: Int
    ) {
        (self.learningRate, self.momentum, self.dampening) = (learningRate, momentum, dampening)
        (self.weightDecay, self.nesterov, self.stepCount) = (weightDecay, nesterov, stepCount)
    }

    /// Updates `value` in place from `gradient`, and the momentum buffer with it.
    ///
    /// - Parameters:
    ///   - value: θ, float32 or float64.
    ///   - gradient: g, of the value's shape and element type.
    ///   - momentumBuffer: b, of the value's shape and element type when ``momentum`` is
    ///     not 0; `nil` when it is.
    public func apply(to value: inout Tensor, gradient: Tensor, momentumBuffer: inout Tensor?) {
        let operation: StaticString = "SGDStep.apply"
        FusedPass.requireOperands(operation, value, gradient)
        FusedPass.requireStepCount(operation, stepCount)
        FusedPass.requireSlot(operation, "momentumBuffer", momentumBuffer, of: value, present: momentum != 0, when: "momentum is not 0")
        guard value.elementCount > 0 else { return }
        let constants = rg_sgd_step(
            learning_rate: learningRate, momentum: momentum, dampening: dampening, weight_decay: weightDecay,
            nesterov: nesterov ? 1 : 0, first_step: stepCount == 1 ? 1 : 0)
        FusedPass.run(constants, &value, gradient, &momentumBuffer) { c, x in
            rg_sgd_update(x.dtype, c, x.count, x.value, x.gradient, x.slots.0)
        }
    }
}

/// One step of Adam, PyTorch's `torch.optim.Adam` / `torch.optim.AdamW` rule, applied to
/// a tensor in one fused pass.
///
/// With learning rate η, L2 weight decay λ, decoupled weight decay λ_w and moments m, v,
/// at the variable's t-th update:
///
///     θ = θ · (1 − η·λ_w)                           (when λ_w ≠ 0: AdamW)
///     d = g + λ·θ                                   (when λ ≠ 0: L2, coupled)
///     m = β₁·m + (1 − β₁)·d
///     v = β₂·v + (1 − β₂)·d²
///     u = max(u, v)                                 (AMSGrad)
///     θ = θ − (η / (1 − β₁ᵗ)) · m / (√s / √(1 − β₂ᵗ) + ε),   s = u with AMSGrad, v otherwise
public struct AdamStep: Sendable, Equatable {
    /// The learning rate η.
    public var learningRate: Double
    /// The decay β₁ of the first moment.
    public var beta1: Double
    /// The decay β₂ of the second moment.
    public var beta2: Double
    /// The term ε added to the bias-corrected √v.
    public var epsilon: Double
    /// The L2 penalty λ added to the gradient as λ·θ (Adam's `weight_decay`).
    public var weightDecay: Double
    /// The decoupled decay λ_w: θ is first multiplied by 1 − η·λ_w (AdamW's `weight_decay`).
    public var decoupledWeightDecay: Double
    /// Whether the step divides by the running maximum of v (AMSGrad).
    public var amsgrad: Bool
    /// The variable's update count t, this update included (1 on the first), for the
    /// bias corrections.
    public var stepCount: Int

    /// Creates the constants of one Adam step.
    public init(
        learningRate: Double, beta1: Double, beta2: Double, epsilon: Double, weightDecay: Double = 0,
        decoupledWeightDecay: Double = 0, amsgrad: Bool = false, stepCount: Int
    ) {
        (self.learningRate, self.beta1, self.beta2, self.epsilon) = (learningRate, beta1, beta2, epsilon)
        (self.weightDecay, self.decoupledWeightDecay) = (weightDecay, decoupledWeightDecay)
        (self.amsgrad, self.stepCount) = (amsgrad, stepCount)
    }

    /// Updates `value` in place from `gradient`, and the moments with it.
    ///
    /// - Parameters:
    ///   - value: θ, float32 or float64.
    ///   - gradient: g, of the value's shape and element type.
    ///   - firstMoment: m, of the value's shape and element type.
    ///   - secondMoment: v, likewise.
    ///   - maxSecondMoment: u, likewise, with ``amsgrad``; `nil` without.
    public func apply(
        to value: inout Tensor, gradient: Tensor, firstMoment: inout Tensor, secondMoment: inout Tensor,
        maxSecondMoment: inout Tensor?
    ) {
        let operation: StaticString = "AdamStep.apply"
        FusedPass.requireOperands(operation, value, gradient)
        FusedPass.requireStepCount(operation, stepCount)
        FusedPass.requireSlot(operation, "firstMoment", firstMoment, of: value, present: true, when: "")
        FusedPass.requireSlot(operation, "secondMoment", secondMoment, of: value, present: true, when: "")
        FusedPass.requireSlot(operation, "maxSecondMoment", maxSecondMoment, of: value, present: amsgrad, when: "amsgrad is on")
        guard value.elementCount > 0 else { return }
        let t = Double(stepCount)
        let constants = rg_adam_step(
            beta1: beta1, beta2: beta2, epsilon: epsilon,
            step_size: learningRate / (1 - pow(beta1, t)), bias_correction2_root: (1 - pow(beta2, t)).squareRoot(),
            coupled_decay: weightDecay,
            decoupled_factor: decoupledWeightDecay == 0 ? 1 : 1 - learningRate * decoupledWeightDecay)
        FusedPass.run(constants, &value, gradient, &firstMoment, &secondMoment, &maxSecondMoment) { c, x in
            rg_adam_update(x.dtype, c, x.count, x.value, x.gradient, x.slots.0, x.slots.1, x.slots.2)
        }
    }
}

/// One step of RMSProp, PyTorch's `torch.optim.RMSprop` rule, applied to a tensor in one
/// fused pass.
///
/// With learning rate η, smoothing α, weight decay λ and momentum μ:
///
///     d = g + λ·θ                                   (when λ ≠ 0)
///     s = α·s + (1 − α)·d²
///     a = α·a + (1 − α)·d                           (centered)
///     r = √(s − a²) + ε   (centered)   or   r = √s + ε   (otherwise)
///     b = μ·b + d / r,    θ = θ − η·b               (when μ > 0)
///     θ = θ − η · d / r                             (otherwise)
public struct RMSPropStep: Sendable, Equatable {
    /// The learning rate η.
    public var learningRate: Double
    /// The smoothing α of the running averages.
    public var alpha: Double
    /// The term ε added to the root.
    public var epsilon: Double
    /// The L2 penalty λ added to the gradient as λ·θ.
    public var weightDecay: Double
    /// The momentum factor μ; 0 for none, which keeps no buffer.
    public var momentum: Double
    /// Whether the square average is centered by the square of the gradient average.
    public var centered: Bool

    /// Creates the constants of one RMSProp step.
    public init(
        learningRate: Double, alpha: Double, epsilon: Double, weightDecay: Double = 0, momentum: Double = 0,
        centered: Bool = false
    ) {
        (self.learningRate, self.alpha, self.epsilon) = (learningRate, alpha, epsilon)
        (self.weightDecay, self.momentum, self.centered) = (weightDecay, momentum, centered)
    }

    /// Updates `value` in place from `gradient`, and the running averages with it.
    ///
    /// - Parameters:
    ///   - value: θ, float32 or float64.
    ///   - gradient: g, of the value's shape and element type.
    ///   - squareAverage: s, of the value's shape and element type.
    ///   - gradientAverage: a, likewise, when ``centered``; `nil` otherwise.
    ///   - momentumBuffer: b, likewise, when ``momentum`` is above 0; `nil` otherwise.
    public func apply(
        to value: inout Tensor, gradient: Tensor, squareAverage: inout Tensor, gradientAverage: inout Tensor?,
        momentumBuffer: inout Tensor?
    ) {
        let operation: StaticString = "RMSPropStep.apply"
        FusedPass.requireOperands(operation, value, gradient)
        FusedPass.requireSlot(operation, "squareAverage", squareAverage, of: value, present: true, when: "")
        FusedPass.requireSlot(operation, "gradientAverage", gradientAverage, of: value, present: centered, when: "centered is on")
        FusedPass.requireSlot(operation, "momentumBuffer", momentumBuffer, of: value, present: momentum > 0, when: "momentum is above 0")
        guard value.elementCount > 0 else { return }
        let constants = rg_rmsprop_step(
            learning_rate: learningRate, alpha: alpha, epsilon: epsilon, weight_decay: weightDecay, momentum: momentum)
        FusedPass.run(constants, &value, gradient, &squareAverage, &gradientAverage, &momentumBuffer) { c, x in
            rg_rmsprop_update(x.dtype, c, x.count, x.value, x.gradient, x.slots.0, x.slots.1, x.slots.2)
        }
    }
}

/// One step of Adagrad, PyTorch's `torch.optim.Adagrad` rule, applied to a tensor in one
/// fused pass.
///
/// With learning rate η, learning-rate decay κ, weight decay λ and accumulator S, at the
/// variable's t-th update:
///
///     d = g + λ·θ                                   (when λ ≠ 0)
///     η_t = η / (1 + (t − 1)·κ)
///     S = S + d²
///     θ = θ − η_t · d / (√S + ε)
public struct AdagradStep: Sendable, Equatable {
    /// The learning rate η.
    public var learningRate: Double
    /// The decay κ: the t-th update uses η / (1 + (t − 1)·κ).
    public var learningRateDecay: Double
    /// The L2 penalty λ added to the gradient as λ·θ.
    public var weightDecay: Double
    /// The term ε added to √S.
    public var epsilon: Double
    /// The variable's update count t, this update included (1 on the first).
    public var stepCount: Int

    /// Creates the constants of one Adagrad step.
    public init(
        learningRate: Double, learningRateDecay: Double = 0, weightDecay: Double = 0, epsilon: Double, stepCount: Int
    ) {
        (self.learningRate, self.learningRateDecay, self.weightDecay) = (learningRate, learningRateDecay, weightDecay)
        (self.epsilon, self.stepCount) = (epsilon, stepCount)
    }

    /// Updates `value` in place from `gradient`, and the accumulator with it.
    ///
    /// - Parameters:
    ///   - value: θ, float32 or float64.
    ///   - gradient: g, of the value's shape and element type.
    ///   - accumulator: S, of the value's shape and element type.
    public func apply(to value: inout Tensor, gradient: Tensor, accumulator: inout Tensor) {
        let operation: StaticString = "AdagradStep.apply"
        FusedPass.requireOperands(operation, value, gradient)
        FusedPass.requireStepCount(operation, stepCount)
        FusedPass.requireSlot(operation, "accumulator", accumulator, of: value, present: true, when: "")
        guard value.elementCount > 0 else { return }
        let constants = rg_adagrad_step(
            learning_rate: learningRate / (1 + Double(stepCount - 1) * learningRateDecay),
            weight_decay: weightDecay, epsilon: epsilon)
        FusedPass.run(constants, &value, gradient, &accumulator) { c, x in
            rg_adagrad_update(x.dtype, c, x.count, x.value, x.gradient, x.slots.0)
        }
    }
}

// MARK: - The pass shared by the four rules

/// Checks, and the chunked call of a C kernel over θ, g and up to three slots.
private enum FusedPass {
    /// The addresses of one chunk of the pass.
    struct Chunk {
        var dtype: rg_dtype
        var count: Int64
        var value: UnsafeMutableRawPointer
        var gradient: UnsafeRawPointer
        var slots: (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?, UnsafeMutableRawPointer?)
    }

    /// Stops unless `value` is float32 or float64 and `gradient` matches it.
    static func requireOperands(_ operation: StaticString, _ value: Tensor, _ gradient: Tensor) {
        checkPrecondition(
            value.dtype.isFloatingPoint,
            "\(operation): the value holds \(value.dtype); only float32 and float64 tensors can be updated")
        checkPrecondition(
            gradient.shape == value.shape && gradient.dtype == value.dtype,
            "\(operation): the gradient is \(gradient.dtype) \(gradient.shape), but the value is "
                + "\(value.dtype) \(value.shape); pass the gradient computed for this value")
    }

    /// Stops unless the update count is a 1-based count.
    static func requireStepCount(_ operation: StaticString, _ stepCount: Int) {
        checkPrecondition(
            stepCount >= 1,
            "\(operation): stepCount is \(stepCount); it counts the variable's updates including this one, "
                + "so it starts at 1")
    }

    /// Stops unless `slot` is given exactly when the rule uses it, with the value's shape
    /// and element type.
    static func requireSlot(
        _ operation: StaticString, _ name: StaticString, _ slot: Tensor?, of value: Tensor, present: Bool,
        when condition: StaticString
    ) {
        guard let slot else {
            checkPrecondition(!present, "\(operation): \(name) is nil, but the rule needs it when \(condition)")
            return
        }
        checkPrecondition(
            present,
            "\(operation): \(name) was passed, but the rule does not use it; pass nil unless \(condition)")
        checkPrecondition(
            slot.shape == value.shape && slot.dtype == value.dtype,
            "\(operation): \(name) is \(slot.dtype) \(slot.shape), but the value is \(value.dtype) "
                + "\(value.shape); every slot has its value's shape and element type")
    }

    /// Calls `kernel` with the constants and the addresses of contiguous chunks that
    /// cover the elements once, concurrently for large tensors. `value` and the slots are
    /// written in place (each copied first when its storage is shared); an absent slot
    /// has a `nil` address.
    static func run<Constants, A: FusedSlot, B: FusedSlot, C: FusedSlot>(
        _ constants: Constants, _ value: inout Tensor, _ gradient: Tensor, _ a: inout A, _ b: inout B, _ c: inout C,
        _ kernel: (UnsafePointer<Constants>, Chunk) -> Void
    ) {
        let (dtype, count, byteSize) = (value.dtype.kernelType, value.elementCount, value.dtype.byteSize)
        a.withWritableAddress { a in
            b.withWritableAddress { b in
                c.withWritableAddress { c in
                    value.withWritableAddress { theta in
                        gradient.withReadableAddress { g in
                            let theta = theta!  // a non-empty float tensor has an address
                            // Every chunk's call reads the constants; none writes them.
                            withUnsafePointer(to: constants) { constants in
                                Parallel.forEachChunk(of: count) { start, length in
                                    let offset = start * byteSize
                                    let slots = (a.map { $0 + offset }, b.map { $0 + offset }, c.map { $0 + offset })
                                    kernel(
                                        constants,
                                        Chunk(
                                            dtype: dtype, count: Int64(length), value: theta + offset,
                                            gradient: g + offset, slots: slots))
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// ``run(_:_:_:_:_:_:_:)`` for a rule with one slot.
    static func run<Constants, A: FusedSlot>(
        _ constants: Constants, _ value: inout Tensor, _ gradient: Tensor, _ a: inout A,
        _ kernel: (UnsafePointer<Constants>, Chunk) -> Void
    ) {
        var (b, c): (Tensor?, Tensor?) = (nil, nil)
        run(constants, &value, gradient, &a, &b, &c, kernel)
    }
}

/// A slot of a fused pass: a tensor, or an optional one whose absence the kernel sees as
/// a `nil` address.
private protocol FusedSlot {
    /// Calls `body` with the address of the elements, to be written in place
    /// (copy-on-write first), or `nil` for an absent slot.
    mutating func withWritableAddress<Result>(_ body: (UnsafeMutableRawPointer?) -> Result) -> Result
}

extension Tensor: FusedSlot {
    /// Calls `body` with the address of the elements, to be written in place
    /// (copy-on-write first). The tensor is float32 or float64 and not empty.
    fileprivate mutating func withWritableAddress<Result>(_ body: (UnsafeMutableRawPointer?) -> Result) -> Result {
        switch dtype {
        case .float32: withUnsafeMutableScalars(as: Float.self) { body(UnsafeMutableRawPointer($0.baseAddress!)) }
        default: withUnsafeMutableScalars(as: Double.self) { body(UnsafeMutableRawPointer($0.baseAddress!)) }
        }
    }

    /// Calls `body` with the address of the elements, to be read. The tensor is float32 or
    /// float64 and not empty.
    fileprivate func withReadableAddress<Result>(_ body: (UnsafeRawPointer) -> Result) -> Result {
        switch dtype {
        case .float32: withUnsafeScalars(as: Float.self) { body(UnsafeRawPointer($0.baseAddress!)) }
        default: withUnsafeScalars(as: Double.self) { body(UnsafeRawPointer($0.baseAddress!)) }
        }
    }
}

extension Optional: FusedSlot where Wrapped == Tensor {
    /// The wrapped tensor's address, or `nil` for an absent slot.
    fileprivate mutating func withWritableAddress<Result>(_ body: (UnsafeMutableRawPointer?) -> Result) -> Result {
        guard self != nil else { return body(nil) }
        return self!.withWritableAddress(body)
    }
}
