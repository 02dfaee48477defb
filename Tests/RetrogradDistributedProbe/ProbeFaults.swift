import Foundation
import Retrograd
import RetrogradDistributed

#if canImport(Glibc)
import Glibc
#endif

/// A rank that dies or fails while the others are in a collective.
enum ProbeFaults {
    struct InjectedFailure: Error, CustomStringConvertible {
        var description: String { "the injected failure of `retrograd-mpi-probe fail`" }
    }

    /// Every rank reduces a tensor in a loop for up to a minute; after 20 rounds, rank
    /// `rank` is killed with SIGKILL (`die`, as `kill -9` would) or throws (`fail`). The
    /// others are then waiting in an allreduce: the job must end within seconds anyway.
    static func run(_ command: String, rank: Int, in group: ProcessGroup) throws {
        let start = Date()
        var round = 0
        while Date().timeIntervalSince(start) < 60 {
            _ = group.allReduce([Tensor([1, 2, 3] as [Double])], .sum)
            round += 1
            guard round == 20, group.rank == rank else { continue }
            if command == "die" { kill(getpid(), SIGKILL) }
            throw InjectedFailure()
        }
    }
}
