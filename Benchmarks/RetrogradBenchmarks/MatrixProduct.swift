@_spi(Benchmarking) import Retrograd

/// W6: an n×n by n×n `float32` matrix product (n = 1024), three ways in one process: through
/// `Tensor.matmul` (what a model pays: the BLAS call plus the tensor's allocation and
/// checks), through the GEMM kernel directly (the BLAS alone, into a reused buffer), and through
/// Retrograd's own fallback GEMM (used when no BLAS is found).
///
/// A is ``BenchmarkData/sineInputs(rows:columns:dtype:)`` and B
/// ``BenchmarkData/cosineInputs(rows:columns:dtype:)``, both n×n.
public final class MatrixProduct {
    /// The size of the square matrices.
    public let size: Int
    /// The left operand.
    public let a: Tensor
    /// The right operand.
    public let b: Tensor
    private let aValues: [Float]
    private let bValues: [Float]
    /// The output buffer of the direct calls.
    public private(set) var product: [Float]

    /// Square matrices of `size` (1024 for W6).
    public init(size: Int = 1024) {
        self.size = size
        a = BenchmarkData.sineInputs(rows: size, columns: size)
        b = BenchmarkData.cosineInputs(rows: size, columns: size)
        aValues = a.scalars(as: Float.self)
        bValues = b.scalars(as: Float.self)
        product = [Float](repeating: 0, count: size * size)
    }

    /// Seconds to wait between the BLAS's products and the fallback's, so the BLAS's idle
    /// threads (OpenBLAS spins for about 0.1 s) have stopped competing for the cores.
    public static let blasIdlePause = 0.25

    /// The floating-point operations of one product: 2n³.
    public var flops: Double { 2 * Double(size) * Double(size) * Double(size) }

    /// "W6": `a.matmul(b)`.
    public func viaTensor() -> Tensor { a.matmul(b) }

    /// "W6.blas-direct": the product through the GEMM kernel (the BLAS when one is loaded)
    /// into ``product``.
    public func viaBLAS() { gemm(.current) }

    /// "W6.fallback": the product through Retrograd's fallback GEMM into ``product``.
    public func viaFallback() { gemm(.fallback) }

    private func gemm(_ backend: MatrixKernels.Backend) {
        aValues.withUnsafeBufferPointer { a in
            bValues.withUnsafeBufferPointer { b in
                product.withUnsafeMutableBufferPointer { c in
                    MatrixKernels.multiply(
                        m: size, n: size, k: size, a.baseAddress!, b.baseAddress!, into: c.baseAddress!, backend: backend)
                }
            }
        }
    }
}
