import Foundation
import Testing
import Retrograd

/// `checkGradients(of:against:at:)`: tape gradients of a function with gradient surgery
/// against finite differences of a reference written with the surgery's documented
/// derivative, frozen at the point checked.
@Suite struct GradientCheckerReferenceTests {
    let x = Tensor([0.4, -1.1, 0.9] as [Double])

    /// d/dx [x·stopGradient(sin x)] on the tape is sin x (the second factor is a
    /// constant); the reference x·sin(x₀) has that derivative, and second derivative 0.
    @Test func stopGradientMatchesItsFrozenReference() {
        let frozen = x.sin()
        let report = checkGradients(of: { $0[0] * stopGradient($0[0].sin()) }, against: { $0[0] * frozen }, at: [x])
        #expect(report.passed, "\(report)")
        #expect(report.results[0].secondOrderError != nil)
    }

    /// gradientReversal(x², scale: λ)·x has tape derivative −λ·2x·x + x² = (1 − 2λ)x²;
    /// the reference (−λ·x² + (1 + λ)·x₀²)·x has the same, and the same Hessian at x₀.
    @Test func gradientReversalMatchesItsReference() {
        let scale = 0.5
        let frozen = x.square()
        let report = checkGradients(
            of: { gradientReversal($0[0].square(), scale: scale) * $0[0] },
            against: { ($0[0].square() * -scale + frozen * (1 + scale)) * $0[0] }, at: [x])
        #expect(report.passed, "\(report)")
    }

    /// The reference decides: with the unfrozen value as reference (what finite
    /// differences of the function itself would see), the stop-gradient check fails.
    @Test func aReferenceWithTheWrongDerivativeFails() {
        let report = checkGradients(of: { $0[0] * stopGradient($0[0].sin()) }, against: { $0[0] * $0[0].sin() }, at: [x])
        #expect(!report.passed)
        // The missing term is x·cos x along v: far above rounding.
        #expect(report.maxError > 1e-3, "\(report)")
    }

    /// With the function as its own reference the check is the plain one, draw for draw.
    @Test func theFunctionAsItsOwnReferenceIsThePlainCheck() {
        let f: ([Tensor]) -> Tensor = { ($0[0].tanh() * $0[0]).sum(axes: [0]) }
        let plain = checkGradients(of: f, at: [x], seed: 7)
        let referenced = checkGradients(of: f, against: f, at: [x], seed: 7)
        #expect(plain.results.map(\.firstOrderError) == referenced.results.map(\.firstOrderError))
        #expect(plain.results.map(\.secondOrderError) == referenced.results.map(\.secondOrderError))
    }

    @Test func aReferenceOfAnotherShapeStops() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let x = Tensor([0.4, -1.1, 0.9] as [Double])
            _ = checkGradients(of: { $0[0] }, against: { $0[0].sum() }, at: [x])
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("the function's output has shape [3] but the reference's has []"), "\(message)")
    }
}
