import Foundation
import Testing
@testable import Retrograd
import RetrogradTestSupport

@Suite struct HigherOrderTests {
    @Test func secondDerivativeOfCubeThroughNestedTapes() throws {
        let w = Variable(Tensor(Double(2.0)), name: "w")
        let outer = GradientTape()
        let first = try outer.record { () throws -> Tensor in
            let inner = GradientTape()
            let y = inner.record { w.value * w.value * w.value }
            return try #require(try inner.gradient(of: y, wrt: w))
        }
        #expect(values(first) == [12])  // 3w²
        #expect(values(try outer.gradient(of: first, wrt: w)) == [12])  // 6w
    }

    @Test func thirdDerivativeOfPolynomial() throws {
        // p(x) = x⁴ − 2x³ + x ⇒ p‴(x) = 24x − 12; at x = 1.5: 24.
        let x = Tensor(Double(1.5))
        let t3 = GradientTape(), t2 = GradientTape(), t1 = GradientTape()
        [t1, t2, t3].forEach { $0.watch(x) }
        let d2 = try t3.record { () throws -> Tensor in
            let d1 = try t2.record { () throws -> Tensor in
                let p = t1.record { x.pow(4) - 2 * x * x * x + x }
                return try #require(try t1.gradient(of: p, wrt: x))
            }
            #expect(allClose(values(d1), [4 * 3.375 - 6 * 2.25 + 1], tolerance: 1e-9))  // 4x³ − 6x² + 1
            return try #require(try t2.gradient(of: d1, wrt: x))
        }
        #expect(allClose(values(d2), [12 * 2.25 - 12 * 1.5], tolerance: 1e-9))  // 12x² − 12x
        #expect(allClose(values(try t3.gradient(of: d2, wrt: x)), [24 * 1.5 - 12], tolerance: 1e-9))
    }

    @Test func hessianVectorProduct() throws {
        // f(x) = Σ xᵢ³ + x₀x₁ ⇒ H = diag(6x) + [[0,1],[1,0]]; Hv for v = [1, -2].
        let x = Tensor([0.5, 2.0] as [Double])
        let v = Tensor([1.0, -2.0] as [Double])
        let outer = GradientTape()
        outer.watch(x)
        let gv = try outer.record { () throws -> Tensor in
            let inner = GradientTape()
            inner.watch(x)
            let f = inner.record { (x * x * x).sum() + x.slice(0..<1) * x.slice(1..<2) }
            let g = try #require(try inner.gradient(of: f, wrt: x))
            return (g * v).sum()
        }
        let hv = try #require(try outer.gradient(of: gv, wrt: x))
        let expected: [Double] = [3.0 - 2.0, 1.0 - 24.0]  // [6·0.5·1 + 1·(−2), 1·1 + 6·2·(−2)]
        #expect(allClose(values(hv), expected, tolerance: 1e-9))
    }

    @Test func gradientPenaltyTrainsTheWeights() throws {
        // y = w · (x · x) summed; ∂y/∂x = 2 w x; penalty P = (‖2wx‖ − 1)²;
        // dP/dw = 2(‖2wx‖ − 1) · ‖2x‖ · sign(w).
        let w = Variable(Tensor(Double(0.75)), name: "w")
        let x = Tensor([1.0, -2.0, 0.5] as [Double])
        let outer = GradientTape()
        let penalty = try outer.record { () throws -> Tensor in
            let inner = GradientTape()
            inner.watch(x)
            let y = inner.record { (w.value * x * x).sum() }
            let dx = try #require(try inner.gradient(of: y, wrt: x))
            return (dx.norm() - 1).square()
        }
        let norm2x = 2 * (1.0 + 4 + 0.25).squareRoot()
        let expected = 2 * (0.75 * norm2x - 1) * norm2x
        #expect(allClose(values(penalty), [pow(0.75 * norm2x - 1, 2)], tolerance: 1e-9))
        #expect(allClose(values(try outer.gradient(of: penalty, wrt: w)), [expected], tolerance: 1e-9))
    }

    @Test func customGradientPullbackDifferentiatesAgain() throws {
        // forward x³ with the exact pullback 3x²·g: second derivative 6x through it.
        let x = Tensor(Double(1.25))
        let outer = GradientTape()
        outer.watch(x)
        let first = try outer.record { () throws -> Tensor in
            let inner = GradientTape()
            inner.watch(x)
            let y = inner.record {
                withCustomGradient(x, forward: { $0 * $0 * $0 }, pullback: { x, _, g in g * 3 * x * x })
            }
            return try #require(try inner.gradient(of: y, wrt: x))
        }
        #expect(allClose(values(first), [3 * 1.5625], tolerance: 1e-9))
        #expect(allClose(values(try outer.gradient(of: first, wrt: x)), [6 * 1.25], tolerance: 1e-9))
    }

    @Test func tapesInConcurrentTasksDoNotInterfere() async throws {
        let results = await withTaskGroup(of: (Int, Double?).self) { group in
            for k in 1...16 {
                group.addTask {
                    // d/dx x^k at x = 1.1 is k · 1.1^(k−1), computed by repeated products.
                    let x = Tensor(Double(1.1))
                    let tape = GradientTape()
                    tape.watch(x)
                    let y = tape.record { () -> Tensor in
                        var y = Tensor(Double(1.0))
                        for _ in 0..<k { y = y * x }
                        return y
                    }
                    return (k, try? tape.gradient(of: y, wrt: x)?.scalar(as: Double.self))
                }
            }
            var collected: [(Int, Double?)] = []
            for await result in group { collected.append(result) }
            return collected
        }
        #expect(results.count == 16)
        for (k, gradient) in results {
            #expect(allClose([try #require(gradient)], [Double(k) * pow(1.1, Double(k - 1))], tolerance: 1e-9))
        }
    }
}

@Suite struct GradientSurgeryTests {
    @Test func stopGradientCutsOnePath() throws {
        let x = Tensor(Double(3.0))
        let tape = GradientTape()
        tape.watch(x)
        let y = tape.record { x * x + stopGradient(x * x * x) }  // value x² + x³, gradient 2x
        #expect(values(y) == [36])
        #expect(values(try tape.gradient(of: y, wrt: x)) == [6])
    }

    @Test func reversalNegatesAndScalesWithAStepDependentScale() throws {
        let x = Tensor([1.0, -2.0] as [Double])
        for scale in [0.0, 0.5, 1.0, 6.0] {
            let tape = GradientTape()
            tape.watch(x)
            let y = tape.record { (gradientReversal(x * x, scale: scale) * 3).sum() }
            #expect(values(y) == [15])  // identity forward: 3 Σ x²
            #expect(values(try tape.gradient(of: y, wrt: x)) == [-6 * scale, 12 * scale])
        }
    }

    @Test func customGradientReplacesTheDerivative() throws {
        // Value of x, gradient clipped to [-1, 1] elementwise.
        let x = Tensor([0.5, 3.0, -4.0] as [Double])
        let tape = GradientTape()
        tape.watch(x)
        let y = tape.record {
            (withCustomGradient(x, forward: { $0 }, pullback: { _, _, g in g.clipped(to: -1...1) }) * x).sum()
        }
        // d/dx Σ c(x)·x with c the identity whose gradient is clipped: upstream g = x, clipped, plus x.
        #expect(values(try tape.gradient(of: y, wrt: x)) == [0.5 + 0.5, 1 + 3, -1 - 4])
    }

    @Test func customGradientWithSeveralInputs() throws {
        let a = Tensor(Double(2.0)), b = Tensor(Double(5.0))
        let tape = GradientTape()
        tape.watch(a)
        tape.watch(b)
        let y = tape.record {
            withCustomGradient([a, b], forward: { $0[0] * $0[1] }, pullback: { inputs, _, g in [g * inputs[1], nil] })
        }
        let grads = try tape.gradient(of: y, wrt: [a, b])
        #expect(values(grads[0]) == [5])
        #expect(grads[1] == nil)
    }

    @Test func valueOfFGradientOfG() throws {
        // f + g − stopGradient(g): value f, gradient f′ + g′ (f = x², g = x³).
        let x = Tensor(Double(-1.5))
        let tape = GradientTape()
        tape.watch(x)
        let y = tape.record { x * x + x * x * x - stopGradient(x * x * x) }
        #expect(allClose(values(y), [2.25], tolerance: 1e-9))
        #expect(allClose(values(try tape.gradient(of: y, wrt: x)), [2 * -1.5 + 3 * 2.25], tolerance: 1e-9))
    }
}

@Suite struct VariableTests {
    @Test func assignmentsChangeTheValue() {
        let v = Variable(Tensor([1, 2] as [Float]), name: "v")
        v.assignAdd(Tensor([0.5, 0.5] as [Float]))
        #expect(v.value.scalars(as: Float.self) == [1.5, 2.5])
        v.assignSub(Tensor(Float(1)))
        #expect(v.value.scalars(as: Float.self) == [0.5, 1.5])
        v.assign(Tensor([7, 8] as [Float]))
        #expect(v.value.scalars(as: Float.self) == [7, 8])
        #expect(v.name == "v" && v.shape == [2] && v.dtype == .float32)
    }

    @Test func assignmentsAreNotRecorded() throws {
        let v = Variable(Tensor(Double(2.0)), name: "v")
        let tape = GradientTape()
        let y = tape.record { () -> Tensor in
            let y = v.value * 3
            v.assignAdd(v.value * 100)
            return y
        }
        #expect(values(try tape.gradient(of: y, wrt: v)) == [3])
        #expect(values(v.value) == [202])
    }

    @Test func recordedValueSurvivesLaterAssignment() throws {
        let v = Variable(Tensor(Double(2.0)), name: "v")
        let tape = GradientTape()
        let y = tape.record { v.value * v.value }
        v.assign(Tensor(Double(10.0)))
        #expect(values(try tape.gradient(of: y, wrt: v)) == [4])  // 2 · the value read, not 20
    }
}
