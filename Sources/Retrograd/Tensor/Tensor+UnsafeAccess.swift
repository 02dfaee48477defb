/// Direct access to a tensor's elements, for kernels written outside the library (fused
/// optimizer updates, data loaders, interop with C). None of it is recorded on a tape.
extension Tensor {
    /// Creates a tensor of `shape` whose elements `body` writes, in row-major order.
    ///
    /// `body` must initialise every element of the buffer it is given. The element type
    /// comes from `Scalar` (`Float` makes `float32`, …).
    public init<Scalar: TensorScalar>(
        shape: Shape, of type: Scalar.Type, initializingWith body: (UnsafeMutableBufferPointer<Scalar>) throws -> Void
    ) rethrows {
        checkPrecondition(shape.allSatisfy { $0 >= 0 }, "Tensor: shape \(shape) has a negative dimension")
        let storage = TensorStorage.allocate(Scalar.dtype, shape: shape)
        try withExtendedLifetime(storage) {
            try body(UnsafeMutableBufferPointer(start: storage.raw.assumingMemoryBound(to: Scalar.self), count: shape.elementCount))
        }
        self.init(storage: storage)
    }

    /// Calls `body` with the elements, in row-major order. The buffer is valid only inside
    /// `body`. `Scalar` must match ``dtype``.
    public func withUnsafeScalars<Scalar: TensorScalar, Result>(
        as type: Scalar.Type, _ body: (UnsafeBufferPointer<Scalar>) throws -> Result
    ) rethrows -> Result {
        checkPrecondition(dtype == Scalar.dtype, "withUnsafeScalars: the tensor holds \(dtype), not \(Scalar.dtype)")
        return try withExtendedLifetime(storage) {
            try body(UnsafeBufferPointer(start: storage.raw.assumingMemoryBound(to: Scalar.self), count: elementCount))
        }
    }

    /// Calls `body` with the elements to change them in place.
    ///
    /// Copy-on-write: when another tensor (a copy of this one, a tape's saved value, a
    /// variable, a reshaped view) shares the elements, they are copied first, so nobody else sees
    /// the change. Afterwards the tensor has a new identity: to a tape it is a new value,
    /// unconnected to anything recorded. `Scalar` must match ``dtype``.
    public mutating func withUnsafeMutableScalars<Scalar: TensorScalar, Result>(
        as type: Scalar.Type, _ body: (UnsafeMutableBufferPointer<Scalar>) throws -> Result
    ) rethrows -> Result {
        checkPrecondition(dtype == Scalar.dtype, "withUnsafeMutableScalars: the tensor holds \(dtype), not \(Scalar.dtype)")
        // A view shares another storage's elements, so it is copied like a shared storage.
        if !isKnownUniquelyReferenced(&storage) || storage.isView {
            let copy = TensorStorage.allocate(dtype, shape: shape)
            copy.raw.copyMemory(from: storage.raw, byteCount: elementCount * dtype.byteSize)
            storage = copy
        }
        id = nextTensorIdentity()
        return try withExtendedLifetime(storage) {
            try body(UnsafeMutableBufferPointer(start: storage.raw.assumingMemoryBound(to: Scalar.self), count: elementCount))
        }
    }
}
