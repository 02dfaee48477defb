import Testing
@testable import Retrograd
import RetrogradTestSupport

/// Assigning through subscripts: a new tensor with the selection replaced (NumPy's
/// `y = x.copy(); y[index] = values`), differentiable with respect to the old value and the
/// new elements. Expected values are worked out by hand from `x[i, j] = 4i + j`.
@Suite struct SubscriptAssignmentTests {
    private let x = Tensor((0..<12).map(Double.init), shape: [3, 4])

    @Test func aRowIsReplacedAndTheOriginalIsUnchanged() {
        var y = x
        y[1] = Tensor([-1, -2, -3, -4] as [Double])
        #expect(values(y) == [0, 1, 2, 3, -1, -2, -3, -4, 8, 9, 10, 11])
        #expect(values(x) == (0..<12).map(Double.init))
    }

    @Test func aValueBroadcastsOverTheSelection() {
        var y = x
        y[0..., 0] = Tensor(Double(0))  // y[:, 0] = 0
        #expect(values(y) == [0, 1, 2, 3, 0, 5, 6, 7, 0, 9, 10, 11])
        y[..., stride(from: 1, to: 4, by: 2)] = Tensor([-1, -3] as [Double])  // y[..., 1::2] = [-1, -3]
        #expect(values(y) == [0, -1, 2, -3, 0, -1, 6, -3, 0, -1, 10, -3])
    }

    @Test func aMaskSelectsWhatIsReplaced() {
        var y = x
        y[x .> 8] = Tensor(Double(-1))
        #expect(values(y) == [0, 1, 2, 3, 4, 5, 6, 7, 8, -1, -1, -1])
        var z = x - 5
        z[z .< 0] = -z[z .< 0]  // the absolute value, elementwise
        #expect(values(z) == [5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6])
    }

    @Test func indexTensorsAndNegativePositionsWork() {
        var y = x
        y[Tensor([2, 0] as [Int32]), -1] = Tensor([100, 200] as [Double])  // y[[2, 0], -1] = [100, 200]
        #expect(values(y) == [0, 1, 2, 200, 4, 5, 6, 7, 8, 9, 10, 100])
    }

    @Test func anEmptySelectionChangesNothing() {
        var y = x
        y[x .> 100] = Tensor(Double(7))
        #expect(values(y) == values(x))
    }

    @Test func integerTensorsAreAssignedToo() {
        var labels = Tensor([0, 2, 1, 2] as [Int32])
        labels[labels .== 2] = Tensor(Int32(1))
        #expect(labels.dtype == .int32 && labels.scalars(as: Int32.self) == [0, 1, 1, 1])
    }

    @Test func gradientsReachTheOldValueOutsideAndTheNewValuesInside() throws {
        // loss = Σ w ⊙ y with y = x except y[1, 1..<3] = v: ∂loss/∂x = w with (1, 1) and (1, 2)
        // zeroed, ∂loss/∂v = [w(1, 1), w(1, 2)] = [6, 7].
        let w = Tensor((1...12).map(Double.init), shape: [3, 4])
        let v = Tensor([0.5, -0.5] as [Double])
        let tape = GradientTape(persistent: true)
        tape.watch(x)
        tape.watch(v)
        let loss = tape.record { () -> Tensor in
            var y = x
            y[1, 1..<3] = v
            return (y * w).sum()
        }
        #expect(values(try tape.gradient(of: loss, wrt: x)) == [1, 2, 3, 4, 5, 0, 0, 8, 9, 10, 11, 12])
        #expect(values(try tape.gradient(of: loss, wrt: v)) == [6, 7])
    }

    @Test func aBroadcastValueGetsTheSumOverWhatItFilled() throws {
        // y[:, 0] = s: ∂(Σ w ⊙ y)/∂s = w(0, 0) + w(1, 0) + w(2, 0) = 1 + 5 + 9.
        let w = Tensor((1...12).map(Double.init), shape: [3, 4])
        let s = Tensor(Double(3))
        let tape = GradientTape()
        tape.watch(s)
        let loss = tape.record { () -> Tensor in
            var y = x
            y[0..., 0] = s
            return (y * w).sum()
        }
        #expect(values(try tape.gradient(of: loss, wrt: s)) == [15])
    }

    @Test func secondDerivativesFlowThroughAnAssignment() throws {
        // f(v) = Σ (y ⊙ y) with y[0] = v²: f = Σ v⁴ + const, f″ = 12 v² on the diagonal.
        let v = Tensor([1, 2, -1, 0.5] as [Double])
        let outer = GradientTape()
        outer.watch(v)
        let gradientSum = try outer.record { () throws -> Tensor in
            let inner = GradientTape()
            inner.watch(v)
            let f = inner.record { () -> Tensor in
                var y = x
                y[0] = v * v
                return (y * y).sum()
            }
            return try #require(try inner.gradient(of: f, wrt: v)).sum()  // Σ 4v³
        }
        #expect(values(try outer.gradient(of: gradientSum, wrt: v)) == [12, 48, 12, 3])
    }
}
