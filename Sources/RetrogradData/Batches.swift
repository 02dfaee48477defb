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
    /// The part of every batch this process takes (``DataShard/whole`` outside
    /// data-parallel training).
    public let shard: DataShard

    /// Creates the batches of `dataset` in `order`.
    init(dataset: Dataset, batchSize: Int, order: [Int], dropRemainder: Bool, shard: DataShard = .whole) {
        self.dataset = dataset
        self.batchSize = batchSize
        self.order = order
        self.dropRemainder = dropRemainder
        self.shard = shard
    }

    /// The index of the first batch (0).
    public var startIndex: Int { 0 }
    /// The number of batches.
    public var endIndex: Int {
        // Written so that no batch size, however large, overflows.
        let (full, rest) = order.count.quotientAndRemainder(dividingBy: batchSize)
        return dropRemainder || rest == 0 ? full : full + 1
    }

    /// The batch at `position`: this shard's rows of it.
    public subscript(position: Int) -> Batch {
        dataset.batch(Array(order[shardRows(at: position)]))
    }

    /// The positions in ``order`` of this shard's rows of batch `position`.
    func shardRows(at position: Int) -> Range<Int> {
        checkPrecondition(position >= 0 && position < endIndex, "BatchSequence: batch \(position) is out of range 0..<\(endIndex)")
        let start = position * batchSize
        let part = shard.range(ofRows: Swift.min(batchSize, order.count - start))
        return (start + part.lowerBound)..<(start + part.upperBound)
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
    ///
    /// In data-parallel training, pass the process's `shard`: every process draws the same
    /// batches of `size` rows (the same `seed` everywhere) and keeps its own contiguous
    /// part of each (``DataShard/range(ofRows:)``), so the union of the processes' parts is
    /// exactly the batch one process would see, and every process has the same number of
    /// steps. `size` is the batch of a whole step, over all processes: with N processes
    /// each takes about `size`/N rows (a last, short batch may leave some with fewer, even
    /// none).
    ///
    /// - Parameters:
    ///   - size: Rows per batch (per step, over all processes); at least 1.
    ///   - shuffle: Whether to visit the rows in a seeded random order.
    ///   - seed: The seed of the order when shuffling.
    ///   - dropRemainder: Whether to leave out a last batch with fewer than `size` rows.
    ///   - shard: The part of each batch this process takes; the whole batch by default.
    public func batches(
        size: Int, shuffle: Bool = false, seed: UInt64 = 0, dropRemainder: Bool = false, shard: DataShard = .whole
    ) -> BatchSequence {
        checkPrecondition(size >= 1, "Dataset.batches: batch size \(size) must be at least 1")
        return BatchSequence(
            dataset: self, batchSize: size, order: passOrder(shuffle: shuffle, seed: seed), dropRemainder: dropRemainder, shard: shard)
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

    /// The batch at `position` and as many partner rows (this shard's part of both).
    public subscript(position: Int) -> (batch: Batch, partner: Batch) {
        // The partner rows follow the whole batch's positions, so the shards' parts of
        // both add up to the unsharded pair. Positions stay below the first dataset's
        // count, so nothing overflows.
        let rows = batches.shardRows(at: position)
        let batch = batches.dataset.batch(Array(batches.order[rows]))
        return (batch, partner.batch(rows.map { partnerOrder[$0 % partnerOrder.count] }))
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

/// The part of every batch one process takes in data-parallel training: process `rank` of
/// `count` (see ``Dataset/batches(size:shuffle:seed:dropRemainder:shard:)``).
public struct DataShard: Sendable, Equatable, Hashable {
    /// This process's position, `0..<count`.
    public let rank: Int
    /// The number of processes sharing every batch.
    public let count: Int

    /// Process `rank` of `count`; `count` at least 1 and `rank` in `0..<count`.
    public init(rank: Int, count: Int) {
        checkPrecondition(
            count >= 1 && (0..<count).contains(rank),
            "DataShard: rank \(rank) of \(count) processes; the count must be at least 1 and the rank in 0..<count")
        self.rank = rank
        self.count = count
    }

    /// The whole batch: one process.
    public static let whole = DataShard(rank: 0, count: 1)

    /// The rows of a batch of `rows` this shard takes: ⌊rank·rows/count⌋ ..<
    /// ⌊(rank+1)·rows/count⌋, so shards differ by at most one row and a batch of
    /// `count`·b rows gives each exactly b.
    public func range(ofRows rows: Int) -> Range<Int> {
        // rows is at most a data set's row count, so rows · count cannot overflow.
        (rank * rows / count)..<((rank + 1) * rows / count)
    }
}
