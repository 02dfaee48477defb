import Synchronization

/// The growable storage of a tape (its records and its identity map), recycled between
/// tapes.
///
/// Training makes a tape per step. Without reuse every step regrows both buffers from
/// empty, copying each record and rehashing each identity several times as they double;
/// with it, a new tape starts with the capacity an earlier one reached. A few sets are
/// kept (nested tapes take one each), emptied and only up to ``maximumRecords`` records,
/// so the pool holds no tensors and its memory stays bounded.
///
/// Pooled buffers are empty, so handing them to another thread shares no values: hence
/// `@unchecked Sendable`.
struct TapeBuffers: @unchecked Sendable {
    var records: [Record]
    var slots: IdentityMap

    /// The largest record capacity the pool keeps (about 8 MB of records).
    static let maximumRecords = 1 << 16

    /// How many sets the pool keeps.
    static let pooledSets = 4

    private static let pool = Mutex<[TapeBuffers]>([])

    /// Buffers for a new tape: pooled ones when there are, otherwise fresh ones.
    static func take() -> TapeBuffers {
        pool.withLock { $0.popLast() } ?? TapeBuffers(records: [], slots: IdentityMap())
    }

    /// Empties `records` and `slots` and offers their capacity to the next tape.
    static func recycle(records: inout [Record], slots: inout IdentityMap) {
        // A one-shot tape recycles at its request and again at deinit: the second time its
        // buffers are empty, and pooling them would hand the next tape nothing to reuse.
        guard records.capacity > 0 else { return }
        guard records.capacity <= maximumRecords else {
            records = []
            slots = IdentityMap()
            return
        }
        records.removeAll(keepingCapacity: true)
        slots.removeAll()
        var buffers = TapeBuffers(records: [], slots: IdentityMap(capacity: 0))
        swap(&buffers.records, &records)
        swap(&buffers.slots, &slots)
        pool.withLock { pooled in
            if pooled.count < pooledSets { pooled.append(buffers) }
        }
    }
}
