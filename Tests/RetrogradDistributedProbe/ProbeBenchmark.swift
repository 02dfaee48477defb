import Foundation
import RetrogradBenchmarks
import RetrogradDistributed
import RetrogradOptimizers

/// Steps per second of W3 or W5 (Benchmarks/README.md) when `group` shares every step: each
/// rank runs the workload on its part of the batch (W3: 128 rows; W5: 64 source and 64
/// target rows, split evenly) and the gradients are averaged by a ``DistributedOptimizer``
/// before the workload's own optimizer step. With `wholeBatchEach`, every rank runs the
/// workload's whole batch instead (N times the examples per step). A fixed number of steps
/// per repeat, started together (a barrier), so every rank makes the same collectives.
struct ProbeBenchmark {
    let workload: String
    let steps: Int
    let repeats: Int
    let wholeBatchEach: Bool

    /// This rank's rows of a batch of `rows`.
    func rows(_ rows: Int, in group: ProcessGroup) -> Int {
        wholeBatchEach ? rows : group.shard.range(ofRows: rows).count
    }

    func run(in group: ProcessGroup) throws -> [String: Any] {
        let training: any TrainingStep, optimizer: Optimizer
        if workload == "W5" {
            let dann = DANNStepTraining(batch: rows(64, in: group))
            (training, optimizer) = (dann, dann.optimizer)
        } else {
            let mlp = MLPTraining(sizes: [784, 512, 512, 10], activation: .relu, batch: rows(128, in: group))
            (training, optimizer) = (mlp, mlp.optimizer)
        }
        let distributed = DistributedOptimizer(optimizer, group: group)
        try distributed.synchronize(training.variables)
        func step() throws {
            let (_, gradients) = try training.lossAndGradients()
            distributed.apply(gradients: gradients, to: training.variables)
        }
        for _ in 0..<10 { try step() }  // warm-up
        var samples = [Double]()
        let before = group.statistics
        for _ in 0..<repeats {
            group.barrier()
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<steps { try step() }
            // Every rank's time: the slowest rank decides the step rate.
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            samples.append(Double(steps) / group.allReduce([seconds], .max)[0])
        }
        let after = group.statistics
        let measuredSteps = Double(steps * repeats)
        let parameters = training.variables.reduce(0) { $0 + $1.shape.elementCount }
        return [
            "workload": workload, "processes": group.size,
            "examplesPerStep": (workload == "W5" ? 64 : 128) * (wholeBatchEach ? group.size : 1), "stepsPerSecond": samples.sorted()[samples.count / 2],
            "samples": samples, "parameters": parameters,
            "allReduceMicrosecondsPerStep": (after.allReduceSeconds - before.allReduceSeconds) / measuredSteps * 1e6,
            // The per-step reductions only (the timing's own max-reductions are 8 bytes each).
            "bytesPerAllReduce": group.isDistributed ? (after.allReduceBytes - before.allReduceBytes - repeats * 8) / (steps * repeats) : 0,
        ]
    }
}
