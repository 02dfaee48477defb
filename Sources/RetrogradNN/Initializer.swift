import Synchronization

/// How a layer fills a new variable.
///
/// Fan-in and fan-out are read from the shape as Keras does: for a `[in, out]` weight they
/// are `in` and `out`; for higher ranks the leading dimensions multiply both (a
/// convolution's receptive field); a vector's fans are its length.
public enum Initializer: Sendable, Equatable {
    /// Zeros everywhere (the default for biases).
    case zeros
    /// The same value everywhere.
    case constant(Double)
    /// Uniform samples from `lowerBound..<upperBound`.
    case uniform(lowerBound: Double, upperBound: Double)
    /// Normal samples with the given mean and standard deviation.
    case normal(mean: Double, standardDeviation: Double)
    /// Glorot (Xavier) uniform: U(−b, b) with b = √(6 / (fanIn + fanOut)). The default for
    /// `Dense` weights, as in Keras.
    case glorotUniform
    /// Glorot (Xavier) normal: N(0, σ²) with σ = √(2 / (fanIn + fanOut)).
    case glorotNormal
    /// He (Kaiming) uniform, for ReLU layers: U(−b, b) with b = √(6 / fanIn).
    case heUniform
    /// He (Kaiming) normal, for ReLU layers: N(0, σ²) with σ = √(2 / fanIn) (not
    /// truncated, as in PyTorch).
    case heNormal

    /// Makes a tensor of `shape`, drawing any random numbers from `generator`.
    public func makeTensor(shape: Shape, dtype: DType = .float32, using generator: inout SeededGenerator) -> Tensor {
        let (fanIn, fanOut) = Initializer.fans(of: shape)
        switch self {
        case .zeros:
            return Tensor.zeros(shape: shape, dtype: dtype)
        case let .constant(value):
            return Tensor.full(value, shape: shape, dtype: dtype)
        case let .uniform(lowerBound, upperBound):
            checkPrecondition(lowerBound <= upperBound, "Initializer.uniform: lower bound \(lowerBound) exceeds upper bound \(upperBound)")
            return Tensor.randomUniform(shape: shape, lowerBound: lowerBound, upperBound: upperBound, dtype: dtype, using: &generator)
        case let .normal(mean, standardDeviation):
            return Tensor.randomNormal(shape: shape, mean: mean, standardDeviation: standardDeviation, dtype: dtype, using: &generator)
        case .glorotUniform:
            let bound = (6 / Double(fanIn + fanOut)).squareRoot()
            return Tensor.randomUniform(shape: shape, lowerBound: -bound, upperBound: bound, dtype: dtype, using: &generator)
        case .glorotNormal:
            let deviation = (2 / Double(fanIn + fanOut)).squareRoot()
            return Tensor.randomNormal(shape: shape, standardDeviation: deviation, dtype: dtype, using: &generator)
        case .heUniform:
            let bound = (6 / Double(fanIn)).squareRoot()
            return Tensor.randomUniform(shape: shape, lowerBound: -bound, upperBound: bound, dtype: dtype, using: &generator)
        case .heNormal:
            let deviation = (2 / Double(fanIn)).squareRoot()
            return Tensor.randomNormal(shape: shape, standardDeviation: deviation, dtype: dtype, using: &generator)
        }
    }

    /// Fan-in and fan-out of a weight of `shape` (each at least 1).
    static func fans(of shape: Shape) -> (fanIn: Int, fanOut: Int) {
        switch shape.rank {
        case 0: return (1, 1)
        case 1: return (Swift.max(shape[0], 1), Swift.max(shape[0], 1))
        default:
            let receptive = shape.dimensions.dropLast(2).reduce(1, *)
            return (Swift.max(shape[shape.rank - 2] * receptive, 1), Swift.max(shape[shape.rank - 1] * receptive, 1))
        }
    }
}

/// Seeds for layers made without one: 0, 1, 2, … in the order layers are made, so a
/// program that builds its model the same way gets the same weights on every run, and two
/// layers of the same shape still start differently.
enum DefaultSeeds {
    private static let counter = Atomic<UInt64>(0)

    /// The next seed of the process-wide sequence.
    static func next() -> UInt64 {
        counter.add(1, ordering: .relaxed).oldValue
    }
}
