import Retrograd

/// Principal component analysis: the directions of largest variance of a data matrix, for
/// drawing high-dimensional features (a network's hidden layer, say) in two dimensions.
///
/// Fitting centres the rows, forms the sample covariance (divided by n − 1, like NumPy's
/// `cov` and scikit-learn's `explained_variance_`) in `float64`, and finds its top
/// eigenvectors. Each component's sign is fixed so that its largest-magnitude entry is
/// positive (the first such entry when several tie within 10⁻⁹), which makes projections
/// of the same data identical from run to run.
///
/// ```swift
/// let pca = PCA(fitting: features, components: 2)      // features: [n, d]
/// let xy = pca.project(features)                       // n rows of (PC 1, PC 2)
/// pca.explainedVarianceRatio                           // e.g. [0.41, 0.12]
/// ```
///
/// Up to a few hundred features and a few thousand rows take a small fraction of a second:
/// the covariance is one matrix product, and its top eigenvectors come from subspace
/// iteration (small covariances are decomposed in full by Jacobi rotations).
public struct PCA: Sendable {
    /// The mean of the fitted rows, one value per feature.
    public let mean: [Double]
    /// The principal directions, largest variance first: `components` unit vectors of
    /// `mean.count` entries each, orthogonal to each other.
    public let components: [[Double]]
    /// The variance of the fitted data along each component (the covariance's eigenvalues).
    public let explainedVariance: [Double]
    /// Each component's share of the total variance (the covariance's trace), in 0…1; all
    /// zeros when the data do not vary.
    public let explainedVarianceRatio: [Double]

    /// Fits the top `count` principal components of the rows of `data`.
    ///
    /// - Parameters:
    ///   - data: An `[n, d]` float32 or float64 tensor, one example per row; it is read
    ///     without being recorded on any tape.
    ///   - count: How many components to keep, from 1 to `d`.
    /// - Precondition: `data` has rank 2 and at least one row, and `1 <= count <= d`.
    public init(fitting data: Tensor, components count: Int) {
        checkPrecondition(data.rank == 2, "PCA: needs an [n, d] matrix, got shape \(data.shape)")
        let (n, d) = (data.shape[0], data.shape[1])
        checkPrecondition(n >= 1, "PCA: needs at least one row, got shape \(data.shape)")
        checkPrecondition(count >= 1 && count <= d, "PCA: components must be in 1...\(d) for shape \(data.shape), got \(count)")
        let (mean, covariance) = withoutRecording { () -> ([Double], [Double]) in
            let x = data.dtype == .float64 ? data : data.cast(to: .float64)
            let mean = x.mean(axes: [0], keepingDimensions: true)
            let centered = x - mean
            let covariance = centered.matmul(centered, transposingA: true) / Double(Swift.max(n - 1, 1))
            return (mean.scalars(as: Double.self), covariance.scalars(as: Double.self))
        }
        let eigen = SymmetricEigen.top(covariance, size: d, count: count)
        let trace = (0..<d).reduce(0.0) { $0 + covariance[$1 * d + $1] }
        let variances = eigen.values.map { Swift.max($0, 0) }
        self.mean = mean
        self.components = eigen.vectors.map(Self.withSignConvention)
        self.explainedVariance = variances
        self.explainedVarianceRatio = variances.map { trace > 0 ? $0 / trace : 0 }
    }

    /// The coordinates of each row of `data` along the components: `(x − mean) · componentᵢ`.
    ///
    /// - Parameter data: An `[m, d]` tensor with the fitted number of features.
    /// - Returns: `m` rows of `components.count` values.
    public func project(_ data: Tensor) -> [[Double]] {
        let d = mean.count, k = components.count
        checkPrecondition(data.rank == 2 && data.shape[1] == d, "PCA.project: fitted on \(d) features, got shape \(data.shape)")
        let m = data.shape[0]
        guard m > 0 else { return [] }
        let values = withoutRecording { () -> [Double] in
            let x = data.dtype == .float64 ? data : data.cast(to: .float64)
            let centered = x - Tensor(mean, shape: [1, d])
            let basis = Tensor(components.flatMap { $0 }, shape: [k, d])
            return centered.matmul(basis, transposingB: true).scalars(as: Double.self)
        }
        return (0..<m).map { Array(values[($0 * k)..<($0 * k + k)]) }
    }

    /// `vector`, negated if needed so that its largest-magnitude entry is positive.
    static func withSignConvention(_ vector: [Double]) -> [Double] {
        let largest = vector.map(Swift.abs).max() ?? 0
        guard let pivot = vector.first(where: { Swift.abs($0) >= largest - 1e-9 }), pivot < 0 else { return vector }
        return vector.map { -$0 }
    }
}
