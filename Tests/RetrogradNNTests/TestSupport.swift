import Testing
@testable import RetrogradNN

// Small helpers shared by the RetrogradNN tests.

/// Whether two lists of numbers agree elementwise within `tolerance` (absolute).
func isClose(_ actual: [Double], _ expected: [Double], tolerance: Double) -> Bool {
    actual.count == expected.count && zip(actual, expected).allSatisfy { Swift.abs($0 - $1) <= tolerance }
}

/// Expects `actual` to agree with `expected` elementwise, showing both on failure.
func expectClose(
    _ actual: Tensor?, _ expected: [Double], tolerance: Double = 1e-12,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let actual else {
        Issue.record("expected \(expected), got nil", sourceLocation: sourceLocation)
        return
    }
    let values = actual.scalars(as: Double.self)
    #expect(isClose(values, expected, tolerance: tolerance), "got \(values), expected \(expected)", sourceLocation: sourceLocation)
}

/// A float64 tensor, shape inferred as 1-d when omitted.
func doubles(_ values: [Double], shape: Shape? = nil) -> Tensor { Tensor(values, shape: shape) }

/// The text a failed exit test wrote to standard error.
func standardError(_ result: ExitTest.Result?) -> String {
    String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
}
