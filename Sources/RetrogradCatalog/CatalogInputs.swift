import Retrograd

/// Deterministic float64 inputs for one case, seeded by the case's name.
struct CatalogInputs {
    private var generator: SeededGenerator

    init(_ name: String) {
        // FNV-1a: a fixed hash (Swift's Hasher is seeded per process).
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        generator = SeededGenerator(seed: hash)
    }

    /// Standard normal samples times `scale`.
    mutating func normal(_ shape: Shape, scale: Double = 1) -> Tensor {
        Tensor((0..<shape.elementCount).map { _ in scale * generator.standardNormal() }, shape: shape)
    }

    /// Uniform samples from `range`.
    mutating func uniform(_ shape: Shape, _ range: ClosedRange<Double>) -> Tensor {
        Tensor(uniformValues(shape.elementCount, range), shape: shape)
    }

    /// Values with a random sign and a magnitude in `magnitude`: away from 0.
    mutating func awayFromZero(_ shape: Shape, magnitude: ClosedRange<Double> = 0.2...1.5) -> Tensor {
        Tensor(awayFromZeroValues(shape.elementCount, magnitude), shape: shape)
    }

    /// Distinct values `spacing` apart in a shuffled order: no ties for max or min.
    mutating func distinct(_ shape: Shape, spacing: Double = 0.1) -> Tensor {
        let count = shape.elementCount
        var order = Array(0..<count)
        for index in stride(from: count - 1, to: 0, by: -1) {  // Fisher–Yates, own draws
            order.swapAt(index, Int(generator.next() % UInt64(index + 1)))
        }
        let offset = -spacing * Double(count - 1) / 2
        return Tensor(order.map { offset + spacing * Double($0) }, shape: shape)
    }

    /// Two tensors of `shape` and `otherShape` (broadcast to each other) whose
    /// broadcast elements differ by at least 0.2 everywhere: no ties for maximum/minimum.
    mutating func apart(_ shape: Shape, _ otherShape: Shape) -> (Tensor, Tensor) {
        let other = normal(otherShape)
        let target = Shape.broadcast(shape, otherShape)!
        checkPrecondition(target == shape, "CatalogInputs.apart: the first shape must be the broadcast shape")
        let spread = withoutRecording { other.expanded(to: shape) }.scalars(as: Double.self)
        let offsets = awayFromZeroValues(shape.elementCount, 0.2...1.0)
        return (Tensor(zip(spread, offsets).map(+), shape: shape), other)
    }

    mutating func uniformValues(_ count: Int, _ range: ClosedRange<Double>) -> [Double] {
        (0..<count).map { _ in range.lowerBound + (range.upperBound - range.lowerBound) * generator.unitInterval() }
    }

    mutating func awayFromZeroValues(_ count: Int, _ magnitude: ClosedRange<Double>) -> [Double] {
        uniformValues(count, magnitude).map { generator.next() & 1 == 0 ? $0 : -$0 }
    }
}
