// The "Gradient reversal pytorch" notebook — with f(X) = X², g(X) = X³:
//   f + g − stop(g)   keeps the value of f and has the gradient f′ + g′ = 2X + 3X²;
//   stop(2f) − f      keeps the value of f and has the gradient −f′ = −2X.
// The TensorFlow half runs in float64, the PyTorch half in float32; both are checked here.
//
// Only the ten inputs X are taken from the notebook; every expected output is computed
// from X in Swift (X·X, 2X, 2X + 3X², −2X). (The notebook's header cell spells
// `tf.stop_gradients`, which does not exist; its cells use `tf.stop_gradient`.)
//
// Retrograd spells the reversal `gradientReversal(_:scale:)`. Writing the notebook's
// stop(2f) − f *around* it reverses twice: the classic DANN bug, shown below.

import Foundation
import Testing
@testable import Retrograd
import RetrogradTestSupport

/// The notebook's `X = np.random.randn(10)`, as it printed it.
private let notebookX: [Double] = [
    -2.55617105, 0.13785352, 0.20610955, -0.8133813, -1.14285471,
    1.13275964, 0.79103318, 0.14766171, -1.03148017, 0.36393108,
]

private func f(_ x: Tensor) -> Tensor { x * x }
private func g(_ x: Tensor) -> Tensor { x.pow(3) }

/// X in the given precision, and the doubles it really holds (float32 rounds the inputs).
private func inputs(_ dtype: DType) -> (tensor: Tensor, values: [Double]) {
    let tensor = Tensor(notebookX).cast(to: dtype)
    return (tensor, values(tensor))
}

/// Tolerance per precision: float32 results are compared with double math on the rounded inputs.
private func tolerance(_ dtype: DType) -> Double { dtype == .float32 ? 1e-6 : 1e-14 }

/// The value of `body(X)` and its gradient with respect to X (seeded with ones, as the
/// notebook's `backward(torch.ones(...))`).
private func valueAndGradient(_ x: Tensor, _ body: (Tensor) -> Tensor) throws -> (value: [Double], gradient: [Double]) {
    let tape = GradientTape()
    tape.watch(x)
    let y = tape.record { body(x) }
    return (values(y), values(try tape.gradient(of: y, wrt: x)))
}

extension UserQuestionTests {
    @Suite struct GradientReversalNotebookTests {
        static let precisions: [DType] = [.float64, .float32]

        /// f(X) = X², f′(X) = 2X (cells 7–11 and 25–28).
        @Test(arguments: precisions)
        func plainGradientIsTwoX(dtype: DType) throws {
            let (x, xs) = inputs(dtype)
            let (value, gradient) = try valueAndGradient(x, f)
            #expect(allClose(value, xs.map { $0 * $0 }, tolerance: tolerance(dtype)))
            #expect(allClose(gradient, xs.map { 2 * $0 }, tolerance: tolerance(dtype)))
        }

        /// f + g − stop(g): value f(X) = X² (up to the rounding of (a + b) − b), gradient
        /// f′ + g′ = 2X + 3X², since no gradient flows through the subtracted copy (cells 14–17, 29–31).
        @Test(arguments: precisions)
        func addingAGradientModifier(dtype: DType) throws {
            let (x, xs) = inputs(dtype)
            let (value, gradient) = try valueAndGradient(x) { f($0) + g($0) - stopGradient(g($0)) }
            #expect(allClose(value, xs.map { $0 * $0 }, tolerance: tolerance(dtype)))
            #expect(allClose(gradient, xs.map { 2 * $0 + 3 * $0 * $0 }, tolerance: tolerance(dtype)))
        }

        /// stop(2f) − f: value 2X² − X² = X² (exactly: doubling is exact and so is 2a − a),
        /// gradient −f′ = −2X (cells 18–21, 32–34).
        @Test(arguments: precisions)
        func handWrittenReversal(dtype: DType) throws {
            let (x, xs) = inputs(dtype)
            let (value, gradient) = try valueAndGradient(x) { stopGradient(2 * f($0)) - f($0) }
            #expect(value == values(f(x)))
            #expect(allClose(value, xs.map { $0 * $0 }, tolerance: tolerance(dtype)))
            #expect(allClose(gradient, xs.map { -2 * $0 }, tolerance: tolerance(dtype)))
            // Cell 21: the plain gradient plus the reversed one is zero (here exactly: X + X and −X − X).
            let plain = try valueAndGradient(x, f).gradient
            #expect(zip(plain, gradient).map { $0 + $1 } == [Double](repeating: 0, count: 10))
        }

        /// The library's reversal: identity forward, −scale·g backward, for several scales.
        @Test(arguments: precisions, [1.0, 0.5, 6.0])
        func gradientReversalScalesAndFlips(dtype: DType, scale: Double) throws {
            let (x, xs) = inputs(dtype)
            let forward = gradientReversal(x, scale: scale)
            #expect(values(forward) == xs && forward.dtype == dtype && forward.shape == x.shape)
            let (value, gradient) = try valueAndGradient(x) { f(gradientReversal($0, scale: scale)) }
            #expect(allClose(value, xs.map { $0 * $0 }, tolerance: tolerance(dtype)))
            #expect(allClose(gradient, xs.map { -scale * 2 * $0 }, tolerance: tolerance(dtype)))
        }

        /// λ may change on every call: two reversals on one persistent tape keep their own scales.
        @Test func reversalScaleCanChangeBetweenCalls() throws {
            let (x, xs) = inputs(.float64)
            let tape = GradientTape(persistent: true)
            tape.watch(x)
            let (a, b) = tape.record { (f(gradientReversal(x, scale: 0.25)), f(gradientReversal(x, scale: 2))) }
            #expect(allClose(values(try tape.gradient(of: a, wrt: x)), xs.map { -0.5 * $0 }, tolerance: 1e-14))
            #expect(allClose(values(try tape.gradient(of: b, wrt: x)), xs.map { -4 * $0 }, tolerance: 1e-14))
        }

        /// The classic bug: a hand-written reversal stop(2f) − f applied on top of
        /// `gradientReversal` reverses twice, so the gradient is back to +f′ = +2X — the
        /// domain head would then train the features *for* domain separation. Reverse once.
        @Test(arguments: precisions)
        func handWrittenReversalAroundGradientReversalDoubleNegates(dtype: DType) throws {
            let (x, xs) = inputs(dtype)
            let (value, gradient) = try valueAndGradient(x) { x in
                let r = gradientReversal(x)
                return stopGradient(2 * f(r)) - f(r)
            }
            #expect(allClose(value, xs.map { $0 * $0 }, tolerance: tolerance(dtype)))
            #expect(allClose(gradient, xs.map { 2 * $0 }, tolerance: tolerance(dtype)))  // +f′, not −f′
            let once = try valueAndGradient(x) { f(gradientReversal($0)) }.gradient
            #expect(allClose(once, xs.map { -2 * $0 }, tolerance: tolerance(dtype)))
        }

        /// The same "value of f, gradient f′ + g′" with `withCustomGradient`, no trick needed.
        @Test func customGradientGivesTheModifiedGradient() throws {
            let (x, xs) = inputs(.float64)
            let (value, gradient) = try valueAndGradient(x) {
                withCustomGradient($0, forward: f, pullback: { x, _, g in g * (2 * x + 3 * x * x) })
            }
            #expect(value == xs.map { $0 * $0 })
            #expect(allClose(gradient, xs.map { 2 * $0 + 3 * $0 * $0 }, tolerance: 1e-14))
        }

        /// The notebook seeds `backward` with ones; any seed v gives v·f′ = 2vX.
        @Test func outputGradientSeedsTheBackwardPass() throws {
            let (x, xs) = inputs(.float64)
            let weights = (0..<10).map { Double($0) - 4.5 }
            let tape = GradientTape(persistent: true)
            tape.watch(x)
            let y = tape.record { f(x) }
            let ones = try tape.gradient(of: y, wrt: x, outputGradient: Tensor.ones(like: y))
            #expect(values(ones) == values(try tape.gradient(of: y, wrt: x)))
            let weighted = try tape.gradient(of: y, wrt: x, outputGradient: Tensor(weights))
            #expect(allClose(values(weighted), zip(weights, xs).map { 2 * $0 * $1 }, tolerance: 1e-14))
            #expect(throws: TapeError.self) { try tape.gradient(of: y, wrt: x, outputGradient: Tensor(Float(1))) }
        }

        /// Gradient surgery is, on purpose, not the derivative of the value: the
        /// finite-difference checker passes f itself and flags both tricks.
        @Test func checkerFlagsSurgeryAsNotTheTrueDerivative() {
            let x = Tensor(notebookX)
            #expect(checkGradients(of: { f($0[0]) }, at: [x]).passed)
            #expect(checkGradients(of: { g($0[0]) }, at: [x]).passed)
            #expect(!checkGradients(of: { f($0[0]) + g($0[0]) - stopGradient(g($0[0])) }, at: [x], order: 1).passed)
            #expect(!checkGradients(of: { stopGradient(2 * f($0[0])) - f($0[0]) }, at: [x], order: 1).passed)
            #expect(!checkGradients(of: { f(gradientReversal($0[0], scale: 0.5)) }, at: [x], order: 1).passed)
        }
    }
}
