import CRetrogradRuntime

/// A per-thread cache of the storage behind 0-d constants.
///
/// Every Swift number in an expression (`x * 2`, `1 - y * y` in the `tanh` rule, the
/// learning rate in an update) becomes a 0-d tensor. Storage is immutable, so equal
/// constants can share one buffer; each `Tensor` still gets its own identity. A hit costs
/// a thread-local load and a compare instead of an allocation and a free. The cache is
/// direct-mapped (64 entries per thread); its objects are released when the thread ends.
enum ScalarConstants {
    /// Storage holding `value` as one element of `dtype`.
    @inline(__always)
    static func storage(_ value: Double, _ dtype: DType) -> TensorStorage {
        let bits = value.bitPattern
        let code = Int32(dtype.cacheCode)
        let hashed = (bits ^ UInt64(truncatingIfNeeded: code)) &* 0x9E37_79B9_7F4A_7C15
        let entry = rg_constant_cache_entry(Int32(truncatingIfNeeded: hashed >> 58))!
        if let object = entry.pointee.object, entry.pointee.bits == bits, entry.pointee.dtype == code {
            return Unmanaged<TensorStorage>.fromOpaque(object).takeUnretainedValue()
        }
        return store(value, dtype, bits: bits, code: code, in: entry)
    }

    private static func store(
        _ value: Double, _ dtype: DType, bits: UInt64, code: Int32, in entry: UnsafeMutablePointer<rg_constant_entry>
    ) -> TensorStorage {
        if dtype == .int32 { Tensor.requireWholeNumber(value) }  // so a cached int32 is always exact
        let storage = TensorStorage.allocate(dtype, shape: Shape())
        Kernels.fill(storage, value)
        if let old = entry.pointee.object {
            Unmanaged<TensorStorage>.fromOpaque(old).release()
        } else {
            rg_constant_cache_register(releaseCached)
        }
        entry.pointee = rg_constant_entry(bits: bits, dtype: code, object: Unmanaged.passRetained(storage).toOpaque())
        return storage
    }
}

/// Called by the C side at thread exit for each cached object.
private let releaseCached: @convention(c) (UnsafeMutableRawPointer?) -> Void = { object in
    if let object { Unmanaged<TensorStorage>.fromOpaque(object).release() }
}

extension DType {
    /// A small number per element type for the constant cache's keys.
    fileprivate var cacheCode: Int {
        switch self {
        case .float32: 1
        case .float64: 2
        case .int32: 3
        case .bool: 4
        }
    }
}
