import Testing
@testable import Retrograd
import RetrogradTestSupport

/// Reading through subscripts, NumPy's semantics. The tensor is `x[i, j, k] = 12i + 4j + k`
/// (NumPy's `np.arange(24).reshape(2, 3, 4)`), so every expected element below is its own
/// position, worked out by hand from the index.
@Suite struct SubscriptReadTests {
    private let x = Tensor((0..<24).map(Double.init), shape: [2, 3, 4])

    /// The element at (i, j, k) of `x`.
    private func at(_ i: Int, _ j: Int, _ k: Int) -> Double { Double(12 * i + 4 * j + k) }

    /// The numbers of `ranges`, one after the other, as doubles: runs of consecutive elements.
    private func run(_ ranges: Range<Int>...) -> [Double] { ranges.flatMap { $0.map(Double.init) } }

    @Test func anIntegerPicksOnePositionAndDropsTheAxis() {
        let row = x[1]
        #expect(row.shape == [3, 4] && values(row) == run(12..<24))
        #expect(x[0, 2].shape == [4] && values(x[0, 2]) == [8, 9, 10, 11])
        #expect(x[1, 0, 3].shape == [] && values(x[1, 0, 3]) == [at(1, 0, 3)])
    }

    @Test func negativeIntegersCountFromTheEnd() {
        #expect(values(x[-1, 2]) == [20, 21, 22, 23])  // x[1, 2]
        #expect(values(x[0, -3, -1]) == [at(0, 0, 3)])
    }

    @Test func theEllipsisStandsForTheLeadingAxes() {
        let last = x[..., 1]  // x[:, :, 1]
        #expect(last.shape == [2, 3])
        #expect(values(last) == [at(0, 0, 1), at(0, 1, 1), at(0, 2, 1), at(1, 0, 1), at(1, 1, 1), at(1, 2, 1)])
        #expect(x[..., 1, 2].shape == [2] && values(x[..., 1, 2]) == [at(0, 1, 2), at(1, 1, 2)])
        #expect(x[...].shape == x.shape && values(x[...]) == values(x))
    }

    @Test func rangesOfEveryKindSelectBlocks() {
        let middle = x[0..., 1..<3]  // x[:, 1:3]
        #expect(middle.shape == [2, 2, 4])
        #expect(values(middle) == run(4..<12, 16..<24))
        #expect(values(x[0, 1...2, 0]) == [at(0, 1, 0), at(0, 2, 0)])
        #expect(values(x[1, ..<1, 0]) == [at(1, 0, 0)])
        #expect(x[1, ...1].shape == [2, 4] && values(x[1, ...1]) == run(12..<20))
        #expect(values(x[0, 0, 2...]) == [2, 3])
    }

    @Test func negativeRangeBoundsCountFromTheEnd() {
        let block = x[..<1, (-2)..., 3]  // x[:1, -2:, 3]
        #expect(block.shape == [1, 2] && values(block) == [at(0, 1, 3), at(0, 2, 3)])
        #expect(values(x[1, 0, ..<(-1)]) == [12, 13, 14])  // x[1, 0, :-1]
        #expect(values(x[1, 0, (-3)...(-2)]) == [13, 14])  // x[1, 0, -3:-1]
    }

    @Test func stridesPickEveryNthPositionInEitherDirection() {
        #expect(values(x[0, 0, stride(from: 0, to: 4, by: 2)]) == [0, 2])  // x[0, 0, ::2]
        #expect(values(x[1, stride(from: 2, through: 0, by: -1), 0]) == [at(1, 2, 0), at(1, 1, 0), at(1, 0, 0)])
        let reversed = x[..., stride(from: -1, through: -4, by: -1)]  // x[..., ::-1]
        #expect(reversed.shape == [2, 3, 4] && values(reversed[0, 0]) == [3, 2, 1, 0])
    }

    @Test func aMaskOfTheWholeShapeGivesTheSelectedElementsInOrder() {
        let big = x[x .> 20]
        #expect(big.shape == [3] && values(big) == [21, 22, 23])
        #expect(x[x .> 100].shape == [0])
    }

    @Test func aMaskOverTheLeadingAxesKeepsTheRest() {
        let mask = Tensor([true, false, true, false, true, false], shape: [2, 3])
        let rows = x[mask]  // rows (0, 0), (0, 2), (1, 1)
        #expect(rows.shape == [3, 4])
        #expect(values(rows) == run(0..<4, 8..<12, 16..<20))
    }

    @Test func aMaskOverTheLastAxisAfterTheEllipsis() {
        let odd = x[..., Tensor([false, true, false, true])]  // k ∈ {1, 3}
        #expect(odd.shape == [2, 3, 2])
        #expect(values(odd[1, 2]) == [at(1, 2, 1), at(1, 2, 3)])
    }

    @Test func anIndexTensorPicksPositionsAndBringsItsShape() {
        let rows = x[Tensor([1, 0, 1] as [Int32])]
        #expect(rows.shape == [3, 3, 4])
        #expect(values(rows[1]) == run(0..<12) && values(rows[2]) == run(12..<24))
        let grid = x[0, Tensor([2, -1] as [Int32], shape: [1, 2])]  // −1 is 2 as well
        #expect(grid.shape == [1, 2, 4] && values(grid) == [8, 9, 10, 11, 8, 9, 10, 11])
    }

    @Test func theElementTypeIsKept() {
        let counts = Tensor([3, 1, 4, 1, 5, 9] as [Int32], shape: [2, 3])
        #expect(counts[1].dtype == .int32 && counts[1].scalars(as: Int32.self) == [1, 5, 9])
        #expect(counts[counts .> 3].scalars(as: Int32.self) == [4, 5, 9])
        #expect(Tensor([1, 2, 3])[1].dtype == .float32)
    }

    @Test func gradientsScatterBackAndAddUpOverRepeats() throws {
        let v = Tensor([1, 2, 3, 4, 5, 6] as [Double], shape: [3, 2])
        let tape = GradientTape(persistent: true)
        tape.watch(v)
        let picked = tape.record { v[Tensor([0, 0, 2] as [Int32])].sum() }
        #expect(values(try tape.gradient(of: picked, wrt: v)) == [2, 2, 0, 0, 1, 1])
        let weighted = tape.record { (v[1..., stride(from: 1, through: 0, by: -1)] * Tensor([10, 20] as [Double])).sum() }
        // v[1:, ::-1]: column 1 meets weight 10, column 0 weight 20, in rows 1 and 2.
        #expect(values(try tape.gradient(of: weighted, wrt: v)) == [0, 0, 20, 10, 20, 10])
        let masked = tape.record { (v[v .> 3] * 2).sum() }
        #expect(values(try tape.gradient(of: masked, wrt: v)) == [0, 0, 0, 2, 2, 2])
        let single = tape.record { v[-1, 0] * v[0, 1] }
        #expect(values(try tape.gradient(of: single, wrt: v)) == [0, 5, 0, 0, 2, 0])
    }
}
