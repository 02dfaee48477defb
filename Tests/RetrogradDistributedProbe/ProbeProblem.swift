import Foundation
import RetrogradData
import RetrogradDistributed
import RetrogradNN
import RetrogradOptimizers

/// A fixed float64 classification problem: a 3 → 5 → 3 tanh network with seeded weights and
/// `rows` rows x[i, j] = sin(0.37·(3i + j) + 1), labels i mod 3.
struct ProbeProblem {
    let model: Sequential
    let data: Dataset

    init(rows: Int) {
        model = Sequential(
            Dense(inputSize: 3, outputSize: 5, activation: .tanh, dtype: .float64, seed: 11),
            Dense(inputSize: 5, outputSize: 3, dtype: .float64, seed: 12))
        let features = (0..<(rows * 3)).map { sin(0.37 * Double($0) + 1) }
        data = try! Dataset(features: Tensor(features, shape: [rows, 3]), labels: (0..<rows).map { Int32($0 % 3) })
    }

    /// The mean cross-entropy of `batch` and its gradients (nil for an empty batch).
    func gradients(of batch: Batch) throws -> [Tensor?] {
        let variables = model.trainableVariables
        guard batch.count > 0 else { return variables.map { _ in nil } }
        let tape = GradientTape()
        let loss = tape.record { softmaxCrossEntropy(logits: model(batch.features), labels: batch.labels!) }
        return try tape.gradient(of: loss, wrt: variables)
    }

    /// The gradient of the mean loss over every row: in one process straight from the
    /// tape, in several from each rank's shard, averaged by ``ProcessGroup/averageGradients(_:for:weight:)``.
    func gradients(in group: ProcessGroup) throws -> [String: Any] {
        let batch = data.batches(size: data.count, shard: group.shard)[0]
        let local = try gradients(of: batch)
        let averaged = group.averageGradients(local, for: model.trainableVariables, weight: Double(batch.count))
        return [
            "size": group.size, "rows": batch.count,
            "gradients": averaged.map { $0!.scalars(as: Double.self) },
            "communication": group.statistics.allReduceBytes,
        ]
    }

    /// The weights after `epochs` of Adam on shuffled batches of `batch` rows (the last
    /// one short when `batch` does not divide the rows), through a ``DistributedOptimizer``.
    func train(batch size: Int, epochs: Int, in group: ProcessGroup) throws -> [String: Any] {
        let variables = model.trainableVariables
        let optimizer = DistributedOptimizer(Adam(learningRate: 0.05), group: group)
        try optimizer.synchronize(variables)
        for epoch in 0..<epochs {
            for batch in data.batches(size: size, shuffle: true, seed: 7 &+ UInt64(epoch), shard: group.shard) {
                optimizer.apply(gradients: try gradients(of: batch), to: variables, weight: Double(batch.count))
            }
        }
        return ["size": group.size, "weights": variables.map { $0.value.scalars(as: Double.self) }]
    }
}
