import Retrograd

/// W7: a large elementwise pipeline, f = sum(exp(x) · x + 1) over x of 16M (2²⁴)
/// `float32` values x[i] = sin(0.37·i + 1) (in [−1, 1]); df/dx = exp(x)·(1 + x).
///
/// Both passes run with x watched by a tape, as in training: "W7.forward" records and
/// evaluates f, "W7.backward" also takes the gradient.
public struct ExpSum: Sendable {
    /// The input, `[count]`.
    public let x: Tensor

    /// 16,777,216 values for W7.
    public static let benchmarkCount = 16_777_216

    /// An input of `count` values x[i] = sin(0.37·i + 1).
    public init(count: Int = ExpSum.benchmarkCount, dtype: DType = .float32) {
        x = BenchmarkData.sineInputs(rows: count, columns: 1, dtype: dtype).reshaped(to: [count])
    }

    /// The function, recorded by whatever tapes are active.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        (x.exp() * x + 1).sum()
    }

    /// "W7.forward": f on a fresh tape that watches x.
    public func forward() -> Tensor {
        let tape = GradientTape()
        return tape.record {
            tape.watch(x)
            return self(x)
        }
    }

    /// "W7.backward": f and df/dx.
    public func valueAndGradient() throws -> (value: Tensor, gradient: Tensor) {
        let tape = GradientTape()
        let f = tape.record {
            tape.watch(x)
            return self(x)
        }
        guard let gradient = try tape.gradient(of: f, wrt: x) else {
            preconditionFailure("ExpSum: f does not depend on x")
        }
        return (f, gradient)
    }
}
