// Elementwise primitives (each with a rule in DerivativeRules.swift) and the operators.
//
// int32 tensors take the arithmetic operators, `maximum`, the comparisons, `sum` and `max`
// through the same kernels; ints are never watched (see `GradientTape.watch`), so no tape
// ever records them.

extension Tensor {
    @inline(__always)
    static func requireFloatingPoint(_ x: Tensor, _ op: String) {
        if _slowPath(!x.dtype.isFloatingPoint) { floatingPointRequired(x, op) }
    }

    /// Stops with the message for an op that needs floating-point elements but got `x`.
    @inline(never)
    static func floatingPointRequired(_ x: Tensor, _ op: String) -> Never {
        let hint = x.dtype == .int32 ? "; convert with .cast(to: .float32) first" : ""
        preconditionFailed("\(op): needs a float32 or float64 tensor, got \(x.dtype) of shape \(x.shape)\(hint)")
    }

    /// Stops unless `x` has arithmetic (float32, float64 or int32); called off the
    /// floating-point path only.
    @inline(never)
    static func requireArithmetic(_ x: Tensor, _ op: String) {
        checkPrecondition(
            x.dtype.isFloatingPoint || x.dtype == .int32,
            "\(op): needs a float32, float64 or int32 tensor, got \(x.dtype) of shape \(x.shape)")
    }

    /// Stops unless the non-floating-point operands of the binary kernel `kernel` can take
    /// integer arithmetic: int32, not `pow`, and for division no zero divisor.
    @inline(never)
    private static func checkIntegerOperands(_ name: String, _ kernel: Kernels.Binary, _ a: Tensor, _ b: Tensor) {
        if kernel == .pow { floatingPointRequired(a, name) }
        requireArithmetic(a, name)
        if kernel == .div {
            let zeros = b.withUnsafeScalars(as: Int32.self) { $0.lazy.filter { $0 == 0 }.count }
            checkPrecondition(
                zeros == 0,
                "div: int32 division by zero (\(zeros) of the divisor's \(b.elementCount) elements, shape \(b.shape)); "
                    + "convert with .cast(to: .float32) for IEEE division")
        }
    }

    /// The broadcast shape of two operands of `op`, stopping with both shapes when the
    /// operands cannot be broadcast or have different element types.
    static func operandShape(_ a: Tensor, _ b: Tensor, _ op: String) -> Shape {
        if _fastPath(a.dtype == b.dtype && a.shape == b.shape) { return a.shape }
        return broadcastShape(a, b, op)
    }

    /// The broadcast shape of operands whose element types or shapes differ, off the fast
    /// path of `operandShape`.
    @inline(never)
    private static func broadcastShape(_ a: Tensor, _ b: Tensor, _ op: String) -> Shape {
        checkPrecondition(
            a.dtype == b.dtype,
            "\(op): operands are \(a.dtype) \(a.shape) and \(b.dtype) \(b.shape); convert one with .cast(to:)")
        guard let shape = Shape.broadcast(a.shape, b.shape) else {
            preconditionFailed("\(op): shapes \(a.shape) and \(b.shape) cannot be broadcast together")
        }
        return shape
    }

    /// The result of the unary kernel `kernel` (named `name` in messages) on `self`.
    @inline(__always)
    private func unary(_ name: String, _ kernel: Kernels.Unary) -> Tensor {
        Tensor.requireFloatingPoint(self, name)
        return Tensor(storage: Kernels.unary(kernel, self))
    }

    /// The result of the binary kernel `kernel` (named `name` in messages) on the
    /// broadcast operands: floating-point, or int32 for every kernel but `pow`.
    @inline(__always)
    private static func binary(_ name: String, _ kernel: Kernels.Binary, _ a: Tensor, _ b: Tensor) -> Tensor {
        let shape = operandShape(a, b, name)
        if _slowPath(!a.dtype.isFloatingPoint) { checkIntegerOperands(name, kernel, a, b) }
        return Tensor(storage: Kernels.binary(kernel, a, b, shape: shape))
    }

    /// e raised to each element.
    public func exp() -> Tensor {
        let y = unary("exp", .exp)
        Tensor.record(.exp(y: y), y, self)
        return y
    }

    /// The natural logarithm of each element.
    public func log() -> Tensor {
        let y = unary("log", .log)
        Tensor.record(.log(x: self), y, self)
        return y
    }

    /// The sine of each element (radians).
    public func sin() -> Tensor {
        let y = unary("sin", .sin)
        Tensor.record(.sin(x: self), y, self)
        return y
    }

    /// The cosine of each element (radians).
    public func cos() -> Tensor {
        let y = unary("cos", .cos)
        Tensor.record(.cos(x: self), y, self)
        return y
    }

    /// The square root of each element.
    public func sqrt() -> Tensor {
        let y = unary("sqrt", .sqrt)
        Tensor.record(.sqrt(y: y), y, self)
        return y
    }

    /// The hyperbolic tangent of each element.
    public func tanh() -> Tensor {
        let y = unary("tanh", .tanh)
        Tensor.record(.tanh(y: y), y, self)
        return y
    }

    /// The logistic function 1 / (1 + e^(−x)) of each element, stable for large |x|.
    public func sigmoid() -> Tensor {
        let y = unary("sigmoid", .sigmoid)
        Tensor.record(.sigmoid(y: y), y, self)
        return y
    }

    /// The error function erf(x) = 2/√π ∫₀ˣ e^(−t²) dt of each element (the Gaussian
    /// CDF is (1 + erf(x/√2)) / 2).
    public func erf() -> Tensor {
        let y = unary("erf", .erf)
        Tensor.record(.erf(x: self), y, self)
        return y
    }

    /// log(1 + eˣ) of each element, computed as max(x, 0) + log(1 + e^(−|x|)) so it never
    /// overflows; smooth everywhere (log 2 at 0), with derivative σ(x).
    public func softplus() -> Tensor {
        let y = unary("softplus", .softplus)
        Tensor.record(.softplus(x: self), y, self)
        return y
    }

    /// 1 / x for each element.
    public func reciprocal() -> Tensor {
        let y = unary("reciprocal", .reciprocal)
        Tensor.record(.reciprocal(y: y), y, self)
        return y
    }

    /// Each element raised to the matching element of `exponent` (broadcast).
    public func pow(_ exponent: Tensor) -> Tensor {
        let y = Tensor.binary("pow", .pow, self, exponent)
        Tensor.record(.pow(base: self, exponent: exponent, y: y), y, self, exponent, broadcasting: true)
        return y
    }

    /// Each element raised to a constant power.
    public func pow(_ exponent: Double) -> Tensor { pow(Tensor(scalar: exponent, dtype: dtype)) }

    /// The larger of the two operands at each position (ties count as `self`); int32
    /// operands too.
    public func maximum(_ other: Tensor) -> Tensor {
        let y = Tensor.binary("maximum", .maximum, self, other)
        Tensor.record(.maximum(a: self, b: other), y, self, other, broadcasting: true)
        return y
    }

    /// The larger of each element and a constant.
    public func maximum(_ other: Double) -> Tensor { maximum(Tensor(scalar: other, dtype: dtype)) }

    /// Elementwise sum, with broadcasting. int32 sums wrap around on overflow.
    public static func + (lhs: Tensor, rhs: Tensor) -> Tensor {
        let y = binary("add", .add, lhs, rhs)
        record(.add, y, lhs, rhs, broadcasting: true)
        return y
    }

    /// Elementwise difference, with broadcasting. int32 differences wrap around on
    /// overflow.
    public static func - (lhs: Tensor, rhs: Tensor) -> Tensor {
        let y = binary("sub", .sub, lhs, rhs)
        record(.sub, y, lhs, rhs, broadcasting: true)
        return y
    }

    /// Elementwise quotient, with broadcasting: IEEE division, correctly rounded, for
    /// floating-point operands; for int32 operands the quotient truncated toward zero, as
    /// Swift's `/` on integers (`-7 / 2` is `-3`), and a zero divisor stops the program.
    public static func / (lhs: Tensor, rhs: Tensor) -> Tensor {
        let y = binary("div", .div, lhs, rhs)
        record(.div(b: rhs, y: y), y, lhs, rhs, broadcasting: true)
        return y
    }

    /// Elementwise product, with broadcasting. int32 products wrap around on overflow.
    public static func * (lhs: Tensor, rhs: Tensor) -> Tensor {
        let y = binary("mul", .mul, lhs, rhs)
        record(.mul(a: lhs, b: rhs), y, lhs, rhs, broadcasting: true)
        return y
    }

    /// The negation of each element (of an int32 tensor too).
    public static prefix func - (x: Tensor) -> Tensor {
        if _slowPath(!x.dtype.isFloatingPoint) { requireArithmetic(x, "neg") }
        let y = Tensor(storage: Kernels.unary(.neg, x))
        record(.neg, y, x)
        return y
    }

    /// Converts to another element type. Casting between float32 and float64 is
    /// differentiable; casting to or from int32 and bool is not.
    public func cast(to target: DType) -> Tensor {
        if target == dtype { return self }
        let out = Tensor(storage: Kernels.cast(self, to: target))
        if dtype.isFloatingPoint && target.isFloatingPoint {
            Tensor.record(.cast(from: dtype), out, self)
        } else {
            Tensor.recordCut(.cast(to: target), out, self)
        }
        return out
    }
}

// MARK: - Comparisons and select

extension Tensor {
    private static func compare(_ op: Kernels.Comparison, _ name: String, _ a: Tensor, _ b: Tensor) -> Tensor {
        let shape = operandShape(a, b, name)
        let out = Tensor(storage: Kernels.compare(op, a, b, shape: shape))
        Tensor.recordCut(.compare(name), out, a, b)
        return out
    }

    /// Elementwise `a < b` as a `bool` tensor (not differentiable).
    public static func .< (a: Tensor, b: Tensor) -> Tensor { compare(.less, "<", a, b) }
    /// Elementwise `a <= b` as a `bool` tensor (not differentiable).
    public static func .<= (a: Tensor, b: Tensor) -> Tensor { compare(.lessOrEqual, "<=", a, b) }
    /// Elementwise `a > b` as a `bool` tensor (not differentiable).
    public static func .> (a: Tensor, b: Tensor) -> Tensor { compare(.greater, ">", a, b) }
    /// Elementwise `a >= b` as a `bool` tensor (not differentiable).
    public static func .>= (a: Tensor, b: Tensor) -> Tensor { compare(.greaterOrEqual, ">=", a, b) }
    /// Elementwise `a == b` as a `bool` tensor (not differentiable).
    public static func .== (a: Tensor, b: Tensor) -> Tensor { compare(.equal, "==", a, b) }
    /// Elementwise `a != b` as a `bool` tensor (not differentiable).
    public static func .!= (a: Tensor, b: Tensor) -> Tensor { compare(.notEqual, "!=", a, b) }

    /// Elementwise comparisons with a constant of the tensor's type.
    public static func .< (a: Tensor, b: Double) -> Tensor { a .< Tensor(scalar: b, dtype: a.dtype) }
    public static func .<= (a: Tensor, b: Double) -> Tensor { a .<= Tensor(scalar: b, dtype: a.dtype) }
    public static func .> (a: Tensor, b: Double) -> Tensor { a .> Tensor(scalar: b, dtype: a.dtype) }
    public static func .>= (a: Tensor, b: Double) -> Tensor { a .>= Tensor(scalar: b, dtype: a.dtype) }
    public static func .== (a: Tensor, b: Double) -> Tensor { a .== Tensor(scalar: b, dtype: a.dtype) }
    public static func .!= (a: Tensor, b: Double) -> Tensor { a .!= Tensor(scalar: b, dtype: a.dtype) }
}

/// Picks `a` where `condition` is true and `b` elsewhere; the three are broadcast
/// together. Gradients flow to the branch that was picked.
public func select(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
    checkPrecondition(condition.dtype == .bool, "select: the condition must be a bool tensor, got \(condition.dtype)")
    let branches = Tensor.operandShape(a, b, "select")
    guard let shape = Shape.broadcast(condition.shape, branches) else {
        preconditionFailed("select: condition \(condition.shape) and branches \(a.shape), \(b.shape) cannot be broadcast together")
    }
    let out = Tensor(storage: Kernels.select(condition, a, b, shape: shape))
    if a.dtype.isFloatingPoint { Tensor.record(.select(condition: condition), out, a, b, broadcasting: true) }
    Tensor.recordCutCondition(condition, out)
    return out
}

/// Picks `a` where `condition` is true and the constant `b` elsewhere.
public func select(_ condition: Tensor, _ a: Tensor, _ b: Double) -> Tensor {
    select(condition, a, Tensor(scalar: b, dtype: a.dtype))
}

/// Picks the constant `a` where `condition` is true and `b` elsewhere.
public func select(_ condition: Tensor, _ a: Double, _ b: Tensor) -> Tensor {
    select(condition, Tensor(scalar: a, dtype: b.dtype), b)
}
