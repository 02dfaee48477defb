import Foundation
import Testing
import Retrograd
import RetrogradTestSupport

// Accumulators and tapes nested both ways, and accumulators inside accumulators: Hessian-
// vector products and second derivatives against closed forms, and forward-over-reverse
// against the nested-tape Hessian-vector product.

@Suite struct ForwardModeCompositionTests {
    // f(x) = Σ xᵢ³ + x₀·x₁ ⇒ ∇f = 3x² + [x₁, x₀, 0], H = diag(6x) + [[0,1,0],[1,0,0],[0,0,0]].
    static let point = [0.5, 2.0, -1.0]
    static let direction = [1.0, -2.0, 0.5]
    static func f(_ x: Tensor) -> Tensor { (x * x * x).sum() + (x.slice(0..<1) * x.slice(1..<2)).sum() }
    static var expectedHv: [Double] {
        let (x, v) = (point, direction)
        return [6 * x[0] * v[0] + v[1], 6 * x[1] * v[1] + v[0], 6 * x[2] * v[2]]
    }

    @Test func forwardOverReverseGivesAHessianVectorProduct() throws {
        let x = Tensor(Self.point)
        let accumulator = try ForwardAccumulator(primals: [x], tangents: [Tensor(Self.direction)])
        let gradient = try accumulator.record { () throws -> Tensor in
            let tape = GradientTape()
            tape.watch(x)
            let y = tape.record { Self.f(x) }
            return try #require(try tape.gradient(of: y, wrt: x))
        }
        let p = Self.point
        #expect(values(gradient) == [3 * p[0] * p[0] + p[1], 3 * p[1] * p[1] + p[0], 3 * p[2] * p[2]])
        #expect(allClose(values(try accumulator.jvp(gradient)), Self.expectedHv, tolerance: 1e-14))
    }

    @Test func reverseOverForwardGivesTheSameProduct() throws {
        // A tape around the accumulator records the tangent ∇f·v; its gradient is H·v.
        let x = Tensor(Self.point)
        let tape = GradientTape()
        let directional = try tape.record { () throws -> Tensor in
            tape.watch(x)
            let accumulator = try ForwardAccumulator(primals: [x], tangents: [Tensor(Self.direction)])
            let y = accumulator.record { Self.f(x) }
            return try #require(try accumulator.jvp(y))
        }
        let (p, v) = (Self.point, Self.direction)
        let gradientDotV = (3 * p[0] * p[0] + p[1]) * v[0] + (3 * p[1] * p[1] + p[0]) * v[1] + 3 * p[2] * p[2] * v[2]
        #expect(allClose(values(directional), [gradientDotV], tolerance: 1e-14))
        #expect(allClose(values(try tape.gradient(of: directional, wrt: x)), Self.expectedHv, tolerance: 1e-14))
    }

    @Test func aTapeAroundAnAccumulatorDifferentiatesWithRespectToTheTangentToo() throws {
        // ẏ = 2x·v for y = x²: ∂ẏ/∂v = 2x.
        let x = Tensor([1.5, -0.5] as [Double]), v = Tensor([1, 1] as [Double])
        let tape = GradientTape()
        let tangent = try tape.record { () throws -> Tensor in
            tape.watch(v)
            let accumulator = try ForwardAccumulator(primals: [x], tangents: [v])
            let y = accumulator.record { x * x }
            return try #require(try accumulator.jvp(y))
        }
        #expect(values(try tape.gradient(of: tangent, wrt: v)) == [3, -1])
    }

    @Test func aTapeStartedInsideAnAccumulatorDoesNotRecordItsTangents() throws {
        // The accumulator computes tangents for the tapes that were recording when it
        // began; a tape started inside records the primal computation only.
        let x = Tensor(1.5 as Double)
        let accumulator = try ForwardAccumulator(primals: [x], tangents: [Tensor(1.0 as Double)])
        let tape = GradientTape(persistent: true)
        let y = accumulator.record { tape.record { () -> Tensor in tape.watch(x); return x * x * x } }
        let tangent = try #require(try accumulator.jvp(y))
        #expect(values(tangent) == [3 * 1.5 * 1.5])
        #expect(values(try tape.gradient(of: y, wrt: x)) == [3 * 1.5 * 1.5])
        #expect(try tape.gradient(of: tangent, wrt: x) == nil)
    }

    @Test func nestedAccumulatorsGiveSecondDirectionalDerivatives() throws {
        // f(x) = sin(x)·x ⇒ f″(x) = 2·cos(x) − x·sin(x). The outer accumulator follows the
        // inner one's tangent computation.
        let x0 = 0.8
        let x = Tensor(x0)
        let outer = try ForwardAccumulator(primals: [x], tangents: [Tensor(1.0 as Double)])
        let first = try outer.record { () throws -> Tensor in
            let inner = try ForwardAccumulator(primals: [x], tangents: [Tensor(1.0 as Double)])
            let y = inner.record { x.sin() * x }
            return try #require(try inner.jvp(y))
        }
        #expect(allClose(values(first), [cos(x0) * x0 + sin(x0)], tolerance: 1e-15))
        #expect(allClose(values(try outer.jvp(first)), [2 * cos(x0) - x0 * sin(x0)], tolerance: 1e-15))
    }

    @Test func forwardOverReverseMatchesNestedTapesOnANetwork() throws {
        // The Hessian-vector product of a two-layer network's loss with respect to its
        // weights, forward over reverse (an accumulator over the variables around the
        // training tape) and reverse over reverse (a tape around the training tape).
        let w1 = Variable(Tensor([0.3, -0.8, 1.1, 0.4, -0.2, 0.9] as [Double], shape: [2, 3]), name: "w1")
        let w2 = Variable(Tensor([0.5, -1.2, 0.7] as [Double], shape: [3, 1]), name: "w2")
        let inputs = Tensor([0.5, -1.0, 0.25, 1.5, -0.75, 0.5, 2.0, 0.1] as [Double], shape: [4, 2])
        let targets = Tensor([1, -1, 0.5, 0] as [Double], shape: [4, 1])
        let v1 = Tensor([1, 0, -1, 0.5, 0.25, 2] as [Double], shape: [2, 3]), v2 = Tensor([-0.5, 1, 0.3] as [Double], shape: [3, 1])
        func gradients() throws -> [Tensor] {
            let tape = GradientTape()
            let loss = tape.record { ((inputs.matmul(w1.value).tanh().matmul(w2.value) - targets).square()).mean() }
            return try tape.gradient(of: loss, wrt: [w1, w2]).map { try #require($0) }
        }
        let accumulator = try ForwardAccumulator(primals: [w1, w2], tangents: [v1, v2])
        let forwardGradients = try accumulator.record { try gradients() }
        let forwardOverReverse = try forwardGradients.map { try #require(try accumulator.jvp($0)) }

        let outer = GradientTape()
        let s = try outer.record { () throws -> Tensor in
            let g = try gradients()
            return (g[0] * v1).sum() + (g[1] * v2).sum()  // ⟨∇L, v⟩, whose gradient is H·v
        }
        let reverseOverReverse = try outer.gradient(of: s, wrt: [w1, w2]).map { try #require($0) }
        for (forward, reverse) in zip(forwardOverReverse, reverseOverReverse) {
            #expect(allClose(values(forward), values(reverse), tolerance: 1e-13), "\(forward) vs \(reverse)")
        }
        #expect(values(forwardOverReverse[0]).contains { abs($0) > 1e-3 })  // a real check, not zeros
    }

    @Test func accumulatorsInDifferentTasksDoNotSeeEachOther() async throws {
        let x = Tensor(2.0 as Double)
        let accumulator = try ForwardAccumulator(primals: [x], tangents: [Tensor(1.0 as Double)])
        let other = Task.detached { x * x }
        let y = accumulator.record { x * x }
        let elsewhere = await other.value
        #expect(values(try accumulator.jvp(y)) == [4])
        #expect(try accumulator.jvp(elsewhere) == nil)
    }
}
