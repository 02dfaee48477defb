// Elementwise primitives (each with a rule in DerivativeRules.swift) and the operators.

extension Tensor {
    @inline(__always)
    static func requireFloatingPoint(_ x: Tensor, _ op: @autoclosure () -> String) {
        precondition(x.dtype.isFloatingPoint, "\(op()): needs a float32 or float64 tensor, got \(x.dtype) of shape \(x.shape)")
    }

    /// The broadcast shape of two operands of `op`, stopping with both shapes when the
    /// operands cannot be broadcast or have different element types.
    static func operandShape(_ a: Tensor, _ b: Tensor, _ op: @autoclosure () -> String) -> Shape {
        precondition(
            a.dtype == b.dtype,
            "\(op()): operands are \(a.dtype) \(a.shape) and \(b.dtype) \(b.shape); convert one with .cast(to:)")
        if a.shape == b.shape { return a.shape }
        guard let shape = Shape.broadcast(a.shape, b.shape) else {
            preconditionFailure("\(op()): shapes \(a.shape) and \(b.shape) cannot be broadcast together")
        }
        return shape
    }

    /// Runs the unary kernel `kernel` (named `name` in messages) and records `primitive`,
    /// built from the input `x` and the result `y`.
    @inline(__always)
    private func unary(
        _ name: String, _ kernel: Kernels.Unary, _ primitive: (_ x: Tensor, _ y: Tensor) -> Primitive
    ) -> Tensor {
        Tensor.requireFloatingPoint(self, name)
        let out = Tensor(storage: Kernels.unary(kernel, self), shape: shape)
        Tensor.record(primitive(self, out), out, self)
        return out
    }

    /// Runs the binary kernel `kernel` on the broadcast operands and records `primitive`,
    /// built from the operands `a`, `b` and the result `y`.
    @inline(__always)
    private static func binary(
        _ name: String, _ kernel: Kernels.Binary, _ a: Tensor, _ b: Tensor,
        _ primitive: (_ a: Tensor, _ b: Tensor, _ y: Tensor) -> Primitive
    ) -> Tensor {
        let shape = operandShape(a, b, name)
        requireFloatingPoint(a, name)
        let out = Tensor(storage: Kernels.binary(kernel, a, b, shape: shape), shape: shape)
        record(primitive(a, b, out), out, a, b, broadcasting: true)
        return out
    }

    /// e raised to each element.
    public func exp() -> Tensor { unary("exp", .exp) { _, y in .exp(y: y) } }
    /// The natural logarithm of each element.
    public func log() -> Tensor { unary("log", .log) { x, _ in .log(x: x) } }
    /// The sine of each element (radians).
    public func sin() -> Tensor { unary("sin", .sin) { x, _ in .sin(x: x) } }
    /// The cosine of each element (radians).
    public func cos() -> Tensor { unary("cos", .cos) { x, _ in .cos(x: x) } }
    /// The square root of each element.
    public func sqrt() -> Tensor { unary("sqrt", .sqrt) { _, y in .sqrt(y: y) } }
    /// The hyperbolic tangent of each element.
    public func tanh() -> Tensor { unary("tanh", .tanh) { _, y in .tanh(y: y) } }
    /// The logistic function 1 / (1 + e^(−x)) of each element, stable for large |x|.
    public func sigmoid() -> Tensor { unary("sigmoid", .sigmoid) { _, y in .sigmoid(y: y) } }
    /// 1 / x for each element.
    public func reciprocal() -> Tensor { unary("reciprocal", .reciprocal) { _, y in .reciprocal(y: y) } }

    /// Each element raised to the matching element of `exponent` (broadcast).
    public func pow(_ exponent: Tensor) -> Tensor {
        Tensor.binary("pow", .pow, self, exponent) { base, exponent, y in .pow(base: base, exponent: exponent, y: y) }
    }

    /// Each element raised to a constant power.
    public func pow(_ exponent: Double) -> Tensor { pow(Tensor(scalar: exponent, dtype: dtype)) }

    /// The larger of the two operands at each position (ties count as `self`).
    public func maximum(_ other: Tensor) -> Tensor {
        Tensor.binary("maximum", .maximum, self, other) { a, b, _ in .maximum(a: a, b: b) }
    }

    /// The larger of each element and a constant.
    public func maximum(_ other: Double) -> Tensor { maximum(Tensor(scalar: other, dtype: dtype)) }

    /// Elementwise sum, with broadcasting.
    public static func + (lhs: Tensor, rhs: Tensor) -> Tensor { binary("add", .add, lhs, rhs) { _, _, _ in .add } }
    /// Elementwise product, with broadcasting.
    public static func * (lhs: Tensor, rhs: Tensor) -> Tensor { binary("mul", .mul, lhs, rhs) { a, b, _ in .mul(a: a, b: b) } }

    /// The negation of each element.
    public static prefix func - (x: Tensor) -> Tensor { x.unary("neg", .neg) { _, _ in .neg } }

    /// Converts to another element type. Casting between float32 and float64 is
    /// differentiable; casting to or from int32 and bool is not.
    public func cast(to target: DType) -> Tensor {
        if target == dtype { return self }
        let out = Tensor(storage: Kernels.cast(self, to: target), shape: shape)
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
        let out = Tensor(storage: Kernels.compare(op, a, b, shape: shape), shape: shape)
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
    precondition(condition.dtype == .bool, "select: the condition must be a bool tensor, got \(condition.dtype)")
    let branches = Tensor.operandShape(a, b, "select")
    guard let shape = Shape.broadcast(condition.shape, branches) else {
        preconditionFailure("select: condition \(condition.shape) and branches \(a.shape), \(b.shape) cannot be broadcast together")
    }
    let out = Tensor(storage: Kernels.select(condition, a, b, shape: shape), shape: shape)
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
