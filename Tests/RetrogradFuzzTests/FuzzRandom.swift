@testable import Retrograd

/// The draws the fuzz generator makes, all from one `SeededGenerator`, so a case is a
/// function of its seed.
struct FuzzRandom {
    var generator: SeededGenerator

    init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    /// A uniform integer in `range`.
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(generator.next() % UInt64(range.count))
    }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { generator.unitInterval() < p }

    /// One element of a non-empty array.
    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    /// An index drawn with probability proportional to `weights`.
    mutating func weighted(_ weights: [Double]) -> Int {
        var target = generator.unitInterval() * weights.reduce(0, +)
        for (index, weight) in weights.enumerated() {
            target -= weight
            if target < 0 { return index }
        }
        return weights.count - 1
    }

    /// A standard normal sample.
    mutating func normal() -> Double { generator.standardNormal() }

    /// A uniform sample from `range`.
    mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * generator.unitInterval()
    }

    /// A readable constant: a uniform sample from `range` rounded to two decimals.
    mutating func constant(_ range: ClosedRange<Double>) -> Double { (uniform(range) * 100).rounded() / 100 }

    /// The elements of `0..<count` in a random order (Fisher–Yates).
    mutating func permutation(_ count: Int) -> [Int] {
        var order = Array(0..<count)
        for index in stride(from: count - 1, to: 0, by: -1) { order.swapAt(index, int(0...index)) }
        return order
    }

    /// `count` distinct sorted elements of `0..<n`.
    mutating func subset(of n: Int, count: Int) -> [Int] { Array(permutation(n).prefix(count)).sorted() }

    /// A shape of the given rank with dimensions from `dimensions`.
    mutating func shape(rank: Int, dimensions: ClosedRange<Int> = 1...5) -> Shape {
        Shape((0..<rank).map { _ in int(dimensions) })
    }

    /// A float64 tensor of standard normal samples.
    mutating func normalTensor(_ shape: Shape) -> Tensor {
        Tensor((0..<shape.elementCount).map { _ in normal() }, shape: shape)
    }

    /// A bool tensor with random entries.
    mutating func condition(_ shape: Shape) -> Tensor {
        Tensor((0..<shape.elementCount).map { _ in chance(0.5) }, shape: shape)
    }

    /// Two shapes that broadcast to `shape`: each axis of size n > 1 is n in both or 1 in
    /// one of them, and sometimes one operand drops leading axes (a rank difference).
    mutating func broadcastPair(_ shape: Shape) -> (Shape, Shape) {
        var a = shape.dimensions, b = shape.dimensions
        for axis in 0..<shape.rank where shape[axis] > 1 {
            switch int(0...3) {
            case 0: a[axis] = 1
            case 1: b[axis] = 1
            default: break
            }
        }
        if shape.rank > 0 && chance(0.35) {
            let dropped = int(1...shape.rank)
            if chance(0.5) {
                for axis in 0..<dropped { b[axis] = shape[axis] }
                a.removeFirst(dropped)
            } else {
                for axis in 0..<dropped { a[axis] = shape[axis] }
                b.removeFirst(dropped)
            }
        }
        return (Shape(a), Shape(b))
    }

    /// A random shape with `count` elements and rank 1 to 3 (or 0 for one element).
    mutating func factorization(of count: Int) -> Shape {
        if count == 1 && chance(0.3) { return [] }
        let rank = int(1...3)
        var dims: [Int] = [], rest = count
        for _ in 1..<rank {
            let divisor = pick((1...rest).filter { rest % $0 == 0 })
            dims.append(divisor)
            rest /= divisor
        }
        dims.append(rest)
        return Shape(dims)
    }
}
