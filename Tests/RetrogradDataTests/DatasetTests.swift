import Testing
@testable import RetrogradData

/// Ten rows whose features name their row: row i is [i, 100 + i]; label i % 3.
private func numberedDataset(count: Int = 10) throws -> Dataset {
    let values = (0..<count).flatMap { [Float($0), Float(100 + $0)] }
    return try Dataset(features: Tensor(values, shape: [count, 2]), labels: (0..<count).map { Int32($0 % 3) })
}

/// The row each batch row came from, read back from its features (row i holds i).
private func rowIDs(_ batch: Batch) -> [Int] {
    batch.features.scalars(as: Float.self).enumerated().filter { $0.offset % 2 == 0 }.map { Int($0.element) }
}

@Suite struct DatasetConstructionTests {
    @Test func countsRowsAndFeatures() throws {
        let data = try numberedDataset()
        #expect(data.count == 10)
        #expect(data.featureCount == 2)
        #expect(data.labelScalars == [0, 1, 2, 0, 1, 2, 0, 1, 2, 0])
    }

    @Test func acceptsUnlabelledFloat64Features() throws {
        let data = try Dataset(features: Tensor([1, 2, 3, 4, 5, 6] as [Double], shape: [3, 2]))
        #expect(data.count == 3)
        #expect(data.labels == nil)
        #expect(data.batches(size: 2).map(\.count) == [2, 1])
    }

    @Test func rejectsLabelCountMismatch() {
        let features = Tensor([Float](repeating: 0, count: 6), shape: [3, 2])
        #expect(throws: DataError.countMismatch(features: 3, labels: 2)) {
            try Dataset(features: features, labels: [0, 1] as [Int32])
        }
        let error = thrownError(DataError.self) { _ = try Dataset(features: features, labels: [0, 1, 1, 0] as [Int32]) }
        #expect(error?.description.contains("3 rows") == true)
        #expect(error?.description.contains("4 labels") == true)
    }

    @Test func rejectsFeaturesThatAreNotAFloatMatrix() {
        #expect(throws: DataError.invalidFeatures(shape: [4], dtype: .float32)) {
            try Dataset(features: Tensor([1, 2, 3, 4] as [Float]))
        }
        #expect(throws: DataError.invalidFeatures(shape: [2, 2], dtype: .int32)) {
            try Dataset(features: Tensor([1, 2, 3, 4] as [Int32], shape: [2, 2]))
        }
    }

    @Test func rejectsLabelsThatAreNotInt32Vectors() {
        let features = Tensor([1, 2, 3, 4] as [Float], shape: [2, 2])
        #expect(throws: DataError.invalidLabels(shape: [2], dtype: .float32)) {
            try Dataset(features: features, labels: Tensor([0, 1] as [Float]))
        }
        #expect(throws: DataError.invalidLabels(shape: [2, 1], dtype: .int32)) {
            try Dataset(features: features, labels: Tensor([0, 1] as [Int32], shape: [2, 1]))
        }
    }

    @Test func rowsGathersFeaturesAndLabelsTogether() throws {
        let picked = try numberedDataset().rows([4, 1, 4])
        #expect(picked.features.scalars(as: Float.self) == [4, 104, 1, 101, 4, 104])
        #expect(picked.labelScalars == [1, 1, 1])
        let none = try numberedDataset().rows([])
        #expect(none.count == 0)
        #expect(none.features.shape == [0, 2])
    }
}

@Suite struct BatchingTests {
    @Test(arguments: [1, 3, 4, 7, 10, 11], [false, true])
    func everyRowOnceWithCorrectSizes(size: Int, shuffle: Bool) throws {
        let data = try numberedDataset()
        let batches = data.batches(size: size, shuffle: shuffle, seed: 5)
        let expectedCount = (10 + size - 1) / size
        #expect(batches.count == expectedCount)
        var sizes = [Int](repeating: size, count: expectedCount)
        if 10 % size != 0 { sizes[expectedCount - 1] = 10 % size }
        #expect(batches.map(\.count) == sizes)
        let seen = batches.flatMap(\.indices)
        #expect(seen.sorted() == Array(0..<10))
        for batch in batches {
            #expect(batch.features.shape == [batch.count, 2])
            #expect(batch.labels?.shape == [batch.count])
            #expect(rowIDs(batch) == batch.indices)
            #expect(batch.labels?.scalars(as: Int32.self) == batch.indices.map { Int32($0 % 3) })
        }
    }

    @Test func unshuffledBatchesKeepRowOrder() throws {
        let batches = try numberedDataset().batches(size: 4)
        #expect(batches.map(\.indices) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]])
    }

    @Test func dropRemainderLeavesOutTheShortBatch() throws {
        let data = try numberedDataset()
        let dropped = data.batches(size: 3, shuffle: true, seed: 1, dropRemainder: true)
        #expect(dropped.map(\.count) == [3, 3, 3])
        #expect(Set(dropped.flatMap(\.indices)).count == 9)
        // With the same seed the kept batches are the first three of the full pass.
        let full = data.batches(size: 3, shuffle: true, seed: 1)
        #expect(dropped.map(\.indices) == full.prefix(3).map(\.indices))
        #expect(data.batches(size: 5, dropRemainder: true).map(\.count) == [5, 5])
        #expect(data.batches(size: 11, dropRemainder: true).isEmpty)
    }

    @Test func sameSeedSameOrderDifferentSeedsDiffer() throws {
        let values = (0..<100).map { Float($0) }
        let data = try Dataset(features: Tensor(values, shape: [100, 1]))
        let a = data.batches(size: 8, shuffle: true, seed: 42).flatMap(\.indices)
        let b = data.batches(size: 8, shuffle: true, seed: 42).flatMap(\.indices)
        let c = data.batches(size: 8, shuffle: true, seed: 43).flatMap(\.indices)
        #expect(a == b)
        #expect(a != c)
        #expect(a != Array(0..<100))
        // Epoch seeds: every epoch differs from the others.
        let epochs = (0..<5).map { data.batches(size: 8, shuffle: true, seed: 42 &+ UInt64($0)).flatMap(\.indices) }
        #expect(Set(epochs).count == 5)
    }

    @Test func permutationsArePinned() {
        // Computed independently by a Python transcription of SplitMix64 seeding,
        // xoshiro256** and Lemire's bounded draw driving Fisher–Yates from the last slot down.
        // A change here changes every seeded shuffle users have recorded.
        #expect(Dataset.permutation(count: 10, seed: 42) == [9, 1, 4, 2, 8, 7, 6, 5, 3, 0])
        #expect(Dataset.permutation(count: 10, seed: 0) == [7, 8, 3, 1, 5, 4, 2, 0, 9, 6])
        #expect(Dataset.permutation(count: 5, seed: .max) == [0, 4, 1, 3, 2])
    }

    @Test func permutationIsAPermutationAndUnbiased() {
        for count in [0, 1, 2, 17] {
            #expect(Dataset.permutation(count: count, seed: 9).sorted() == Array(0..<count))
        }
        // All 6 orders of 3 items, each expected 6000 / 6 = 1000 times (σ ≈ 29).
        var tally: [[Int]: Int] = [:]
        for seed in 0..<6000 { tally[Dataset.permutation(count: 3, seed: UInt64(seed)), default: 0] += 1 }
        #expect(tally.count == 6)
        #expect(tally.values.allSatisfy { (850...1150).contains($0) })
    }
}

@Suite struct PairedBatchingTests {
    /// The partner rows of each batch, read back from their features.
    private func partnerIDs(_ pairs: PairedBatchSequence) -> [[Int]] {
        pairs.map { rowIDs($0.partner) }
    }

    @Test func aSmallerPartnerIsCycledThroughInOrder() throws {
        let pairs = try numberedDataset().batches(size: 4).paired(with: numberedDataset(count: 3))
        #expect(pairs.count == 3)
        #expect(pairs.map(\.batch.indices) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]])
        // Positions 0…9 of the partner order 0, 1, 2, wrapping around: 0 1 2 0 | 1 2 0 1 | 2 0.
        #expect(pairs.map(\.partner.indices) == [[0, 1, 2, 0], [1, 2, 0, 1], [2, 0]])
        #expect(partnerIDs(pairs) == [[0, 1, 2, 0], [1, 2, 0, 1], [2, 0]])
        #expect(pairs[2].partner.labels?.scalars(as: Int32.self) == [2, 0])
    }

    @Test func aLargerPartnerIsSeenOnlyAsFarAsTheBatchesReach() throws {
        let pairs = try numberedDataset().batches(size: 4).paired(with: numberedDataset(count: 25))
        #expect(partnerIDs(pairs) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]])
    }

    @Test func aShuffledPartnerFollowsItsSeededOrder() throws {
        let data = try numberedDataset()
        let pairs = data.batches(size: 3, shuffle: true, seed: 1).paired(with: data, shuffle: true, seed: 42)
        // The pinned permutation of 10 rows for seed 42 (see permutationsArePinned), in threes.
        #expect(partnerIDs(pairs) == [[9, 1, 4], [2, 8, 7], [6, 5, 3], [0]])
        #expect(pairs.map(\.batch.indices) == data.batches(size: 3, shuffle: true, seed: 1).map(\.indices))
        let unlabelled = try Dataset(features: Tensor([7, 8] as [Double], shape: [2, 1]))
        let second = data.batches(size: 3).paired(with: unlabelled)[1].partner
        #expect(second.labels == nil && second.features.scalars(as: Double.self) == [8, 7, 8])
    }

    @Test func anEmptyPartnerStopsWithAMessage() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let empty = try Dataset(features: Tensor([] as [Float], shape: [0, 2]))
            _ = try Dataset(features: Tensor([1, 2] as [Float], shape: [1, 2])).batches(size: 1).paired(with: empty)
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("the partner dataset has no rows"), "\(message)")
    }
}

@Suite struct ShuffleAndSplitTests {
    @Test func shuffledKeepsRowsWithTheirLabels() throws {
        let data = try numberedDataset()
        let shuffled = data.shuffled(seed: 3)
        #expect(shuffled.count == 10)
        let ids = shuffled.features.scalars(as: Float.self).enumerated().filter { $0.offset % 2 == 0 }.map { Int($0.element) }
        #expect(ids.sorted() == Array(0..<10))
        #expect(ids != Array(0..<10))
        #expect(shuffled.labelScalars == ids.map { Int32($0 % 3) })
        #expect(data.shuffled(seed: 3).features.scalars(as: Float.self) == shuffled.features.scalars(as: Float.self))
        #expect(ids == Dataset.permutation(count: 10, seed: 3))
    }

    @Test func splitPartitionsTheRows() throws {
        let data = try numberedDataset()
        let (train, test) = data.split(fraction: 0.8, seed: 11)
        #expect(train.count == 8)
        #expect(test.count == 2)
        let trainIDs = train.batches(size: 100).flatMap(rowIDs)
        let testIDs = test.batches(size: 100).flatMap(rowIDs)
        #expect(Set(trainIDs).isDisjoint(with: testIDs))
        #expect((trainIDs + testIDs).sorted() == Array(0..<10))
        let again = data.split(fraction: 0.8, seed: 11)
        #expect(again.train.features.scalars(as: Float.self) == train.features.scalars(as: Float.self))
        #expect(data.split(fraction: 0.25, seed: 0).train.count == 3)  // 2.5 rounds to 3
        #expect(data.split(fraction: 0, seed: 0).train.count == 0)
        #expect(data.split(fraction: 1, seed: 0).test.count == 0)
    }
}
