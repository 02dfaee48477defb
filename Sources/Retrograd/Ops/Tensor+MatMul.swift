extension Tensor {
    /// The matrix product over the last two axes, through BLAS when it is available.
    ///
    /// Both operands need at least two dimensions; leading (batch) dimensions broadcast.
    /// `transposingA` / `transposingB` multiply by the transpose of an operand without
    /// materialising it.
    public func matmul(_ other: Tensor, transposingA: Bool = false, transposingB: Bool = false) -> Tensor {
        let a = self, b = other
        checkPrecondition(
            a.rank >= 2 && b.rank >= 2,
            "matmul: needs matrices (rank ≥ 2), got \(a.shape) × \(b.shape); reshape vectors to [1, n] or [n, 1]")
        checkPrecondition(a.dtype == b.dtype, "matmul: operands are \(a.dtype) and \(b.dtype); convert one with .cast(to:)")
        Tensor.requireFloatingPoint(a, "matmul")
        let (m, k) = transposingA ? (a.shape[a.rank - 1], a.shape[a.rank - 2]) : (a.shape[a.rank - 2], a.shape[a.rank - 1])
        let (k2, n) = transposingB ? (b.shape[b.rank - 1], b.shape[b.rank - 2]) : (b.shape[b.rank - 2], b.shape[b.rank - 1])
        checkPrecondition(
            k == k2,
            "matmul: \(a.shape)\(transposingA ? "ᵀ" : "") × \(b.shape)\(transposingB ? "ᵀ" : "") — inner dimensions \(k) and \(k2) differ")
        if a.rank == 2 && b.rank == 2 {  // the common case: no batch dimensions to broadcast
            let out = Kernels.gemm(
                a, b, transposingA: transposingA, transposingB: transposingB, m: m, n: n, k: k, into: [m, n])
            let result = Tensor(storage: out)
            Tensor.record(.matmul(a: a, b: b, transposeA: transposingA, transposeB: transposingB), result, a, b)
            return result
        }
        let batchA = a.shape.prefix(a.rank - 2), batchB = b.shape.prefix(b.rank - 2)
        guard let batch = Shape.broadcast(batchA, batchB) else {
            preconditionFailed("matmul: batch dimensions of \(a.shape) and \(b.shape) cannot be broadcast together")
        }
        // Broadcast batch dimensions explicitly, so the product's rule never has to.
        let lhs = batchA == batch ? a : a.expanded(to: batch.appending(a.shape.suffix(from: a.rank - 2)))
        let rhs = batchB == batch ? b : b.expanded(to: batch.appending(b.shape.suffix(from: b.rank - 2)))
        let target = batch.appending([m, n])
        let out = Kernels.gemm(
            lhs, rhs, transposingA: transposingA, transposingB: transposingB, m: m, n: n, k: k, into: target)
        let result = Tensor(storage: out)
        Tensor.record(
            .matmul(a: lhs, b: rhs, transposeA: transposingA, transposeB: transposingB), result, lhs, rhs)
        return result
    }
}

extension Tensor {
    /// `self · weight + bias` for a `[m, k]` input, a `[k, n]` weight and an `[n]` bias, as
    /// one primitive (one record, one GEMM onto the broadcast bias): what a dense layer
    /// computes. Its rule is the product's two plus the bias's Σ over rows.
    package func linear(weight: Tensor, bias: Tensor) -> Tensor {
        checkPrecondition(
            rank == 2 && weight.rank == 2 && bias.shape == [weight.shape[1]] && shape[1] == weight.shape[0],
            "linear: input \(shape), weight \(weight.shape) and bias \(bias.shape) do not fit [m, k] · [k, n] + [n]")
        checkPrecondition(
            dtype == weight.dtype && dtype == bias.dtype,
            "linear: input, weight and bias are \(dtype), \(weight.dtype), \(bias.dtype); convert with .cast(to:)")
        Tensor.requireFloatingPoint(self, "linear")
        let y = Tensor(storage: Kernels.linear(self, weight, bias))
        Tensor.record(.linear(x: self, weight: weight), y, self, weight, bias)
        return y
    }
}

/// The BLAS behind `matmul`, for example "OpenBLAS (libopenblas.so.0)", or the fallback.
public var matrixBackend: String { Kernels.matrixBackend }
