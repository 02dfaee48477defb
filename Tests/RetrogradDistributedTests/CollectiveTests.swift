import Foundation
import Testing

/// The element-wise largest difference between two nested arrays of numbers.
func largestDifference(_ a: Any?, _ b: Any?) -> Double {
    let left = (a as? [[Double]]) ?? [], right = (b as? [[Double]]) ?? []
    guard left.count == right.count, !left.isEmpty else { return .infinity }
    var largest = 0.0
    for (x, y) in zip(left, right) {
        guard x.count == y.count else { return .infinity }
        for (u, v) in zip(x, y) { largest = max(largest, abs(u - v)) }
    }
    return largest
}

/// The collectives under `mpirun -np 2`, through `retrograd-mpi-probe`, against the same
/// figures computed in one process without any sharding or reduction.
@Suite(
    "MPI collectives (mpirun -np 2)",
    .enabled(if: MPILauncher.available, "mpirun not found: run scripts/setup (it installs Open MPI) to run the MPI tests"),
    .serialized)
struct CollectiveTests {
    /// The gradient of the mean loss over all rows, in float64: each rank's shard through
    /// the tape, then the weighted allreduce, equals the one-process gradient of the
    /// combined batch. 8 rows split 4 + 4; 7 rows split 3 + 4 (weights 3 and 4).
    @Test("allReduce of gradients equals the one-process gradient of the combined batch", arguments: [8, 7])
    func gradientsOfCombinedBatch(rows: Int) throws {
        let single = try MPILauncher.run(MPILauncher.probe, ["gradients", "--rows", "\(rows)", "--single"])
        let double = try MPILauncher.mpirun(2, MPILauncher.probe, ["gradients", "--rows", "\(rows)"])
        #expect(single.status == 0, "\(single)")
        #expect(double.status == 0, "\(double)")
        #expect(double.json?["size"] as? Int == 2, "\(double)")
        #expect(double.json?["rows"] as? Int == rows / 2, "rank 0's shard: \(double)")
        #expect(largestDifference(single.json?["gradients"], double.json?["gradients"]) <= 1e-12, "\(single)\n\(double)")
        // 3·5 + 5 + 5·3 + 3 = 38 float64 gradients, plus the weight and 4 presence flags.
        #expect(double.json?["communication"] as? Int == (38 + 5) * 8, "\(double)")
    }

    /// Three epochs of Adam through DistributedOptimizer on sharded, shuffled batches of 4
    /// rows out of 11 (the last batch, 3 rows, splits 1 + 2 on two ranks, 1 + 1 + 1 on
    /// three) end with the weights of one process on the unsharded batches.
    @Test("DistributedOptimizer on sharded batches trains as one process", arguments: [2, 3])
    func trainingMatchesOneProcess(processes: Int) throws {
        let arguments = ["train", "--rows", "11", "--batch", "4", "--epochs", "3"]
        let single = try MPILauncher.run(MPILauncher.probe, arguments + ["--single"])
        let several = try MPILauncher.mpirun(processes, MPILauncher.probe, arguments)
        #expect(single.status == 0 && several.status == 0, "\(single)\n\(several)")
        #expect(several.json?["size"] as? Int == processes)
        #expect(largestDifference(single.json?["weights"], several.json?["weights"]) <= 1e-12, "\(single)\n\(several)")
    }

    /// Ranks that disagree stop together, and the error names the rank that differs.
    @Test("a rank with a different configuration is named in the error")
    func mismatchNamesTheRank() throws {
        let agreeing = try MPILauncher.mpirun(2, MPILauncher.probe, ["agree", "--fact", "hidden 64"])
        #expect(agreeing.status == 0 && agreeing.json?["agreed"] as? Bool == true, "\(agreeing)")
        let probe = MPILauncher.probe
        let result = try MPILauncher.mpirun(ranks: [
            (probe, ["agree", "--fact", "hidden 64"]), (probe, ["agree", "--fact", "hidden 64"]),
            (probe, ["agree", "--fact", "hidden 32"]),
        ], timeout: 60)
        #expect(result.status != 0 && !result.timedOut, "\(result)")
        #expect(result.errors.contains("rank 2 of 3 has a different configuration from rank 0"), "\(result)")
    }

    /// `kill -9` of one rank while the other waits in an allreduce ends the whole job with
    /// a non-zero status within seconds, never a hang.
    @Test("a killed rank ends the job within seconds")
    func killedRankEndsTheJob() throws {
        let result = try MPILauncher.mpirun(2, MPILauncher.probe, ["die", "--rank", "1"], timeout: 60)
        #expect(!result.timedOut && result.status != 0, "\(result)")
        #expect(result.seconds < 15, "\(result)")
        #expect(result.errors.contains("signal 9"), "mpirun says why: \(result)")
    }

    /// An error on one rank only aborts every rank (MPI_Abort), with the rank in the message.
    @Test("an error on one rank aborts the job within seconds")
    func failingRankAbortsTheJob() throws {
        let result = try MPILauncher.mpirun(2, MPILauncher.probe, ["fail", "--rank", "1"], timeout: 60)
        #expect(!result.timedOut && result.status != 0, "\(result)")
        #expect(result.seconds < 15, "\(result)")
        #expect(result.errors.contains("rank 1 of 2: the injected failure"), "\(result)")
    }
}
