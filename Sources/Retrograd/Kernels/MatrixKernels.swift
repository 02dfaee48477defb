import CRetrogradKernels

/// The matrix-product kernels on raw buffers, without a tensor around them, for measuring
/// them apart from the tensor layer (the W6 benchmark compares `Tensor.matmul` with these).
/// Not part of the public API: `@_spi(Benchmarking) import Retrograd` to use it.
@_spi(Benchmarking) public enum MatrixKernels {
    /// Which GEMM runs a product.
    public enum Backend: Sendable {
        /// The loaded BLAS (or the fallback when none was found), as `matmul` uses it.
        case current
        /// Retrograd's own fallback GEMM, whatever BLAS is loaded.
        case fallback
    }

    /// `c = op(a) · op(b)` for row-major float32 matrices, `op(a)` m×k, `op(b)` k×n, `c` m×n,
    /// where `op` transposes its operand when asked (`a` is then stored k×m, `b` n×k).
    public static func multiply(
        m: Int, n: Int, k: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into c: UnsafeMutablePointer<Float>,
        transposingA: Bool = false, transposingB: Bool = false, backend: Backend = .current
    ) {
        let (ta, tb): (Int32, Int32) = (transposingA ? 1 : 0, transposingB ? 1 : 0)
        let (lda, ldb) = (Int64(transposingA ? m : k), Int64(transposingB ? k : n))
        let (m, n, k) = (Int64(m), Int64(n), Int64(k))
        switch backend {
        case .current: rg_gemm(RG_FLOAT32, ta, tb, m, n, k, 1, a, lda, b, ldb, 0, c, n)
        case .fallback: rg_gemm_fallback(RG_FLOAT32, ta, tb, m, n, k, 1, a, lda, b, ldb, 0, c, n)
        }
    }
}

/// The number of threads matrix products use: the fallback GEMM's thread count, or what
/// OpenBLAS or MKL reports (they honour `OPENBLAS_NUM_THREADS`, `OMP_NUM_THREADS`,
/// `MKL_NUM_THREADS`); nil for a BLAS that cannot say.
public var matrixBackendThreads: Int? {
    let reported = Int(rg_blas_threads())
    return reported > 0 ? reported : nil
}
