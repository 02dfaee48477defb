/// An n-dimensional array of numbers that the gradient tape can differentiate.
///
/// A tensor is a value: its shape, element type and elements never change after it is
/// made, and copies share storage. Math on tensors is eager; while a ``GradientTape``
/// records and one of an op's inputs is watched, the op is recorded too.
///
/// ```swift
/// let a = Tensor([1, 2, 3, 4] as [Float], shape: [2, 2])
/// let b = (a * 2).exp().sum()
/// ```
public struct Tensor: @unchecked Sendable {
    /// The elements and the shape.
    @usableFromInline var storage: TensorStorage
    /// The identity by which gradient tapes know this value.
    @usableFromInline var id: UInt64

    /// A tensor of `storage`'s elements and shape.
    @inline(__always) init(storage: TensorStorage, id: UInt64 = nextTensorIdentity()) {
        self.storage = storage
        self.id = id
    }

    /// A tensor of `storage`'s elements with `shape`, which must have as many elements: a
    /// view when the shape differs from the storage's own.
    init(storage: TensorStorage, shape: Shape, id: UInt64 = nextTensorIdentity()) {
        self.storage = shape == storage.shape ? storage : TensorStorage.view(of: storage, as: shape)
        self.id = id
    }

    /// The dimensions of the tensor.
    public var shape: Shape { storage.shape }
    /// The element type.
    public var dtype: DType { storage.dtype }
    /// The number of dimensions (0 for a scalar).
    public var rank: Int { shape.rank }
    /// The number of elements.
    public var elementCount: Int { storage.count }

    /// The same value under a new identity: what the tape sees as a fresh constant.
    var withNewIdentity: Tensor { Tensor(storage: storage) }
}

// MARK: - Making tensors

extension Tensor {
    /// Creates a `float32` tensor from scalars in row-major order: what a literal makes,
    /// `Tensor([1, 2, 3])` as well as `Tensor([0.5, 1.5], shape: [2, 1])`.
    ///
    /// `float32` is the default element type, as in PyTorch and TensorFlow, and what layers
    /// hold. The number of scalars must equal the product of `shape` (a 1-d shape is assumed
    /// when `shape` is omitted).
    public init(_ scalars: [Float], shape: Shape? = nil) {
        self.init(elements: scalars, shape: shape)
    }

    /// Creates a 0-d `float32` tensor: what a literal makes, `Tensor(3)` or `Tensor(0.5)`.
    public init(_ scalar: Float) {
        self.init(elements: [scalar], shape: Shape())
    }

    /// Creates a tensor from typed scalars in row-major order: `Double` makes `float64`,
    /// `Int32` makes `int32`, `Bool` makes `bool` (and `Float` makes `float32`).
    ///
    /// Literals choose the `float32` initializer; this one takes arrays whose element type
    /// is spelled out, `Tensor([0.5, 2] as [Double])` or `Tensor(labels)` with `labels:
    /// [Int32]`. The number of scalars must equal the product of `shape` (a 1-d shape is
    /// assumed when `shape` is omitted).
    @_disfavoredOverload
    public init<Scalar: TensorScalar>(_ scalars: [Scalar], shape: Shape? = nil) {
        self.init(elements: scalars, shape: shape)
    }

    /// Creates a 0-d tensor holding one typed scalar: `Tensor(Double(3))` is `float64`,
    /// `Tensor(Int32(3))` is `int32`.
    @_disfavoredOverload
    public init<Scalar: TensorScalar>(_ scalar: Scalar) {
        self.init(elements: [scalar], shape: Shape())
    }

    /// Creates a tensor of `dtype` from numbers in row-major order:
    /// `Tensor([1, 2, 3], dtype: .float64)`, `Tensor([0, 2, 1], dtype: .int32)`.
    ///
    /// Each number is rounded to the nearest `float32` for `float32`; for `int32` it must be
    /// a whole number in `Int32`'s range, and for `bool` it must be 0 or 1. The number of
    /// values must equal the product of `shape` (a 1-d shape is assumed when `shape` is
    /// omitted).
    public init(_ values: [Double], shape: Shape? = nil, dtype: DType) {
        switch dtype {
        case .float64: self.init(elements: values, shape: shape)
        case .float32: self.init(elements: values.map { Float($0) }, shape: shape)
        case .int32:
            if let bad = values.first(where: { Int32(exactly: $0) == nil }) {
                preconditionFailed("Tensor(_:dtype:): \(bad) is not a whole number in Int32's range; pass dtype .float32 or .float64 for fractions")
            }
            self.init(elements: values.map { Int32($0) }, shape: shape)
        case .bool:
            if let bad = values.first(where: { $0 != 0 && $0 != 1 }) {
                preconditionFailed("Tensor(_:dtype:): \(bad) is not a bool value (0 or 1); compare instead, for example x .!= 0")
            }
            self.init(elements: values.map { $0 == 1 }, shape: shape)
        }
    }

    /// The tensor of `scalars` in row-major order (a 1-d shape when `shape` is nil).
    init<Scalar: TensorScalar>(elements scalars: [Scalar], shape: Shape?) {
        let shape = shape ?? Shape([scalars.count])
        checkPrecondition(shape.allSatisfy { $0 >= 0 }, "Tensor: shape \(shape) has a negative dimension")
        checkPrecondition(
            shape.elementCount == scalars.count,
            "Tensor: \(scalars.count) scalars cannot fill shape \(shape) (\(shape.elementCount) elements)")
        let storage = TensorStorage.allocate(Scalar.dtype, shape: shape)
        scalars.withUnsafeBytes { source in
            if let base = source.baseAddress { storage.raw.copyMemory(from: base, byteCount: source.count) }
        }
        self.init(storage: storage)
    }

    /// Creates a tensor of `shape` with every element equal to `value` (for `int32`, a
    /// whole number in `Int32`'s range).
    public init(repeating value: Double, shape: Shape, dtype: DType = .float32) {
        checkPrecondition(shape.allSatisfy { $0 >= 0 }, "Tensor: shape \(shape) has a negative dimension")
        if dtype == .int32 { Tensor.requireWholeNumber(value) }
        let storage = TensorStorage.allocate(dtype, shape: shape)
        Kernels.fill(storage, value)
        self.init(storage: storage)
    }

    /// A 0-d tensor of `dtype` holding `value` (for `int32`, a whole number in `Int32`'s
    /// range).
    ///
    /// Equal constants share their (immutable) storage through a per-thread cache; each
    /// tensor made here still has its own identity on the tape.
    public init(scalar value: Double, dtype: DType) {
        self.init(storage: ScalarConstants.storage(value, dtype))
    }

    /// Stops unless `value` is a whole number in `Int32`'s range, what an `int32` element
    /// can hold: a Swift number next to an int32 tensor (`counts * 2`, `labels .== 3`)
    /// takes its type, and `2.5` must not silently become `2`.
    static func requireWholeNumber(_ value: Double) {
        checkPrecondition(
            Int32(exactly: value) != nil,
            "int32: \(value) is not a whole number in Int32's range, so an int32 tensor cannot hold it; "
                + "convert the tensor with .cast(to: .float32) to compute with fractions")
    }

    /// A tensor of zeros.
    public static func zeros(shape: Shape, dtype: DType = .float32) -> Tensor {
        Tensor(repeating: 0, shape: shape, dtype: dtype)
    }

    /// A tensor of ones.
    public static func ones(shape: Shape, dtype: DType = .float32) -> Tensor {
        Tensor(repeating: 1, shape: shape, dtype: dtype)
    }

    /// A tensor of `shape` filled with `value`.
    public static func full(_ value: Double, shape: Shape, dtype: DType = .float32) -> Tensor {
        Tensor(repeating: value, shape: shape, dtype: dtype)
    }

    /// Zeros with the shape and element type of `other`.
    public static func zeros(like other: Tensor) -> Tensor { zeros(shape: other.shape, dtype: other.dtype) }
    /// Ones with the shape and element type of `other`.
    public static func ones(like other: Tensor) -> Tensor { ones(shape: other.shape, dtype: other.dtype) }
}

// MARK: - Reading values back

extension Tensor {
    /// The elements in row-major order, converted to `Scalar`.
    public func scalars<Scalar: TensorScalar>(as type: Scalar.Type = Scalar.self) -> [Scalar] {
        let source = self.storage
        if source.dtype == Scalar.dtype {
            return withExtendedLifetime(source) {
                Array(UnsafeBufferPointer(start: source.raw.assumingMemoryBound(to: Scalar.self), count: source.count))
            }
        }
        return withExtendedLifetime(source) {
            switch source.dtype {
            case .float32: Self.converted(source.raw.assumingMemoryBound(to: Float.self), source.count)
            case .float64: Self.converted(source.raw.assumingMemoryBound(to: Double.self), source.count)
            case .int32: Self.converted(source.raw.assumingMemoryBound(to: Int32.self), source.count)
            case .bool: Self.converted(source.raw.assumingMemoryBound(to: Bool.self), source.count)
            }
        }
    }

    /// `count` elements converted one by one through their widest form.
    private static func converted<Source: TensorScalar, Scalar: TensorScalar>(
        _ elements: UnsafePointer<Source>, _ count: Int
    ) -> [Scalar] {
        [Scalar](unsafeUninitializedCapacity: count) { buffer, initialized in
            for index in 0..<count { buffer[index] = Scalar(tensorDouble: elements[index].tensorDouble) }
            initialized = count
        }
    }

    /// The single element of a tensor with one element, converted to `Scalar`.
    public func scalar<Scalar: TensorScalar>(as type: Scalar.Type = Scalar.self) -> Scalar {
        checkPrecondition(elementCount == 1, "scalar(as:): tensor of shape \(shape) has \(elementCount) elements, not 1")
        return Scalar(tensorDouble: element(at: 0))
    }

    /// The element at a flat row-major offset, widened to `Double`.
    func element(at offset: Int) -> Double {
        withExtendedLifetime(storage) {
            let raw = storage.raw
            switch dtype {
            case .float32: return Double(raw.load(fromByteOffset: offset * 4, as: Float.self))
            case .float64: return raw.load(fromByteOffset: offset * 8, as: Double.self)
            case .int32: return Double(raw.load(fromByteOffset: offset * 4, as: Int32.self))
            case .bool: return raw.load(fromByteOffset: offset, as: UInt8.self) != 0 ? 1 : 0
            }
        }
    }

    /// All elements widened to `Double`.
    func doubles() -> [Double] { (0..<elementCount).map(element(at:)) }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let values = doubles()
        let shown = values.prefix(32).map { dtype.isFloatingPoint ? "\($0)" : "\(Int($0))" }
        let tail = values.count > 32 ? ", …" : ""
        return "Tensor<\(dtype)>\(shape)(\(shown.joined(separator: ", "))\(tail))"
    }
}
