import Testing
@testable import RetrogradData

@Suite struct BatchLimitTests {
    /// A batch size near Int.max once overflowed `count + size - 1` when counting batches.
    @Test(arguments: [Int.max, Int.max - 1, 1 << 62])
    func aHugeBatchSizeGivesOneBatchOfEveryRow(size: Int) throws {
        let data = try Dataset(features: Tensor((0..<10).map(Float.init), shape: [5, 2]), labels: [0, 1, 0, 1, 1])
        let batches = data.batches(size: size)
        #expect(batches.count == 1)
        #expect(batches[0].indices == [0, 1, 2, 3, 4])
        #expect(data.batches(size: size, dropRemainder: true).isEmpty)
    }

    @Test func batchCountsRoundUpUnlessTheRemainderIsDropped() throws {
        let data = try Dataset(features: Tensor([Float](repeating: 0, count: 7), shape: [7, 1]), labels: nil)
        #expect(data.batches(size: 3).map(\.count) == [3, 3, 1])
        #expect(data.batches(size: 3, dropRemainder: true).map(\.count) == [3, 3])
        #expect(data.batches(size: 7).map(\.count) == [7])
    }
}
