import Testing
@testable import Retrograd

@Suite struct GraphvizTests {
    /// loss = Σ(gradientReversal(w·x) + stopGradient(w·x)): ops #0 mul, #1 gradientReversal,
    /// #2 add, #3 sum, with the stopGradient between #1 and #2.
    private func surgeryTape() -> (tape: GradientTape, loss: Tensor, stopLine: Int) {
        let w = Variable(Tensor([1, 2] as [Float]), name: "w")
        let x = Tensor([3, 4] as [Float])
        let tape = GradientTape(persistent: true, keepingGraphDetails: true)
        let stopLine = #line + 4
        let loss = tape.record { () -> Tensor in
            let h = w.value * x
            let reversed = gradientReversal(h, scale: 0.5)
            let stopped = stopGradient(h)
            return (reversed + stopped).sum()
        }
        return (tape, loss, stopLine)
    }

    @Test func nodesCarryNamesShapesAndPositions() throws {
        let (tape, loss, _) = surgeryTape()
        let dot = try tape.graphviz(outputs: ["loss": loss])
        #expect(dot.hasPrefix("digraph tape {") && dot.hasSuffix("}\n"))
        #expect(dot.contains(##"s0 [label="w\n[2]", shape=ellipse"##))
        #expect(dot.contains(##"op0 [label="#0 mul\n[2]", shape=box]"##))
        #expect(dot.contains(##"op2 [label="#2 add\n[2]", shape=box]"##))
        #expect(dot.contains(##"op3 [label="#3 sum\n[]", shape=box]"##))
        #expect(dot.contains(##"out0 [label="loss\n[]", shape=note"##))
    }

    @Test func edgesFollowTheRecordedInputs() throws {
        let (tape, loss, _) = surgeryTape()
        let dot = try tape.graphviz(outputs: ["loss": loss])
        for edge in ["s0 -> op0;", "op0 -> op1;", "op0 -> cut0;", "op1 -> op2;", "op2 -> op3;", "op3 -> out0 [style=bold];"] {
            #expect(dot.contains(edge), "missing \(edge)")
        }
        // The stopped value reaches the add along a dashed edge: no gradient flows there.
        #expect(dot.contains(##"cut0 -> op2 [style=dashed, color="#999999"];"##))
        #expect(dot.components(separatedBy: " -> ").count - 1 == 7)
    }

    @Test func surgeryHasItsOwnStyles() throws {
        let (tape, _, stopLine) = surgeryTape()
        let dot = try tape.graphviz()
        #expect(dot.contains(##"op1 [label="#1 gradientReversal\n[2]", shape=box, style="filled,bold", fillcolor="#fce5cd""##))
        #expect(dot.contains(##"cut0 [label="stopGradient\nRetrogradTests/GraphvizTests.swift:\##(stopLine)\n[2]", shape=octagon"##))
    }

    @Test func nonDifferentiableOpsAndOpsPastThemAreGrey() throws {
        let x = Tensor([0.5, -1] as [Double])
        let tape = GradientTape(persistent: true)
        _ = tape.record { () -> Tensor in
            tape.watch(x)
            return (x .> 0).cast(to: .float64).sum()
        }
        let dot = try tape.graphviz()
        // Without graph details: no names, and recorded ops have no shapes; cuts keep theirs.
        #expect(dot.contains(##"s0 [label="watched value", shape=ellipse"##))
        #expect(dot.contains(##"cut0 [label=".>\n[2]", shape=diamond"##))
        #expect(dot.contains(##"cut1 [label="cast to float64\n[2]", shape=box, style=dashed"##))
        #expect(dot.contains(##"cut2 [label="sum\n[]", shape=box, style=dashed"##))
        #expect(dot.contains("s0 -> cut0;"))
        #expect(dot.contains(##"cut1 -> cut2 [style=dashed"##))
        #expect(!dot.contains("op0"))
    }

    @Test func aOneShotTapeMustBeDrawnBeforeItsRequest() throws {
        let w = Variable(Tensor(Double(1.0)), name: "w")
        let tape = GradientTape()
        let y = tape.record { w.value * 2 }
        #expect(try tape.graphviz().contains("op0"))
        _ = try tape.gradient(of: y, wrt: w)
        #expect(throws: TapeError.recordsReleased) { try tape.graphviz() }
        #expect(TapeError.recordsReleased.description.contains("before gradient(of:wrt:)"))
    }

    @Test func labelsAreEscaped() throws {
        let v = Variable(Tensor(Double(1.0)), name: ##"say "hi" \ bye"##)
        let tape = GradientTape(persistent: true, keepingGraphDetails: true)
        _ = tape.record { v.value * 2 }
        #expect(try tape.graphviz().contains(##"label="say \"hi\" \\ bye\n[]""##))
    }
}
