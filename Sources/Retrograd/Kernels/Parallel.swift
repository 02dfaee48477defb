import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splitting large elementwise work across the cores, for kernels written with
/// ``Tensor/withUnsafeScalars(as:_:)`` and friends (Retrograd's own elementwise ops and
/// the optimizers' updates use it).
enum Parallel {
    /// The number of chunks large work is split into: the online cores, at most 8.
    static let chunkCount: Int = {
        let cores = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        return Swift.max(1, Swift.min(cores, 8))
    }()

    /// Work on fewer elements than this runs on the calling thread: below it, handing work
    /// to other threads costs more than it saves.
    static let minimumCount = 1 << 17

    /// Calls `body(start, count)` for contiguous chunks that cover `0..<count` exactly once,
    /// concurrently when `count` is at least ``minimumCount``. Chunk boundaries are
    /// multiples of 64 elements. `body` must only write to its own chunk.
    static func forEachChunk(of count: Int, _ body: (_ start: Int, _ count: Int) -> Void) {
        let chunks = count >= minimumCount ? chunkCount : 1
        guard chunks > 1 else { return body(0, count) }
        let size = ((count + chunks - 1) / chunks + 63) / 64 * 64
        withoutActuallyEscaping(body) { body in
            // The chunks touch disjoint elements, so sharing `body` is safe.
            let shared = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: chunks) { index in
                let start = index * size
                if start < count { shared.value(start, Swift.min(size, count - start)) }
            }
        }
    }
}

extension Parallel {
    /// Calls `body` for contiguous ranges that cover `0..<count` items exactly once,
    /// concurrently (one range per core) when the work, `elementsPerItem · count`, is at
    /// least ``minimumCount``. `body` must only write what its own items own.
    static func forEachRange(of count: Int, elementsPerItem: Int, _ body: (Range<Int>) -> Void) {
        let chunks = Swift.min(count * elementsPerItem >= minimumCount ? chunkCount : 1, count)
        guard chunks > 1 else { return body(0..<count) }
        withoutActuallyEscaping(body) { body in
            // The ranges are disjoint, so sharing `body` is safe.
            let shared = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: chunks) { index in
                shared.value(count * index / chunks..<count * (index + 1) / chunks)
            }
        }
    }
}

/// A value handed to other threads by code that guarantees they use it safely.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
