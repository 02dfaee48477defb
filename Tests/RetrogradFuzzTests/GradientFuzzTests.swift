import Testing
@testable import Retrograd

/// Property: for every random expression the generator draws, the tape's first and second
/// derivatives agree with finite differences (of the documented reference where the
/// expression has gradient surgery) within `FuzzLimits.tolerance`.
@Suite("Gradient fuzzing", .tags(.fuzz))
struct GradientFuzzTests {
    /// At most this many failures per batch are shrunk and reported, so a rule that is
    /// wrong everywhere does not turn the run into hours of shrinking.
    static let reportedFailuresPerBatch = 2

    @Test(
        "3000 random expressions (RETROGRAD_FUZZ_CASES for more) match finite differences to second order",
        arguments: 0..<FuzzRun.batches)
    func randomExpressions(batch: Int) {
        var failures = 0
        for seed in FuzzRun.seeds(batch: batch) {
            if FuzzRun.verbose { print("fuzz case 0x" + String(seed, radix: 16, uppercase: true)) }
            let fuzzCase = FuzzGenerator.makeCase(seed: seed)
            switch fuzzCase.check() {
            case .passed:
                continue
            case let .invalid(invalid):
                Issue.record("The generator drew an unfair case (seed \(seed)): \(invalid)\n\(fuzzCase.source)")
            case let .failed(report):
                failures += 1
                guard failures <= Self.reportedFailuresPerBatch else { continue }
                let shrunk = FuzzShrinker.shrink(fuzzCase)
                guard case let .failed(shrunkReport) = shrunk.check() else {
                    Issue.record(Comment(rawValue: fuzzCase.failureMessage(original: fuzzCase, report: report)))
                    continue
                }
                Issue.record(Comment(rawValue: shrunk.failureMessage(original: fuzzCase, report: shrunkReport)))
            }
        }
        #expect(failures == 0, "\(failures) failing cases in batch \(batch); the first are shrunk above")
    }
}
