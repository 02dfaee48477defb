import Foundation
import Testing
@testable import Retrograd
import RetrogradTestSupport

/// The two caches on the recording path: shared storage for equal 0-d constants, and tape
/// buffers handed from one tape to the next. Neither may leak a value or an identity.
@Suite struct RecyclingTests {
    @Test func equalConstantsShareStorageButNotIdentity() {
        let a = Tensor(scalar: 0.25, dtype: .float32), b = Tensor(scalar: 0.25, dtype: .float32)
        #expect(a.storage === b.storage)
        #expect(a.id != b.id)
        let wide = Tensor(scalar: 0.25, dtype: .float64)
        #expect(wide.storage !== a.storage)
        #expect(wide.dtype == .float64 && wide.scalar(as: Double.self) == 0.25)
        // -0 and +0 are different constants (their bits differ), so 1/x keeps its sign.
        #expect((1 / Tensor(scalar: -0.0, dtype: .float64)).scalar(as: Double.self) == -.infinity)
        #expect((1 / Tensor(scalar: 0.0, dtype: .float64)).scalar(as: Double.self) == .infinity)
    }

    @Test func constantsThatCollideInTheCacheKeepTheirValues() {
        // Far more distinct values than the cache has entries: every one must read back.
        let made = (0..<1000).map { Tensor(scalar: Double($0) * 0.5, dtype: .float32) }
        #expect(made.enumerated().allSatisfy { $1.scalar(as: Double.self) == Double($0) * 0.5 })
    }

    @Test func writingIntoACachedConstantCopiesItFirst() {
        var a = Tensor(scalar: 3, dtype: .float64)
        a.withUnsafeMutableScalars(as: Double.self) { $0[0] = 7 }
        #expect(a.scalar(as: Double.self) == 7)
        #expect(Tensor(scalar: 3, dtype: .float64).scalar(as: Double.self) == 3)
    }

    @Test func watchingOneConstantDoesNotWatchAnEqualOne() throws {
        let watched = Tensor(scalar: 2, dtype: .float64), other = Tensor(scalar: 2, dtype: .float64)
        let tape = GradientTape(persistent: true)
        let y = tape.record {
            tape.watch(watched)
            return watched * other * other
        }
        #expect(try tape.gradient(of: y, wrt: watched)?.scalar(as: Double.self) == 4)
        #expect(try tape.gradient(of: y, wrt: other) == nil)
    }

    @Test func constantsMadeOnOtherThreadsAreCorrect() async {
        let sums = await withTaskGroup(of: Double.self) { group in
            for task in 0..<8 {
                group.addTask {
                    (0..<200).reduce(0.0) { sum, i in sum + Tensor(scalar: Double(task * 1000 + i), dtype: .float64).scalar(as: Double.self) }
                }
            }
            return await group.reduce(into: [Double]()) { $0.append($1) }.sorted()
        }
        let expected = (0..<8).map { task in (0..<200).reduce(0.0) { $0 + Double(task * 1000 + $1) } }.sorted()
        #expect(sums == expected)
    }

    @Test func aRecycledTapeKnowsNothingOfTheTapeBefore() throws {
        let x = Tensor([1, 2, 3] as [Double])
        var y = x
        do {
            let first = GradientTape()
            y = first.record {
                first.watch(x)
                return (0..<500).reduce(x) { value, _ in value * 1.0 }
            }
            #expect(values(try first.gradient(of: y, wrt: x)) == [1, 1, 1])
        }
        // A new tape (likely on the first one's buffers) has not seen x or y.
        let second = GradientTape()
        let z = second.record { y * 2 }
        #expect(try second.gradient(of: z, wrt: x) == nil)
        #expect(try GradientTape().gradient(of: y, wrt: x) == nil)
        let third = GradientTape()
        let w = third.record {
            third.watch(y)
            return y * y
        }
        #expect(values(try third.gradient(of: w, wrt: y)) == [2, 4, 6])
    }

    @Test func aTapeDroppedWithoutAGradientReleasesWhatItSaved() {
        weak var saved: TensorStorage?
        weak var whileAlive: TensorStorage?
        do {
            let x = Tensor([4, 5] as [Double])
            let tape = GradientTape()
            _ = tape.record {
                tape.watch(x)
                let product = x * x
                saved = product.storage
                return product.log()  // log saves its input
            }
            whileAlive = saved
            #expect(whileAlive != nil)
        }
        #expect(saved == nil)
    }
}
