import Testing
@testable import Retrograd
import RetrogradTestSupport

/// `arange`, `linspace`, `eye` and `oneHot` against values written out by hand (NumPy's and
/// PyTorch's definitions: `np.arange`, `np.linspace`, `np.eye`, `torch.nn.functional.one_hot`).
@Suite struct ConstructorTests {
    @Test func arangeCountsUpToButNotIncludingTheEnd() {
        let simple = Tensor.arange(to: 4)
        #expect(simple.dtype == .float32 && simple.shape == [4] && values(simple) == [0, 1, 2, 3])
        #expect(values(Tensor.arange(from: 1, to: 2, by: 0.25)) == [1, 1.25, 1.5, 1.75])
        #expect(values(Tensor.arange(from: 3, to: 0, by: -1)) == [3, 2, 1])
        #expect(values(Tensor.arange(from: 2, to: 7, by: 2)) == [2, 4, 6])  // ⌈5 / 2⌉ = 3 elements
        #expect(Tensor.arange(from: 5, to: 5).shape == [0] && Tensor.arange(from: 0, to: -1).shape == [0])
    }

    @Test func arangeOfTenthsHasTenElementsComputedInDouble() {
        // np.arange(0, 1, 0.1): ⌈1 / 0.1⌉ = 10 elements; element i is i · 0.1 rounded once, so
        // element 3 is 0.30000000000000004 (not 0.3) and element 9 rounds to 0.9.
        let tenths = Tensor.arange(from: 0, to: 1, by: 0.1, dtype: .float64)
        #expect(tenths.shape == [10] && tenths.dtype == .float64)
        #expect(values(tenths)[3] == 0.30000000000000004 && values(tenths)[9] == 0.9)
    }

    @Test func arangeMakesIntegers() {
        let counts = Tensor.arange(to: 5, dtype: .int32)
        #expect(counts.dtype == .int32 && counts.scalars(as: Int32.self) == [0, 1, 2, 3, 4])
        #expect(Tensor.arange(from: -2, to: 3, by: 2, dtype: .int32).scalars(as: Int32.self) == [-2, 0, 2])
    }

    @Test func linspaceIncludesBothEnds() {
        #expect(values(Tensor.linspace(from: 0, through: 1, count: 5)) == [0, 0.25, 0.5, 0.75, 1])
        #expect(values(Tensor.linspace(from: 2, through: -1, count: 4)) == [2, 1, 0, -1])
        #expect(values(Tensor.linspace(from: 3, through: 7, count: 1)) == [3])
        #expect(Tensor.linspace(from: 3, through: 7, count: 0).shape == [0])
        // Points are i · step with step = 0.9 / 3, as np.linspace's, and the last is the end
        // itself rather than 3 · step, which rounds to 0.8999999999999999.
        let points = Tensor.linspace(from: 0, through: 0.9, count: 4, dtype: .float64)
        #expect(values(points) == [0, 0.3, 0.6, 0.9])
    }

    @Test func eyeIsTheIdentity() {
        let square = Tensor.eye(3)
        #expect(square.shape == [3, 3] && square.dtype == .float32)
        #expect(values(square) == [1, 0, 0, 0, 1, 0, 0, 0, 1])
        #expect(values(Tensor.eye(2, columns: 3)) == [1, 0, 0, 0, 1, 0])
        #expect(values(Tensor.eye(3, columns: 2, dtype: .float64)) == [1, 0, 0, 1, 0, 0])
        #expect(Tensor.eye(2, dtype: .int32).scalars(as: Int32.self) == [1, 0, 0, 1])
        let m = Tensor([1, 2, 3, 4, 5, 6] as [Float], shape: [2, 3])
        #expect(values(Tensor.eye(2).matmul(m)) == values(m))
    }

    @Test func oneHotRowsHaveAOneAtTheLabel() {
        let rows = Tensor.oneHot(Tensor([2, 0, 1] as [Int32]), classes: 3)
        #expect(rows.shape == [3, 3] && rows.dtype == .float32)
        #expect(values(rows) == [0, 0, 1, 1, 0, 0, 0, 1, 0])
        let grid = Tensor.oneHot(Tensor([1, 0] as [Int32], shape: [2, 1]), classes: 2, dtype: .float64)
        #expect(grid.shape == [2, 1, 2] && grid.dtype == .float64 && values(grid) == [0, 1, 1, 0])
        #expect(Tensor.oneHot(Tensor([3] as [Int32]), classes: 4, dtype: .int32).scalars(as: Int32.self) == [0, 0, 0, 1])
        #expect(Tensor.oneHot(Tensor([1] as [Int32]), classes: 2, dtype: .bool).scalars(as: Bool.self) == [false, true])
    }
}
