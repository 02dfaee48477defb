import Foundation
import Testing
import Retrograd
import RetrogradTestSupport

/// `erf` against CPython's `math.erf` (a reference implementation), in both float types,
/// and its derivative 2/√π·e^(−x²) at the same points. (Its gradients to second order are
/// checked with the other ops in the op catalog.)
@Suite struct ErrorFunctionTests {
    static let points: [Double] = [-2.5, -1.0, -0.3, 0.0, 0.5, 1.0, 3.0]
    /// `math.erf(x)` for each point, printed by Python 3.11.
    static let reference: [Double] = [
        -0.999593047982555, -0.8427007929497149, -0.3286267594591274, 0.0, 0.5204998778130465,
        0.8427007929497149, 0.9999779095030014,
    ]

    @Test func float64ValuesMatchTheReference() {
        let values = Tensor(Self.points).erf().scalars(as: Double.self)
        for (value, expected) in zip(values, Self.reference) { #expect(Swift.abs(value - expected) <= 1e-15) }
    }

    @Test func float32ValuesMatchTheReference() {
        let values = Tensor(Self.points.map { Float($0) }).erf().scalars(as: Float.self)
        for (value, expected) in zip(values, Self.reference) { #expect(Swift.abs(Double(value) - expected) <= 2e-7) }
    }

    @Test func theGradientIsTheGaussianDensityTimesTwoOverRootPi() throws {
        let x = Tensor(Self.points)
        let tape = GradientTape()
        let y = tape.record { () -> Tensor in
            tape.watch(x)
            return x.erf().sum()
        }
        let gradient = try #require(try tape.gradient(of: y, wrt: x)).scalars(as: Double.self)
        let expected = Self.points.map { 2 / Double.pi.squareRoot() * Foundation.exp(-$0 * $0) }
        #expect(allClose(gradient, expected, tolerance: 1e-15))
    }
}
