#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// The two libm functions the learning-rate schedules need, without pulling
// Foundation into the library.

@inline(__always) func power(_ base: Double, _ exponent: Double) -> Double { pow(base, exponent) }
@inline(__always) func cosine(_ x: Double) -> Double { cos(x) }
