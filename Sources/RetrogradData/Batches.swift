/// A group of rows from a ``Dataset``: what one training step sees.
public struct Batch: Sendable {
    /// The features of the rows, shape `[count] + exampleShape` of the dataset.
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
        checkPrecondition(position >= 0 && position < endIndex, "BatchSequence: batch \(position) is out of range 0..<\(endIndex)")
        let start = position * batchSize
        return dataset.batch(Array(order[start..<(start + Swift.min(batchSize, order.count - start))]))
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
        checkPrecondition(size >= 1, "Dataset.batches: batch size \(size) must be at least 1")
        return BatchSequence(dataset: self, batchSize: size, order: passOrder(shuffle: shuffle, seed: seed), dropRemainder: dropRemainder)
    }

    /// The row order of a pass: ``permutation(count:seed:)`` when shuffling, else `0..<count`.
    func passOrder(shuffle: Bool, seed: UInt64) -> [Int] {
        shuffle ? Dataset.permutation(count: count, seed: seed) : Array(0..<count)
    }

    /// The rows at `indices` as a batch.
    func batch(_ indices: [Int]) -> Batch {
        let picked = rows(indices)
        return Batch(features: picked.features, labels: picked.labels, indices: indices)
    }
}

/// The batches of one pass over a dataset, each paired with as many rows of a second
/// dataset: what a domain-adaptation step sees, a labelled source batch and unlabelled
/// target rows.
///
/// The second dataset's rows come in their own order, fixed when the collection is made:
/// batch `i` takes the rows at positions `i · batchSize`, `i · batchSize + 1`, … of that
/// order, wrapping around to its start when it runs out. A second dataset smaller than the
/// first is therefore cycled through within the pass; of a larger one, only the first rows
/// of its order are seen.
public struct PairedBatchSequence: RandomAccessCollection, Sendable {
    /// The batches of the first dataset.
    public let batches: BatchSequence
    /// The dataset whose rows join each batch.
    public let partner: Dataset
    /// The order in which the partner's rows are taken: a permutation of `0..<partner.count`.
    public let partnerOrder: [Int]

    /// The index of the first batch (0).
    public var startIndex: Int { batches.startIndex }
    /// The number of batches.
    public var endIndex: Int { batches.endIndex }

    /// The batch at `position` and as many partner rows.
    public subscript(position: Int) -> (batch: Batch, partner: Batch) {
        let batch = batches[position]
        // position · batchSize + offset < the first dataset's count, so nothing overflows.
        let first = position * batches.batchSize
        return (batch, partner.batch((0..<batch.count).map { partnerOrder[(first + $0) % partnerOrder.count] }))
    }
}

extension BatchSequence {
    /// These batches, each paired with as many rows of `partner` (see ``PairedBatchSequence``).
    ///
    /// With `shuffle`, the partner's rows are taken in the order ``Dataset/permutation(count:seed:)``
    /// gives for `seed`; without it, in their own order and `seed` is unused.
    ///
    /// - Parameters:
    ///   - partner: The dataset whose rows join each batch; at least one row.
    ///   - shuffle: Whether to take the partner's rows in a seeded random order.
    ///   - seed: The seed of that order when shuffling.
    public func paired(with partner: Dataset, shuffle: Bool = false, seed: UInt64 = 0) -> PairedBatchSequence {
        checkPrecondition(partner.count > 0, "BatchSequence.paired: the partner dataset has no rows; give it at least one")
        return PairedBatchSequence(batches: self, partner: partner, partnerOrder: partner.passOrder(shuffle: shuffle, seed: seed))
    }
}
