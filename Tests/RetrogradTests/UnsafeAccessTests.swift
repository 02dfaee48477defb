import Testing
@testable import Retrograd

/// Direct element access: filling, reading, and copy-on-write mutation.
@Suite struct UnsafeAccessTests {
    @Test func initializerFillsEveryElementInRowMajorOrder() {
        let t = Tensor(shape: [2, 3], of: Float.self) { buffer in
            for i in buffer.indices { buffer[i] = Float(i) * 0.5 }
        }
        #expect(t.shape == [2, 3] && t.dtype == .float32)
        #expect(t.scalars(as: Float.self) == [0, 0.5, 1, 1.5, 2, 2.5])
    }

    @Test func readingSeesTheElements() {
        let t = Tensor([1, 2, 3] as [Double])
        #expect(t.withUnsafeScalars(as: Double.self) { $0.reduce(0, +) } == 6)
    }

    @Test func mutationCopiesSharedStorageSoOtherValuesNeverChange() {
        let original = Tensor([1, 2, 3] as [Float])
        var copy = original
        copy.withUnsafeMutableScalars(as: Float.self) { $0[0] = 10 }
        #expect(copy.scalars(as: Float.self) == [10, 2, 3])
        #expect(original.scalars(as: Float.self) == [1, 2, 3])
        #expect(copy.id != original.id)
    }

    @Test func mutationOfAUniqueValueWritesInPlaceUnderANewIdentity() {
        var t = Tensor(shape: [4], of: Float.self) { $0.initialize(repeating: 1) }
        let before = ObjectIdentifier(t.storage), oldID = t.id
        t.withUnsafeMutableScalars(as: Float.self) { $0[3] = 7 }
        #expect(ObjectIdentifier(t.storage) == before)
        #expect(t.id != oldID)
        #expect(t.scalars(as: Float.self) == [1, 1, 1, 7])
    }

    @Test func aMutatedWatchedTensorIsNoLongerConnectedToTheTape() throws {
        var x = Tensor(Float(2))
        let tape = GradientTape(persistent: true)
        let y = tape.record { () -> Tensor in
            tape.watch(x)
            return x * x
        }
        #expect(try tape.gradient(of: y, wrt: x)?.scalar(as: Float.self) == 4)
        x.withUnsafeMutableScalars(as: Float.self) { $0[0] = 3 }
        #expect(try tape.gradient(of: y, wrt: x) == nil)
    }
}
