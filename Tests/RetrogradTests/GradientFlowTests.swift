import Testing
@testable import Retrograd
import RetrogradTestSupport

// One minimal example per status of the gradient-flow report. Each expected status comes
// from what the example does (which op cuts the path, how many ops were recorded before
// it), not from the report.

@Suite struct GradientFlowStatusTests {
    @Test func aConnectedSourceFlowsAndLeavesNoReport() throws {
        let w = Variable(Tensor(Double(2.0)), name: "w")
        let tape = GradientTape(persistent: true)
        let y = tape.record { w.value * w.value }
        #expect(values(try tape.gradient(of: y, wrt: w)) == [4])
        #expect(tape.lastGradientFlow == nil)
        let report = try tape.gradientFlow(of: y, wrt: [w])
        #expect(report.entries.map(\.status) == [.flows])
        #expect(report.missing.isEmpty)
    }

    @Test func aLossComputedAfterRecordReturnedIsNotRecorded() throws {
        let w = Variable(Tensor(Double(2.0)), name: "w"), b = Variable(Tensor(Double(1.0)), name: "b")
        let tape = GradientTape()
        let h = tape.record { w.value * 3 }
        let loss = h * b.value  // after record returned: nothing records this op
        #expect(try tape.gradient(of: loss, wrt: [w, b]).allSatisfy { $0 == nil })
        let report = try #require(tape.lastGradientFlow)
        #expect(report.entries.map(\.status) == [.targetNotRecorded, .targetNotRecorded])
        #expect(report.target.contains("not computed while this tape recorded"))
        #expect(report["w"]!.description.contains("inside tape.record"))
    }

    @Test func anUnwatchedConstantIsNotWatched() throws {
        let c = Tensor([1, 2] as [Double])
        let v = Variable(Tensor([3, 4] as [Double]), name: "v")
        let tape = GradientTape()
        let y = tape.record { (v.value * c).sum() }
        let grads = try tape.gradient(of: y, wrt: [c, v.value])
        #expect(grads[0] == nil && grads[1] != nil)
        let report = try #require(tape.lastGradientFlow)
        #expect(report.entries.map(\.source) == ["tensor 0", "tensor 1"])
        #expect(report.entries.map(\.status) == [.notWatched(.constant), .flows])
        #expect(report.entries[0].description.contains("tape.watch"))
    }

    @Test func aFrozenVariableIsNotWatched() throws {
        let frozen = Variable(Tensor(Double(3.0)), name: "frozen", trainable: false)
        let tape = GradientTape()
        let y = tape.record { frozen.value * frozen.value }
        #expect(try tape.gradient(of: y, wrt: frozen) == nil)
        #expect(tape.lastGradientFlow?["frozen"]?.status == .notWatched(.notTrainable))
    }

    @Test func aTapeThatWatchesOnlyWhatItIsToldReportsTheOthers() throws {
        let a = Variable(Tensor(Double(3.0)), name: "a"), b = Variable(Tensor(Double(4.0)), name: "b")
        let tape = GradientTape(watchAccessedVariables: false)
        let y = tape.record { () -> Tensor in
            tape.watch(b)
            return a.value * b.value
        }
        _ = try tape.gradient(of: y, wrt: [a, b])
        let report = try #require(tape.lastGradientFlow)
        #expect(report.entries.map(\.status) == [.notWatched(.accessedVariablesNotWatched), .flows])
    }

    @Test func aVariableReadBeforeTheTapeIsReadOutside() throws {
        let w = Variable(Tensor(Double(2.0)), name: "w"), b = Variable(Tensor(Double(1.0)), name: "b")
        let features = w.value * 3  // read with no tape recording
        let tape = GradientTape()
        let loss = tape.record { features * b.value }
        _ = try tape.gradient(of: loss, wrt: [w, b])
        let report = try #require(tape.lastGradientFlow)
        #expect(report.entries.map(\.status) == [.readOutsideTape, .flows])
        #expect(report["w"]!.description.contains("read outside any recording"))
    }

    @Test func aVariableReadInsideWithoutRecordingIsReadOutside() throws {
        let w = Variable(Tensor(Double(2.0)), name: "w"), b = Variable(Tensor(Double(1.0)), name: "b")
        let tape = GradientTape()
        let loss = tape.record { withoutRecording { w.value * 3 } * b.value }
        _ = try tape.gradient(of: loss, wrt: [w, b])
        #expect(tape.lastGradientFlow?.entries.map(\.status) == [.readOutsideTape, .flows])
    }

    @Test func aVariableNeverReadIsNotUsed() throws {
        let w = Variable(Tensor(Double(2.0)), name: "w"), unused = Variable(Tensor(Double(5.0)), name: "unused")
        let tape = GradientTape()
        let loss = tape.record { w.value * w.value }
        _ = try tape.gradient(of: loss, wrt: [w, unused])
        #expect(tape.lastGradientFlow?.entries.map(\.status) == [.flows, .notUsed])
    }

    @Test func stopGradientNamesItsCallSiteAndPosition() throws {
        let w = Variable(Tensor(Double(2.0)), name: "w"), v = Variable(Tensor(Double(3.0)), name: "v")
        let tape = GradientTape()
        let line = #line + 3
        let loss = tape.record { () -> Tensor in
            let doubled = w.value * 2  // the one op recorded before the cut
            let cut = stopGradient(doubled)
            return cut * v.value
        }
        let grads = try tape.gradient(of: loss, wrt: [w, v])
        #expect(grads[0] == nil)
        #expect(values(grads[1]) == [4])  // the value of the cut, 2w
        let expected = TapeOp(name: "stopGradient", position: 1, site: "RetrogradTests/GradientFlowTests.swift:\(line)")
        #expect(tape.lastGradientFlow?["w"]?.status == .stoppedGradient(expected))
    }

    @Test func aComparisonIsNonDifferentiable() throws {
        let x = Tensor([0.5, 2.5] as [Double])
        let tape = GradientTape()
        let y = tape.record { () -> Tensor in
            tape.watch(x)
            return (x .> 1).cast(to: .float64).sum()
        }
        #expect(try tape.gradient(of: y, wrt: x) == nil)
        #expect(tape.lastGradientFlow?["tensor 0"]?.status == .nonDifferentiable(TapeOp(name: ".>", position: 0)))
    }

    @Test func aConditionOnlyPathThroughSelectIsNonDifferentiable() throws {
        let w = Variable(Tensor([-1, 2] as [Double]), name: "w")
        let high = Tensor([10, 10] as [Double]), low = Tensor([0, 0] as [Double])
        let tape = GradientTape()
        let y = tape.record { select(w.value .> 0, high, low).sum() }
        #expect(try tape.gradient(of: y, wrt: w) == nil)
        #expect(tape.lastGradientFlow?["w"]?.status == .nonDifferentiable(TapeOp(name: ".>", position: 0)))
    }

    @Test func anIntegerCastIsNonDifferentiable() throws {
        let w = Variable(Tensor([1.5, 2.5] as [Double]), name: "w")
        let tape = GradientTape()
        let y = tape.record { (w.value * 2).cast(to: .int32).cast(to: .float64).sum() }
        #expect(try tape.gradient(of: y, wrt: w) == nil)
        // mul is op #0; the cast to int32 comes after it.
        #expect(tape.lastGradientFlow?["w"]?.status == .nonDifferentiable(TapeOp(name: "cast to int32", position: 1)))
    }

    @Test func argmaxIsNonDifferentiable() throws {
        let logits = Variable(Tensor([0.1, 0.7, 0.2] as [Double]), name: "logits")
        let tape = GradientTape()
        let y = tape.record { logits.value.argmax().cast(to: .float64) * 2 }
        #expect(try tape.gradient(of: y, wrt: logits) == nil)
        #expect(tape.lastGradientFlow?["logits"]?.status == .nonDifferentiable(TapeOp(name: "argmax", position: 0)))
    }

    @Test func aCustomPullbackReturningNilIsNamed() throws {
        let w = Variable(Tensor(Double(2.0)), name: "w")
        let tape = GradientTape()
        let y = tape.record {
            withCustomGradient([w.value * 3], name: "blocker", forward: { $0[0] * 2 }, pullback: { _, _, _ in [nil] })
        }
        #expect(try tape.gradient(of: y, wrt: w) == nil)
        // mul (#0) feeds the custom op, recorded as #1.
        #expect(tape.lastGradientFlow?["w"]?.status == .pullbackReturnedNil(TapeOp(name: "blocker", position: 1)))
    }

    @Test func aSourceUsedElsewhereIsNotConnected() throws {
        let w = Variable(Tensor(Double(2.0)), name: "w"), u = Variable(Tensor(Double(5.0)), name: "u")
        let tape = GradientTape()
        let (loss, side) = tape.record { (w.value * w.value, u.value * 3) }
        _ = side
        _ = try tape.gradient(of: loss, wrt: [w, u])
        // w * w is op #0, u * 3 is op #1.
        #expect(tape.lastGradientFlow?["u"]?.status == .notConnected(lastUse: TapeOp(name: "mul", position: 1)))
    }

    @Test func aTensorWatchedAfterItWasUsedIsNotConnected() throws {
        let x = Tensor(Double(2.0))
        let tape = GradientTape()
        let y = tape.record { () -> Tensor in
            let v = Variable(Tensor(Double(1.0)), name: "v")
            let y = x * v.value
            tape.watch(x)
            return y
        }
        #expect(try tape.gradient(of: y, wrt: x) == nil)
        #expect(tape.lastGradientFlow?["tensor 0"]?.status == .notConnected(lastUse: nil))
    }
}

@Suite struct GradientFlowInvarianceTests {
    @Test func cutsDoNotChangeGradients() throws {
        // y = x · stopGradient(x) + relu(x) ⇒ dy/dx = stopGradient(x) + 1 where x > 0, else 0.
        let x = Tensor([-1.5, 2.0] as [Double])
        let tape = GradientTape()
        let y = tape.record { () -> Tensor in
            tape.watch(x)
            return (x * stopGradient(x) + x.relu() + (x .> 0).cast(to: .float64)).sum()
        }
        #expect(values(try tape.gradient(of: y, wrt: x)) == [-1.5, 3.0])
        #expect(tape.lastGradientFlow == nil)
    }

    @Test func cutRecordsStayOffTheOrdinaryRecords() throws {
        let x = Tensor([1.0, 2.0] as [Double])
        let tape = GradientTape(persistent: true)
        let y = tape.record { () -> Tensor in
            tape.watch(x)
            return stopGradient(x).exp().sum()
        }
        #expect(tape.records.isEmpty)
        #expect(tape.flow.cuts.map(\.op.name) == ["stopGradient", "exp", "sum"])
        #expect(try tape.gradientFlow(of: y, wrt: [x]).entries[0].status.isStopped)
    }

    @Test func reportsAreMadeOnlyWhenAGradientIsMissing() throws {
        let w = Variable(Tensor(Double(2.0)), name: "w"), unused = Variable(Tensor(Double(1.0)), name: "unused")
        let tape = GradientTape(persistent: true)
        let y = tape.record { w.value * 2 }
        _ = try tape.gradient(of: y, wrt: [w, unused])
        #expect(tape.lastGradientFlow != nil)
        _ = try tape.gradient(of: y, wrt: [w])
        #expect(tape.lastGradientFlow == nil)
        _ = try tape.gradient(of: y, wrt: [w, unused], unconnected: .zero)
        #expect(tape.lastGradientFlow == nil)
    }

    @Test func aOneShotTapeKeepsItsReportAfterReleasingRecords() throws {
        let w = Variable(Tensor(Double(2.0)), name: "w"), unused = Variable(Tensor(Double(1.0)), name: "unused")
        let tape = GradientTape()
        let y = tape.record { w.value * 2 }
        _ = try tape.gradient(of: y, wrt: [w, unused])
        #expect(tape.records.isEmpty && tape.flow.cuts.isEmpty)
        #expect(tape.lastGradientFlow?.entries.map(\.status) == [.flows, .notUsed])
        #expect(throws: TapeError.nonPersistentTapeReused) { try tape.gradientFlow(of: y, wrt: [w]) }
    }
}

@Suite struct GradientFlowTargetTests {
    @Test func onlyTargetsMadeInsideSomeRecordCallCountAsRecorded() throws {
        let w = Variable(Tensor(Double(2.0)), name: "w")
        let tape = GradientTape(persistent: true)
        let first = tape.record { w.value * 2 }  // mul #0
        let between = first * 3  // between the record calls
        _ = tape.record { w.value * 5 }  // mul #1
        let unrelated = tape.record { Tensor(Double(1.0)) * 2 }  // inside, but from nothing watched
        let outside = try tape.gradientFlow(of: between, wrt: [w])
        #expect(outside.entries.map(\.status) == [.targetNotRecorded])
        let inside = try tape.gradientFlow(of: unrelated, wrt: [w])
        #expect(inside.entries.map(\.status) == [.notConnected(lastUse: TapeOp(name: "mul", position: 1))])
        #expect(inside.target.contains("computed from nothing this tape watched"))
        #expect(values(try tape.gradient(of: first, wrt: w)) == [2])
    }

    @Test func theRegistryKeepsTheNewestExplanations() {
        var registry = ExplanationRegistry()
        let capacity = UInt64(ExplanationRegistry.capacity)
        for id in 1...(capacity + 1) { registry.store("e\(id)", for: id) }
        #expect(registry[1] == nil)
        #expect(registry[2] == "e2" && registry[capacity + 1] == "e\(capacity + 1)")
        registry.store("again", for: 2)
        #expect(registry[2] == "again")
        registry.store("new", for: capacity + 2)  // evicts 2, the oldest key left
        #expect(registry[2] == nil && registry[3] == "e3")
    }
}

extension GradientFlowStatus {
    var isStopped: Bool {
        if case .stoppedGradient = self { return true }
        return false
    }
}
