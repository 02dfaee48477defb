import Foundation
import Testing
@testable import Retrograd
import RetrogradTestSupport

@Suite struct TapeRecordingTests {
    @Test func opsOutsideRecordAreNotRecorded() throws {
        let x = Tensor([1.5, -2] as [Double])
        let tape = GradientTape()
        tape.watch(x)
        let outside = x * x
        let inside = tape.record { x * 3 }
        #expect(try tape.gradient(of: outside, wrt: x) == nil)
        let other = GradientTape()
        other.watch(x)
        let y = other.record { x * 3 }
        #expect(values(try other.gradient(of: y, wrt: x)) == [3, 3])
        _ = inside
    }

    @Test func severalRecordBlocksAddUp() throws {
        let x = Tensor(Double(2.0))
        let tape = GradientTape()
        tape.watch(x)
        let a = tape.record { x * x }  // 2x
        let b = tape.record { a * x }  // x³ → 3x² = 12
        #expect(values(try tape.gradient(of: b, wrt: x)) == [12])
    }

    @Test func unwatchedConstantGetsNilOrZeros() throws {
        let c = Tensor([1, 2, 3] as [Float])
        let v = Variable(Tensor([0.5, 0.5, 0.5] as [Float]), name: "v")
        let tape = GradientTape(persistent: true)
        let y = tape.record { (v.value * c).sum() }
        #expect(try tape.gradient(of: y, wrt: c) == nil)
        let zeros = try #require(try tape.gradient(of: y, wrt: c, unconnected: .zero))
        #expect(zeros.shape == [3] && zeros.dtype == .float32 && values(zeros) == [0, 0, 0])
        #expect(values(try tape.gradient(of: y, wrt: v)) == [1, 2, 3])
    }

    @Test func watchingAConstantGivesItsGradient() throws {
        let c = Tensor([1, 2, 3] as [Double])
        let tape = GradientTape()
        let y = tape.record { () -> Tensor in
            tape.watch(c)
            return (c * c * c).sum()
        }
        #expect(values(try tape.gradient(of: y, wrt: c)) == [3, 12, 27])  // 3c²
    }

    @Test func gradientsAlignWithSourcesIncludingNil() throws {
        let a = Variable(Tensor(Double(2.0)), name: "a"), b = Variable(Tensor(Double(5.0)), name: "b"), c = Variable(Tensor(Double(7.0)), name: "c")
        let tape = GradientTape()
        let y = tape.record { a.value * c.value }
        _ = b
        let grads = try tape.gradient(of: y, wrt: [a, b, c])
        #expect(grads.count == 3)
        #expect(values(grads[0]) == [7])
        #expect(grads[1] == nil)
        #expect(values(grads[2]) == [2])
    }

    @Test func watchAccessedVariablesFalseWatchesOnlyWhatIsNamed() throws {
        let a = Variable(Tensor(Double(3.0)), name: "a"), b = Variable(Tensor(Double(4.0)), name: "b")
        let tape = GradientTape(watchAccessedVariables: false)
        let y = tape.record { () -> Tensor in
            tape.watch(b)
            return a.value * b.value
        }
        let grads = try tape.gradient(of: y, wrt: [a, b])
        #expect(grads[0] == nil)
        #expect(values(grads[1]) == [3])
    }

    @Test func nonTrainableVariablesAreNotWatched() throws {
        let frozen = Variable(Tensor(Double(3.0)), name: "frozen", trainable: false)
        let tape = GradientTape()
        let y = tape.record { frozen.value * frozen.value }
        #expect(try tape.gradient(of: y, wrt: frozen) == nil)
    }

    @Test func variableReadTwiceAccumulates() throws {
        let w = Variable(Tensor(Double(1.5)), name: "w")
        let tape = GradientTape()
        let y = tape.record { w.value * 2 + w.value * w.value }  // 2 + 2w = 5
        #expect(values(try tape.gradient(of: y, wrt: w)) == [5])
    }

    @Test func gradientWithRespectToAnIntermediate() throws {
        let x = Tensor(Double(3.0))
        let tape = GradientTape(persistent: true)
        tape.watch(x)
        var y = Tensor(Double(0.0))
        let z = tape.record { () -> Tensor in
            y = x * x
            return y * y
        }
        #expect(values(try tape.gradient(of: z, wrt: y)) == [18])  // 2y, y = 9
        #expect(values(try tape.gradient(of: z, wrt: x)) == [108])  // 4x³
        #expect(values(try tape.gradient(of: z, wrt: z)) == [1])
    }

    @Test func targetNotRecordedGivesNil() throws {
        let x = Tensor(Double(3.0))
        let tape = GradientTape()
        tape.watch(x)
        _ = tape.record { x * x }
        #expect(try tape.gradient(of: Tensor(Double(1.0)), wrt: x) == nil)
    }

    @Test func integerAndBoolPathsCarryNoGradient() throws {
        let x = Tensor([0.5, 2.5] as [Double])
        let tape = GradientTape()
        tape.watch(x)
        let y = tape.record { (x.cast(to: .int32).cast(to: .float64) * x).sum() + (x .> 1).cast(to: .float64).sum() }
        // Only the explicit `* x` factor carries gradient: d/dx (floor(x)·x) = floor(x) away from integers.
        #expect(values(try tape.gradient(of: y, wrt: x)) == [0, 2])
    }

    @Test func stopRecordingPausesOnlyThatTape() throws {
        let x = Tensor(Double(2.0))
        let inner = GradientTape(persistent: true), outer = GradientTape()
        inner.watch(x)
        outer.watch(x)
        let y = outer.record {
            inner.record { () -> Tensor in
                let seen = x * x
                let hidden = inner.stopRecording { x * x * x }
                return seen + hidden
            }
        }
        #expect(values(try inner.gradient(of: y, wrt: x)) == [4])  // only 2x
        #expect(values(try outer.gradient(of: y, wrt: x)) == [16])  // 2x + 3x²
    }

    @Test func withoutRecordingHidesOpsFromEveryTape() throws {
        let x = Tensor(Double(2.0))
        let tape = GradientTape()
        tape.watch(x)
        let y = tape.record { withoutRecording { x * x } + x }
        #expect(values(try tape.gradient(of: y, wrt: x)) == [1])
    }
}

@Suite struct TapePersistenceTests {
    @Test func nonPersistentTapeThrowsOnSecondRequest() throws {
        let x = Variable(Tensor(Double(3.0)), name: "x")
        let tape = GradientTape()
        let y = tape.record { x.value * x.value }
        #expect(values(try tape.gradient(of: y, wrt: x)) == [6])
        #expect(throws: TapeError.nonPersistentTapeReused) { try tape.gradient(of: y, wrt: x) }
        let message = TapeError.nonPersistentTapeReused.description
        #expect(message.contains("persistent: true"))
    }

    @Test func jacobianCountsAsTheOneRequest() throws {
        let x = Tensor([1.0, 2.0] as [Double])
        let tape = GradientTape()
        tape.watch(x)
        let y = tape.record { x * x }
        _ = try tape.jacobian(of: y, wrt: x)
        #expect(throws: TapeError.nonPersistentTapeReused) { try tape.gradient(of: y, wrt: x) }
    }

    @Test func persistentTapeAnswersRepeatedly() throws {
        let x = Tensor(Double(3.0))
        let tape = GradientTape(persistent: true)
        tape.watch(x)
        let (y, z) = tape.record { () -> (Tensor, Tensor) in
            let y = x * x
            return (y, y * y)
        }
        #expect(values(try tape.gradient(of: y, wrt: x)) == [6])
        #expect(values(try tape.gradient(of: z, wrt: x)) == [108])
        #expect(values(try tape.gradient(of: z, wrt: x)) == [108])
    }
}

@Suite struct TapeSeedAndJacobianTests {
    @Test func nonScalarTargetIsSummed() throws {
        let x = Tensor([1, -2, 3] as [Double])
        let tape = GradientTape()
        tape.watch(x)
        let y = tape.record { x * x }
        #expect(values(try tape.gradient(of: y, wrt: x)) == [2, -4, 6])
    }

    @Test func outputGradientSeedsTheBackwardPass() throws {
        let x = Tensor([1, -2, 3] as [Double])
        let tape = GradientTape(persistent: true)
        tape.watch(x)
        let y = tape.record { x * x }
        let seed = Tensor([1, 0.5, -1] as [Double])
        #expect(values(try tape.gradient(of: y, wrt: x, outputGradient: seed)) == [2, -2, -6])
        #expect(throws: TapeError.self) { try tape.gradient(of: y, wrt: x, outputGradient: Tensor([1, 2] as [Double])) }
    }

    @Test func jacobianOfVectorFunction() throws {
        // y = [x0², x0·x1, sin x1] ⇒ J = [[2x0, 0], [x1, x0], [0, cos x1]]
        let x = Tensor([1.5, 0.5] as [Double])
        let tape = GradientTape()
        tape.watch(x)
        let y = tape.record {
            let x0 = x.slice(0..<1), x1 = x.slice(1..<2)
            return concat([x0 * x0, x0 * x1, x1.sin()], axis: 0)
        }
        let j = try #require(try tape.jacobian(of: y, wrt: x))
        #expect(j.shape == [3, 2])
        #expect(allClose(values(j), [3, 0, 0.5, 1.5, 0, Foundation.cos(0.5)], tolerance: 1e-9))
    }

    @Test func jacobianOfUnconnectedSource() throws {
        let x = Tensor([1.0, 2.0] as [Double]), other = Tensor([3.0] as [Double])
        let tape = GradientTape(persistent: true)
        tape.watch(x)
        tape.watch(other)
        let y = tape.record { x * 2 }
        #expect(try tape.jacobian(of: y, wrt: other) == nil)
        let zeros = try #require(try tape.jacobian(of: y, wrt: other, unconnected: .zero))
        #expect(zeros.shape == [2, 1] && values(zeros) == [0, 0])
    }

    @Test func batchJacobianOfRowwiseFunction() throws {
        // Row b: y = [x0·x1, x0 + 2x1] ⇒ per-example J = [[x1, x0], [1, 2]].
        let x = Tensor([1, 2, 3, 4, 5, 6] as [Double], shape: [3, 2])
        let tape = GradientTape()
        tape.watch(x)
        let y = tape.record {
            let x0 = x.slice(0..<1, axis: 1), x1 = x.slice(1..<2, axis: 1)
            return concat([x0 * x1, x0 + x1 * 2], axis: 1)
        }
        let j = try #require(try tape.batchJacobian(of: y, wrt: x))
        #expect(j.shape == [3, 2, 2])
        #expect(values(j) == [2, 1, 1, 2, 4, 3, 1, 2, 6, 5, 1, 2])
    }
}
