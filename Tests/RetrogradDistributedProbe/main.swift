// retrograd-mpi-probe: what the MPI tests and scripts/bench-mpi run under `mpirun`.
//
//   retrograd-mpi-probe gradients --rows N [--single]   gradients of a fixed float64 problem
//   retrograd-mpi-probe train --rows N --batch B --epochs E [--single]   final weights, Adam
//   retrograd-mpi-probe agree --fact TEXT               the agreement check on TEXT
//   retrograd-mpi-probe die --rank R                    rank R kills itself (SIGKILL) mid-run
//   retrograd-mpi-probe fail --rank R                   rank R stops with an error mid-run
//   retrograd-mpi-probe bench --workload W3|W5 [--steps K] [--repeats R] [--whole-batch-each]   steps per second
//
// Rank 0 prints the result as one JSON object on standard output. --single computes the
// same figures in one process without any sharding or reduction: the reference.
import Foundation
import RetrogradDistributed

#if canImport(Glibc)
import Glibc
#endif

/// The value after `flag` in the arguments, or `fallback`.
func option(_ flag: String, _ fallback: String) -> String {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: flag), index + 1 < arguments.count else { return fallback }
    return arguments[index + 1]
}

/// Whether `flag` is among the arguments.
func flag(_ name: String) -> Bool { CommandLine.arguments.contains(name) }

/// Writes `object` as JSON on standard output (rank 0 only).
func emit(_ object: [String: Any], group: ProcessGroup) {
    guard group.isMain else { return }
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    FileHandle.standardOutput.write(data + Data("\n".utf8))
}

let command = CommandLine.arguments.dropFirst().first ?? ""
let group: ProcessGroup
do {
    group = flag("--single") ? .single : try ProcessGroup.world()
} catch {
    FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
    exit(1)
}
do {
    switch command {
    case "gradients": emit(try ProbeProblem(rows: Int(option("--rows", "8"))!).gradients(in: group), group: group)
    case "train":
        let problem = ProbeProblem(rows: Int(option("--rows", "8"))!)
        emit(try problem.train(batch: Int(option("--batch", "4"))!, epochs: Int(option("--epochs", "2"))!, in: group), group: group)
    case "agree":
        try group.checkAgreement([AgreementFact("configuration", text: option("--fact", ""))])
        emit(["agreed": true], group: group)
    case "die", "fail": try ProbeFaults.run(command, rank: Int(option("--rank", "1"))!, in: group)
    case "bench":
        emit(try ProbeBenchmark(
            workload: option("--workload", "W3"), steps: Int(option("--steps", "50"))!,
            repeats: Int(option("--repeats", "5"))!, wholeBatchEach: flag("--whole-batch-each")
        ).run(in: group), group: group)
    default:
        FileHandle.standardError.write(Data("Error: unknown command '\(command)'; expected gradients, train, agree, die, fail or bench.\n".utf8))
        exit(64)
    }
} catch let error as DistributedError where error.isCollective {
    // Every rank has the same error: rank 0 reports it and all stop together.
    if group.isMain { FileHandle.standardError.write(Data("Error: \(error)\n".utf8)) }
    group.barrier()
    ProcessGroup.finish()
    exit(1)
} catch {
    FileHandle.standardError.write(Data("Error: rank \(group.rank) of \(group.size): \(error)\n".utf8))
    group.abort(status: 1)
}
ProcessGroup.finish()
