/// How `ProcessGroup.allReduce` combines the ranks' values, element by element.
public enum ReductionOperation: Sendable, Equatable {
    /// The sum over the ranks.
    case sum
    /// The sum over the ranks divided by the number of ranks.
    case mean
    /// The largest value any rank holds.
    case max
    /// The smallest value any rank holds.
    case min
}

/// What a process group has sent through `ProcessGroup.allReduce` and
/// ``ProcessGroup/averageGradients(_:for:weight:)`` so far: the figures behind the cost of
/// communication per step.
public struct CommunicationStatistics: Sendable, Equatable {
    /// The number of `MPI_Allreduce` calls (one per element type per reduction).
    public var allReduceCalls = 0
    /// The bytes each rank contributed to those calls.
    public var allReduceBytes = 0
    /// The time spent inside those calls, waiting for the slowest rank included, in seconds.
    public var allReduceSeconds = 0.0

    /// No communication yet.
    public init() {}
}
