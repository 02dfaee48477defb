/// A group of rows from a ``Dataset``: what one training step sees.
public struct Batch: Sendable {
    /// The features of the rows, shape `[count, featureCount]`.
    public let features: Tensor
    /// The labels of the rows, shape `[count]`, or `nil` for unlabelled data.
    public let labels: Tensor?
    /// The positions of the rows in the dataset, in batch order.
    public let indices: [Int]

    /// The number of rows in the batch.
    public var count: Int { indices.count }
}

/// The batches of one pass over a dataset, in a fixed order.
///
/// The row order is decided when the collection is made; each batch's rows are gathered
/// when the batch is read. Every row appears in exactly one batch, except that with
/// `dropRemainder` the last, short batch is left out.
public struct BatchSequence: RandomAccessCollection, Sendable {
    /// The dataset the rows come from.
    public let dataset: Dataset
    /// The number of rows in every batch but possibly the last.
    public let batchSize: Int
    /// The row order of this pass: a permutation of `0..<dataset.count`.
    public let order: [Int]
    /// Whether a last batch smaller than ``batchSize`` is left out.
    public let dropRemainder: Bool

    /// Creates the batches of `dataset` in `order`.
    init(dataset: Dataset, batchSize: Int, order: [Int], dropRemainder: Bool) {
        self.dataset = dataset
        self.batchSize = batchSize
        self.order = order
        self.dropRemainder = dropRemainder
    }

    /// The index of the first batch (0).
    public var startIndex: Int { 0 }
    /// The number of batches.
    public var endIndex: Int {
        // Written so that no batch size, however large, overflows.
        let (full, rest) = order.count.quotientAndRemainder(dividingBy: batchSize)
        return dropRemainder || rest == 0 ? full : full + 1
    }

    /// The batch at `position`.
    public subscript(position: Int) -> Batch {
        precondition(position >= 0 && position < endIndex, "BatchSequence: batch \(position) is out of range 0..<\(endIndex)")
        let start = position * batchSize
        let indices = Array(order[start..<(start + Swift.min(batchSize, order.count - start))])
        let picked = dataset.rows(indices)
        return Batch(features: picked.features, labels: picked.labels, indices: indices)
    }
}

extension Dataset {
    /// The rows grouped into batches of `size`, for one pass (epoch) over the data.
    ///
    /// With `shuffle`, the row order is ``permutation(count:seed:)`` for `seed`: the same
    /// seed gives the same batches, so pass a different seed each epoch (for example
    /// `seed &+ UInt64(epoch)`). Without it, rows keep their order and `seed` is unused.
    /// The last batch is smaller when `size` does not divide ``count``, unless
    /// `dropRemainder` leaves it out.
    ///
    /// - Parameters:
    ///   - size: Rows per batch; at least 1.
    ///   - shuffle: Whether to visit the rows in a seeded random order.
    ///   - seed: The seed of the order when shuffling.
    ///   - dropRemainder: Whether to leave out a last batch with fewer than `size` rows.
    public func batches(size: Int, shuffle: Bool = false, seed: UInt64 = 0, dropRemainder: Bool = false) -> BatchSequence {
        precondition(size >= 1, "Dataset.batches: batch size \(size) must be at least 1")
        let order = shuffle ? Dataset.permutation(count: count, seed: seed) : Array(0..<count)
        return BatchSequence(dataset: self, batchSize: size, order: order, dropRemainder: dropRemainder)
    }
}
