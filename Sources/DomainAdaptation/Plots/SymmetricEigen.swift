import Retrograd

/// Eigenvalues and eigenvectors of real symmetric matrices, for PCA.
enum SymmetricEigen {
    /// The full decomposition by the cyclic Jacobi method.
    ///
    /// `matrix` is `size × size`, row-major and symmetric (only its symmetric part counts).
    /// Returns the eigenvalues in decreasing order (ties in their original diagonal order)
    /// and the matching unit eigenvectors. Accurate to rounding; meant for small matrices,
    /// as each sweep costs O(size³).
    static func jacobi(_ matrix: [Double], size n: Int) -> (values: [Double], vectors: [[Double]]) {
        checkPrecondition(matrix.count == n * n, "SymmetricEigen.jacobi: \(n) × \(n) matrix needs \(n * n) values, got \(matrix.count)")
        var a = matrix
        for p in 0..<n {
            for q in (p + 1)..<n {
                let mean = (a[p * n + q] + a[q * n + p]) / 2
                a[p * n + q] = mean
                a[q * n + p] = mean
            }
        }
        var v = [Double](repeating: 0, count: n * n)
        for i in 0..<n { v[i * n + i] = 1 }
        let total = a.reduce(0) { $0 + $1 * $1 }

        for sweep in 0..<100 {
            var off = 0.0
            for p in 0..<n {
                for q in (p + 1)..<n { off += 2 * a[p * n + q] * a[p * n + q] }
            }
            if off <= total * 1e-32 { break }
            for p in 0..<(n - 1) {
                for q in (p + 1)..<n {
                    let apq = a[p * n + q]
                    let app = a[p * n + p], aqq = a[q * n + q]
                    // After a few sweeps, an element below rounding of both diagonal
                    // entries is zero for all purposes (Numerical Recipes' criterion).
                    if apq == 0 || (sweep > 3 && Swift.abs(app) + 100 * Swift.abs(apq) == Swift.abs(app)
                                    && Swift.abs(aqq) + 100 * Swift.abs(apq) == Swift.abs(aqq)) {
                        a[p * n + q] = 0
                        a[q * n + p] = 0
                        continue
                    }
                    // The rotation that zeroes a[p][q]: t = tan φ, the smaller root.
                    let theta = (aqq - app) / (2 * apq)
                    let t = (theta >= 0 ? 1.0 : -1.0) / (Swift.abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<n {
                        let akp = a[k * n + p], akq = a[k * n + q]
                        a[k * n + p] = c * akp - s * akq
                        a[k * n + q] = s * akp + c * akq
                    }
                    for k in 0..<n {
                        let apk = a[p * n + k], aqk = a[q * n + k]
                        a[p * n + k] = c * apk - s * aqk
                        a[q * n + k] = s * apk + c * aqk
                    }
                    for k in 0..<n {
                        let vkp = v[k * n + p], vkq = v[k * n + q]
                        v[k * n + p] = c * vkp - s * vkq
                        v[k * n + q] = s * vkp + c * vkq
                    }
                    a[p * n + q] = 0
                    a[q * n + p] = 0
                }
            }
        }
        let order = (0..<n).sorted { a[$0 * n + $0] > a[$1 * n + $1] || (a[$0 * n + $0] == a[$1 * n + $1] && $0 < $1) }
        return (order.map { a[$0 * n + $0] }, order.map { j in (0..<n).map { v[$0 * n + j] } })
    }

    /// The `count` largest eigenvalues and their unit eigenvectors.
    ///
    /// Small matrices are decomposed in full by `jacobi`. Larger ones use subspace
    /// iteration on `count + 10` vectors (products through `Tensor.matmul`, so BLAS when it
    /// is present) with a Rayleigh–Ritz step each round, until every wanted Ritz pair has a
    /// residual ‖Av − θv‖ at most 10⁻¹⁰ times the largest eigenvalue, or 5000 rounds pass.
    /// The start vectors are fixed pseudo-random numbers, so results are deterministic.
    static func top(_ matrix: [Double], size n: Int, count k: Int) -> (values: [Double], vectors: [[Double]]) {
        checkPrecondition(k >= 1 && k <= n, "SymmetricEigen.top: asked for \(k) eigenpairs of a \(n) × \(n) matrix")
        let p = Swift.min(n, Swift.max(2 * k, k + 10))
        guard p < n else {
            let full = jacobi(matrix, size: n)
            return (Array(full.values.prefix(k)), Array(full.vectors.prefix(k)))
        }
        let a = Tensor(matrix, shape: [n, n])
        var generator = SeededGenerator(seed: 0x50CA_5EED)
        func randomColumn() -> [Double] {
            (0..<n).map { _ in Double(generator.next() >> 11) / Double(1 << 53) * 2 - 1 }
        }
        // Q is n × p, row-major; its columns span the current subspace.
        var q = [Double](repeating: 0, count: n * p)
        for j in 0..<p {
            let column = randomColumn()
            for i in 0..<n { q[i * p + j] = column[i] }
        }
        orthonormalizeColumns(&q, rows: n, columns: p, refill: randomColumn)
        var values: [Double] = [], vectors: [Double] = []
        for _ in 0..<5000 {
            let qTensor = Tensor(q, shape: [n, p])
            let z = a.matmul(qTensor)
            let t = qTensor.matmul(z, transposingA: true).scalars(as: Double.self)
            let ritz = jacobi(t, size: p)
            let w = Tensor(ritz.vectors.flatMap { $0 }, shape: [p, p])   // rows are Ritz coefficients
            let u = qTensor.matmul(w, transposingB: true).scalars(as: Double.self)   // n × p Ritz vectors
            let au = z.matmul(w, transposingB: true).scalars(as: Double.self)
            values = ritz.values
            vectors = u
            let scale = Swift.max(Swift.abs(ritz.values[0]), Double.leastNormalMagnitude)
            let converged = (0..<k).allSatisfy { j in
                var residual = 0.0
                for i in 0..<n {
                    let r = au[i * p + j] - ritz.values[j] * u[i * p + j]
                    residual += r * r
                }
                return residual.squareRoot() <= 1e-10 * scale
            }
            if converged { break }
            q = au
            orthonormalizeColumns(&q, rows: n, columns: p, refill: randomColumn)
        }
        return (Array(values.prefix(k)), (0..<k).map { j in (0..<n).map { vectors[$0 * p + j] } })
    }

    /// Modified Gram–Schmidt, applied twice for orthogonality to rounding. A column that
    /// vanishes (the subspace lost rank) is replaced by `refill()` and orthogonalised again.
    static func orthonormalizeColumns(_ q: inout [Double], rows n: Int, columns p: Int, refill: () -> [Double]) {
        for j in 0..<p {
            var original = 0.0
            for i in 0..<n { original += q[i * p + j] * q[i * p + j] }
            var attempts = 0
            while true {
                for _ in 0..<2 {
                    for previous in 0..<j {
                        var dot = 0.0
                        for i in 0..<n { dot += q[i * p + previous] * q[i * p + j] }
                        for i in 0..<n { q[i * p + j] -= dot * q[i * p + previous] }
                    }
                }
                var norm = 0.0
                for i in 0..<n { norm += q[i * p + j] * q[i * p + j] }
                norm = norm.squareRoot()
                if norm > 1e-10 * original.squareRoot() && norm > 0 || attempts >= 10 {
                    let inverse = norm > 0 ? 1 / norm : 0
                    for i in 0..<n { q[i * p + j] *= inverse }
                    break
                }
                let column = refill()
                original = column.reduce(0) { $0 + $1 * $1 }
                for i in 0..<n { q[i * p + j] = column[i] }
                attempts += 1
            }
        }
    }
}
