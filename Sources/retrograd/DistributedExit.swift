import ArgumentParser
import Foundation
import RetrogradDistributed

/// How `retrograd` ends when mpirun started it and a command failed.
///
/// - Before MPI starts (a bad command line, no MPI library), the processes most likely
///   share the error: rank 0 prints it at once and the others only if they outlive it.
/// - An error every process throws at the same point (ranks that disagree; a stop asked
///   for with Ctrl-C, which every process honours after the same epoch): rank 0 prints it,
///   and every process ends MPI (`MPI_Finalize` waits for all) and exits with the status.
/// - Any other error happened on some processes only, while the others may be waiting in
///   a collective: the process prints it with its rank and aborts the whole job
///   (`MPI_Abort`), so nothing hangs.
enum DistributedExit {
    /// Ends the process as described above when mpirun started it; returns otherwise, and
    /// for a single process.
    static func endIfDistributed(error: Error, status: ExitCode, message: String, arguments: [String]) {
        guard let group = ProcessGroup.started else {
            // Not started yet (a bad command line, no MPI library): the other ranks of an
            // mpirun launch leave rank 0 two seconds to print the error they most likely
            // share (mpirun ends them all when it exits), then print their own with their rank.
            if let rank = ProcessGroup.launchRank, rank != 0, !status.isSuccess, !message.isEmpty {
                Thread.sleep(forTimeInterval: 2)
                printErrorLine(CommandLineError.line(message: "rank \(rank): " + message))
                exit(status.rawValue)
            }
            return
        }
        let collective = (error as? DistributedError)?.isCollective == true || error is ExitCode
        if collective {
            if group.isMain, !message.isEmpty { printErrorLine(CommandLineError.line(message: message)) }
            ProcessGroup.finish()
            exit(status.rawValue)
        }
        printErrorLine(CommandLineError.line(message: "rank \(group.rank) of \(group.size): " + message))
        group.abort(status: status.isSuccess ? 1 : status.rawValue)
    }
}
