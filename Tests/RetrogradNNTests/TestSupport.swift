import Testing
@testable import RetrogradNN

// Small helpers shared by the RetrogradNN tests.

/// A float64 tensor, shape inferred as 1-d when omitted.
func doubles(_ values: [Double], shape: Shape? = nil) -> Tensor { Tensor(values, shape: shape) }

/// The text a failed exit test wrote to standard error.
func standardError(_ result: ExitTest.Result?) -> String {
    String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
}
