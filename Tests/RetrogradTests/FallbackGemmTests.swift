import CRetrogradKernels
import Dispatch
import Testing
import Retrograd

/// The built-in GEMM `rg_gemm_fallback` called directly (whatever BLAS is loaded), against
/// a double-precision triple loop: random shapes up to 300 in every transpose
/// combination, padded leading dimensions, several alpha/beta values, the degenerate
/// shapes, products large enough to be split across threads, and concurrent callers.
///
/// The tolerance is the classic bound for a sum of k products: each element may be off
/// by (k + 2)·u·(|alpha|·Σ|a·b| + |beta·c|), with u the unit roundoff (doubled for float64,
/// whose reference has errors of the same size).
@Suite struct FallbackGemmTests {
    /// The two entry points: the fastest kernels for this CPU, and the portable C ones
    /// (what arm64 and CPUs without AVX2 run).
    enum Kernels: String, CaseIterable, CustomTestStringConvertible, Sendable {
        case best, portable
        var testDescription: String { rawValue }

        func gemm(
            _ dtype: rg_dtype, _ ta: Int32, _ tb: Int32, _ m: Int64, _ n: Int64, _ k: Int64, _ alpha: Double,
            _ a: UnsafeRawPointer?, _ lda: Int64, _ b: UnsafeRawPointer?, _ ldb: Int64, _ beta: Double,
            _ c: UnsafeMutableRawPointer?, _ ldc: Int64
        ) {
            switch self {
            case .best: rg_gemm_fallback(dtype, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
            case .portable: rg_gemm_fallback_portable(dtype, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
            }
        }
    }

    /// One product's operands; `a`, `b` and `c` hold the values already rounded to the
    /// element type, with leading dimensions at least the stored widths.
    struct Problem {
        var m: Int, n: Int, k: Int
        var transposeA: Bool, transposeB: Bool
        var lda: Int, ldb: Int, ldc: Int
        var alpha: Double, beta: Double
        var a: [Double], b: [Double], c: [Double]

        /// Stored rows × columns of A and B.
        var aRows: Int { transposeA ? k : m }
        var bRows: Int { transposeB ? n : k }

        init(
            m: Int, n: Int, k: Int, transposeA: Bool = false, transposeB: Bool = false, padding: (Int, Int, Int) = (0, 0, 0),
            alpha: Double = 1, beta: Double = 0, float32: Bool, using random: inout SeededGenerator
        ) {
            (self.m, self.n, self.k, self.transposeA, self.transposeB) = (m, n, k, transposeA, transposeB)
            (self.alpha, self.beta) = (alpha, beta)
            lda = max(1, (transposeA ? m : k) + padding.0)
            ldb = max(1, (transposeB ? k : n) + padding.1)
            ldc = max(1, n + padding.2)
            func values(_ count: Int) -> [Double] {
                (0..<count).map { _ in
                    let v = Double.random(in: -1...1, using: &random)
                    return float32 ? Double(Float(v)) : v
                }
            }
            a = values((transposeA ? k : m) * lda)
            b = values((transposeB ? n : k) * ldb)
            c = values(m * ldc)
        }

        func aValue(_ i: Int, _ p: Int) -> Double { transposeA ? a[p * lda + i] : a[i * lda + p] }
        func bValue(_ p: Int, _ j: Int) -> Double { transposeB ? b[j * ldb + p] : b[p * ldb + j] }

        /// The exact-ish product in double precision, and each element's error scale.
        func reference() -> (values: [Double], scale: [Double]) {
            // op(A) by rows and op(B) by columns, dense, so the inner loop runs over two
            // contiguous buffers (this is a debug build).
            var rows = [Double](repeating: 0, count: m * k), columns = [Double](repeating: 0, count: n * k)
            for i in 0..<m { for p in 0..<k { rows[i * k + p] = aValue(i, p) } }
            for j in 0..<n { for p in 0..<k { columns[j * k + p] = bValue(p, j) } }
            var values = c, scale = [Double](repeating: 0, count: c.count)
            rows.withUnsafeBufferPointer { rows in
                columns.withUnsafeBufferPointer { columns in
                    for i in 0..<m {
                        for j in 0..<n {
                            var sum = 0.0, magnitude = 0.0
                            for p in 0..<k {
                                let product = rows[i * k + p] * columns[j * k + p]
                                sum += product
                                magnitude += abs(product)
                            }
                            let old = beta == 0 ? 0 : beta * c[i * ldc + j]
                            values[i * ldc + j] = alpha * sum + old
                            scale[i * ldc + j] = abs(alpha) * magnitude + abs(old)
                        }
                    }
                }
            }
            return (values, scale)
        }

        /// Runs the fallback GEMM in float32 or float64 and returns C as doubles.
        func run(float32: Bool, _ kernels: Kernels) -> [Double] {
            if float32 {
                let a32 = a.map { Float($0) }, b32 = b.map { Float($0) }
                var c32 = c.map { Float($0) }
                gemm(kernels, RG_FLOAT32, a32, b32, &c32)
                return c32.map { Double($0) }
            }
            var c64 = c
            gemm(kernels, RG_FLOAT64, a, b, &c64)
            return c64
        }

        private func gemm<T>(_ kernels: Kernels, _ dtype: rg_dtype, _ a: [T], _ b: [T], _ c: inout [T]) {
            a.withUnsafeBytes { a in
                b.withUnsafeBytes { b in
                    c.withUnsafeMutableBytes { c in
                        kernels.gemm(
                            dtype, transposeA ? 1 : 0, transposeB ? 1 : 0, Int64(m), Int64(n), Int64(k), alpha,
                            a.baseAddress, Int64(lda), b.baseAddress, Int64(ldb), beta, c.baseAddress, Int64(ldc))
                    }
                }
            }
        }

        /// The largest error in units of the element's bound (≤ 1 passes); also checks that
        /// the padding of C (columns n ..< ldc) is untouched.
        func worstError(float32: Bool, _ kernels: Kernels = .best) -> Double {
            let got = run(float32: float32, kernels)
            let (want, scale) = reference()
            let u = float32 ? Double(Float.ulpOfOne) / 2 : Double.ulpOfOne
            let bound = Double(k + 2) * u
            var worst = 0.0
            for i in 0..<m {
                for j in 0..<ldc {
                    let index = i * ldc + j
                    if j >= n {
                        if got[index] != c[index] { return .infinity }
                        continue
                    }
                    let error = abs(got[index] - want[index])
                    let allowed = bound * scale[index] + Double.leastNormalMagnitude
                    if !(error <= allowed) { worst = max(worst, error.isNaN ? .infinity : error / allowed) }
                }
            }
            return worst
        }

        var description: String {
            "\(m)×\(n)×\(k) \(transposeA ? "Aᵀ" : "A")\(transposeB ? "Bᵀ" : "B") lda \(lda) ldb \(ldb) ldc \(ldc) "
                + "alpha \(alpha) beta \(beta)"
        }
    }

    static let alphas: [Double] = [1, -0.5, 2, 1.25]
    static let betas: [Double] = [0, 1, -0.75, 0.5]

    @Test(arguments: [true, false], Kernels.allCases)
    func randomShapesInEveryLayout(float32: Bool, kernels: Kernels) {
        var random = SeededGenerator(seed: float32 ? 61 : 62)
        for trial in 0..<48 {
            // Mostly small and odd sizes; every fourth trial has a dimension up to 300.
            var dims = (0..<3).map { _ in Int.random(in: 1...24, using: &random) }
            if trial % 4 == 0 { dims[trial / 4 % 3] = Int.random(in: 100...300, using: &random) }
            let problem = Problem(
                m: dims[0], n: dims[1], k: dims[2], transposeA: trial & 1 == 1, transposeB: trial & 2 == 2,
                padding: (Int.random(in: 0...3, using: &random), Int.random(in: 0...3, using: &random), Int.random(in: 0...2, using: &random)),
                alpha: Self.alphas[trial % 4], beta: Self.betas[trial / 4 % 4], float32: float32, using: &random)
            let worst = problem.worstError(float32: float32, kernels)
            #expect(worst <= 1, "\(problem.description): error \(worst) × the bound")
        }
    }

    /// Products big enough to be packed, blocked along k (k > 256) and split across threads,
    /// with edges that are not multiples of the tile sizes.
    @Test(arguments: [true, false], Kernels.allCases)
    func largerProductsAcrossBlocksAndThreads(float32: Bool, kernels: Kernels) {
        var random = SeededGenerator(seed: float32 ? 71 : 72)
        let shapes = [(131, 293, 300), (300, 47, 263), (97, 300, 129), (256, 256, 64)]
        for (index, (m, n, k)) in shapes.enumerated() {
            let problem = Problem(
                m: m, n: n, k: k, transposeA: index & 1 == 1, transposeB: index & 2 == 2, padding: (1, 2, 3),
                alpha: Self.alphas[index], beta: Self.betas[index], float32: float32, using: &random)
            let worst = problem.worstError(float32: float32, kernels)
            #expect(worst <= 1, "\(problem.description): error \(worst) × the bound")
        }
    }

    @Test(arguments: [true, false], Kernels.allCases)
    func degenerateShapes(float32: Bool, kernels: Kernels) {
        var random = SeededGenerator(seed: 81)
        let cases: [(Int, Int, Int, Double, Double)] = [
            (1, 1, 1, 1, 0), (1, 1, 1, -2, 0.5), (7, 13, 5, 1, 0), (7, 13, 5, 0.5, -1), (1, 300, 1, 1, 1),
            (300, 1, 1, 1, 0), (1, 1, 300, 1, 0), (2, 3, 0, 1, 0.5), (5, 4, 0, 2, 0), (3, 3, 3, 0, 2),
        ]
        for (m, n, k, alpha, beta) in cases {
            for layout in 0..<4 {
                let problem = Problem(
                    m: m, n: n, k: k, transposeA: layout & 1 == 1, transposeB: layout & 2 == 2, padding: (layout, 1, 1),
                    alpha: alpha, beta: beta, float32: float32, using: &random)
                let worst = problem.worstError(float32: float32, kernels)
                #expect(worst <= 1, "\(problem.description): error \(worst) × the bound")
            }
        }
    }

    /// k = 0 scales C by beta; beta = 0 never reads C, so NaN there is overwritten; alpha = 0
    /// never reads A or B (as in BLAS).
    @Test(arguments: Kernels.allCases)
    func betaAndAlphaEdgeCases(kernels: Kernels) {
        var c: [Float] = [1, 2, 3, 4]
        let none: [Float] = []
        none.withUnsafeBytes { empty in
            c.withUnsafeMutableBytes { c in
                kernels.gemm(RG_FLOAT32, 0, 0, 2, 2, 0, 1, empty.baseAddress, 1, empty.baseAddress, 2, 3, c.baseAddress, 2)
            }
        }
        #expect(c == [3, 6, 9, 12])

        for size in [3, 40, 130] {  // direct loops, one thread, several threads
            let a = [Double](repeating: .nan, count: size * size), b = a
            var zeroed = [Double](repeating: .nan, count: size * size)
            var scaled = [Double](repeating: 2, count: size * size)
            let ones = [Double](repeating: 1, count: size * size)
            let s = Int64(size)
            a.withUnsafeBytes { a in
                b.withUnsafeBytes { b in
                    scaled.withUnsafeMutableBytes { c in
                        kernels.gemm(RG_FLOAT64, 0, 0, s, s, s, 0, a.baseAddress, s, b.baseAddress, s, 0.5, c.baseAddress, s)
                    }
                }
            }
            ones.withUnsafeBytes { a in
                ones.withUnsafeBytes { b in
                    zeroed.withUnsafeMutableBytes { c in
                        kernels.gemm(RG_FLOAT64, 1, 1, s, s, s, 1, a.baseAddress, s, b.baseAddress, s, 0, c.baseAddress, s)
                    }
                }
            }
            #expect(scaled.allSatisfy { $0 == 1 }, "alpha = 0, size \(size)")
            #expect(zeroed.allSatisfy { $0 == Double(size) }, "beta = 0 over NaN, size \(size)")
        }
    }

    @Test func emptyOutputsAreLeftAlone() {
        var c: [Float] = [5]
        let a: [Float] = [1, 2], b: [Float] = [3, 4]
        a.withUnsafeBytes { a in
            b.withUnsafeBytes { b in
                c.withUnsafeMutableBytes { c in
                    rg_gemm_fallback(RG_FLOAT32, 0, 0, 0, 1, 2, 1, a.baseAddress, 2, b.baseAddress, 1, 0, c.baseAddress, 1)
                    rg_gemm_fallback(RG_FLOAT32, 0, 0, 1, 0, 2, 1, a.baseAddress, 2, b.baseAddress, 1, 0, c.baseAddress, 1)
                }
            }
        }
        #expect(c == [5])
    }

    /// Several threads at once: one gets the thread pool, the others run on their own.
    @Test func concurrentCallersGetTheirOwnResults() {
        let problems: [Problem] = (0..<4).map { index in
            var random = SeededGenerator(seed: 90 + UInt64(index))
            return Problem(
                m: 120 + index, n: 150 - index, k: 140, transposeA: index & 1 == 1, transposeB: index & 2 == 2,
                alpha: 1, beta: 0.5, float32: index < 2, using: &random)
        }
        let calls = problems.count * 3
        let results = UnsafeMutableBufferPointer<Double>.allocate(capacity: calls)
        defer { results.deallocate() }
        let shared = UnsafeSendableBox(results)
        DispatchQueue.concurrentPerform(iterations: calls) { index in
            shared.value[index] = problems[index % problems.count].worstError(float32: index % problems.count < 2)
        }
        for (index, worst) in results.enumerated() {
            #expect(worst <= 1, "\(problems[index % problems.count].description): error \(worst) × the bound")
        }
    }

    @Test func threadCountIsPositive() {
        #expect(rg_gemm_fallback_threads() >= 1)
    }
}

/// A pointer handed to concurrentPerform's iterations, each writing its own elements.
private struct UnsafeSendableBox: @unchecked Sendable {
    let value: UnsafeMutableBufferPointer<Double>
    init(_ value: UnsafeMutableBufferPointer<Double>) { self.value = value }
}
