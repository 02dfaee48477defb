/// An in-memory dataset: float32 or float64 features, one example per entry of the first
/// axis, with an optional int32 class label per example.
///
/// The features are a `[count, features]` matrix for tabular data, or a
/// `[count, height, width, channels]` tensor for images (NHWC, channels last, the layout of
/// MNIST's files and of the convolution layers); any rank from 2 to 8 works the same way.
/// Shuffling, splitting, batching and ``BatchSequence/paired(with:shuffle:seed:)`` select
/// whole examples and keep the rest of the shape.
///
/// ```swift
/// let data = try Dataset(features: x, labels: [0, 1, 1, 0])
/// let (train, test) = data.split(fraction: 0.8, seed: 7)
/// for epoch in 0..<10 {
///     for batch in train.batches(size: 32, shuffle: true, seed: 42 &+ UInt64(epoch)) {
///         // batch.features: [≤ 32, features], batch.labels: [≤ 32]
///     }
/// }
/// ```
///
/// Datasets are values; every method that reorders or selects rows returns a new one.
public struct Dataset: Sendable {
    /// The features, shape `[count] + exampleShape` (such as `[count, featureCount]` or
    /// `[count, height, width, channels]`), float32 or float64.
    public let features: Tensor
    /// The class labels, an int32 tensor of shape `[count]`, or `nil` for unlabelled data.
    public let labels: Tensor?

    /// Creates a dataset from features (a matrix, or images `[count, height, width, channels]`)
    /// and optional int32 labels.
    ///
    /// - Throws: ``DataError/invalidFeatures(shape:dtype:)`` unless `features` is a float
    ///   tensor of rank 2 or more, ``DataError/invalidLabels(shape:dtype:)`` unless `labels` is a
    ///   rank-1 int32 tensor, and ``DataError/countMismatch(features:labels:)`` when the
    ///   numbers of rows differ.
    public init(features: Tensor, labels: Tensor? = nil) throws(DataError) {
        guard features.rank >= 2, features.dtype.isFloatingPoint else {
            throw .invalidFeatures(shape: features.shape, dtype: features.dtype)
        }
        if let labels {
            guard labels.rank == 1, labels.dtype == .int32 else {
                throw .invalidLabels(shape: labels.shape, dtype: labels.dtype)
            }
            guard labels.shape[0] == features.shape[0] else {
                throw .countMismatch(features: features.shape[0], labels: labels.shape[0])
            }
        }
        self.features = features
        self.labels = labels
    }

    /// Creates a dataset from features (a matrix or images) and one integer label per example.
    ///
    /// - Throws: the errors of the initializer that takes a labels tensor.
    public init(features: Tensor, labels: [Int32]) throws(DataError) {
        try self.init(features: features, labels: Tensor(labels, shape: [labels.count]))
    }

    /// The number of rows (examples).
    public var count: Int { features.shape[0] }
    /// The number of features per example: the product of ``exampleShape``, such as
    /// 28 · 28 · 3 = 2352 for MNIST-M images.
    public var featureCount: Int {
        let shape = features.shape
        var product = 1
        for axis in 1..<shape.rank { product *= shape[axis] }
        return product
    }
    /// The shape of one example: `[featureCount]` for a matrix, `[height, width, channels]`
    /// for images.
    public var exampleShape: Shape { Shape(Array(features.shape.dimensions.dropFirst())) }
    /// The labels as Swift integers, or `nil` for unlabelled data.
    public var labelScalars: [Int32]? { labels?.scalars(as: Int32.self) }

    /// The rows at `indices`, in that order (indices may repeat).
    ///
    /// Every index must lie in `0..<count`.
    public func rows(_ indices: [Int]) -> Dataset {
        for index in indices {
            checkPrecondition(index >= 0 && index < count, "Dataset.rows: index \(index) is out of range 0..<\(count)")
        }
        let picked = Tensor(indices.map { Int32($0) }, shape: [indices.count])
        return Dataset(
            checkedFeatures: features.gather(indices: picked, axis: 0),
            labels: labels?.gather(indices: picked, axis: 0))
    }

    /// The same rows in an order fixed by `seed`: the same seed always gives the same order.
    public func shuffled(seed: UInt64) -> Dataset {
        rows(Dataset.permutation(count: count, seed: seed))
    }

    /// Splits the rows, shuffled by `seed`, into a training part holding `fraction` of them
    /// (rounded to the nearest row) and a test part holding the rest.
    ///
    /// `fraction` must lie in `0...1`. The two parts never share a row.
    public func split(fraction: Double, seed: UInt64) -> (train: Dataset, test: Dataset) {
        checkPrecondition((0...1).contains(fraction), "Dataset.split: fraction \(fraction) is not in 0...1")
        let order = Dataset.permutation(count: count, seed: seed)
        let trainCount = Int((Double(count) * fraction).rounded())
        return (rows(Array(order[..<trainCount])), rows(Array(order[trainCount...])))
    }

    /// A permutation of `0..<count` fixed by `seed`: the Fisher–Yates shuffle driven by
    /// `SeededGenerator` with unbiased bounded draws, spelled out here so that orders stay
    /// the same across Swift versions and platforms.
    public static func permutation(count: Int, seed: UInt64) -> [Int] {
        var generator = SeededGenerator(seed: seed)
        return permutation(count: count, using: &generator)
    }

    /// A permutation of `0..<count` drawn from `generator` (see ``permutation(count:seed:)``).
    static func permutation(count: Int, using generator: inout SeededGenerator) -> [Int] {
        checkPrecondition(count >= 0, "Dataset.permutation: count \(count) is negative")
        var order = Array(0..<count)
        guard count > 1 else { return order }
        for last in stride(from: count - 1, to: 0, by: -1) {
            order.swapAt(last, uniformIndex(below: last + 1, using: &generator))
        }
        return order
    }

    /// An unbiased draw from `0..<bound` (Lemire's multiply-and-reject method).
    static func uniformIndex(below bound: Int, using generator: inout SeededGenerator) -> Int {
        let limit = UInt64(bound)
        var product = generator.next().multipliedFullWidth(by: limit)
        if product.low < limit {
            let threshold = (0 &- limit) % limit
            while product.low < threshold { product = generator.next().multipliedFullWidth(by: limit) }
        }
        return Int(product.high)
    }

    /// Builds a dataset from parts already known to be consistent.
    init(checkedFeatures features: Tensor, labels: Tensor?) {
        self.features = features
        self.labels = labels
    }
}
