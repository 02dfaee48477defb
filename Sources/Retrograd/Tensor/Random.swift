#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small, fast, seedable random number generator (xoshiro256**), so that every
/// random tensor in Retrograd can be reproduced from a seed.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// Creates a generator whose whole sequence is fixed by `seed`.
    public init(seed: UInt64) {
        var mixer = seed
        func splitMix() -> UInt64 {
            mixer &+= 0x9E37_79B9_7F4A_7C15
            var z = mixer
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = ((state.1 &* 5) << 7 | (state.1 &* 5) >> 57) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = state.3 << 45 | state.3 >> 19
        return result
    }

    /// A uniform double in [0, 1), from the top 53 bits of ``next()``.
    public mutating func unitInterval() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// A standard normal sample (Box–Muller: two ``unitInterval()`` draws per sample).
    public mutating func standardNormal() -> Double {
        let u1 = 1 - unitInterval(), u2 = unitInterval()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}

extension Tensor {
    /// Uniform samples from `lowerBound..<upperBound`, drawn from `generator`.
    public static func randomUniform(
        shape: Shape, lowerBound: Double = 0, upperBound: Double = 1, dtype: DType = .float32,
        using generator: inout SeededGenerator
    ) -> Tensor {
        let values = (0..<shape.elementCount).map { _ in lowerBound + (upperBound - lowerBound) * generator.unitInterval() }
        return Tensor(values, shape: shape).cast(to: dtype)
    }

    /// Normal samples with the given mean and standard deviation, drawn from `generator`.
    public static func randomNormal(
        shape: Shape, mean: Double = 0, standardDeviation: Double = 1, dtype: DType = .float32,
        using generator: inout SeededGenerator
    ) -> Tensor {
        let values = (0..<shape.elementCount).map { _ in mean + standardDeviation * generator.standardNormal() }
        return Tensor(values, shape: shape).cast(to: dtype)
    }
}
