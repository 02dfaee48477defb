// The question "How can I implement inverting gradients in TensorFlow using eager execution
// and GradientTape?" — negate the gradients before the optimizer step, for one variable,
// for two, and for a selected one.
//
// Every expected value is derived here, never copied from the answer. The toolkit's
// optimizers do not exist yet, so the SGD step is written inline: v ← v − lr·g.
//
// The answer also claims that "simply negating the loss will not correctly invert the
// gradient": that claim is wrong. ∂(−L)/∂v = −∂L/∂v for every variable, so the gradient
// of the negated loss *is* the inverted gradient; `negatingTheLossIsTheSameAsNegatingTheGradients`
// shows it.

import Foundation
import Testing
@testable import Retrograd
import RetrogradTestSupport

/// One plain SGD step, as the missing optimizer would take it: v ← v − lr·g.
private func sgdStep(_ variables: [Variable], _ gradients: [Tensor?], learningRate: Double) {
    for (variable, gradient) in zip(variables, gradients) {
        guard let gradient else { continue }
        variable.assignSub(gradient * learningRate)
    }
}

extension UserQuestionTests {
    @Suite struct InvertingGradientsTests {
        // MARK: Example 1 — one variable

        /// loss(x) = (x − 5)², ∂loss/∂x = 2(x − 5). Ascent with the inverted gradient:
        /// x ← x − lr·(−2(x − 5)), so (x − 5) ← (1 + 2·lr)(x − 5) and x_k − 5 = (1 + 2lr)^k (x₀ − 5).
        /// With x₀ = 2, lr = 0.1: x_k = 5 − 3·1.2^k, moving away from the minimum at 5.
        @Test(arguments: [DType.float32, .float64])
        func invertedGradientAscendsOneVariable(dtype: DType) throws {
            let tolerance = dtype == .float32 ? 1e-5 : 1e-12
            let lr = 0.1, x0 = 2.0
            let x = Variable(Tensor(scalar: x0, dtype: dtype), name: "var")
            for k in 0..<5 {
                let xk = 5 + Foundation.pow(1 + 2 * lr, Double(k)) * (x0 - 5)  // before step k+1
                let tape = GradientTape()
                let loss = tape.record { (x.value - 5).square() }
                let gradients = try tape.gradient(of: loss, wrt: [x])
                let inverted = gradients.map { $0.map { -$0 } }
                // Loss (x_k − 5)², gradient 2(x_k − 5), inverted −2(x_k − 5), all before the step.
                #expect(allClose(values(loss), [(xk - 5) * (xk - 5)], tolerance: tolerance))
                #expect(allClose(values(gradients[0]), [2 * (xk - 5)], tolerance: tolerance))
                #expect(allClose(values(inverted[0]), [-2 * (xk - 5)], tolerance: tolerance))
                sgdStep([x], inverted, learningRate: lr)
                let expected = 5 + Foundation.pow(1 + 2 * lr, Double(k + 1)) * (x0 - 5)
                #expect(allClose(values(x.value), [expected], tolerance: tolerance), "iteration \(k + 1)")
            }
            // After five steps: 5 − 3·1.2⁵ = 5 − 7.46496 = −2.46496.
            #expect(allClose(values(x.value), [-2.46496], tolerance: tolerance))
            #expect(x.dtype == dtype)
        }

        /// The control: the same loop without the negation descends, x_k − 5 = (1 − 2lr)^k (x₀ − 5).
        @Test func plainGradientDescendsOneVariable() throws {
            let lr = 0.1
            let x = Variable(Tensor(Double(2.0)), name: "var")
            for _ in 0..<5 {
                let tape = GradientTape()
                let loss = tape.record { (x.value - 5).square() }
                sgdStep([x], try tape.gradient(of: loss, wrt: [x]), learningRate: lr)
            }
            // 5 − 3·0.8⁵ = 5 − 0.98304 = 4.01696
            #expect(allClose(values(x.value), [5 - 3 * Foundation.pow(0.8, 5)], tolerance: 1e-12))
            #expect(allClose(values(x.value), [4.01696], tolerance: 1e-12))
        }

        // MARK: Example 2 — two variables, both inverted

        /// loss = (x − 5)² + (y + 3)²; ∂/∂x = 2(x − 5), ∂/∂y = 2(y + 3). Both inverted:
        /// x_k − 5 = 1.2^k·(2 − 5), y_k + 3 = 1.2^k·(1 + 3); loss_k = (9 + 16)·1.44^k.
        @Test(arguments: [DType.float32, .float64])
        func invertedGradientsAscendTwoVariables(dtype: DType) throws {
            let tolerance = dtype == .float32 ? 1e-5 : 1e-12
            let lr = 0.1, growth = 1 + 2 * lr
            let x = Variable(Tensor(scalar: 2, dtype: dtype), name: "var1")
            let y = Variable(Tensor(scalar: 1, dtype: dtype), name: "var2")
            for k in 0..<5 {
                let tape = GradientTape()
                let loss = tape.record { (x.value - 5).square() + (y.value + 3).square() }
                let gradients = try tape.gradient(of: loss, wrt: [x, y])
                #expect(gradients.count == 2)
                #expect(allClose(values(loss), [25 * Foundation.pow(growth * growth, Double(k))], tolerance: tolerance))
                // Each gradient is paired with its own variable: x's is 2(x_k − 5) < 0, y's is 2(y_k + 3) > 0.
                #expect(allClose(values(gradients[0]), [2 * -3 * Foundation.pow(growth, Double(k))], tolerance: tolerance))
                #expect(allClose(values(gradients[1]), [2 * 4 * Foundation.pow(growth, Double(k))], tolerance: tolerance))
                sgdStep([x, y], gradients.map { $0.map { -$0 } }, learningRate: lr)
            }
            let g5 = Foundation.pow(growth, 5)
            #expect(allClose(values(x.value), [5 - 3 * g5], tolerance: tolerance))
            #expect(allClose(values(y.value), [-3 + 4 * g5], tolerance: tolerance))
        }

        // MARK: Example 3 — invert only var2's gradient

        /// Only y's gradient is negated: x descends, x_k − 5 = 0.8^k·(−3); y ascends,
        /// y_k + 3 = 1.2^k·4; loss_k = 9·0.64^k + 16·1.44^k.
        @Test(arguments: [DType.float32, .float64])
        func selectiveInversionMovesOnlyTheChosenVariableUphill(dtype: DType) throws {
            let tolerance = dtype == .float32 ? 1e-5 : 1e-12
            let lr = 0.1, down = 1 - 2 * lr, up = 1 + 2 * lr
            let x = Variable(Tensor(scalar: 2, dtype: dtype), name: "var1")
            let y = Variable(Tensor(scalar: 1, dtype: dtype), name: "var2")
            for k in 0..<5 {
                let tape = GradientTape()
                let loss = tape.record { (x.value - 5).square() + (y.value + 3).square() }
                let expectedLoss = 9 * Foundation.pow(down * down, Double(k)) + 16 * Foundation.pow(up * up, Double(k))
                #expect(allClose(values(loss), [expectedLoss], tolerance: tolerance))
                let gradients = try tape.gradient(of: loss, wrt: [x, y])
                let selected = [gradients[0], gradients[1].map { -$0 }]  // invert only var2
                sgdStep([x, y], selected, learningRate: lr)
            }
            #expect(allClose(values(x.value), [5 - 3 * Foundation.pow(down, 5)], tolerance: tolerance))
            #expect(allClose(values(y.value), [-3 + 4 * Foundation.pow(up, 5)], tolerance: tolerance))
            // x approached its minimum, y left its own: |x − 5| shrank from 3, |y + 3| grew from 4.
            #expect(Swift.abs(values(x.value)[0] - 5) < 3)
            #expect(Swift.abs(values(y.value)[0] + 3) > 4)
        }

        // MARK: The answer's claim about negating the loss

        /// ∂(−L)/∂v = −∂L/∂v for every variable, intermediate or not: negating the loss *does*
        /// invert the gradient (contrary to the answer's explanation). Checked on a two-layer
        /// composition, where `h` is an intermediate quantity.
        @Test func negatingTheLossIsTheSameAsNegatingTheGradients() throws {
            let a = Variable(Tensor([0.7, -1.3] as [Double], shape: [2]), name: "a")
            let b = Variable(Tensor(Double(0.4)), name: "b")
            func loss() -> Tensor {
                let h = (a.value * 2).sin()  // intermediate
                return ((h * b.value) - 1).square().sum()
            }
            let tape = GradientTape(persistent: true)
            let (plain, negated) = tape.record { (loss(), -loss()) }
            let g = try tape.gradient(of: plain, wrt: [a, b])
            let gNeg = try tape.gradient(of: negated, wrt: [a, b])
            // By hand: L = Σ (b·sin 2aᵢ − 1)², ∂L/∂aᵢ = 2(b sin 2aᵢ − 1)·b·2cos 2aᵢ, ∂L/∂b = Σ 2(b sin 2aᵢ − 1)·sin 2aᵢ.
            let av = [0.7, -1.3], bv = 0.4
            let da = av.map { 2 * (bv * Foundation.sin(2 * $0) - 1) * bv * 2 * Foundation.cos(2 * $0) }
            let db = av.map { 2 * (bv * Foundation.sin(2 * $0) - 1) * Foundation.sin(2 * $0) }.reduce(0, +)
            #expect(allClose(values(g[0]), da, tolerance: 1e-12))
            #expect(allClose(values(g[1]), [db], tolerance: 1e-12))
            #expect(allClose(values(gNeg[0]), da.map { -$0 }, tolerance: 1e-12))
            #expect(allClose(values(gNeg[1]), [-db], tolerance: 1e-12))
        }

        /// One SGD step on −L equals one step on L with the gradient negated.
        @Test func ascentOnNegatedLossMatchesTheInvertedLoop() throws {
            let lr = 0.1
            let x = Variable(Tensor(Double(2.0)), name: "var")
            for _ in 0..<5 {
                let tape = GradientTape()
                let negatedLoss = tape.record { -(x.value - 5).square() }
                sgdStep([x], try tape.gradient(of: negatedLoss, wrt: [x]), learningRate: lr)
            }
            #expect(allClose(values(x.value), [5 - 3 * Foundation.pow(1.2, 5)], tolerance: 1e-12))
        }

        /// The answer builds a new tape each iteration. Reusing a one-shot tape across
        /// iterations would be a mistake, and Retrograd says so instead of answering.
        @Test func reusingTheLoopTapeThrows() throws {
            let x = Variable(Tensor(Double(2.0)), name: "var")
            let tape = GradientTape()
            let loss = tape.record { (x.value - 5).square() }
            _ = try tape.gradient(of: loss, wrt: [x])
            #expect(throws: TapeError.nonPersistentTapeReused) { try tape.gradient(of: loss, wrt: [x]) }
        }
    }
}
