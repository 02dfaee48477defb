import CRetrogradMPI
import Foundation
import Retrograd

/// One contiguous buffer of one element type: a few header scalars, then every tensor's
/// elements, reduced over the ranks with a single `MPI_Allreduce`.
enum FusedBuffer<Scalar: TensorScalar & BinaryFloatingPoint> {
    /// Packs `header` and then `parts` (a nil part is zeros of its shape in `shapes`;
    /// every element multiplied by `scale` unless it is 1), reduces the buffer with
    /// `operation` over `group`, and unpacks it.
    ///
    /// The unpacked tensors are divided by `divisor(reducedHeader)` when given, else by the
    /// group's size for ``ReductionOperation/mean``; the header is divided by the size for
    /// ``ReductionOperation/mean``.
    static func reduce(
        _ parts: [Tensor?], shapes: [Shape]? = nil, header: [Double], scale: Double, operation: ReductionOperation,
        in group: ProcessGroup, divisor: (([Double]) -> Double)? = nil
    ) -> (header: [Double], tensors: [Tensor]) {
        let shapes = shapes ?? parts.map { $0!.shape }
        let counts = shapes.map(\.elementCount)
        let total = header.count + counts.reduce(0, +)
        let buffer = UnsafeMutableBufferPointer<Scalar>.allocate(capacity: Swift.max(total, 1))
        defer { buffer.deallocate() }
        for (index, value) in header.enumerated() { buffer[index] = Scalar(value) }
        var offset = header.count
        let factor = Scalar(scale)
        for (part, count) in zip(parts, counts) {
            let destination = UnsafeMutableBufferPointer(rebasing: buffer[offset..<(offset + count)])
            if let part {
                part.withUnsafeScalars(as: Scalar.self) { source in
                    if scale == 1 {
                        _ = destination.initialize(from: source)
                    } else {
                        for index in 0..<count { destination[index] = source[index] * factor }
                    }
                }
            } else {
                destination.initialize(repeating: 0)
            }
            offset += count
        }
        allReduceInPlace(buffer, count: total, operation, group)
        let size = Scalar(group.size)
        var reducedHeader = (0..<header.count).map { Double(buffer[$0]) }
        if operation == .mean { reducedHeader = reducedHeader.map { $0 / Double(group.size) } }
        let tensorDivisor: Scalar? = divisor.map { Scalar($0(reducedHeader)) } ?? (operation == .mean ? size : nil)
        offset = header.count
        var tensors = [Tensor]()
        tensors.reserveCapacity(parts.count)
        for (shape, count) in zip(shapes, counts) {
            let source = UnsafeBufferPointer(rebasing: buffer[offset..<(offset + count)])
            tensors.append(Tensor(shape: shape, of: Scalar.self) { destination in
                if let tensorDivisor {
                    for index in 0..<count { destination[index] = source[index] / tensorDivisor }
                } else {
                    _ = destination.initialize(from: source)
                }
            })
            offset += count
        }
        return (reducedHeader, tensors)
    }

    /// The MPI call, timed and counted; a no-op in a group without MPI.
    private static func allReduceInPlace(
        _ buffer: UnsafeMutableBufferPointer<Scalar>, count: Int, _ operation: ReductionOperation, _ group: ProcessGroup
    ) {
        guard group.usesMPI, count > 0 else { return }
        let type = Scalar.dtype == .float64 ? RG_MPI_FLOAT64 : RG_MPI_FLOAT32
        let op = switch operation {
        case .sum, .mean: RG_MPI_SUM
        case .max: RG_MPI_MAX
        case .min: RG_MPI_MIN
        }
        group.lock.withLock {
            let start = DispatchTime.now().uptimeNanoseconds
            group.requireSuccess(rg_mpi_allreduce(buffer.baseAddress, Int64(count), type, op), "MPI_Allreduce")
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            group.record(bytes: count * MemoryLayout<Scalar>.stride, seconds: seconds)
        }
    }
}

extension ProcessGroup {
    /// The element-wise reduction of each tensor over the ranks, in the order given.
    ///
    /// The tensors are packed into one contiguous buffer per element type (float32 and
    /// float64; a list mixing both makes two buffers), so a whole gradient list costs one
    /// `MPI_Allreduce` per element type however many tensors it holds. Every rank passes
    /// tensors of the same shapes and element types in the same order. In a ``single``
    /// group the tensors come back unchanged.
    ///
    /// ```swift
    /// let summed = group.allReduce([loss, correct], .sum)
    /// ```
    public func allReduce(_ tensors: [Tensor], _ operation: ReductionOperation = .sum) -> [Tensor] {
        for tensor in tensors {
            checkPrecondition(
                tensor.dtype.isFloatingPoint,
                "ProcessGroup.allReduce: a \(tensor.dtype) tensor of shape \(tensor.shape) was given; only float32 and "
                    + "float64 tensors can be reduced, so cast it with .cast(to: .float64) first")
        }
        guard usesMPI else { return tensors }
        var results = [Tensor?](repeating: nil, count: tensors.count)
        for dtype in Self.dtypesInOrder(tensors.map(\.dtype)) {
            let positions = tensors.indices.filter { tensors[$0].dtype == dtype }
            let parts = positions.map { Optional(tensors[$0]) }
            let reduced = dtype == .float64
                ? FusedBuffer<Double>.reduce(parts, header: [], scale: 1, operation: operation, in: self).tensors
                : FusedBuffer<Float>.reduce(parts, header: [], scale: 1, operation: operation, in: self).tensors
            for (position, tensor) in zip(positions, reduced) { results[position] = tensor }
        }
        return results.map { $0! }
    }

    /// The distinct element types of `dtypes`, in the order they first appear.
    static func dtypesInOrder(_ dtypes: [DType]) -> [DType] {
        var seen = [DType]()
        for dtype in dtypes where !seen.contains(dtype) { seen.append(dtype) }
        return seen
    }
}
