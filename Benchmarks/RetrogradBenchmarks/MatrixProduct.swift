import CRetrogradKernels
import Retrograd

/// W6: an n×n by n×n `float32` matrix product (n = 1024), three ways in one process: through
/// `Tensor.matmul` (what a model pays: the BLAS call plus the tensor's allocation and
/// checks), through `rg_gemm` directly (the BLAS alone, into a reused buffer), and through
/// Retrograd's own fallback GEMM `rg_gemm_fallback` (used when no BLAS is found).
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

    /// "W6.blas-direct": the product through `rg_gemm` (the BLAS when one is loaded) into
    /// ``product``.
    public func viaBLAS() { gemm(rg_gemm) }

    /// "W6.fallback": the product through `rg_gemm_fallback` into ``product``.
    public func viaFallback() { gemm(rg_gemm_fallback) }

    private typealias GEMM = (
        rg_dtype, Int32, Int32, Int64, Int64, Int64, Double, UnsafeRawPointer?, Int64, UnsafeRawPointer?, Int64,
        Double, UnsafeMutableRawPointer?, Int64
    ) -> Void

    private func gemm(_ function: GEMM) {
        let n = Int64(size)
        aValues.withUnsafeBytes { a in
            bValues.withUnsafeBytes { b in
                product.withUnsafeMutableBytes { c in
                    function(RG_FLOAT32, 0, 0, n, n, n, 1, a.baseAddress, n, b.baseAddress, n, 0, c.baseAddress, n)
                }
            }
        }
    }
}
