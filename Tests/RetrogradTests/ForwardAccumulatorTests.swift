import Foundation
import Testing
import Retrograd
import RetrogradTestSupport

// ForwardAccumulator and jvp against derivatives worked out by hand (closed forms written
// with Foundation's sin, cos and exp, never with Retrograd's own ops) and against central
// finite differences.

@Suite struct ForwardAccumulatorTests {
    @Test func tangentOfAProductOfFunctionsIsTheProductRule() throws {
        // y = sin(x)·x ⇒ ẏ = (cos(x)·x + sin(x))·v, elementwise.
        let x = [0.5, 2.0], v = [1.0, -3.0]
        let primal = Tensor(x)
        let accumulator = try ForwardAccumulator(primals: [primal], tangents: [Tensor(v)])
        let y = accumulator.record { primal.sin() * primal }
        let expected = zip(x, v).map { (cos($0) * $0 + sin($0)) * $1 }
        #expect(allClose(values(try accumulator.jvp(y)), expected, tolerance: 1e-15))
    }

    @Test func tangentsOfSeveralPrimalsAddUp() throws {
        // y = x·w + eˣ ⇒ ẏ = w·ẋ + x·ẇ + eˣ·ẋ.
        let x = 0.7, w = -1.3, dx = 0.4, dw = 2.5
        let (xt, wt) = (Tensor(x), Tensor(w))
        let accumulator = try ForwardAccumulator(primals: [xt, wt], tangents: [Tensor(dx), Tensor(dw)])
        let y = accumulator.record { xt * wt + xt.exp() }
        #expect(allClose(values(try accumulator.jvp(y)), [w * dx + x * dw + exp(x) * dx], tolerance: 1e-15))
    }

    @Test func aBroadcastInputsTangentTakesTheOutputsShape() throws {
        // b [3] + m [2, 3] with a tangent on b only: the tangent of each row is ḃ.
        let b = Tensor([1, 2, 3] as [Double]), m = Tensor([10, 20, 30, 40, 50, 60] as [Double], shape: [2, 3])
        let db = [0.5, -1, 2.0]
        let accumulator = try ForwardAccumulator(primals: [b], tangents: [Tensor(db)])
        let (sum, product) = accumulator.record { (b + m, m * b) }
        let tangent = try #require(try accumulator.jvp(sum))
        #expect(tangent.shape == [2, 3] && values(tangent) == db + db)
        // d(m·b) = m·ḃ
        #expect(values(try accumulator.jvp(product)) == [5, -20, 60, 20, -50, 120])
    }

    @Test func shapeOpsAndReductionsMoveTangentsLikeValues() throws {
        let x = Tensor([1, 2, 3, 4, 5, 6] as [Double], shape: [2, 3])
        let v = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]
        let accumulator = try ForwardAccumulator(primals: [x], tangents: [Tensor(v, shape: [2, 3])])
        let (rowSums, picked, largest) = accumulator.record {
            (x.sum(axes: [1], keepingDimensions: true), x.transposed().reshaped(to: [6]).slice(1..<4), x.max(axes: [0]))
        }
        let sums = try #require(try accumulator.jvp(rowSums))
        #expect(sums.shape == [2, 1] && allClose(values(sums), [0.6, 1.5], tolerance: 1e-15))
        // xᵀ flattened is [1, 4, 2, 5, 3, 6]; elements 1..<4 are x[1,0], x[0,1], x[1,1].
        #expect(values(try accumulator.jvp(picked)) == [0.4, 0.2, 0.5])
        // The column maxima are the second row's elements.
        #expect(values(try accumulator.jvp(largest)) == [0.4, 0.5, 0.6])
    }

    @Test func matrixProductTangentIsTheProductRule() throws {
        // d(A·B) = Ȧ·B + A·Ḃ, worked out entry by entry.
        let a = Tensor([1, 2, 3, 4] as [Double], shape: [2, 2]), b = Tensor([0, 1, -1, 2] as [Double], shape: [2, 2])
        let da = Tensor([1, 0, 0, 0] as [Double], shape: [2, 2]), db = Tensor([0, 0, 0, 1] as [Double], shape: [2, 2])
        let accumulator = try ForwardAccumulator(primals: [a, b], tangents: [da, db])
        let y = accumulator.record { a.matmul(b) }
        // Ȧ·B = [[0, 1], [0, 0]]; A·Ḃ = [[0, 2], [0, 4]].
        #expect(values(try accumulator.jvp(y)) == [0, 3, 0, 4])
    }

    @Test func variablesCarryTheirTangentIntoEveryRead() throws {
        let w = Variable(Tensor(3.0 as Double), name: "w")
        let accumulator = try ForwardAccumulator(primals: [w], tangents: [Tensor(0.5 as Double)])
        let y = accumulator.record { w.value * w.value * w.value }
        #expect(values(try accumulator.jvp(y)) == [3 * 9 * 0.5])  // 3w²·ẇ
    }

    @Test func valuesThatDoNotDependOnThePrimalsHaveNoTangent() throws {
        let x = Tensor([1, 2] as [Double]), c = Tensor([3, 4] as [Double])
        let accumulator = try ForwardAccumulator(primals: [x], tangents: [Tensor([1, 1] as [Double])])
        let (constant, cut) = accumulator.record { (c.exp(), x * stopGradient(x)) }
        #expect(try accumulator.jvp(constant) == nil)
        #expect(values(try accumulator.jvp(constant, unconnected: .zero)) == [0, 0])
        #expect(values(try accumulator.jvp(cut)) == [1, 2])  // only the first factor's tangent: ẋ·x
        let outside = x.sin()  // after record: not followed
        #expect(try accumulator.jvp(outside) == nil)
        let paused = accumulator.record { withoutRecording { x.sin() } }
        #expect(try accumulator.jvp(paused) == nil)
        // The primal's own tangent is its seed.
        #expect(values(try accumulator.jvp(x)) == [1, 1])
    }

    @Test func recordingTwiceFollowsBothComputations() throws {
        let x = Tensor(2.0 as Double)
        let accumulator = try ForwardAccumulator(primals: [x], tangents: [Tensor(1.0 as Double)])
        let y = accumulator.record { x * x }
        let z = accumulator.record { y * x }  // x³
        #expect(values(try accumulator.jvp(z)) == [12])
    }

    @Test func float32TangentsStayFloat32() throws {
        let x = Tensor([0.25, 4] as [Float])
        let accumulator = try ForwardAccumulator(primals: [x], tangents: [Tensor([1, 1] as [Float])])
        let y = accumulator.record { x.sqrt() }
        let tangent = try #require(try accumulator.jvp(y))
        #expect(tangent.dtype == .float32 && tangent.scalars(as: Float.self) == [1, 0.25])  // 1/(2√x)
    }
}

@Suite struct ForwardModeRefusalTests {
    @Test func aTangentThroughACustomGradientIsAnErrorNotAGuess() throws {
        let x = Tensor([1, 2] as [Double])
        let accumulator = try ForwardAccumulator(primals: [x], tangents: [Tensor([1, 1] as [Double])])
        let (reversed, custom, frozen, plain) = accumulator.record {
            (gradientReversal(x) * 2,
             withCustomGradient(x, name: "clippedIdentity", forward: { $0 }, pullback: { _, _, g in g }),
             stopGradient(gradientReversal(x)),
             x * 3)
        }
        #expect(throws: ForwardModeError.customGradient(op: "gradientReversal")) { try accumulator.jvp(reversed) }
        #expect(throws: ForwardModeError.customGradient(op: "clippedIdentity")) { try accumulator.jvp(custom) }
        #expect(try accumulator.jvp(frozen) == nil)  // past a stopGradient nothing depends on it
        #expect(values(try accumulator.jvp(plain)) == [3, 3])
        let message = ForwardModeError.customGradient(op: "gradientReversal").description
        #expect(message.contains("'gradientReversal'") && message.contains("reverse mode"), "\(message)")
        #expect(throws: ForwardModeError.customGradient(op: "gradientReversal")) {
            try jvp(of: { gradientReversal($0).sum() }, at: x, tangent: x)
        }
    }

    @Test func tangentsThatDoNotFitTheirPrimalsAreTypedErrors() {
        let x = Tensor([1, 2] as [Double])
        #expect(throws: ForwardModeError.countMismatch(primals: 1, tangents: 2)) {
            try ForwardAccumulator(primals: [x], tangents: [x, x])
        }
        #expect(throws: ForwardModeError.tangentMismatch(index: 0, primal: [2], primalType: .float64, tangent: [3], tangentType: .float64)) {
            try ForwardAccumulator(primals: [x], tangents: [Tensor([1, 2, 3] as [Double])])
        }
        #expect(throws: ForwardModeError.tangentMismatch(index: 0, primal: [2], primalType: .float64, tangent: [2], tangentType: .float32)) {
            try ForwardAccumulator(primals: [x], tangents: [Tensor([1, 2] as [Float])])
        }
        let labels = Tensor([1, 2] as [Int32])
        #expect(throws: ForwardModeError.notDifferentiable(index: 1, type: .int32)) {
            try ForwardAccumulator(primals: [x, labels], tangents: [x, labels])
        }
        let message = ForwardModeError.tangentMismatch(index: 0, primal: [2], primalType: .float64, tangent: [3], tangentType: .float64)
            .description
        #expect(message.contains("[3]") && message.contains("[2]") && message.contains("pass a tangent"), "\(message)")
    }
}

@Suite struct FunctionalJVPTests {
    @Test func jvpReturnsTheValueAndItsTangent() throws {
        let x = [0.3, -1.2], v = [2.0, 0.5]
        let (value, tangent) = try jvp(of: { $0.exp() }, at: Tensor(x), tangent: Tensor(v))
        #expect(allClose(values(value), x.map(exp), tolerance: 1e-15))
        #expect(allClose(values(tangent), zip(x, v).map { exp($0) * $1 }, tolerance: 1e-15))
    }

    @Test func jvpOfSeveralPrimals() throws {
        // f(x, y) = x / y ⇒ ḟ = ẋ/y − x·ẏ/y².
        let (x, y, dx, dy) = (1.5, -0.5, 1.0, 2.0)
        let result = try jvp(of: { $0[0] / $0[1] }, at: [Tensor(x), Tensor(y)], tangents: [Tensor(dx), Tensor(dy)])
        #expect(allClose(values(result.tangent), [dx / y - x * dy / (y * y)], tolerance: 1e-15))
        // A value that does not depend on the primals has a zero tangent, as in jax.jvp.
        let constant = try jvp(of: { _ in Tensor([1, 2] as [Double]) }, at: [Tensor(x)], tangents: [Tensor(dx)])
        #expect(values(constant.tangent) == [0, 0])
    }

    @Test func jvpMatchesFiniteDifferencesInFloat64() throws {
        // A small network with several primitives; the reference is central differences of
        // its value, f(x + εv) − f(x − εv) over 2ε, elementwise.
        let weight = Tensor([0.3, -0.8, 1.1, 0.4, -0.2, 0.9] as [Double], shape: [3, 2])
        let bias = Tensor([0.1, -0.3] as [Double])
        func network(_ x: Tensor) -> Tensor {
            let hidden = (x.matmul(weight) + bias).tanh()
            return (hidden.logSoftmax(axis: 1) * hidden.sigmoid()).sum(axes: [1]) + x.square().mean(axes: [1]).sqrt()
        }
        let x = Tensor([0.5, -1.0, 0.25, 1.5, 0.75, -0.5] as [Double], shape: [2, 3])
        let v = Tensor([0.2, 1.0, -0.7, 0.3, -1.1, 0.6] as [Double], shape: [2, 3])
        let (_, tangent) = try jvp(of: network, at: x, tangent: v)
        let epsilon = 1e-6
        let plus = values(network(x + v * epsilon)), minus = values(network(x - v * epsilon))
        let numeric = zip(plus, minus).map { ($0 - $1) / (2 * epsilon) }
        #expect(allClose(values(tangent), numeric, tolerance: 1e-8), "\(values(tangent)) vs \(numeric)")
    }
}
