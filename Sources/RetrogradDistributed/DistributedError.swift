/// Why a process group could not start, or why its processes cannot train together.
public enum DistributedError: Error, Equatable, CustomStringConvertible, Sendable {
    /// `mpirun` started the process, but the MPI library could not be opened.
    case libraryUnavailable(worldSize: Int, reason: String)
    /// `MPI_Init_thread` failed with an MPI error code.
    case initializationFailed(code: Int32)
    /// A rank's `fact` differs from rank 0's (a configuration, data set or model that is
    /// not the same on every process). Every rank throws the same error.
    case mismatch(rank: Int, size: Int, fact: String)

    /// Whether every rank of the group throws this error at the same point, so the
    /// processes can stop together instead of one aborting the others.
    public var isCollective: Bool {
        if case .mismatch = self { return true }
        return false
    }

    /// The message: what was expected, what was found, and what to do.
    public var description: String {
        switch self {
        case let .libraryUnavailable(worldSize, reason):
            "mpirun started \(worldSize) processes, but the MPI library could not be opened (\(reason)). Install Open MPI "
                + "(scripts/setup installs libopenmpi-dev and openmpi-bin), or set RETROGRAD_MPI_LIBRARY to the path of "
                + "Open MPI's libmpi.so.40."
        case let .initializationFailed(code):
            "MPI_Init_thread failed with MPI error code \(code); check that mpirun and the library it loads are the same "
                + "Open MPI installation."
        case let .mismatch(rank, size, fact):
            "rank \(rank) of \(size) has a different \(fact) from rank 0; every process must run the same configuration "
                + "on the same data. Start all ranks with the same command and files."
        }
    }
}
