import Foundation
import Testing
import Retrograd
import RetrogradCatalog
import RetrogradTestSupport

// Jacobians by forward sweeps over a tape's records: against closed forms, against reverse
// mode over the whole op catalog, and the choice of mode.

@Suite struct ForwardJacobianTests {
    @Test func forwardSweepsGiveTheJacobianOfAVectorFunction() throws {
        // y = [x², x³, sin x] of one x ⇒ J = [[2x], [3x²], [cos x]].
        let x0 = 0.7
        let x = Tensor([x0])
        let tape = GradientTape()
        tape.watch(x)
        let y = tape.record { concat([x * x, x * x * x, x.sin()], axis: 0) }
        let j = try #require(try tape.jacobian(of: y, wrt: x, mode: .forward))
        #expect(j.shape == [3, 1])
        #expect(allClose(values(j), [2 * x0, 3 * x0 * x0, cos(x0)], tolerance: 1e-15))
    }

    @Test func forwardSweepsFollowShapeOpsAndBroadcasts() throws {
        // y = (x reshaped to a column · [1, 2, 3]) padded by a zero row above, then
        // transposed: y[j, i] = x[i − 1]·(j + 1) for rows i = 1, 2 ⇒ ∂y[j, i]/∂x[k] = (j + 1)
        // when i = k + 1, else 0.
        let x = Tensor([0.5, -2] as [Double])
        let tape = GradientTape()
        tape.watch(x)
        let scale = Tensor([1, 2, 3] as [Double])
        let y = tape.record { (x.reshaped(to: [2, 1]) * scale).padded(before: [1, 0], after: [0, 0]).transposed() }
        let j = try #require(try tape.jacobian(of: y, wrt: x, mode: .forward))
        #expect(j.shape == [3, 3, 2])
        var expected = [Double](repeating: 0, count: 18)
        for row in 0..<3 { for k in 0..<2 { expected[(row * 3 + k + 1) * 2 + k] = Double(row + 1) } }
        #expect(values(j) == expected)
    }

    @Test func automaticModeSweepsForwardWhenTheSourceIsSmaller() throws {
        // At x = 0 the derivative of √x is infinite. A backward pass meets it in sqrt's
        // reverse rule; a forward sweep in its tangent, outside any backward pass. The
        // anomaly's phase shows which ran.
        func anomalyPhase(sourceElements: Int) -> Anomaly.Phase? {
            let x = Tensor([Double](repeating: 0, count: sourceElements))
            let tape = GradientTape()
            let anomaly = caughtAnomaly {
                let y = tape.record { () -> Tensor in
                    tape.watch(x)
                    return concat([x.sqrt(), x, x], axis: 0)  // 3× the elements of x
                }
                _ = try tape.jacobian(of: y, wrt: x)
            }
            return anomaly?.phase
        }
        #expect(anomalyPhase(sourceElements: 1) == .forward)
        let x = Tensor([0] as [Double])
        let tape = GradientTape()
        let reverse = caughtAnomaly {
            let y = tape.record { () -> Tensor in
                tape.watch(x)
                return concat([x.sqrt(), x], axis: 0)
            }
            _ = try tape.jacobian(of: y, wrt: x, mode: .reverse)
        }
        #expect(reverse?.phase == .backward && reverse?.rule?.op == "sqrt")
    }

    @Test func aCustomGradientFallsBackToReverseMode() throws {
        // gradientReversal's Jacobian is its pullback's, −I: reverse mode alone can give it.
        let x = Tensor([1.5] as [Double])
        let tape = GradientTape(persistent: true)
        tape.watch(x)
        let y = tape.record { concat([gradientReversal(x), x * 2], axis: 0) }
        #expect(values(try tape.jacobian(of: y, wrt: x)) == [-1, 2])
        #expect(throws: ForwardModeError.customGradient(op: "gradientReversal")) {
            try tape.jacobian(of: y, wrt: x, mode: .forward)
        }
        // A custom gradient off the path from the source does not stop the sweep.
        let other = Tensor([3.0] as [Double])
        tape.watch(other)
        let z = tape.record { concat([gradientReversal(other) * x, x * x], axis: 0) }
        #expect(values(try tape.jacobian(of: z, wrt: x, mode: .forward)) == [3, 3])
    }

    @Test func unconnectedSourcesAndOneRequest() throws {
        let x = Tensor([1.0] as [Double]), other = Tensor([3.0] as [Double])
        let tape = GradientTape(persistent: true)
        tape.watch(x)
        tape.watch(other)
        let y = tape.record { concat([x * 2, x], axis: 0) }
        #expect(try tape.jacobian(of: y, wrt: other, mode: .forward) == nil)
        let zeros = try #require(try tape.jacobian(of: y, wrt: other, unconnected: .zero, mode: .forward))
        #expect(zeros.shape == [2, 1] && values(zeros) == [0, 0])

        let once = GradientTape()
        once.watch(x)
        let z = once.record { concat([x * 2, x], axis: 0) }
        #expect(values(try once.jacobian(of: z, wrt: x)) == [2, 1])
        #expect(throws: TapeError.nonPersistentTapeReused) { try once.jacobian(of: z, wrt: x) }
    }

    @Test func jacobianWithRespectToAVariable() throws {
        // y = w·[1, 2, 3] for a one-element w ⇒ J = [[1], [2], [3]].
        let w = Variable(Tensor([0.5] as [Double]), name: "w")
        let tape = GradientTape()
        let y = tape.record { w.value * Tensor([1, 2, 3] as [Double]) }
        let j = try #require(try tape.jacobian(of: y, wrt: w))
        #expect(j.shape == [3, 1] && values(j) == [1, 2, 3])
    }

    @Test func aForwardJacobianIsDifferentiableOnAnOuterTape() throws {
        // J of [x², x³] is [2x, 3x²]; the gradient of its sum is 2 + 6x.
        let x = Tensor([0.5] as [Double])
        let outer = GradientTape()
        outer.watch(x)
        let total = try outer.record { () throws -> Tensor in
            let inner = GradientTape()
            inner.watch(x)
            let y = inner.record { concat([x * x, x * x * x], axis: 0) }
            return try #require(try inner.jacobian(of: y, wrt: x, mode: .forward)).sum()
        }
        #expect(values(total) == [1 + 0.75])
        #expect(values(try outer.gradient(of: total, wrt: x)) == [2 + 3])
    }

    @Test func jacobianOfAFunction() throws {
        // f(p) = A·p for a [3, 2] matrix A: the Jacobian is A.
        let a = Tensor([1, 2, -3, 0.5, 4, -1] as [Double], shape: [3, 2])
        let p = Tensor([0.3, -0.7] as [Double], shape: [2, 1])
        for mode in [JacobianMode.automatic, .forward, .reverse] {
            let j = try jacobian(of: { a.matmul($0) }, at: p, mode: mode)
            #expect(j.shape == [3, 1, 2, 1] && values(j) == [1, 2, -3, 0.5, 4, -1], "\(mode)")
        }
        let constant = try jacobian(of: { _ in a }, at: p)
        #expect(constant.shape == [3, 2, 2, 1] && values(constant).allSatisfy { $0 == 0 })
    }
}

/// Every op of the catalog in forward mode: the forward rules against the reverse rules
/// and finite differences, and the forward-sweep Jacobian against the reverse one.
@Suite struct ForwardRuleTableTests {
    @Test(arguments: OpCatalog.cases)
    func forwardRulesAreTheTransposesOfTheReverseRules(_ check: OpCheckCase) throws {
        let report = try check.checkForwardMode(order: 2)
        #expect(report.passed, "\(check.name):\n\(report)")
        // The forward and reverse rules compute the same numbers in another order: they
        // agree to float64 rounding, far inside the finite-difference tolerance — or to
        // float32 rounding in the case that casts (the one with a note), where v is rounded
        // on the way forward and u on the way back.
        let transposeError = report.results.map { max($0.firstOrderReverseError, $0.secondOrderReverseError ?? 0) }.max() ?? 0
        let bound = check.note == nil ? 1e-12 : Double(Float.ulpOfOne)
        #expect(transposeError < bound, "\(check.name):\n\(report)")
    }

    @Test(arguments: OpCatalog.cases)
    func forwardAndReverseJacobiansAgree(_ check: OpCheckCase) throws {
        for index in check.inputs.indices {
            let inputs = check.inputs.map { Tensor($0.scalars(as: Double.self), shape: $0.shape) }
            let tape = GradientTape(persistent: true)
            tape.watch(inputs[index])
            let y = tape.record { check.function(inputs) }
            let forward = try #require(try tape.jacobian(of: y, wrt: inputs[index], mode: .forward))
            let reverse = try #require(try tape.jacobian(of: y, wrt: inputs[index], mode: .reverse))
            #expect(forward.shape == reverse.shape, "\(check.name) input \(index)")
            #expect(allClose(values(forward), values(reverse), tolerance: 1e-12), "\(check.name) input \(index)")
        }
    }

    /// The checker would pass anything if it could not see a wrong tangent: with
    /// `stopGradient`, the forward and reverse rules agree, but the value's finite
    /// differences see the frozen factor change.
    @Test func checkerSeesATangentThatIsNotTheValuesDerivative() throws {
        let x = Tensor([0.3, -1.2, 0.7] as [Double])
        let report = try checkForwardMode(of: { $0[0] * stopGradient($0[0]) }, at: [x], order: 1)
        #expect(!report.passed && report.results[0].firstOrderReverseError < 1e-12, "\(report)")
        #expect(throws: ForwardModeError.customGradient(op: "gradientReversal")) {
            try checkForwardMode(of: { gradientReversal($0[0]) }, at: [x])
        }
    }
}
