import CRetrogradMPI
import Retrograd
import RetrogradOptimizers

extension ProcessGroup {
    /// Gives every rank `root`'s values of `variables`, in one `MPI_Bcast`.
    ///
    /// Every rank passes variables of the same shapes and element types in the same order
    /// (check with ``checkAgreement(_:)`` first: a difference in size aborts the job).
    /// Call it once before training, so every rank starts from the same weights.
    public func broadcast(_ variables: [Variable], from root: Int = 0) {
        let received = broadcast(variables.map(\.value), from: root)
        guard rank != root else { return }
        for (variable, value) in zip(variables, received) { variable.assign(value) }
    }

    /// `root`'s tensors, on every rank: each rank passes tensors of the same shapes and
    /// element types (any element type) in the same order, and gets `root`'s back.
    public func broadcast(_ tensors: [Tensor], from root: Int = 0) -> [Tensor] {
        checkPrecondition((0..<size).contains(root), "ProcessGroup.broadcast: root \(root) is not a rank in 0..<\(size)")
        guard usesMPI else { return tensors }
        let sizes = tensors.map { $0.elementCount * $0.dtype.byteSize }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Swift.max(sizes.reduce(0, +), 1), alignment: 16)
        defer { buffer.deallocate() }
        var offset = 0
        for (tensor, byteCount) in zip(tensors, sizes) {
            tensor.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: buffer[offset..<(offset + byteCount)]).copyMemory(from: $0) }
            offset += byteCount
        }
        lock.withLock { requireSuccess(rg_mpi_broadcast(buffer.baseAddress, Int64(offset), Int32(root)), "MPI_Bcast") }
        guard rank != root else { return tensors }
        offset = 0
        return zip(tensors, sizes).map { tensor, byteCount in
            defer { offset += byteCount }
            return Tensor(copying: UnsafeRawBufferPointer(rebasing: buffer[offset..<(offset + byteCount)]), like: tensor)
        }
    }

    /// Gives every rank `root`'s optimizer state for `variables` (step counts, momentum
    /// and other slots, and the optimizer's iteration count), so that a run restored from a
    /// checkpoint, or started with state only rank 0 has, continues the same everywhere.
    ///
    /// - Throws: what `Optimizer.loadState(_:for:)` throws; it cannot
    ///   when every rank has the same variables and optimizer type.
    public func broadcastState(of optimizer: Optimizer, for variables: [Variable], from root: Int = 0) throws {
        guard usesMPI else { return }
        let state = optimizer.stateTensors(for: variables)
        let keys = state.keys.sorted()
        let received = broadcast(keys.map { state[$0]! }, from: root)
        guard rank != root else { return }
        try optimizer.loadState(Dictionary(uniqueKeysWithValues: zip(keys, received)), for: variables)
    }
}

extension Tensor {
    /// Calls `body` with the tensor's elements as bytes.
    func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        switch dtype {
        case .float32: try withUnsafeScalars(as: Float.self) { try body(UnsafeRawBufferPointer($0)) }
        case .float64: try withUnsafeScalars(as: Double.self) { try body(UnsafeRawBufferPointer($0)) }
        case .int32: try withUnsafeScalars(as: Int32.self) { try body(UnsafeRawBufferPointer($0)) }
        case .bool: try withUnsafeScalars(as: Bool.self) { try body(UnsafeRawBufferPointer($0)) }
        }
    }

    /// A tensor of `model`'s shape and element type holding `bytes`.
    init(copying bytes: UnsafeRawBufferPointer, like model: Tensor) {
        func make<Scalar: TensorScalar>(_ type: Scalar.Type) -> Tensor {
            Tensor(shape: model.shape, of: type) { UnsafeMutableRawBufferPointer($0).copyMemory(from: bytes) }
        }
        self = switch model.dtype {
        case .float32: make(Float.self)
        case .float64: make(Double.self)
        case .int32: make(Int32.self)
        case .bool: make(Bool.self)
        }
    }
}
