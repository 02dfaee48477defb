import Foundation
import Testing
@testable import DomainAdaptation

private func matrix(_ rows: [[Double]]) -> Tensor {
    Tensor(rows.flatMap { $0 }, shape: [rows.count, rows[0].count])
}

@Suite struct PCATests {
    /// Points (1, 2) + t·(0.6, 0.8) for t = −2…2: all variance lies along (0.6, 0.8), with
    /// variance Σt² / (n − 1) = 10 / 4 = 2.5, and each point projects to its own t.
    @Test func pointsOnALine() {
        let ts: [Double] = [-2, -1, 0, 1, 2]
        let data = matrix(ts.map { [1 + 0.6 * $0, 2 + 0.8 * $0] })
        let pca = PCA(fitting: data, components: 2)
        #expect(allClose(pca.mean, [1, 2], absolute: 1e-9))
        #expect(allClose(pca.components[0], [0.6, 0.8], absolute: 1e-9))
        // The orthogonal direction ±(−0.8, 0.6), with its largest entry made positive.
        #expect(allClose(pca.components[1], [0.8, -0.6], absolute: 1e-9))
        #expect(allClose(pca.explainedVariance, [2.5, 0], absolute: 1e-9))
        #expect(allClose(pca.explainedVarianceRatio, [1, 0], absolute: 1e-9))
        let projected = pca.project(data)
        #expect(allClose(projected.map { $0[0] }, ts, absolute: 1e-9))
        #expect(allClose(projected.map { $0[1] }, [0, 0, 0, 0, 0], absolute: 1e-9))
    }

    /// (±3, 0) and (0, ±1): the x variance is 18 / 3 = 6, the y variance 2 / 3, no
    /// covariance, so the ratios are 6 / (20/3) = 0.9 and 0.1.
    @Test func axisAlignedEllipse() {
        let data = matrix([[3, 0], [-3, 0], [0, 1], [0, -1]])
        let pca = PCA(fitting: data, components: 2)
        #expect(allClose(pca.components[0], [1, 0], absolute: 1e-9))
        #expect(allClose(pca.components[1], [0, 1], absolute: 1e-9))
        #expect(allClose(pca.explainedVariance, [6, 2.0 / 3], absolute: 1e-9))
        #expect(allClose(pca.explainedVarianceRatio, [0.9, 0.1], absolute: 1e-9))
        #expect(allClose(pca.project(matrix([[3, 0], [0, -1], [2, 5]])).flatMap { $0 }, [3, 0, 0, -1, 2, 5], absolute: 1e-9))
    }

    /// Points ±2u, ±1v, ±0.5w around (5, −3, 2) with u = (cos 30°, sin 30°, 0),
    /// v = (−sin 30°, cos 30°, 0), w = (0, 0, 1): variances 8/5, 2/5, 0.5/5 along u, v, w
    /// (n − 1 = 5), so ratios 16/21, 4/21, 1/21. Given as float32, as features are.
    @Test func rotatedEllipsoidInThreeDimensions() {
        let c = cos(Double.pi / 6), s = sin(Double.pi / 6)
        let u = [c, s, 0.0], v = [-s, c, 0.0], w = [0.0, 0.0, 1.0]
        let center = [5.0, -3.0, 2.0]
        let offsets: [[Double]] = [u.map { 2 * $0 }, u.map { -2 * $0 }, v, v.map { -$0 }, w.map { 0.5 * $0 }, w.map { -0.5 * $0 }]
        let rows = offsets.map { zip(center, $0).map { Float($0 + $1) } }
        let data = Tensor(rows.flatMap { $0 }, shape: [6, 3])
        let pca = PCA(fitting: data, components: 3)
        let tolerance = 1e-5   // the input was rounded to float32
        #expect(allClose(pca.components[0], u, absolute: tolerance))
        #expect(allClose(pca.components[1], v, absolute: tolerance))   // its largest entry, cos 30°, is already positive
        #expect(allClose(pca.components[2], w, absolute: tolerance))
        #expect(allClose(pca.explainedVarianceRatio, [16.0 / 21, 4.0 / 21, 1.0 / 21], absolute: tolerance))
        #expect(allClose(pca.project(data)[0], [2, 0, 0], absolute: tolerance))
        #expect(allClose(pca.project(data)[3], [0, -1, 0], absolute: tolerance))
    }

    /// A general 6 × 4 matrix. Expected values from NumPy 2.4 (`np.cov(X.T)`,
    /// `np.linalg.eigh`, eigenvectors sorted by decreasing eigenvalue and signed so their
    /// largest-magnitude entry is positive; `(X - X.mean(0)) @ V[:, :2]`), run once.
    @Test func matchesNumPyOnAGeneralMatrix() {
        let data = matrix([[2, 0, 1, 4], [1, 3, 0, 2], [4, 1, 2, 0], [0, 2, 3, 1], [3, 4, 1, 3], [2, 2, 2, 2]])
        let pca = PCA(fitting: data, components: 2)
        #expect(allClose(pca.mean, [2, 2, 1.5, 2], absolute: 1e-9))
        #expect(allClose(pca.explainedVariance, [2.5806215222206266, 2.1045571367551283], absolute: 1e-9))
        #expect(allClose(pca.explainedVarianceRatio, [0.3634678200310742, 0.29641649813452514], absolute: 1e-9))
        #expect(allClose(pca.components[0], [-0.23109659859824147, 0.4100582749135177, -0.47967335014950585, 0.740513369526589], absolute: 1e-9))
        #expect(allClose(pca.components[1], [0.7355752709427511, -0.5198959735940745, -0.2318905494475859, 0.3672383020533997], absolute: 1e-9))
        let projected = pca.project(data)
        #expect(allClose(projected[0], [0.9007468643008955, 1.8902138260187413], absolute: 1e-9))
        #expect(allClose(projected[2], [-2.593114886237932, 1.1406246366489843], absolute: 1e-9))
        #expect(allClose(projected[5], [-0.23983667507475293, -0.11594527472379294], absolute: 1e-9))
        #expect(allClose(pca.project(matrix([[1, 1, 1, 1]]))[0], [-0.6796383707671122, -0.4669723246782834], absolute: 1e-9))
    }

    /// 64 features, so the top components come from subspace iteration. The rows are ±s_j·h_j
    /// for the 64 orthonormal rows h_j of the Sylvester–Hadamard matrix divided by 8, with
    /// s_j = 64 − j. The mean is zero and the covariance is Σ 2 s_j² h_j h_jᵀ / 127, so the
    /// components are h_0 = (1, …, 1)/8 and h_1 = (1, −1, 1, −1, …)/8, and the ratios are
    /// 64² / Σ m² = 4096 / 89440 and 63² / 89440 (Σ_{m=1}^{64} m² = 64·65·129/6 = 89440).
    @Test func hadamardBasisInSixtyFourDimensions() {
        func hadamard(_ i: Int, _ j: Int) -> Double { (i & j).nonzeroBitCount % 2 == 0 ? 1 : -1 }
        var rows: [[Double]] = []
        for j in 0..<64 {
            let h = (0..<64).map { hadamard(j, $0) / 8 }
            let scale = Double(64 - j)
            rows.append(h.map { scale * $0 })
            rows.append(h.map { -scale * $0 })
        }
        let pca = PCA(fitting: matrix(rows), components: 2)
        #expect(allClose(pca.components[0], Array(repeating: 0.125, count: 64), absolute: 1e-8))
        #expect(allClose(pca.components[1], (0..<64).map { $0 % 2 == 0 ? 0.125 : -0.125 }, absolute: 1e-8))
        let variances: [Double] = [8192.0 / 127, 7938.0 / 127]
        let ratios: [Double] = [4096.0 / 89440, 3969.0 / 89440]
        #expect(allClose(pca.explainedVariance, variances, absolute: 1e-8))
        #expect(allClose(pca.explainedVarianceRatio, ratios, absolute: 1e-10))
        // The row 5·h_59 has no component along h_0 or h_1.
        #expect(allClose(pca.project(matrix([rows[118]]))[0], [0, 0], absolute: 1e-8))
        #expect(allClose(pca.project(matrix([rows[0]]))[0], [64, 0], absolute: 1e-8))
    }

    /// Data of rank one in 40 dimensions: subspace iteration loses rank after one product
    /// and must refill its basis. The line's direction is e_7 + e_30 (normalised).
    @Test func lowRankDataInManyDimensions() {
        let direction = (0..<40).map { $0 == 7 || $0 == 30 ? 1 / 2.0.squareRoot() : 0 }
        let rows = (0..<10).map { t in direction.map { Double(t) * $0 } }
        let pca = PCA(fitting: matrix(rows), components: 2)
        #expect(allClose(pca.components[0], direction, absolute: 1e-8))
        // Variance of t = 0…9 is 82.5 / 9; the second direction carries nothing.
        #expect(allClose(pca.explainedVariance, [82.5 / 9, 0], absolute: 1e-8))
        #expect(allClose(pca.explainedVarianceRatio, [1, 0], absolute: 1e-10))
        let second = pca.components[1]
        #expect(Swift.abs(zip(second, direction).map(*).reduce(0, +)) < 1e-8)
        #expect(Swift.abs(second.map { $0 * $0 }.reduce(0, +) - 1) < 1e-8)
    }

    /// Constant rows have no variance: ratios are zero rather than NaN, projections zero.
    @Test func constantDataHasZeroRatios() {
        let pca = PCA(fitting: matrix([[1, 2, 3], [1, 2, 3]]), components: 2)
        #expect(pca.explainedVarianceRatio == [0, 0])
        #expect(pca.explainedVariance == [0, 0])
        #expect(pca.project(matrix([[1, 2, 3]])) == [[0, 0]])
        for component in pca.components {
            let squaredNorm = component.map { $0 * $0 }.reduce(0, +)
            #expect(Swift.abs(squaredNorm - 1) < 1e-12)
        }
    }

    @Test func fittingIsDeterministic() {
        func entry(_ i: Int, _ j: Int) -> Double {
            let angle = Double(i * 31 + j * 7)
            return sin(angle) + Double(j % 3) * cos(Double(i))
        }
        let rows: [[Double]] = (0..<50).map { i in (0..<30).map { j in entry(i, j) } }
        let a = PCA(fitting: matrix(rows), components: 3)
        let b = PCA(fitting: matrix(rows), components: 3)
        #expect(a.components == b.components && a.explainedVariance == b.explainedVariance)
    }

    /// [[2, 1], [1, 2]] has eigenvalues 3 and 1 with eigenvectors (1, 1)/√2 and (1, −1)/√2.
    @Test func jacobiOnATwoByTwo() {
        let (values, vectors) = SymmetricEigen.jacobi([2, 1, 1, 2], size: 2)
        #expect(allClose(values, [3, 1], absolute: 1e-14))
        let r = 1 / 2.0.squareRoot()
        #expect(allClose(PCA.withSignConvention(vectors[0]), [r, r], absolute: 1e-14))
        #expect(allClose(PCA.withSignConvention(vectors[1]), [r, -r], absolute: 1e-14))
    }
}
