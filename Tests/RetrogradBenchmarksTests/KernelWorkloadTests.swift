import Foundation
import RetrogradBenchmarks
import RetrogradNN
import RetrogradTestSupport
import Testing

@Suite("W6 and W7: matmul and the elementwise pipeline")
struct KernelWorkloadTests {
    @Test("W6: the three products agree with a naive product")
    func matrixProduct() {
        let product = MatrixProduct(size: 67)
        #expect(product.flops == 2 * 67 * 67 * 67)
        let a = rows(product.a), b = rows(product.b)
        let naive = (0..<67).flatMap { i in (0..<67).map { j in (0..<67).reduce(0.0) { $0 + a[i][$1] * b[$1][j] } } }
        let close = { (values: [Double]) in zip(values, naive).allSatisfy { isClose($0, $1, absolute: 1e-4) } }
        #expect(close(product.viaTensor().scalars(as: Double.self)))
        product.viaBLAS()
        #expect(close(product.product.map(Double.init)))
        let fresh = MatrixProduct(size: 67)
        fresh.viaFallback()
        #expect(close(fresh.product.map(Double.init)))
    }

    @Test("W7: f = Σ exp(x)·x + 1 and df/dx = exp(x)·(1 + x)", arguments: [DType.float32, .float64])
    func expSum(dtype: DType) throws {
        let function = ExpSum(count: 1000, dtype: dtype)
        let x = function.x.scalars(as: Double.self)
        #expect(x.count == 1000 && x.allSatisfy { (-1...1).contains($0) })
        #expect(isClose(x[5], Double(Float(sin(0.37 * 5 + 1))), relative: dtype == .float32 ? 0 : 1e-7))
        let (value, gradient) = try function.valueAndGradient()
        let tolerance = dtype == .float32 ? 1e-5 : 1e-12
        let expected = x.reduce(0) { $0 + exp($1) * $1 + 1 }
        #expect(isClose(value.scalar(as: Double.self), expected, relative: tolerance))
        #expect(isClose(function.forward().scalar(as: Double.self), expected, relative: tolerance))
        #expect(gradient.shape == [1000])
        let expectedGradient = x.map { exp($0) * (1 + $0) }
        #expect(zip(gradient.scalars(as: Double.self), expectedGradient).allSatisfy {
            isClose($0, $1, absolute: tolerance, relative: tolerance)
        })
    }
}
