import Retrograd
import RetrogradData
import Testing

/// Rank-sharded batches: the shards' parts of every batch add up to the unsharded batch.
@Suite("Sharded batches")
struct ShardedBatchTests {
    /// 11 rows, features 10·i, labels i mod 3.
    let data = try! Dataset(features: Tensor((0..<22).map { Double($0 / 2 * 10) }, shape: [11, 2]), labels: (0..<11).map { Int32($0 % 3) })

    @Test("shards split a batch evenly, differing by at most one row", arguments: [1, 2, 3, 4])
    func ranges(count: Int) {
        for rows in [0, 1, 5, 8, 11] {
            let parts = (0..<count).map { DataShard(rank: $0, count: count).range(ofRows: rows) }
            #expect(parts.first?.lowerBound == 0 && parts.last?.upperBound == rows)
            #expect(zip(parts, parts.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
            #expect(Set(parts.map(\.count)).allSatisfy { abs($0 - rows / count) <= 1 })
        }
        #expect(DataShard(rank: 1, count: 2).range(ofRows: 8) == 4..<8)
    }

    @Test("the union of the shards' batches is the unsharded batch, step by step", arguments: [2, 3])
    func unionIsTheWholeBatch(count: Int) {
        let whole = data.batches(size: 4, shuffle: true, seed: 5)
        let shards = (0..<count).map { data.batches(size: 4, shuffle: true, seed: 5, shard: DataShard(rank: $0, count: count)) }
        #expect(shards.allSatisfy { $0.count == whole.count })  // every rank takes as many steps
        for position in whole.indices {
            #expect(shards.flatMap { $0[position].indices } == whole[position].indices)
            #expect(shards.flatMap { $0[position].labels!.scalars(as: Int32.self) } == whole[position].labels!.scalars(as: Int32.self))
        }
    }

    @Test("paired batches: the shards' partner rows add up to the unsharded partner rows")
    func pairedShards() {
        let partner = try! Dataset(features: Tensor((0..<6).map(Double.init), shape: [3, 2]))
        let whole = data.batches(size: 4, shuffle: true, seed: 1).paired(with: partner, shuffle: true, seed: 2)
        let shards = (0..<2).map {
            data.batches(size: 4, shuffle: true, seed: 1, shard: DataShard(rank: $0, count: 2)).paired(with: partner, shuffle: true, seed: 2)
        }
        for position in whole.indices {
            #expect(shards.flatMap { $0[position].batch.indices } == whole[position].batch.indices)
            #expect(shards.flatMap { $0[position].partner.indices } == whole[position].partner.indices)
        }
    }
}
