import Testing
import Retrograd
import RetrogradTestSupport

// The shapes a gradient request can take: mixed lists of tensors and variables, dictionaries
// of sources, lists of targets. Every expected value is differentiated by hand in the
// comment beside it.

/// A parameter wrapper of a user's own, made a gradient source by forwarding.
private struct Parameter: GradientSource {
    let variable: Variable
    var gradientSourceKind: GradientSourceKind { variable.gradientSourceKind }
}

@Suite struct MixedSourceListTests {
    // y = Σ w·x², w = 3, x = [1, 2]: ∂y/∂w = Σ x² = 5, ∂y/∂x = 2·w·x = [6, 12].
    private func record() -> (GradientTape, Variable, Tensor, Tensor) {
        let w = Variable(Tensor(3.0 as Double), name: "w")
        let x = Tensor([1, 2] as [Double])
        let tape = GradientTape(persistent: true)
        let y = tape.record { () -> Tensor in
            tape.watch(x)
            return (w.value * x * x).sum()
        }
        return (tape, w, x, y)
    }

    @Test func aListOfAVariableAndATensorIsAlignedWithTheRequest() throws {
        let (tape, w, x, y) = record()
        let grads = try tape.gradient(of: y, wrt: [w, x])
        #expect(grads.count == 2)
        expectClose(grads[0], [5])
        expectClose(grads[1], [6, 12])
        let reversed = try tape.gradient(of: y, wrt: [x, w])
        expectClose(reversed[0], [6, 12])
        expectClose(reversed[1], [5])
    }

    @Test func anUnconnectedEntryOfAMixedListIsNilOrZeros() throws {
        let (tape, w, x, y) = record()
        let idle = Variable(Tensor([1, 1, 1] as [Double]), name: "idle")
        let grads = try tape.gradient(of: y, wrt: [idle, w, x])
        #expect(grads[0] == nil)
        expectClose(grads[1], [5])
        let zeros = try tape.gradient(of: y, wrt: [x, idle], unconnected: .zero)
        expectClose(zeros[1], [0, 0, 0])
        #expect(tape.lastGradientFlow == nil)
    }

    @Test func aTypedListAndAUserConformanceAreSourcesToo() throws {
        let (tape, w, x, y) = record()
        let sources: [any GradientSource] = [Parameter(variable: w), x]
        let grads = try tape.gradient(of: y, wrt: sources)
        expectClose(grads[0], [5])
        expectClose(grads[1], [6, 12])
        // The lists of one kind still take their own overloads.
        expectClose(try tape.gradient(of: y, wrt: [w])[0], [5])
        expectClose(try tape.gradient(of: y, wrt: [x])[0], [6, 12])
    }

    @Test func aMixedListSeedsWithTheOutputGradient() throws {
        // z = w·x² elementwise, seeded with v = [1, -1]: ∂/∂w = Σ v·x² = 1 − 4 = −3, ∂/∂x = v·2wx = [6, −12].
        let w = Variable(Tensor(3.0 as Double), name: "w")
        let x = Tensor([1, 2] as [Double])
        let tape = GradientTape()
        let z = tape.record { () -> Tensor in
            tape.watch(x)
            return w.value * x * x
        }
        let grads = try tape.gradient(of: z, wrt: [w, x], outputGradient: Tensor([1, -1] as [Double]))
        expectClose(grads[0], [-3])
        expectClose(grads[1], [6, -12])
    }

    @Test func theMixedGradientFlowReportNamesVariablesAndTensors() throws {
        let w = Variable(Tensor(3.0 as Double), name: "w")
        let c = Tensor(2.0 as Double)
        let tape = GradientTape()
        let y = tape.record { w.value * c }
        let report = try tape.gradientFlow(of: y, wrt: [w, c])
        #expect(report.entries.map(\.source) == ["w", "tensor 1"])
        #expect(report.entries.map(\.status) == [.flows, .notWatched(.constant)])
    }
}

@Suite struct DictionaryRequestTests {
    @Test func aDictionaryOfSourcesGivesADictionaryOfGradients() throws {
        // y = w·sin(x), w = 2, x = 0.5: ∂y/∂w = sin 0.5, ∂y/∂x = 2·cos 0.5.
        let w = Variable(Tensor(2.0 as Double), name: "weight")
        let x = Tensor(0.5 as Double)
        let tape = GradientTape()
        let y = tape.record { () -> Tensor in
            tape.watch(x)
            return w.value * x.sin()
        }
        let grads = try tape.gradient(of: y, wrt: ["w": w, "x": x])
        #expect(Set(grads.keys) == ["w", "x"])
        expectClose(grads["w"], [0.479425538604203])
        expectClose(grads["x"], [2 * 0.8775825618903728])
    }

    @Test func aSourceWithoutAGradientHasNoEntryUnlessZerosAreAsked() throws {
        let w = Variable(Tensor(2.0 as Double), name: "w")
        let constant = Tensor([1, 2] as [Double])
        let tape = GradientTape(persistent: true)
        let y = tape.record { w.value * w.value }  // 2w = 4
        let grads = try tape.gradient(of: y, wrt: ["w": w, "c": constant])
        #expect(Array(grads.keys) == ["w"])
        expectClose(grads["w"], [4])
        // The report names the tensor by its key.
        let entry = try #require(tape.lastGradientFlow?["c"])
        #expect(entry.status == .notWatched(.constant))
        let zeros = try tape.gradient(of: y, wrt: ["w": w, "c": constant], unconnected: .zero)
        expectClose(zeros["c"], [0, 0])
    }

    @Test func keysNeedNotBeStrings() throws {
        // y = a·b, a = 3, b = 4: ∂y/∂a = 4, ∂y/∂b = 3.
        let a = Variable(Tensor(3.0 as Double), name: "a"), b = Variable(Tensor(4.0 as Double), name: "b")
        let tape = GradientTape()
        let y = tape.record { a.value * b.value }
        let grads = try tape.gradient(of: y, wrt: [0: a, 1: b] as [Int: any GradientSource])
        expectClose(grads[0], [4])
        expectClose(grads[1], [3])
    }
}

@Suite struct SeveralTargetsTests {
    @Test func theGradientOfAListOfTargetsIsTheGradientOfTheirSum() throws {
        // y1 = w², y2 = 3w at w = 2: d(y1 + y2)/dw = 2w + 3 = 7.
        let w = Variable(Tensor(2.0 as Double), name: "w")
        let tape = GradientTape()
        let (y1, y2) = tape.record { (w.value * w.value, w.value * 3) }
        expectClose(try tape.gradient(of: [y1, y2], wrt: w), [7])
    }

    @Test func eachTargetIsSummedAndSourcesMayMix() throws {
        // y1 = x·w (shape [2]), y2 = (x²).sum(); x = [1, 2], w = 5.
        // d(Σy1 + y2)/dx = w + 2x = [7, 9]; d/dw = Σx = 3.
        let w = Variable(Tensor(5.0 as Double), name: "w")
        let x = Tensor([1, 2] as [Double])
        let tape = GradientTape()
        let (y1, y2) = tape.record { () -> (Tensor, Tensor) in
            tape.watch(x)
            return (x * w.value, (x * x).sum())
        }
        let grads = try tape.gradient(of: [y1, y2], wrt: [x, w])
        expectClose(grads[0], [7, 9])
        expectClose(grads[1], [3])
    }

    @Test func outputGradientsSeedEachTarget() throws {
        // Seeds 2 for y1 = w² and −1 for y2 = 3w at w = 2: 2·2w − 3 = 5.
        let w = Variable(Tensor(2.0 as Double), name: "w")
        let tape = GradientTape()
        let (y1, y2) = tape.record { (w.value * w.value, w.value * 3) }
        let grad = try tape.gradient(of: [y1, y2], wrt: w, outputGradients: [Tensor(2.0 as Double), Tensor(-1.0 as Double)])
        expectClose(grad, [5])
    }

    @Test func aTargetListedTwiceCountsTwiceAndAnUnrecordedOneAddsNothing() throws {
        // d(2·w²)/dw = 4w = 8 at w = 2; the constant target contributes nothing.
        let w = Variable(Tensor(2.0 as Double), name: "w")
        let tape = GradientTape()
        let y = tape.record { w.value * w.value }
        let constant = Tensor(7.0 as Double)
        expectClose(try tape.gradient(of: [y, constant, y], wrt: w), [8])
    }

    @Test func aDictionaryOfSourcesWorksWithSeveralTargets() throws {
        // y1 = a·b, y2 = a at a = 3, b = 4: ∂/∂a = b + 1 = 5, ∂/∂b = a = 3.
        let a = Variable(Tensor(3.0 as Double), name: "a"), b = Variable(Tensor(4.0 as Double), name: "b")
        let tape = GradientTape()
        let (y1, y2) = tape.record { (a.value * b.value, a.value * 1) }
        let grads = try tape.gradient(of: [y1, y2], wrt: ["a": a, "b": b])
        expectClose(grads["a"], [5])
        expectClose(grads["b"], [3])
    }

    @Test func noTargetsOrTheWrongNumberOfSeedsThrowWithoutUsingTheTape() throws {
        let w = Variable(Tensor(2.0 as Double), name: "w")
        let tape = GradientTape()
        let y = tape.record { w.value * w.value }
        let empty = thrownError(TapeError.self) { _ = try tape.gradient(of: [], wrt: [w]) }
        #expect(empty == .noTargets)
        #expect(empty?.description.contains("at least one tensor") == true)
        let count = thrownError(TapeError.self) {
            _ = try tape.gradient(of: [y, y], wrt: w, outputGradients: [Tensor(1.0 as Double)])
        }
        #expect(count == .outputGradientCount(targets: 2, seeds: 1))
        #expect(count?.description.contains("one seed per target") == true)
        let shape = thrownError(TapeError.self) {
            _ = try tape.gradient(of: [y], wrt: w, outputGradients: [Tensor([1, 1] as [Double])])
        }
        #expect(shape == .outputGradientMismatch(target: [], targetType: .float64, seed: [2], seedType: .float64))
        // The one-shot tape has not answered yet.
        expectClose(try tape.gradient(of: [y], wrt: w), [4])
    }

    @Test func theReportOfSeveralTargetsNamesEach() throws {
        let w = Variable(Tensor(2.0 as Double), name: "w"), idle = Variable(Tensor(1.0 as Double), name: "idle")
        let tape = GradientTape()
        let (y1, y2) = tape.record { (w.value * w.value, w.value + 1) }
        let grads = try tape.gradient(of: [y1, y2], wrt: [w, idle])
        expectClose(grads[0], [5])  // 2w + 1
        let report = try #require(tape.lastGradientFlow)
        #expect(report.entries.map(\.status) == [.flows, .notUsed])
        #expect(report.description.hasPrefix("Gradient flow to the sum of 2 targets, (float64 []), the result of mul"))
        #expect(report.target.contains("; (float64 []), the result of add"))
    }

    @Test func aSourceCutFromEveryTargetIsReportedAsCut() throws {
        let w = Variable(Tensor(2.0 as Double), name: "w")
        let tape = GradientTape()
        let (y1, y2) = tape.record { () -> (Tensor, Tensor) in
            let h = stopGradient(w.value * 2)
            return (h * h, h + 1)
        }
        #expect(try tape.gradient(of: [y1, y2], wrt: w) == nil)
        guard case .stoppedGradient = tape.lastGradientFlow?["w"]?.status else {
            Issue.record("expected stoppedGradient, got \(String(describing: tape.lastGradientFlow))")
            return
        }
    }
}
