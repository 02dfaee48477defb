import Testing
@testable import Retrograd
import RetrogradTestSupport

/// int32 tensors compute with integers (indices, counts): values worked out by hand with
/// Swift's integer semantics, `/` truncating toward zero and overflow wrapping around as
/// `&+`, `&-`, `&*` do (and NumPy's and PyTorch's int32).
@Suite struct IntegerArithmeticTests {
    private let a = Tensor([7, -7, 3, 0] as [Int32])
    private let b = Tensor([2, 2, -2, 5] as [Int32])

    private func ints(_ tensor: Tensor) -> [Int32] {
        #expect(tensor.dtype == .int32)
        return tensor.scalars(as: Int32.self)
    }

    @Test func theOperatorsComputeWithIntegers() {
        #expect(ints(a + b) == [9, -5, 1, 5])
        #expect(ints(a - b) == [5, -9, 5, -5])
        #expect(ints(a * b) == [14, -14, -6, 0])
        #expect(ints(-a) == [-7, 7, -3, 0])
        #expect(ints(a.maximum(b)) == [7, 2, 3, 5])
        #expect(ints(a.minimum(b)) == [2, -7, -2, 0])
    }

    @Test func divisionTruncatesTowardZeroAsSwiftDoes() {
        #expect(ints(a / b) == [3, -3, -1, 0])  // 7/2, −7/2, 3/−2, 0/5
        #expect(ints(a / 2) == [3, -3, 1, 0])
        #expect(ints(10 / Tensor([3, -4] as [Int32])) == [3, -2])
    }

    @Test func swiftNumbersTakeTheIntegerType() {
        #expect(ints(a * 2) == [14, -14, 6, 0])
        #expect(ints(1 - a) == [-6, 8, -2, 1])
        #expect(ints(a + 3) == [10, -4, 6, 3])
        #expect((a .>= 3).scalars(as: Bool.self) == [true, false, true, false])
    }

    @Test func broadcastingWorksAsForFloats() {
        let matrix = Tensor([1, 2, 3, 4, 5, 6] as [Int32], shape: [2, 3])
        #expect(ints(matrix + Tensor([10, 20, 30] as [Int32])) == [11, 22, 33, 14, 25, 36])
        #expect(ints(matrix * Tensor([2, -1] as [Int32], shape: [2, 1])) == [2, 4, 6, -4, -5, -6])
    }

    @Test func comparisonsAndSelectionsWork() {
        #expect((a .> b).scalars(as: Bool.self) == [true, false, true, false])
        #expect((a .== Tensor([7, 7, 3, 3] as [Int32])).scalars(as: Bool.self) == [true, false, true, false])
        #expect(ints(Tensor([-3, 0, 4] as [Int32]).abs()) == [3, 0, 4])
        #expect(ints(Tensor([-3, 0, 4] as [Int32]).sign()) == [-1, 0, 1])
        #expect(ints(Tensor([-3, 0, 4] as [Int32]).relu()) == [0, 0, 4])
    }

    @Test func sumsAndMaximaReduce() {
        let matrix = Tensor([1, 2, 3, 4, 5, 6] as [Int32], shape: [2, 3])
        #expect(ints(matrix.sum()) == [21])
        #expect(ints(matrix.sum(axes: [0])) == [5, 7, 9])
        #expect(ints(matrix.sum(axes: [1], keepingDimensions: true)) == [6, 15])
        #expect(matrix.sum(axes: [1], keepingDimensions: true).shape == [2, 1])
        #expect(ints(matrix.max()) == [6] && ints(matrix.max(axes: [1])) == [3, 6])
        #expect(ints((-matrix).max(axes: [0])) == [-1, -2, -3])
        #expect(ints(matrix.min(axes: [-1])) == [1, 4])
        let cube = Tensor((0..<24).map(Int32.init), shape: [2, 3, 4])
        // Σ over i ∈ {0, 1} and k ∈ 0..<4 of 12i + 4j + k = 48 + 32j + 2·(0 + 1 + 2 + 3) = 32j + 60.
        #expect(ints(cube.sum(axes: [0, 2])) == [60, 92, 124])
    }

    @Test func overflowWrapsAround() {
        let extremes = Tensor([Int32.max, Int32.min] as [Int32])
        #expect(ints(extremes + 1) == [Int32.min, Int32.min + 1])
        #expect(ints(extremes * 2) == [-2, 0])
        #expect(ints(-extremes) == [Int32.min + 1, Int32.min])
        #expect(ints(extremes / -1) == [Int32.min + 1, Int32.min])
        #expect(ints(Tensor([Int32.max, 1] as [Int32]).sum()) == [Int32.min])
    }

    @Test func largeTensorsTakeTheParallelPath() {
        let count = 200_000
        let counts = Tensor.arange(to: Double(count), dtype: .int32)
        let doubled = counts + counts
        #expect(doubled.scalars(as: Int32.self).enumerated().allSatisfy { $0.element == Int32(2 * $0.offset) })
        #expect(ints(counts.sum()) == [Int32(truncatingIfNeeded: count * (count - 1) / 2)])
    }

    @Test func integerVariablesAreNotTrainableByDefault() throws {
        let counter = Variable(Tensor(Int32(3)), name: "counter")
        let w = Variable(Tensor(Double(2)), name: "w")
        #expect(!counter.trainable && w.trainable)
        let tape = GradientTape()
        let y = tape.record { w.value * (counter.value + 1).cast(to: .float64) }
        let gradients = try tape.gradient(of: y, wrt: [w, counter])
        #expect(values(gradients[0]) == [4] && gradients[1] == nil)
    }
}
