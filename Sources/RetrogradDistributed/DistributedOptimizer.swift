import Retrograd
import RetrogradOptimizers

/// Any `Optimizer`, data-parallel: each step averages the gradients
/// over the ranks of a ``ProcessGroup``, then runs the wrapped optimizer's step on every
/// rank with the same averaged gradients, so the ranks' weights stay identical.
///
/// N processes that each take their shard of every batch
/// (`data.batches(size: B, …, shard: group.shard)`) then train exactly as one process
/// with batches of B rows, up to float rounding:
///
/// ```swift
/// let group = try ProcessGroup.world()
/// let optimizer = DistributedOptimizer(Adam(learningRate: 1e-3), group: group)
/// try optimizer.synchronize(variables)                 // rank 0's weights and state
/// for batch in data.batches(size: 128, shuffle: true, seed: seed &+ UInt64(epoch), shard: group.shard) {
///     let tape = GradientTape()
///     let loss = tape.record { softmaxCrossEntropy(logits: model(batch.features), labels: batch.labels!) }
///     let gradients = try tape.gradient(of: loss, wrt: variables)
///     optimizer.apply(gradients: gradients, to: variables, weight: Double(batch.count))
/// }
/// ```
///
/// For a mean-reduced loss pass each rank's number of examples as the `weight` (see
/// ``ProcessGroup/averageGradients(_:for:weight:)``): the average is then the gradient
/// of the mean over the whole batch even when an epoch's last batch splits unevenly.
/// A rank whose part of a batch is empty still calls ``apply(gradients:to:weight:)``, with
/// `nil` gradients and weight 0, because every rank must join every reduction.
public final class DistributedOptimizer {
    /// The optimizer whose step runs after the averaging.
    public let optimizer: Optimizer
    /// The processes the gradients are averaged over.
    public let group: ProcessGroup

    /// Wraps `optimizer` so its steps use gradients averaged over `group`.
    public init(_ optimizer: Optimizer, group: ProcessGroup) {
        self.optimizer = optimizer
        self.group = group
    }

    /// Averages `gradients` over the ranks with this rank's `weight`, then updates
    /// `variables` with the wrapped optimizer. In a ``ProcessGroup/single`` group it is the
    /// wrapped optimizer's `apply(gradients:to:)` with the gradients unchanged (all `nil`
    /// for weight 0, which still counts a step, as it does with several ranks).
    public func apply(gradients: [Tensor?], to variables: [Variable], weight: Double = 1) {
        optimizer.apply(gradients: group.averageGradients(gradients, for: variables, weight: weight), to: variables)
    }

    /// Gives every rank rank 0's values of `variables` and rank 0's optimizer state for
    /// them, after checking that every rank has the same variables (names, shapes,
    /// element types). Call it once before training and after restoring a checkpoint.
    ///
    /// The optimizer state is sent only when some rank's optimizer has taken a step (a
    /// fresh optimizer's state is the same everywhere); it is keyed by variable name, so
    /// the names must then be unique, as for a checkpoint.
    ///
    /// - Throws: ``DistributedError/mismatch(rank:size:fact:)`` when a rank's variables
    ///   differ from rank 0's.
    public func synchronize(_ variables: [Variable]) throws {
        guard group.isDistributed else { return }
        try group.checkAgreement([.layout(of: variables)])
        group.broadcast(variables)
        if group.anyRank(optimizer.iterations > 0) { try group.broadcastState(of: optimizer, for: variables) }
    }
}
