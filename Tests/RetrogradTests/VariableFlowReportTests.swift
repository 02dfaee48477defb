import Testing
import Retrograd
import RetrogradTestSupport

// What the gradient-flow report says about variables handled in ways a tape does not see:
// passed by value instead of as the Variable, or assigned while the tape recorded. The
// expected gradients are differentiated by hand; the expected positions count the ops the
// example records.

@Suite struct VariablePassedByValueTests {
    @Test func aValueReadBeforeTheTapeNamesItsVariable() throws {
        let w = Variable(Tensor(2.0 as Double), name: "w")
        let value = w.value  // read with no tape recording
        let tape = GradientTape()
        let y = tape.record { value * value }
        #expect(try tape.gradient(of: y, wrt: value) == nil)
        let entry = try #require(tape.lastGradientFlow?["tensor 0"])
        #expect(entry.valueOfVariable?.variable == "w")
        #expect(entry.valueOfVariable?.isCurrent == true)
        #expect(entry.status == .readOutsideTape)
        #expect(entry.description.contains("the current value of variable 'w'"))
        #expect(entry.description.contains("Pass the Variable (wrt: w)"))
    }

    @Test func aValueReadBeforeAnAssignmentIsAnEarlierValue() throws {
        let w = Variable(Tensor(2.0 as Double), name: "w")
        let stale = w.value
        w.assign(Tensor(5.0 as Double))
        let tape = GradientTape()
        let y = tape.record { stale * 3 }
        #expect(try tape.gradient(of: y, wrt: stale) == nil)
        let entry = try #require(tape.lastGradientFlow?["tensor 0"])
        #expect(entry.valueOfVariable == .init(variable: "w", isCurrent: false))
        #expect(entry.description.contains("an earlier value (it was assigned since) of variable 'w'"))
    }

    @Test func aFrozenVariablesValueIsReportedAsTheFrozenVariable() throws {
        let frozen = Variable(Tensor(3.0 as Double), name: "frozen", trainable: false)
        let tape = GradientTape()
        let y = tape.record { frozen.value * frozen.value }
        #expect(try tape.gradient(of: y, wrt: frozen.value) == nil)
        let entry = try #require(tape.lastGradientFlow?["tensor 0"])
        #expect(entry.status == .notWatched(.notTrainable))
        #expect(entry.valueOfVariable?.variable == "frozen")
    }

    @Test func aValueThatGetsAGradientIsStillNamedInAReport() throws {
        // The value of a watched variable is the variable to the tape: ∂(w²)/∂w = 2w = 4.
        let w = Variable(Tensor(2.0 as Double), name: "w"), idle = Variable(Tensor(1.0 as Double), name: "idle")
        let tape = GradientTape()
        let y = tape.record { w.value * w.value }
        let grads = try tape.gradient(of: y, wrt: [w.value, idle.value])
        expectClose(grads[0], [4])
        #expect(grads[1] == nil)
        let report = try #require(tape.lastGradientFlow)
        #expect(report.entries.map { $0.valueOfVariable?.variable } == ["w", "idle"])
        #expect(report.entries[0].description.contains("gets a gradient. To the tape a variable's value is the variable"))
    }

    @Test func aPlainTensorIsNotAVariablesValue() throws {
        let w = Variable(Tensor(2.0 as Double), name: "w")
        let tape = GradientTape()
        let y = tape.record { w.value * 2 }
        #expect(try tape.gradient(of: y, wrt: [Tensor(2.0 as Double) as any GradientSource, w])[0] == nil)
        #expect(tape.lastGradientFlow?["tensor 0"]?.valueOfVariable == nil)
    }
}

@Suite struct AssignmentInsideRecordTests {
    @Test func assignAddBetweenReadsGivesTheDerivativeWithRespectToTheOldValue() throws {
        // y = w² + (w + 1)³ with w = 2 read before and w + 1 = 3 after assignAdd(1):
        // dy/dw = 2w + 3(w + 1)² = 4 + 27 = 31, what the tape gives.
        let w = Variable(Tensor(2.0 as Double), name: "w")
        let tape = GradientTape()
        let y = tape.record { () -> Tensor in
            let before = w.value * w.value  // record 0
            w.assignAdd(Tensor(1.0 as Double))
            let after = w.value * w.value * w.value  // records 1, 2
            return before + after  // record 3
        }
        expectClose(try tape.gradient(of: y, wrt: w), [31])
        let entry = try #require(tape.lastGradientFlow?["w"])
        #expect(entry.status == .flows)
        #expect(entry.assignments == [
            UnrecordedAssignment(kind: .assignAdd, position: 1, readBefore: true, readAfter: true, fromWatchedValues: false)
        ])
        #expect(entry.description.contains("assignAdd changed it while this tape recorded (after 1 recorded op)"))
        #expect(entry.description.contains("the derivative with respect to the value before the assignment"))
    }

    @Test func assignBetweenReadsIsTheDerivativeWithRespectToNeither() throws {
        // y = w² + v³ with w = 2 before and v = 5 assigned: the tape adds 2w + 3v² = 4 + 75 = 79,
        // which is neither ∂y/∂w = 4 nor ∂y/∂v = 75.
        let w = Variable(Tensor(2.0 as Double), name: "w")
        let tape = GradientTape()
        let y = tape.record { () -> Tensor in
            let before = w.value * w.value
            w.assign(Tensor(5.0 as Double))
            return before + w.value * w.value * w.value
        }
        expectClose(try tape.gradient(of: y, wrt: w), [79])
        let assignment = try #require(tape.lastGradientFlow?["w"]?.assignments.first)
        #expect(assignment.kind == .assign && assignment.readBefore && assignment.readAfter)
        #expect(assignment.description.contains("the derivative with respect to neither"))
        #expect(assignment.description.contains("let updated = w.value - rate * g"))
    }

    @Test func anUpdateComputedFromWatchedValuesIsNotedAsLost() throws {
        // A MAML-style inner step written with assign: w ← w − 0.1·2w = 0.8w, then y = w².
        // Only the new value is read: the tape gives 2·(0.8·3) = 4.8, not d/dw (0.8w)² = 1.28w = 3.84.
        let w = Variable(Tensor(3.0 as Double), name: "w")
        let tape = GradientTape()
        let y = tape.record { () -> Tensor in
            let stepped = w.value - w.value * 2 * 0.1
            w.assign(stepped)
            return w.value * w.value
        }
        expectClose(try tape.gradient(of: y, wrt: w), [4.8], absolute: 1e-12)
        let assignment = try #require(tape.lastGradientFlow?["w"]?.assignments.first)
        #expect(assignment.fromWatchedValues)
        // The ops computing the update read w, but they do not lead to y.
        #expect(!assignment.readBefore && assignment.readAfter)
        #expect(assignment.description.contains("with respect to the value they read: the new one"))
        #expect(assignment.description.contains("no gradient flows back to them through the assignment"))
    }

    @Test func anAssignmentBeforeAnyReadMeansTheNewValue() throws {
        // w assigned 4 before any read, then y = w²: 2w = 8 at the new value.
        let w = Variable(Tensor(2.0 as Double), name: "w")
        let tape = GradientTape()
        let y = tape.record { () -> Tensor in
            w.modify { $0 = Tensor(4.0 as Double) }
            return w.value * w.value
        }
        expectClose(try tape.gradient(of: y, wrt: w), [8])
        let assignment = try #require(tape.lastGradientFlow?["w"]?.assignments.first)
        #expect(assignment == .init(kind: .modify, position: 0, readBefore: false, readAfter: true, fromWatchedValues: false))
        #expect(assignment.description.contains("with respect to the value they read: the new one"))
    }

    @Test func assignSubAfterTheLastReadLeavesTheGradientOfTheOldValue() throws {
        let w = Variable(Tensor(2.0 as Double), name: "w")
        let tape = GradientTape()
        let y = tape.record { () -> Tensor in
            let y = w.value * w.value
            w.assignSub(Tensor(1.0 as Double))
            return y
        }
        expectClose(try tape.gradient(of: y, wrt: w), [4])
        let assignment = try #require(tape.lastGradientFlow?["w"]?.assignments.first)
        #expect(assignment.kind == .assignSub && assignment.readBefore && !assignment.readAfter)
        #expect(assignment.description.contains("as if it had not happened"))
    }

    @Test func assignmentsOutsideRecordOrToOtherVariablesMakeNoReport() throws {
        let w = Variable(Tensor(2.0 as Double), name: "w"), other = Variable(Tensor(1.0 as Double), name: "other")
        let tape = GradientTape(persistent: true)
        w.assign(Tensor(3.0 as Double))
        let y = tape.record { () -> Tensor in
            other.assignAdd(Tensor(1.0 as Double))
            return w.value * w.value
        }
        w.assign(Tensor(4.0 as Double))
        expectClose(try tape.gradient(of: y, wrt: w), [6])
        #expect(tape.lastGradientFlow == nil)
        // Asked about the assigned variable, the tape reports it.
        _ = try tape.gradient(of: y, wrt: [w, other])
        #expect(tape.lastGradientFlow?["other"]?.assignments.map(\.kind) == [.assignAdd])
        #expect(tape.lastGradientFlow?["w"]?.assignments == [])
    }

    @Test func anAssignmentInsideWithoutRecordingIsNotNoted() throws {
        let w = Variable(Tensor(2.0 as Double), name: "w")
        let tape = GradientTape()
        let y = tape.record { () -> Tensor in
            withoutRecording { w.assignAdd(Tensor(1.0 as Double)) }
            return w.value * w.value
        }
        expectClose(try tape.gradient(of: y, wrt: w), [6])
        #expect(tape.lastGradientFlow == nil)
    }
}

@Suite struct VariableRegistryTests {
    @Test func aValueOutlivingItsVariableIsAPlainTensor() throws {
        var w: Variable? = Variable(Tensor(2.0 as Double), name: "w")
        let value = try #require(w).value
        w = nil  // the variable is freed; its value lives on
        let tape = GradientTape()
        let y = tape.record { value * value }
        #expect(try tape.gradient(of: y, wrt: value) == nil)
        let entry = try #require(tape.lastGradientFlow?["tensor 0"])
        #expect(entry.valueOfVariable == nil)
        #expect(entry.status == .notWatched(.constant))
    }
}

/// The README's two examples of these reports ("When gradients go wrong"), which print
/// exactly the lines shown there.
@Suite struct VariableReportReadmeTests {
    @Test func aValueReadBeforeTheTape() throws {
        let w = Variable(Tensor(Float(2)), name: "w")
        let value = w.value
        let tape = GradientTape()
        let y = tape.record { value * value }
        #expect(try tape.gradient(of: y, wrt: value) == nil)
        #expect(tape.lastGradientFlow?.description == """
            Gradient flow to the target (float32 []), computed from nothing this tape watched:
              'tensor 0' (float32 []), the current value of variable 'w': no gradient: it was read outside any \
            recording (for example by a model called before tape.record, or inside withoutRecording) and never \
            inside this tape's record. Compute everything that reads it inside tape.record { … }. To the tape a \
            variable's value is the variable itself: every read of it, whatever value the read saw, is this \
            source, and the gradient is the one for the variable. Pass the Variable (wrt: w) rather than its value.
            """)
    }

    @Test func anInnerStepWrittenAsAnAssignment() throws {
        let w = Variable(Tensor(Float(3)), name: "w")
        let tape = GradientTape()
        let y = tape.record { () -> Tensor in
            let g = w.value * 2
            w.assign(w.value - g * 0.1)
            return w.value * w.value
        }
        expectClose(try tape.gradient(of: y, wrt: w), [4.8], absolute: 1e-5)  // 2·(0.8·3)
        #expect(tape.lastGradientFlow?.description == """
            Gradient flow to the target (float32 []), the result of mul (#3 on the tape):
              'w' (float32 []): gets a gradient. Note: assign changed it while this tape recorded (after 3 \
            recorded ops); tapes do not record assignments. Of the ops on the way to the target, only ops \
            recorded after it used the variable, so the gradient is with respect to the value they read: the \
            new one, unless a tensor read before the assignment was kept and used; the value assigned was \
            computed from watched values, and no gradient flows back to them through the assignment. To \
            differentiate through an update, compute the new value as a tensor (let updated = w.value - rate * g) \
            and use it instead of assigning.
            """)
    }
}
