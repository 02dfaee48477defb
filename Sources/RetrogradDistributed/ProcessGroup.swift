import CRetrogradMPI
import Foundation
import Retrograd
import RetrogradData

/// The processes that train one model together, data-parallel, over MPI.
///
/// Start the program with `mpirun -np N`, then ask for the group once:
///
/// ```swift
/// let group = try ProcessGroup.world()        // size 1 when not started by mpirun
/// let optimizer = DistributedOptimizer(Adam(learningRate: 1e-3), group: group)
/// try optimizer.synchronize(model.trainableVariables)   // rank 0's weights everywhere
/// for batch in data.batches(size: 128, shuffle: true, seed: seed, shard: group.shard) { … }
/// ```
///
/// Without `mpirun` (no `OMPI_COMM_WORLD_SIZE` in the environment), or under
/// `mpirun -np 1`, the group is ``single``: MPI is not even loaded, and every collective
/// returns its input. Under `mpirun -np N` with N > 1, the MPI library is opened at run
/// time (`libmpi.so.40`, `libmpi.so`, or the file `RETROGRAD_MPI_LIBRARY` names; Open
/// MPI's ABI only) and initialised once.
///
/// Every collective (`allReduce`, `broadcast`, ``barrier()``,
/// ``checkAgreement(_:)``) must be called by every rank, in the same order, with
/// tensors of the same shapes. MPI errors are fatal: a failed collective, such as one
/// whose peer died, ends the whole job instead of hanging it. Call MPI from one thread at
/// a time; the group serialises its own calls with a lock.
public final class ProcessGroup: @unchecked Sendable {
    /// This process's position in the group, `0..<size`; rank 0 alone writes files.
    public let rank: Int
    /// The number of processes.
    public let size: Int
    /// Whether the collectives go through MPI (false for ``single``).
    let usesMPI: Bool
    /// Serialises MPI calls (MPI was initialised with MPI_THREAD_SERIALIZED).
    let lock = NSLock()
    /// Guarded by `lock`.
    private var statisticsStorage = CommunicationStatistics()

    /// One process on its own: no MPI, and every collective returns its input.
    public static let single = ProcessGroup(rank: 0, size: 1, usesMPI: false)

    private init(rank: Int, size: Int, usesMPI: Bool) {
        self.rank = rank
        self.size = size
        self.usesMPI = usesMPI
    }

    /// Whether this process is rank 0, the one that prints and writes files.
    public var isMain: Bool { rank == 0 }

    /// Whether more than one process trains.
    public var isDistributed: Bool { size > 1 }

    /// This rank's part of every batch, for `Dataset.batches(size:shuffle:seed:dropRemainder:shard:)`.
    public var shard: DataShard { DataShard(rank: rank, count: size) }

    /// What the group has communicated so far.
    public var statistics: CommunicationStatistics {
        lock.withLock { statisticsStorage }
    }

    // MARK: Starting and ending

    private nonisolated(unsafe) static var startedWorld: ProcessGroup?
    private static let startLock = NSLock()

    /// The processes `mpirun` started, or ``single`` when it did not start this one.
    ///
    /// The first call opens and initialises MPI when `OMPI_COMM_WORLD_SIZE` is above 1;
    /// later calls return the same group.
    ///
    /// - Throws: ``DistributedError/libraryUnavailable(worldSize:reason:)`` when mpirun
    ///   started the process but the library cannot be opened,
    ///   ``DistributedError/initializationFailed(code:)`` when MPI does not start.
    public static func world() throws(DistributedError) -> ProcessGroup {
        startLock.lock()
        defer { startLock.unlock() }
        if let startedWorld { return startedWorld }
        guard let worldSize = launchSize, worldSize > 1 else {
            startedWorld = single
            return single
        }
        var error = [CChar](repeating: 0, count: 512)
        let path = ProcessInfo.processInfo.environment["RETROGRAD_MPI_LIBRARY"]
        guard rg_mpi_load(path, &error, error.count) == 0 else {
            throw .libraryUnavailable(worldSize: worldSize, reason: String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        var rank: Int32 = 0, size: Int32 = 0
        let status = rg_mpi_init(&rank, &size)
        guard status == 0 else { throw .initializationFailed(code: status) }
        let group = ProcessGroup(rank: Int(rank), size: Int(size), usesMPI: true)
        startedWorld = group
        return group
    }

    /// The group ``world()`` started with MPI, or nil before that or when it is ``single``.
    public static var started: ProcessGroup? {
        startLock.withLock { startedWorld?.usesMPI == true ? startedWorld : nil }
    }

    /// The rank `mpirun` gave this process (`OMPI_COMM_WORLD_RANK`), readable before
    /// ``world()``; nil when mpirun did not start it.
    public static var launchRank: Int? { environmentInteger("OMPI_COMM_WORLD_RANK") }

    /// The number of processes `mpirun` started (`OMPI_COMM_WORLD_SIZE`); nil without mpirun.
    public static var launchSize: Int? { environmentInteger("OMPI_COMM_WORLD_SIZE") }

    private static func environmentInteger(_ name: String) -> Int? {
        ProcessInfo.processInfo.environment[name].flatMap { Int($0) }
    }

    /// Ends MPI on this rank (`MPI_Finalize`) when ``world()`` started it. Call it once every
    /// rank has finished its collectives, as the last thing before a normal exit.
    public static func finish() {
        guard let group = started else { return }
        group.lock.withLock { rg_mpi_finalize() }
    }

    /// Ends every rank of the job with `status` (`MPI_Abort`), after an error only this
    /// rank saw: the others may be waiting in a collective and would otherwise hang.
    /// In a ``single`` group it exits the process.
    public func abort(status: Int32 = 1) -> Never {
        if usesMPI { rg_mpi_abort(status) }
        exit(status)
    }

    // MARK: Simple collectives

    /// Waits until every rank has called it.
    public func barrier() {
        guard usesMPI else { return }
        lock.withLock { requireSuccess(rg_mpi_barrier(), "MPI_Barrier") }
    }

    /// The element-wise reduction of `values` over the ranks; every rank passes as many.
    public func allReduce(_ values: [Double], _ operation: ReductionOperation) -> [Double] {
        FusedBuffer<Double>.reduce([], header: values, scale: 1, operation: operation, in: self).header
    }

    /// Whether `flag` is true on any rank (a stop request, say), the same answer on every rank.
    public func anyRank(_ flag: Bool) -> Bool {
        allReduce([flag ? 1 : 0], .max)[0] > 0
    }

    // MARK: Internal

    /// Stops the program on an MPI error code; MPI's default handler already aborted the
    /// job for errors it reports itself, so this guards the shim's own failures.
    func requireSuccess(_ status: Int32, _ call: String) {
        guard status != 0 else { return }
        FileHandle.standardError.write(Data("Error: rank \(rank) of \(size): \(call) failed with MPI error code \(status).\n".utf8))
        rg_mpi_abort(1)
    }

    /// Counts one allreduce of `bytes` that took `seconds`; called with `lock` held.
    func record(bytes: Int, seconds: Double) {
        statisticsStorage.allReduceCalls += 1
        statisticsStorage.allReduceBytes += bytes
        statisticsStorage.allReduceSeconds += seconds
    }
}
