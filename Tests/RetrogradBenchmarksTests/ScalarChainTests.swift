import Foundation
import RetrogradBenchmarks
import RetrogradNN
import RetrogradTestSupport
import Testing

@Suite("W1: scalar chain")
struct ScalarChainTests {
    @Test("the closed forms: aᵏ + b(aᵏ − 1)/(a − 1) and aᵏ")
    func closedForms() {
        let chain = ScalarChain(length: 3)
        var y = 1.0
        for _ in 0..<3 { y = y * 1.0001 + 0.0001 }
        #expect(isClose(chain.exactValue, y, relative: 1e-15))
        #expect(isClose(chain.exactGradient, 1.0001 * 1.0001 * 1.0001, relative: 1e-15))
        #expect(chain.opCount == 6)
    }

    @Test("2000 links in float32: value and dy/dx match the closed forms")
    func benchmarkChain() throws {
        let chain = ScalarChain()
        #expect(chain.opCount == 4000)
        let (value, gradient) = try chain.valueAndGradient()
        #expect(value.dtype == .float32 && value.rank == 0)
        // float32 rounding of 1.0001 alone moves aᵏ by about 3e-5 relative; rounding in
        // 4000 ops adds at most about 2.4e-4.
        #expect(isClose(value.scalar(as: Double.self), chain.exactValue, relative: 5e-4))
        #expect(isClose(gradient.scalar(as: Double.self), chain.exactGradient, relative: 5e-4))
        #expect(chain.taped().scalar(as: Float.self) == value.scalar(as: Float.self))
        #expect(chain.untaped().scalar(as: Float.self) == value.scalar(as: Float.self))
    }

    @Test("in float64 the chain is exact to rounding")
    func float64Chain() throws {
        let chain = ScalarChain(length: 2000, dtype: .float64)
        let (value, gradient) = try chain.valueAndGradient()
        #expect(isClose(value.scalar(as: Double.self), chain.exactValue, relative: 1e-12))
        #expect(isClose(gradient.scalar(as: Double.self), chain.exactGradient, relative: 1e-12))
    }
}
