// Arithmetic written with the primitives (and the operators' forms with a Swift number):
// no derivative rules of its own.

extension Tensor {
    // A Swift number next to a tensor takes the tensor's element type.

    public static func + (lhs: Tensor, rhs: Double) -> Tensor { lhs + Tensor(scalar: rhs, dtype: lhs.dtype) }
    public static func + (lhs: Double, rhs: Tensor) -> Tensor { Tensor(scalar: lhs, dtype: rhs.dtype) + rhs }
    public static func - (lhs: Tensor, rhs: Double) -> Tensor { lhs + Tensor(scalar: -rhs, dtype: lhs.dtype) }
    public static func - (lhs: Double, rhs: Tensor) -> Tensor { Tensor(scalar: lhs, dtype: rhs.dtype) - rhs }
    public static func * (lhs: Tensor, rhs: Double) -> Tensor { lhs * Tensor(scalar: rhs, dtype: lhs.dtype) }
    public static func * (lhs: Double, rhs: Tensor) -> Tensor { Tensor(scalar: lhs, dtype: rhs.dtype) * rhs }
    public static func / (lhs: Tensor, rhs: Double) -> Tensor {
        // Floating point multiplies by the reciprocal; int32 divides (truncating).
        if _slowPath(!lhs.dtype.isFloatingPoint) { return lhs / Tensor(scalar: rhs, dtype: lhs.dtype) }
        return lhs * Tensor(scalar: 1 / rhs, dtype: lhs.dtype)
    }
    public static func / (lhs: Double, rhs: Tensor) -> Tensor { Tensor(scalar: lhs, dtype: rhs.dtype) / rhs }

    public static func += (lhs: inout Tensor, rhs: Tensor) { lhs = lhs + rhs }
    public static func -= (lhs: inout Tensor, rhs: Tensor) { lhs = lhs - rhs }
    public static func *= (lhs: inout Tensor, rhs: Tensor) { lhs = lhs * rhs }
    public static func /= (lhs: inout Tensor, rhs: Tensor) { lhs = lhs / rhs }

    /// Each element squared.
    public func square() -> Tensor { self * self }

    /// −1, 0 or 1 by the sign of each element, in the tensor's type (not differentiable).
    public func sign() -> Tensor {
        let zero = Tensor(scalar: 0, dtype: dtype)
        return (self .> zero).cast(to: dtype) - (self .< zero).cast(to: dtype)
    }

    /// The absolute value of each element (gradient 0 at 0).
    public func abs() -> Tensor { self * withoutRecording { sign() } }

    /// The smaller of the two operands at each position (ties count as `self`).
    public func minimum(_ other: Tensor) -> Tensor { -((-self).maximum(-other)) }
    /// The smaller of each element and a constant.
    public func minimum(_ other: Double) -> Tensor { minimum(Tensor(scalar: other, dtype: dtype)) }

    /// Each element limited to `lower...upper`; the gradient passes where the element
    /// is inside the range, bounds included.
    public func clipped(to range: ClosedRange<Double>) -> Tensor {
        let lower = Tensor(scalar: range.lowerBound, dtype: dtype), upper = Tensor(scalar: range.upperBound, dtype: dtype)
        let raised = select(self .< lower, lower, self)
        return select(raised .> upper, upper, raised)
    }

    /// max(x, 0), with gradient 0 at 0.
    public func relu() -> Tensor { select(self .> 0, self, 0) }

    /// x for x > 0, `slope`·x otherwise.
    public func leakyRelu(slope: Double = 0.01) -> Tensor { select(self .> 0, self, self * slope) }
}
