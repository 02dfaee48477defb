import Synchronization
import Testing
import RetrogradOptimizers

/// Collects warnings in memory instead of standard error.
private final class Captured: Sendable {
    let lines = Mutex<[String]>([])

    /// The warnings that mention `name` (other suites may run concurrently).
    func about(_ name: String) -> [String] { lines.withLock { $0.filter { $0.contains("'\(name)'") } } }
}

/// Runs `body` with warnings on and sent to a fresh `Captured`, then restores the defaults.
private func withWarnings(_ body: (Captured) throws -> Void) rethrows {
    let captured = Captured()
    GradientDiagnostics.setWarningOutput { message in captured.lines.withLock { $0.append(message) } }
    GradientDiagnostics.warnsOnMissingGradients = true
    defer {
        GradientDiagnostics.warnsOnMissingGradients = false
        GradientDiagnostics.setWarningOutput(nil)
    }
    try body(captured)
}

// The switch and the output are process-wide, so these tests run one at a time.
@Suite(.serialized) struct MissingGradientWarningTests {
    /// One step of y = w² with `unused` in the list but not in the loss.
    private func step(_ optimizer: some Optimizer, _ w: Variable, _ unused: Variable) throws {
        let tape = GradientTape()
        let loss = tape.record { w.value * w.value }
        let grads = try tape.gradient(of: loss, wrt: [w, unused])
        optimizer.apply(gradients: grads, to: [w, unused])
    }

    @Test func theExplanationIsPrintedOncePerVariableAndOptimizer() throws {
        let w = Variable(Tensor(Double(1.0)), name: "warn.w"), unused = Variable(Tensor(Double(1.0)), name: "warn.unused")
        try withWarnings { captured in
            let sgd = SGD(learningRate: 0.1)
            for _ in 0..<3 { try step(sgd, w, unused) }
            let first = captured.about("warn.unused")
            #expect(first.count == 1)
            #expect(first.first?.contains("SGD.apply(gradients:to:)") == true)
            #expect(first.first?.contains("never read while this tape recorded") == true)
            #expect(captured.about("warn.w").isEmpty)
            // A second optimizer warns once more, for itself.
            let adam = Adam(learningRate: 0.1)
            for _ in 0..<2 { try step(adam, w, unused) }
            #expect(captured.about("warn.unused").count == 2)
        }
        // w moved three SGD steps and two Adam steps; `unused` never moved.
        #expect(unused.value.scalar(as: Double.self) == 1)
    }

    @Test func nothingIsPrintedWhileTheSwitchIsOff() throws {
        let w = Variable(Tensor(Double(1.0)), name: "off.w"), unused = Variable(Tensor(Double(1.0)), name: "off.unused")
        let captured = Captured()
        GradientDiagnostics.setWarningOutput { message in captured.lines.withLock { $0.append(message) } }
        defer { GradientDiagnostics.setWarningOutput(nil) }
        try step(SGD(learningRate: 0.1), w, unused)
        #expect(captured.about("off.unused").isEmpty)
        #expect(GradientDiagnostics.missingGradientExplanation(for: unused) == nil)
    }

    @Test func frozenVariablesAreNotWarnedAbout() throws {
        let w = Variable(Tensor(Double(1.0)), name: "frozen.w")
        let frozen = Variable(Tensor(Double(1.0)), name: "frozen.f", trainable: false)
        try withWarnings { captured in
            try step(SGD(learningRate: 0.1), w, frozen)
            #expect(captured.about("frozen.f").isEmpty)
        }
    }

    @Test func aListNotFromATapeGetsTheGenericExplanation() {
        let v = Variable(Tensor(Double(1.0)), name: "manual.v")
        withWarnings { captured in
            RMSProp(learningRate: 0.1).apply(gradients: [nil], to: [v])
            let lines = captured.about("manual.v")
            #expect(lines.count == 1)
            #expect(lines.first?.contains("no gradient-flow report names it") == true)
        }
    }

    @Test func theExplanationNamesTheStopGradient() throws {
        let w = Variable(Tensor(Double(2.0)), name: "cut.w"), v = Variable(Tensor(Double(3.0)), name: "cut.v")
        try withWarnings { captured in
            let tape = GradientTape()
            let loss = tape.record { stopGradient(w.value) * v.value }
            let grads = try tape.gradient(of: loss, wrt: [w, v])
            #expect(GradientDiagnostics.missingGradientExplanation(for: w)?.contains("stopGradient at") == true)
            SGD(learningRate: 0.1).apply(gradients: grads, to: [w, v])
            #expect(captured.about("cut.w").first?.contains("MissingGradientWarningTests.swift") == true)
        }
    }
}
