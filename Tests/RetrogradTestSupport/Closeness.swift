import Retrograd
import Testing

// Comparisons of computed numbers with expected ones, shared by every test target. Two
// rules, named by their argument labels:
//
// - `tolerance:` scales with the expected value's size once it passes 1:
//   |actual − expected| ≤ tolerance·max(1, |expected|). Absolute near zero, relative
//   elsewhere: the rule for values of any size compared in float64.
// - `absolute:` (and `relative:`) add up: |actual − expected| ≤ absolute + relative·|expected|.
//   `absolute:` alone is a plain absolute bound; `relative:` alone a plain relative one.

/// Whether `actual` is within `absolute + relative·|expected|` of `expected`.
public func isClose(_ actual: Double, _ expected: Double, absolute: Double = 0, relative: Double = 0) -> Bool {
    Swift.abs(actual - expected) <= absolute + relative * Swift.abs(expected)
}

/// Whether `actual` is within `tolerance·max(1, |expected|)` of `expected`.
public func isClose(_ actual: Double, _ expected: Double, tolerance: Double) -> Bool {
    Swift.abs(actual - expected) <= tolerance * Swift.max(1, Swift.abs(expected))
}

/// Whether the lists have the same length and agree entry by entry within
/// `tolerance·max(1, |expected|)`.
public func allClose(_ actual: [Double], _ expected: [Double], tolerance: Double = 1e-12) -> Bool {
    actual.count == expected.count && zip(actual, expected).allSatisfy { isClose($0, $1, tolerance: tolerance) }
}

/// Whether the lists have the same length and agree entry by entry within
/// `absolute + relative·|expected|`.
public func allClose(_ actual: [Double], _ expected: [Double], absolute: Double, relative: Double = 0) -> Bool {
    actual.count == expected.count && zip(actual, expected).allSatisfy { isClose($0, $1, absolute: absolute, relative: relative) }
}

/// The elements of `tensor` as doubles, or none when there is no tensor (a missing gradient).
public func values(_ tensor: Tensor?) -> [Double] { tensor?.scalars(as: Double.self) ?? [] }

/// Expects `actual` to exist and agree with `expected` entry by entry within `absolute`,
/// showing both lists on failure.
public func expectClose(
    _ actual: Tensor?, _ expected: [Double], absolute: Double = 1e-12, sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let actual else {
        Issue.record("expected \(expected), got nil", sourceLocation: sourceLocation)
        return
    }
    let found = values(actual)
    #expect(allClose(found, expected, absolute: absolute), "got \(found), expected \(expected)", sourceLocation: sourceLocation)
}
