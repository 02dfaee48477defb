import Foundation
import Testing
@testable import Retrograd

extension Tag {
    /// Property-based gradient fuzzing: random expressions against finite differences.
    @Tag static var fuzz: Self
}

/// How many fuzz cases run and which seeds they have.
///
/// - `RETROGRAD_FUZZ_CASES=n` checks the first n cases instead of ``defaultCases``.
/// - `RETROGRAD_FUZZ_SEED=0x…` checks only the case with that seed (as a failure prints it).
/// - `RETROGRAD_FUZZ_VERBOSE=1` prints each seed before its case runs, so that an op that
///   stops the process (a precondition in a rule) names the case it stopped in.
enum FuzzRun {
    /// The number of cases CI checks (the fuzz test's display name says it too).
    static let defaultCases = 3000
    /// The cases are split into this many test arguments, which Swift Testing runs in parallel.
    static let batches = 8

    static var caseCount: Int {
        ProcessInfo.processInfo.environment["RETROGRAD_FUZZ_CASES"].flatMap { Int($0) } ?? defaultCases
    }

    static var replaySeed: UInt64? {
        guard let text = ProcessInfo.processInfo.environment["RETROGRAD_FUZZ_SEED"] else { return nil }
        return text.lowercased().hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
    }

    static let verbose = ProcessInfo.processInfo.environment["RETROGRAD_FUZZ_VERBOSE"] != nil

    /// The seed of case `index`: a SplitMix64 scramble, so neighbouring cases differ in
    /// every draw.
    static func seed(ofCase index: Int) -> UInt64 {
        var z = UInt64(index) &+ 0xF0CC_5EED_0000_0000
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The seeds batch `batch` checks.
    static func seeds(batch: Int) -> [UInt64] {
        if let replaySeed { return batch == 0 ? [replaySeed] : [] }
        return stride(from: batch, to: caseCount, by: batches).map(seed(ofCase:))
    }
}
