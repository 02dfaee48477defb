import Synchronization

/// Header of a tensor buffer: its element type, shape and where its elements are.
@usableFromInline struct StorageHeader {
    @usableFromInline var dtype: DType
    @usableFromInline var count: Int
    @usableFromInline var shape: Shape
    /// The first element: in this buffer, or in ``viewed``'s.
    @usableFromInline var base: UnsafeMutableRawPointer
    /// For a view (a reshaped value), the storage whose elements it shows, kept alive.
    @usableFromInline var viewed: TensorStorage?
}

/// Immutable, contiguous, row-major elements with their shape, shared by tensor values.
///
/// One allocation holds header and elements. A reshaped value is a *view*: a header with
/// its own shape over another storage's elements. A buffer is written only right after it
/// is made, before any `Tensor` shares it (or in place when nothing else holds it), so
/// sharing it between threads is safe.
///
/// The shape lives here rather than in `Tensor`, so a `Tensor` is two words (this reference
/// and an identity): copying one costs a single retain, and the records a tape keeps stay
/// small.
@usableFromInline final class TensorStorage: ManagedBuffer<StorageHeader, Double> {
    /// Allocates uninitialised storage for the elements of `shape` in `dtype`.
    @usableFromInline static func allocate(_ dtype: DType, shape: Shape) -> TensorStorage {
        let count = shape.elementCount
        let words = (count * dtype.byteSize + 7) / 8
        if words >= largeAllocationWords { _ = Runtime.memoryConfigured }
        let buffer = TensorStorage.create(minimumCapacity: Swift.max(words, 1)) { buffer in
            let base = buffer.withUnsafeMutablePointerToElements { UnsafeMutableRawPointer($0) }
            return StorageHeader(dtype: dtype, count: count, shape: shape, base: base, viewed: nil)
        }
        return unsafeDowncast(buffer, to: TensorStorage.self)
    }

    /// A view of `storage`'s elements with another shape of the same element count.
    static func view(of storage: TensorStorage, as shape: Shape) -> TensorStorage {
        let viewed = storage.viewedOrSelf
        let buffer = TensorStorage.create(minimumCapacity: 0) { _ in
            StorageHeader(dtype: viewed.dtype, count: viewed.count, shape: shape, base: viewed.raw, viewed: viewed)
        }
        return unsafeDowncast(buffer, to: TensorStorage.self)
    }

    // Read through the header pointer: the `header` property would pay a dynamic
    // exclusivity check on every access.
    @usableFromInline var dtype: DType { withUnsafeMutablePointerToHeader { $0.pointee.dtype } }
    @usableFromInline var count: Int { withUnsafeMutablePointerToHeader { $0.pointee.count } }
    @usableFromInline var shape: Shape { withUnsafeMutablePointerToHeader { $0.pointee.shape } }

    /// The start of the elements. Valid while `self` is alive.
    @usableFromInline var raw: UnsafeMutableRawPointer { withUnsafeMutablePointerToHeader { $0.pointee.base } }

    /// Whether the elements are another storage's (a reshaped value).
    var isView: Bool { withUnsafeMutablePointerToHeader { $0.pointee.viewed != nil } }

    /// The storage that owns the elements: the viewed one for a view, else `self`.
    private var viewedOrSelf: TensorStorage { withUnsafeMutablePointerToHeader { $0.pointee.viewed } ?? self }
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
