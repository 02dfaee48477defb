#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// The two libm functions the learning-rate schedules need, without pulling
// Foundation into the library, and the progress through a schedule of fixed length.

@inline(__always) func power(_ base: Double, _ exponent: Double) -> Double { pow(base, exponent) }
@inline(__always) func cosine(_ x: Double) -> Double { cos(x) }

/// min(max(step, 0), total) / total: how far a schedule of `total` steps has gone, 0 to 1.
@inline(__always) func completedFraction(_ step: Int, of total: Int) -> Double {
    Double(Swift.min(Swift.max(step, 0), total)) / Double(total)
}
