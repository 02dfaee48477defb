import Synchronization

/// Header of a tensor buffer: its element type and count.
@usableFromInline struct StorageHeader {
    @usableFromInline var dtype: DType
    @usableFromInline var count: Int
}

/// Immutable, contiguous, row-major element storage shared by tensor values.
///
/// One allocation holds header and elements. A buffer is written only right after it
/// is made, before any `Tensor` shares it, so sharing it between threads is safe.
@usableFromInline final class TensorStorage: ManagedBuffer<StorageHeader, Double> {
    /// Allocates uninitialised storage for `count` elements of `dtype`.
    @usableFromInline static func allocate(_ dtype: DType, count: Int) -> TensorStorage {
        let words = (count * dtype.byteSize + 7) / 8
        if words >= largeAllocationWords { _ = Runtime.memoryConfigured }
        let buffer = TensorStorage.create(minimumCapacity: Swift.max(words, 1)) { _ in
            StorageHeader(dtype: dtype, count: count)
        }
        return unsafeDowncast(buffer, to: TensorStorage.self)
    }

    // Read through the header pointer: the `header` property would pay a dynamic
    // exclusivity check on every access.
    @usableFromInline var dtype: DType { withUnsafeMutablePointerToHeader { $0.pointee.dtype } }
    @usableFromInline var count: Int { withUnsafeMutablePointerToHeader { $0.pointee.count } }

    /// The start of the elements. Valid while `self` is alive.
    @usableFromInline var raw: UnsafeMutableRawPointer {
        withUnsafeMutablePointerToElements { UnsafeMutableRawPointer($0) }
    }
}

/// From this size (1 MiB) on, an allocation first makes sure the C allocator keeps large
/// freed blocks for reuse (``Runtime/memoryConfigured``), so big tensors are not
/// page-faulted in afresh on every step.
let largeAllocationWords = 1 << 17

/// Source of tensor identities for the tape. 0 is never handed out.
let tensorIdentityCounter = Atomic<UInt64>(1)

@inline(__always) func nextTensorIdentity() -> UInt64 {
    tensorIdentityCounter.wrappingAdd(1, ordering: .relaxed).oldValue
}
