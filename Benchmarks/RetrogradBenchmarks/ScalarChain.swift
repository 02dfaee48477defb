import Retrograd

/// W1: the per-op cost of the tape on scalars.
///
/// x is a 0-d `float32` tensor holding 1; y = x, then `length` times
/// y = y · 1.0001 + 0.0001, two ops per link (4000 ops for the benchmark's 2000 links).
/// With so little arithmetic per op, the time is the framework's own overhead: op
/// dispatch, allocation and, under a tape, recording.
public struct ScalarChain: Sendable {
    /// The factor of each link.
    public static let factor = 1.0001
    /// The offset of each link.
    public static let offset = 0.0001

    /// The number of links (each one multiply and one add).
    public let length: Int
    /// The element type of x.
    public let dtype: DType

    /// A chain of `length` links (2000 for W1).
    public init(length: Int = 2000, dtype: DType = .float32) {
        precondition(length > 0, "ScalarChain: length must be positive, got \(length)")
        self.length = length
        self.dtype = dtype
    }

    /// The number of tensor ops one pass runs: 2 · `length`.
    public var opCount: Int { 2 * length }

    /// The starting point, a 0-d tensor holding 1.
    public var start: Tensor { Tensor(scalar: 1, dtype: dtype) }

    /// Runs the chain from `x` (recorded by whatever tapes are active).
    public func callAsFunction(_ x: Tensor) -> Tensor {
        var y = x
        for _ in 0..<length {
            y = y * Self.factor + Self.offset
        }
        return y
    }

    /// "W1.untaped": the chain with no tape active.
    public func untaped() -> Tensor {
        self(start)
    }

    /// "W1.forward": the chain on a fresh tape that watches x, which is what the forward
    /// pass of a training step pays; nothing asks the tape for a gradient.
    public func taped() -> Tensor {
        let x = start
        let tape = GradientTape()
        return tape.record {
            tape.watch(x)
            return self(x)
        }
    }

    /// "W1.backward": the taped chain and the gradient of y with respect to x.
    public func valueAndGradient() throws -> (value: Tensor, gradient: Tensor) {
        let x = start
        let tape = GradientTape()
        let y = tape.record {
            tape.watch(x)
            return self(x)
        }
        guard let gradient = try tape.gradient(of: y, wrt: x) else {
            preconditionFailure("ScalarChain: y does not depend on x")
        }
        return (y, gradient)
    }

    /// The chain's exact value for x = 1 in real arithmetic:
    /// aᵏ + b·(aᵏ − 1)/(a − 1), with a = 1.0001, b = 0.0001 and k = `length`.
    public var exactValue: Double {
        let power = exactGradient
        return power + Self.offset * (power - 1) / (Self.factor - 1)
    }

    /// dy/dx in real arithmetic: aᵏ (for k = `length`).
    public var exactGradient: Double { Self.power(Self.factor, length) }

    private static func power(_ base: Double, _ exponent: Int) -> Double {
        (0..<exponent).reduce(1) { value, _ in value * base }
    }
}
