// Little-endian element bytes, shared by the .npy and safetensors formats. Floats travel
// as their bit patterns, so NaN payloads, -0.0 and subnormals survive a round trip.

/// Appends `values` to `out` as little-endian bytes.
func appendLittleEndian<T: BitwiseCopyable>(_ values: [T], to out: inout [UInt8]) {
    values.withUnsafeBytes { raw in
        #if _endian(little)
        out.append(contentsOf: raw)
        #else
        let size = MemoryLayout<T>.stride
        for start in stride(from: 0, to: raw.count, by: size) {
            out.append(contentsOf: raw[start..<(start + size)].reversed())
        }
        #endif
    }
}

/// Reads `count` little-endian values of `T` from the start of `bytes`, which must hold
/// at least `count * MemoryLayout<T>.stride` bytes.
func readLittleEndian<T: BitwiseCopyable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer, count: Int) -> [T] {
    let size = MemoryLayout<T>.stride
    checkPrecondition(bytes.count >= count * size, "readLittleEndian: \(bytes.count) bytes cannot hold \(count) values")
    return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
        if count > 0 {
            let destination = UnsafeMutableRawBufferPointer(buffer)
            destination.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[0..<(count * size)]))
            #if _endian(big)
            for start in stride(from: 0, to: count * size, by: size) {
                destination[start..<(start + size)].reverse()
            }
            #endif
        }
        initialized = count
    }
}

extension Tensor {
    /// The elements in row-major order as little-endian bytes (booleans as 0 or 1).
    func littleEndianBytes() -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(elementCount * dtype.byteSize)
        appendLittleEndianBytes(to: &out)
        return out
    }

    /// Appends the elements in row-major order as little-endian bytes (booleans as 0 or 1).
    func appendLittleEndianBytes(to out: inout [UInt8]) {
        switch dtype {
        case .float32: appendLittleEndian(scalars(as: Float.self), to: &out)
        case .float64: appendLittleEndian(scalars(as: Double.self), to: &out)
        case .int32: appendLittleEndian(scalars(as: Int32.self), to: &out)
        case .bool: out.append(contentsOf: scalars(as: Bool.self).map { $0 ? 1 : 0 })
        }
    }

    /// A tensor read from little-endian element bytes; `bytes` must hold at least
    /// `shape.elementCount * dtype.byteSize` bytes. Any nonzero byte is `true` for `bool`.
    static func fromLittleEndian(_ bytes: UnsafeRawBufferPointer, dtype: DType, shape: Shape) -> Tensor {
        let count = shape.elementCount
        switch dtype {
        case .float32: return Tensor(readLittleEndian(Float.self, from: bytes, count: count), shape: shape)
        case .float64: return Tensor(readLittleEndian(Double.self, from: bytes, count: count), shape: shape)
        case .int32: return Tensor(readLittleEndian(Int32.self, from: bytes, count: count), shape: shape)
        case .bool: return Tensor((0..<count).map { bytes[$0] != 0 }, shape: shape)
        }
    }
}
