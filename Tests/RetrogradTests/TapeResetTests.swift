import Testing
import Retrograd
import RetrogradTestSupport

// `tape.reset()`, TensorFlow's semantics: everything recorded so far is forgotten, as if the
// tape were new, and recording goes on inside `record`.

@Suite struct TapeResetTests {
    @Test func aResetInsideRecordDifferentiatesOnlyWhatFollows() throws {
        // TensorFlow's example: loss = first + second, reset between them. With w = 3,
        // first = w² (forgotten) and second = 5w: d loss/dw = 5.
        let w = Variable(Tensor(3.0 as Double), name: "w")
        let tape = GradientTape()
        let loss = tape.record { () -> Tensor in
            let first = w.value * w.value
            tape.reset()
            return first + w.value * 5
        }
        expectClose(loss, [24])
        expectClose(try tape.gradient(of: loss, wrt: w), [5])
    }

    @Test func aWatchedTensorMustBeWatchedAgainAfterAReset() throws {
        // y = x³ after the reset, x = 2: 3x² = 12 once x is watched again.
        let x = Tensor(2.0 as Double)
        let unwatched = GradientTape()
        let y1 = unwatched.record { () -> Tensor in
            unwatched.watch(x)
            unwatched.reset()
            return x * x * x
        }
        #expect(try unwatched.gradient(of: y1, wrt: x) == nil)
        #expect(unwatched.lastGradientFlow?["tensor 0"]?.status == .notWatched(.constant))
        let rewatched = GradientTape()
        let y2 = rewatched.record { () -> Tensor in
            rewatched.watch(x)
            rewatched.reset()
            rewatched.watch(x)
            return x * x * x
        }
        expectClose(try rewatched.gradient(of: y2, wrt: x), [12])
    }

    @Test func aOneShotTapeCanBeAskedAgainAfterAReset() throws {
        let w = Variable(Tensor(2.0 as Double), name: "w")
        let tape = GradientTape()
        let y = tape.record { w.value * w.value }
        expectClose(try tape.gradient(of: y, wrt: w), [4])  // 2w
        #expect(thrownError(TapeError.self) { _ = try tape.gradient(of: y, wrt: w) } == .nonPersistentTapeReused)
        tape.reset()
        let z = tape.record { w.value * w.value * w.value }
        expectClose(try tape.gradient(of: z, wrt: w), [12])  // 3w²
    }

    @Test func aResetOutsideRecordForgetsEarlierTargets() throws {
        let w = Variable(Tensor(2.0 as Double), name: "w")
        let tape = GradientTape(persistent: true)
        let y = tape.record { w.value * w.value }
        tape.reset()
        #expect(try tape.gradient(of: y, wrt: w) == nil)
        #expect(tape.lastGradientFlow?["w"]?.status == .targetNotRecorded)
        #expect(tape.lastGradientFlow?["w"]?.description.contains("tape.reset()") == true)
        tape.reset()
        #expect(tape.lastGradientFlow == nil)
    }

    @Test func aResetForgetsNotedAssignments() throws {
        let w = Variable(Tensor(2.0 as Double), name: "w")
        let tape = GradientTape()
        let y = tape.record { () -> Tensor in
            w.assignAdd(Tensor(1.0 as Double))
            tape.reset()
            return w.value * w.value
        }
        expectClose(try tape.gradient(of: y, wrt: w), [6])  // 2w at w = 3
        #expect(tape.lastGradientFlow == nil)
    }
}
