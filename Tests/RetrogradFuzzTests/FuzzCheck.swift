@testable import Retrograd

/// The result of checking one fuzz case.
enum FuzzOutcome {
    case passed(GradientCheckReport)
    case failed(GradientCheckReport)
    /// The case is not a fair test (see `FuzzLimits`); the shrinker skips such candidates.
    case invalid(FuzzInvalid)

    var failed: Bool {
        if case .failed = self { return true }
        return false
    }
}

extension FuzzCase {
    /// Checks the tape's first and second derivatives of the expression against finite
    /// differences of its reference (the expression itself when it has no gradient
    /// surgery), along `directions` random directions per input drawn from the case's seed.
    func check(directions: Int = 1, tolerance: Double = FuzzLimits.tolerance) -> FuzzOutcome {
        let frozen: [Int: Tensor]
        switch evaluated() {
        case let .failure(invalid): return .invalid(invalid)
        case let .success(values): frozen = values
        }
        guard !inputs.isEmpty else { return .invalid(FuzzInvalid(reason: "no inputs")) }
        let function = { (xs: [Tensor]) in evaluate(xs) }
        let reference = { (xs: [Tensor]) in evaluate(xs, frozen: frozen) }
        let report = checkGradients(
            of: function, against: reference, at: inputs, order: 2, tolerance: tolerance, seed: seed,
            directions: directions)
        return report.passed ? .passed(report) : .failed(report)
    }

    /// What a failure prints: the seed, the errors, the shrunk case as Swift source and
    /// how to replay it.
    func failureMessage(original: FuzzCase, report: GradientCheckReport) -> String {
        let seedText = "0x" + String(seed, radix: 16, uppercase: true)
        let surgery = hasSurgery
            ? "\nFinite differences use the reference: stopGradient(e) → e(x₀), "
                + "gradientReversal(e, scale: λ) → −λ·e + (1 + λ)·e(x₀), a pullback g·k → k·e + (1 − k)·e(x₀)."
            : ""
        return """
            Fuzz case \(seedText) fails (\(original.size) nodes, shrunk to \(size)); \
            replay it with RETROGRAD_FUZZ_SEED=\(seedText) swift test --filter RetrogradFuzzTests
            \(report)\(surgery)
            Shrunk case:
            \(source)
            checkGradients(of: f, at: inputs, tolerance: \(FuzzLimits.tolerance), seed: \(seedText), directions: 1)
            """
    }
}
