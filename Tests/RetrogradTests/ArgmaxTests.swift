import Testing
@testable import Retrograd

@Suite struct ArgmaxTests {
    // Rows [3, 1, 3] and [0, 5, -2]; columns [3, 0], [1, 5], [3, -2].
    private let matrix = Tensor([3, 1, 3, 0, 5, -2] as [Float], shape: [2, 3])

    @Test func lastAxisPicksTheFirstOfTiedMaxima() {
        let indices = matrix.argmax()
        #expect(indices.dtype == .int32 && indices.shape == [2])
        #expect(indices.scalars(as: Int32.self) == [0, 1])
    }

    @Test func firstAxisComparesDownTheColumns() {
        #expect(matrix.argmax(axis: 0).scalars(as: Int32.self) == [0, 1, 0])
        #expect(matrix.argmin(axis: 0).scalars(as: Int32.self) == [1, 0, 1])
    }

    @Test func argminAlongRowsAndNegativeAxes() {
        #expect(matrix.argmin(axis: -1).scalars(as: Int32.self) == [1, 2])
    }

    @Test func middleAxisOfARank3Tensor() {
        // x[i, j, k] = (j == 2 - i ? 10 : j) + k; argmax over j is 2 - i for every k.
        var scalars: [Double] = []
        for i in 0..<2 { for j in 0..<3 { for k in 0..<2 { scalars.append(Double((j == 2 - i ? 10 : j) + k)) } } }
        let x = Tensor(scalars, shape: [2, 3, 2])
        let indices = x.argmax(axis: 1)
        #expect(indices.shape == [2, 2])
        #expect(indices.scalars(as: Int32.self) == [2, 2, 1, 1])
    }

    @Test func integerTensorsAndScalarsOfOneElement() {
        #expect(Tensor([4, 9, 9, 1] as [Int32]).argmax().scalars(as: Int32.self) == [1])
        #expect(Tensor([7] as [Double]).argmin().shape == [])
    }
}
