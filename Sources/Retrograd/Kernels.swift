import CRetrogradKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin Swift wrappers over the C kernels: allocate the output, pass shapes and strides.
/// Nothing here records on a tape.
enum Kernels {
    /// Shape and strides as the kernels take them; a 0-d tensor is one element. The strided
    /// kernels keep their index state in arrays of `RG_MAX_DIMS` entries, so a shape of
    /// higher rank stops here instead of overrunning them.
    private static func dims(_ shape: Shape) -> [Int64] {
        precondition(
            shape.rank <= Int(RG_MAX_DIMS),
            "tensor of shape \(shape) has \(shape.rank) dimensions, but Retrograd's kernels handle at most "
                + "\(RG_MAX_DIMS); merge axes with reshaped(to:) first")
        return shape.rank == 0 ? [1] : shape.dimensions.map(Int64.init)
    }
    private static func strides(_ shape: Shape, to target: Shape) -> [Int64] {
        target.rank == 0 ? [0] : shape.broadcastStrides(to: target).map(Int64.init)
    }

    static func unary(_ op: rg_unary_op, _ x: Tensor) -> TensorStorage {
        let out = TensorStorage.allocate(x.dtype, count: x.elementCount)
        let width = x.dtype.byteSize
        withExtendedLifetime(x.storage) {
            let (input, output) = (x.storage.raw, out.raw)
            Parallel.forEachChunk(of: x.elementCount) { start, count in
                rg_unary(x.dtype.kernelType, op, input + start * width, output + start * width, Int64(count))
            }
        }
        return out
    }

    static func binary(_ op: rg_binary_op, _ a: Tensor, _ b: Tensor, shape: Shape) -> TensorStorage {
        let out = TensorStorage.allocate(a.dtype, count: shape.elementCount)
        if a.elementCount == 1 && b.elementCount == 1 {
            scalarBinary(op, a.storage, b.storage, out)
            return out
        }
        let count = shape.elementCount, width = a.dtype.byteSize
        // Each operand either fills the output's shape or is one repeated element: the work
        // is one flat run and can be split across the cores.
        if count >= Parallel.minimumCount, [a, b].allSatisfy({ $0.elementCount == count || $0.elementCount == 1 }) {
            let stride = [a, b].map { Int64($0.elementCount == 1 ? 0 : 1) }
            withExtendedLifetime((a.storage, b.storage)) {
                let (pa, pb, po) = (a.storage.raw, b.storage.raw, out.raw)
                Parallel.forEachChunk(of: count) { start, chunk in
                    var sa = stride[0], sb = stride[1], n = Int64(chunk)
                    rg_binary(
                        a.dtype.kernelType, op, pa + Int(sa) * start * width, &sa, pb + Int(sb) * start * width, &sb,
                        po + start * width, &n, 1)
                }
            }
            return out
        }
        let dims = dims(shape), sa = strides(a.shape, to: shape), sb = strides(b.shape, to: shape)
        withExtendedLifetime((a.storage, b.storage)) {
            rg_binary(a.dtype.kernelType, op, a.storage.raw, sa, b.storage.raw, sb, out.raw, dims, Int32(dims.count))
        }
        return out
    }

    /// One-element operands: computed here, skipping the kernel's shape handling.
    private static func scalarBinary(_ op: rg_binary_op, _ a: TensorStorage, _ b: TensorStorage, _ out: TensorStorage) {
        switch a.dtype {
        case .float32:
            let x = a.raw.load(as: Float.self), y = b.raw.load(as: Float.self)
            out.raw.storeBytes(of: apply(op, x, y), as: Float.self)
        case .float64:
            let x = a.raw.load(as: Double.self), y = b.raw.load(as: Double.self)
            out.raw.storeBytes(of: apply(op, x, y), as: Double.self)
        default:
            preconditionFailure("arithmetic on \(a.dtype) tensors is not supported")
        }
    }

    @inline(__always) private static func apply<T: BinaryFloatingPoint>(_ op: rg_binary_op, _ x: T, _ y: T) -> T {
        switch op {
        case RG_ADD: return x + y
        case RG_SUB: return x - y
        case RG_MUL: return x * y
        case RG_DIV: return x / y
        case RG_MAXIMUM: return x.isNaN || y.isNaN ? T.nan : (x >= y ? x : y)
        default: return T(pow(Double(x), Double(y)))
        }
    }

    static func compare(_ op: rg_compare_op, _ a: Tensor, _ b: Tensor, shape: Shape) -> TensorStorage {
        let out = TensorStorage.allocate(.bool, count: shape.elementCount)
        let dims = dims(shape), sa = strides(a.shape, to: shape), sb = strides(b.shape, to: shape)
        withExtendedLifetime((a.storage, b.storage)) {
            rg_compare(
                a.dtype.kernelType, op, a.storage.raw, sa, b.storage.raw, sb,
                out.raw.assumingMemoryBound(to: UInt8.self), dims, Int32(dims.count))
        }
        return out
    }

    static func select(_ condition: Tensor, _ a: Tensor, _ b: Tensor, shape: Shape) -> TensorStorage {
        let out = TensorStorage.allocate(a.dtype, count: shape.elementCount)
        let dims = dims(shape)
        let sc = strides(condition.shape, to: shape), sa = strides(a.shape, to: shape), sb = strides(b.shape, to: shape)
        withExtendedLifetime((condition.storage, a.storage, b.storage)) {
            rg_select(
                a.dtype.kernelType, condition.storage.raw.assumingMemoryBound(to: UInt8.self), sc,
                a.storage.raw, sa, b.storage.raw, sb, out.raw, dims, Int32(dims.count))
        }
        return out
    }

    static func reduce(_ op: rg_reduce_op, _ x: Tensor, axes: [Int], outputCount: Int) -> TensorStorage {
        let out = TensorStorage.allocate(x.dtype, count: outputCount)
        var mask = [UInt8](repeating: 0, count: Swift.max(x.rank, 1))
        for axis in axes { mask[axis] = 1 }
        let dims = dims(x.shape)
        withExtendedLifetime(x.storage) {
            rg_reduce(x.dtype.kernelType, op, x.storage.raw, dims, mask, Int32(dims.count), out.raw)
        }
        return out
    }

    /// Copies `source` read with `sourceStrides` (and offset) over the index space
    /// `shape` into `destination` written with `destinationStrides` (and offset).
    static func copy(
        _ source: TensorStorage, sourceOffset: Int = 0, strides sourceStrides: [Int],
        into destination: TensorStorage, destinationOffset: Int = 0, strides destinationStrides: [Int],
        shape: Shape
    ) {
        guard shape.elementCount > 0 else { return }
        let size = source.dtype.byteSize
        let dims = dims(shape)
        let ss = shape.rank == 0 ? [0] : sourceStrides.map(Int64.init)
        let ds = shape.rank == 0 ? [0] : destinationStrides.map(Int64.init)
        withExtendedLifetime((source, destination)) {
            rg_copy_strided(
                size, source.raw + sourceOffset * size, ss, destination.raw + destinationOffset * size, ds,
                dims, Int32(dims.count))
        }
    }

    static func cast(_ x: Tensor, to dtype: DType) -> TensorStorage {
        let out = TensorStorage.allocate(dtype, count: x.elementCount)
        withExtendedLifetime(x.storage) {
            rg_cast(x.dtype.kernelType, x.storage.raw, dtype.kernelType, out.raw, Int64(x.elementCount))
        }
        return out
    }
}
