// The question "How can I calculate and adapt gradients in TensorFlow?" — (1) a softplus
// custom loss checked against a manual gradient, (2) clipping by norm, (3) a gradient
// penalty.
//
// The answer's code is wrong in three places, and the tests say what Retrograd does instead:
// 1. Its manual gradient 2(softplus(x) − y)·sigmoid(x) omits the 1/n of `reduce_mean`; the
//    right one is 2(softplus(x) − y)·sigmoid(x)/n, and the answer's `assert_near` would fail.
// 2. `Dense(10)` makes a [1, 10] prediction for a [1, 2] target: a shape error, which
//    stops the program with a message naming the op and both shapes (exit tests below).
// 3. It calls `tape.gradient` inside a non-persistent tape and again after: the second
//    request throws `TapeError.nonPersistentTapeReused`. The working form is a persistent
//    inner tape under an outer tape that records the inner backward pass.
//
// There are no layers or optimizers yet: a dense layer is `x.matmul(w) + b`, clipping is
// g·min(1, c/‖g‖) in tensor ops, the update is v ← v − lr·g.

import Foundation
import Testing
@testable import Retrograd
import RetrogradTestSupport

/// Ten fixed inputs standing in for the answer's `tf.random.normal([10])`.
private let softplusInputs: [Double] = [-1.7, -0.9, -0.35, -0.05, 0.0, 0.2, 0.6, 1.1, 1.9, 3.2]

/// The answer's `custom_activation`, written literally: log(1 + eˣ).
private func customActivation(_ x: Tensor) -> Tensor { (x.exp() + 1).log() }

/// The answer's `custom_loss`: mean((y − softplus(x))²).
private func customLoss(_ yTrue: Tensor, _ yPred: Tensor) -> Tensor { (yTrue - customActivation(yPred)).square().mean() }

/// g·min(1, c/‖g‖): the whole tensor rescaled to norm c when its norm exceeds c.
private func clippedByNorm(_ g: Tensor, _ c: Double) -> Tensor { g * (c / g.norm()).minimum(1) }

/// The answer's regression setup with a two-output dense layer (the shapes that fit):
/// x = [[1, 2]], y = [[3, 4]], W = diag(0.5, 0.5), b = 0.
private struct DenseSetup {
    let w = Variable(Tensor([0.5, 0, 0, 0.5] as [Float], shape: [2, 2]), name: "dense/w")
    let b = Variable(Tensor([0, 0] as [Float], shape: [2]), name: "dense/b")
    let x = Tensor([1, 2] as [Float], shape: [1, 2])
    let yTrue = Tensor([3, 4] as [Float], shape: [1, 2])
    var variables: [Variable] { [w, b] }
    func loss() -> Tensor { (yTrue - (x.matmul(w.value) + b.value)).square().mean() }
}

extension UserQuestionTests {
    @Suite struct CalculateAndAdaptGradientsTests {
        // MARK: Example 1 — softplus custom loss

        /// L = (1/n) Σ (yᵢ − softplus(xᵢ))²; softplus′ = sigmoid, so
        /// ∂L/∂xᵢ = 2(softplus(xᵢ) − yᵢ)·sigmoid(xᵢ)/n, evaluated here in Swift doubles.
        @Test(arguments: [DType.float64, .float32])
        func softplusLossMatchesTheCorrectManualGradient(dtype: DType) throws {
            let tolerance = dtype == .float32 ? 2e-6 : 1e-12
            let n = Double(softplusInputs.count)
            let x = Variable(Tensor(softplusInputs).cast(to: dtype), name: "x")
            let yTrue = Tensor.ones(shape: [10], dtype: dtype)
            let tape = GradientTape()
            let loss = tape.record { customLoss(yTrue, x.value) }
            let gradient = try #require(try tape.gradient(of: loss, wrt: x))

            let softplus = softplusInputs.map { Foundation.log(1 + Foundation.exp($0)) }
            let sigmoid = softplusInputs.map { 1 / (1 + Foundation.exp(-$0)) }
            let manual = zip(softplus, sigmoid).map { 2 * ($0 - 1) * $1 / n }
            #expect(allClose(values(loss), [softplus.map { (1 - $0) * (1 - $0) }.reduce(0, +) / n], tolerance: tolerance))
            #expect(allClose(values(gradient), manual, tolerance: tolerance))
            // The library's stable softplus agrees with the literal log(1 + eˣ).
            #expect(allClose(values(x.value.softplus()), softplus, tolerance: tolerance))
            // The same manual formula in tensor ops, as the answer writes it but with /n.
            let manualTensor = 2 * (customActivation(x.value) - yTrue) * x.value.sigmoid() / n
            #expect(allClose(values(gradient), values(manualTensor), tolerance: tolerance))
        }

        /// The answer's manual formula (no 1/n) is n = 10 times the true gradient; its
        /// `assert_near(..., abs_tolerance=1e-4)` would fail.
        @Test func theAnswersManualFormulaIsOffByTheMeansFactor() throws {
            let x = Tensor(softplusInputs)
            let yTrue = Tensor.ones(shape: [10], dtype: .float64)
            let tape = GradientTape()
            tape.watch(x)
            let loss = tape.record { customLoss(yTrue, x) }
            let gradient = values(try tape.gradient(of: loss, wrt: x))
            let answerFormula = values(2 * (customActivation(x) - yTrue) * x.sigmoid())
            #expect(allClose(gradient.map { $0 * 10 }, answerFormula))
            #expect(zip(gradient, answerFormula).map { Swift.abs($0 - $1) }.max()! > 1e-4)
        }

        /// The finite-difference checker agrees with the tape on the custom loss (to second order).
        @Test func checkGradientsOnTheSoftplusLoss() {
            let yTrue = Tensor.ones(shape: [10], dtype: .float64)
            let report = checkGradients(of: { customLoss(yTrue, $0[0]) }, at: [Tensor(softplusInputs)])
            #expect(report.passed, "\(report)")
        }

        /// A hand-written loss gradient, installed with `withCustomGradient`, passes the
        /// checker when it is right (with /n) and fails when it is the answer's (without /n).
        @Test func handWrittenLossGradientIsVerifiedByTheChecker() {
            let n = Double(softplusInputs.count)
            func loss(_ x: Tensor, pullbackScale: Double) -> Tensor {
                let yTrue = Tensor.ones(like: x)
                return withCustomGradient(
                    x, name: "softplusLoss", forward: { customLoss(yTrue, $0) },
                    pullback: { x, _, g in g * (2 * (x.softplus() - yTrue) * x.sigmoid() * pullbackScale) })
            }
            let right = checkGradients(of: { loss($0[0], pullbackScale: 1 / n) }, at: [Tensor(softplusInputs)])
            #expect(right.passed, "\(right)")
            let wrong = checkGradients(of: { loss($0[0], pullbackScale: 1) }, at: [Tensor(softplusInputs)])
            #expect(!wrong.passed, "\(wrong)")
            #expect(wrong.results[0].firstOrderError > 0.5)
        }

        // MARK: Example 2 — clipping, and the answer's shape error

        /// y_true [1, 2] − y_pred [1, 10] (the answer's Dense(10) output) cannot broadcast.
        @Test func denseTenAgainstTwoTargetsIsAShapeError() async {
            let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                let x = Tensor([1, 2] as [Float], shape: [1, 2])
                let yPred = x.matmul(Tensor.ones(shape: [2, 10]))  // Dense(10): [1, 10]
                let yTrue = Tensor([3, 4] as [Float], shape: [1, 2])
                _ = (yTrue - yPred).square().mean()
            }
            let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
            #expect(message.contains("sub: shapes [1, 2] and [1, 10] cannot be broadcast together"), "\(message.prefix(300))")
        }

        /// The same mismatch met by a layer built for two inputs: [1, 10] × [2, 1].
        @Test func denseTenIntoALayerForTwoIsAShapeError() async {
            let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                let yPred = Tensor.zeros(shape: [1, 10])
                _ = yPred.matmul(Tensor.ones(shape: [2, 1]))
            }
            let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
            #expect(message.contains("matmul: [1, 10] × [2, 1] — inner dimensions 10 and 2 differ"), "\(message.prefix(300))")
        }

        /// With W = diag(0.5), b = 0: ŷ = [0.5, 1], r = ŷ − y = [−2.5, −3], L = mean(r²) = 7.625;
        /// ∂L/∂ŷ = 2r/2 = r, so ∂L/∂W = xᵀr = [[−2.5, −3], [−5, −6]] (norm √76.25) and
        /// ∂L/∂b = r (norm √15.25). Clipped to norm 1, each is divided by its norm.
        @Test func clipByNormBeforeTheStep() throws {
            let setup = DenseSetup()
            let tape = GradientTape()
            let loss = tape.record { setup.loss() }
            #expect(values(loss) == [7.625])
            let gradients = try tape.gradient(of: loss, wrt: setup.variables).map { try #require($0) }
            let dW = [-2.5, -3, -5, -6], db = [-2.5, -3.0]
            #expect(allClose(values(gradients[0]), dW, tolerance: 1e-6))
            #expect(allClose(values(gradients[1]), db, tolerance: 1e-6))

            let clipped = gradients.map { clippedByNorm($0, 1) }
            let expectedW = dW.map { $0 / Foundation.sqrt(76.25) }, expectedB = db.map { $0 / Foundation.sqrt(15.25) }
            #expect(allClose(values(clipped[0]), expectedW, tolerance: 1e-6))
            #expect(allClose(values(clipped[1]), expectedB, tolerance: 1e-6))
            #expect(clipped.allSatisfy { Swift.abs($0.norm().scalar(as: Double.self) - 1) < 1e-6 })
            #expect(clipped[0].shape == [2, 2] && clipped[0].dtype == .float32)

            // The step, with the optimizer written inline: v ← v − lr·clip(g).
            let lr = 0.01
            for (variable, gradient) in zip(setup.variables, clipped) { variable.assignSub(gradient * lr) }
            #expect(allClose(values(setup.w.value), zip([0.5, 0, 0, 0.5], expectedW).map { $0 - lr * $1 }, tolerance: 1e-6))
            #expect(allClose(values(setup.b.value), expectedB.map { -lr * $0 }, tolerance: 1e-6))
        }

        /// A gradient already inside the bound is left as it is (min(1, 10/√15.25) = 1).
        @Test func clipByNormLeavesSmallGradientsAlone() {
            let g = Tensor([-2.5, -3] as [Double])
            #expect(values(clippedByNorm(g, 10)) == [-2.5, -3])
            #expect(allClose(values(clippedByNorm(g, 2)), [-2.5, -3].map { 2 * $0 / Foundation.sqrt(15.25) }))
        }

        // MARK: Example 3 — gradient penalty

        /// The answer's code: `gradient` inside the one-shot tape, then again after — the
        /// second request throws.
        @Test func secondRequestOnTheOneShotTapeThrows() throws {
            let setup = DenseSetup()
            let tape = GradientTape()
            let total = try tape.record { () throws -> Tensor in
                let loss = setup.loss()
                let gradients = try tape.gradient(of: loss, wrt: setup.variables)
                let penalty = gradients.map { $0!.abs().sum() }.reduce(Tensor(Float(0)), +)
                return loss + 0.1 * penalty
            }
            #expect(throws: TapeError.nonPersistentTapeReused) { try tape.gradient(of: total, wrt: setup.variables) }
        }

        /// The answer's penalty, done right. With r = ŷ − y = [−2.5, −3] and x = [1, 2]:
        /// ∂L/∂W_kl = x_k r_l, ∂L/∂b_l = r_l, so P = Σ|∂L/∂W| + Σ|∂L/∂b| = (|1| + |2| + 1)·Σ|r_l| = 4·5.5 = 22,
        /// ∂P/∂W_kl = 4·sign(r_l)·x_k = [[−4, −4], [−8, −8]], ∂P/∂b_l = 4·sign(r_l) = [−4, −4].
        /// Total = L + 0.1·P = 7.625 + 2.2; its gradient ∂L + 0.1·∂P.
        @Test func l1GradientPenaltyWithPersistentInnerAndOuterTape() throws {
            let setup = DenseSetup()
            let outer = GradientTape()
            let inner = GradientTape(persistent: true)
            let (total, penalty, loss) = try outer.record { () throws -> (Tensor, Tensor, Tensor) in
                let loss = inner.record { setup.loss() }
                let gradients = try inner.gradient(of: loss, wrt: setup.variables)
                let penalty = gradients.map { $0!.abs().sum() }.reduce(Tensor(Float(0)), +)
                return (loss + 0.1 * penalty, penalty, loss)
            }
            #expect(allClose(values(penalty), [22], tolerance: 1e-6))
            #expect(allClose(values(total), [7.625 + 2.2], tolerance: 1e-6))
            let gradients = try outer.gradient(of: total, wrt: setup.variables)
            #expect(allClose(values(gradients[0]), [-2.5 - 0.4, -3 - 0.4, -5 - 0.8, -6 - 0.8], tolerance: 1e-6))
            #expect(allClose(values(gradients[1]), [-2.5 - 0.4, -3 - 0.4], tolerance: 1e-6))
            // The inner tape is persistent: it can still answer (the plain loss gradient).
            let again = try inner.gradient(of: loss, wrt: setup.b)
            #expect(allClose(values(again), [-2.5, -3], tolerance: 1e-6))
        }

        /// Double backprop, small enough to do by hand: y = w·Σxᵢ², ∂y/∂xᵢ = 2wxᵢ,
        /// penalty = ‖∂y/∂x‖² = 4w²Σxᵢ² = 56w² for x = [1, 2, 3]; ∂penalty/∂w = 112w = 56
        /// and ∂penalty/∂xᵢ = 8w²xᵢ = [2, 4, 6] at w = 0.5. ∂y/∂w = Σxᵢ² = 14.
        @Test func squaredGradientNormPenaltyByDoubleBackprop() throws {
            let w = Variable(Tensor(Double(0.5)), name: "w")
            let x = Tensor([1, 2, 3] as [Double])
            let outer = GradientTape()
            outer.watch(x)
            let inner = GradientTape(persistent: true)
            let penalty = try outer.record { () throws -> Tensor in
                inner.watch(x)
                let y = inner.record { (w.value * x * x).sum() }
                let dydx = try #require(try inner.gradient(of: y, wrt: x))
                #expect(values(dydx) == [1, 2, 3])  // 2·0.5·x
                #expect(values(try inner.gradient(of: y, wrt: w)) == [14])  // asked twice: persistent
                return dydx.square().sum()
            }
            #expect(values(penalty) == [14])  // 56·0.25
            let grads = try outer.gradient(of: penalty, wrt: [x])
            #expect(values(grads[0]) == [2, 4, 6])
            let outerW = GradientTape()
            let penaltyW = try outerW.record { () throws -> Tensor in
                let inner = GradientTape()
                inner.watch(x)
                let y = inner.record { (w.value * x * x).sum() }
                return try #require(try inner.gradient(of: y, wrt: x)).square().sum()
            }
            #expect(values(try outerW.gradient(of: penaltyW, wrt: w)) == [56])
        }

        /// The checker agrees with the double-backprop penalty, gradient and Hessian-vector products.
        @Test func checkGradientsOnTheGradientPenalty() {
            func penalty(_ w: Tensor, _ x: Tensor) -> Tensor {
                let inner = GradientTape()
                inner.watch(x)
                let y = inner.record { (w * x.sin()).sum() }
                return ((try? inner.gradient(of: y, wrt: x)) ?? nil)!.square().sum()
            }
            let report = checkGradients(of: { penalty($0[0], $0[1]) }, at: [Tensor(Double(0.7)), Tensor([0.3, -1.1, 2.0] as [Double])])
            #expect(report.passed, "\(report)")
        }

        /// A single persistent tape asked inside its own `record` (the answer's code with
        /// `persistent=True`) records its own backward pass, as TensorFlow's persistent tape
        /// does, so the total's gradient includes the penalty's: the same numbers as the
        /// outer-tape version above (∂L + 0.1·∂P).
        @Test func aPersistentTapeAskedInsideItsRecordDifferentiatesItsOwnBackwardPass() throws {
            let setup = DenseSetup()
            let tape = GradientTape(persistent: true)
            let total = try tape.record { () throws -> Tensor in
                let loss = setup.loss()
                let gradients = try tape.gradient(of: loss, wrt: setup.variables)
                return loss + 0.1 * gradients.map { $0!.abs().sum() }.reduce(Tensor(Float(0)), +)
            }
            #expect(allClose(values(total), [7.625 + 2.2], tolerance: 1e-6))
            let gradients = try tape.gradient(of: total, wrt: setup.variables)
            #expect(allClose(values(gradients[0]), [-2.5 - 0.4, -3 - 0.4, -5 - 0.8, -6 - 0.8], tolerance: 1e-6))
            #expect(allClose(values(gradients[1]), [-2.5 - 0.4, -3 - 0.4], tolerance: 1e-6))
        }
    }
}
