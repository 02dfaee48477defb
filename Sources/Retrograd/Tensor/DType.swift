/// The element type of a tensor.
///
/// `float32` is the default for tensors built from `Float`; `float64` comes from `Double`
/// and is what gradient checks run in. `int32` holds labels and indices, and `bool` holds
/// comparison results; neither is ever differentiated.
public enum DType: String, Sendable, CaseIterable, CustomStringConvertible {
    case float32, float64, int32, bool

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .float32, .int32: return 4
        case .float64: return 8
        case .bool: return 1
        }
    }

    /// Whether tensors of this type can carry gradients.
    public var isFloatingPoint: Bool { self == .float32 || self == .float64 }

    public var description: String { rawValue }
}

/// A Swift scalar type that a tensor can hold and hand back.
public protocol TensorScalar: Sendable {
    /// The tensor element type that stores this scalar.
    static var dtype: DType { get }
    /// Converts from the widest representation used by the kernels.
    init(tensorDouble value: Double)
    /// Converts to the widest representation used by the kernels.
    var tensorDouble: Double { get }
}

extension Float: TensorScalar {
    public static var dtype: DType { .float32 }
    public init(tensorDouble value: Double) { self = Float(value) }
    public var tensorDouble: Double { Double(self) }
}

extension Double: TensorScalar {
    public static var dtype: DType { .float64 }
    public init(tensorDouble value: Double) { self = value }
    public var tensorDouble: Double { self }
}

extension Int32: TensorScalar {
    public static var dtype: DType { .int32 }
    public init(tensorDouble value: Double) { self = Int32(value) }
    public var tensorDouble: Double { Double(self) }
}

extension Bool: TensorScalar {
    public static var dtype: DType { .bool }
    public init(tensorDouble value: Double) { self = value != 0 }
    public var tensorDouble: Double { self ? 1 : 0 }
}
