import Testing
@testable import RetrogradNN
import RetrogradTestSupport

// Dropout and the gradient reversal layer: the two layers whose behaviour depends on
// state (the training flag, the mask sequence, a λ that changes every step).

@Suite struct DropoutTests {
    @Test func inferenceIsTheIdentity() {
        let dropout = Dropout(rate: 0.5, seed: 1)
        dropout.isTraining = false
        let x = Tensor([1, -2, 3, 4.5] as [Float])
        #expect(dropout(x).scalars(as: Float.self) == [1, -2, 3, 4.5])
    }

    @Test func rateZeroIsTheIdentityInTraining() {
        let dropout = Dropout(rate: 0, seed: 1)
        let x = Tensor([1, -2, 3, 4.5] as [Float])
        #expect(dropout(x).scalars(as: Float.self) == [1, -2, 3, 4.5])
    }

    /// Rate 0.3 on 10 000 ones: each output is 0 (p = 0.3) or 1/0.7 (p = 0.7), so the
    /// mean is 1 with standard error √(0.3/0.7/10 000) ≈ 0.0065 and the dropped fraction
    /// is 0.3 with standard error ≈ 0.0046.
    @Test func trainingDropsAtTheRateAndPreservesTheMean() {
        let dropout = Dropout(rate: 0.3, seed: 2)
        let y = dropout(Tensor.ones(shape: [100, 100], dtype: .float64)).scalars(as: Double.self)
        let kept = 1 / 0.7
        #expect(y.allSatisfy { $0 == 0 || Swift.abs($0 - kept) < 1e-12 })
        let dropped = Double(y.filter { $0 == 0 }.count) / Double(y.count)
        #expect(Swift.abs(dropped - 0.3) < 0.02, "dropped \(dropped)")
        let mean = y.reduce(0, +) / Double(y.count)
        #expect(Swift.abs(mean - 1) < 0.03, "mean \(mean)")
    }

    @Test func theSameSeedGivesTheSameMaskSequence() {
        let x = Tensor.ones(shape: [8, 8])
        let a = Dropout(rate: 0.5, seed: 9), b = Dropout(rate: 0.5, seed: 9)
        let a1 = a(x).scalars(as: Float.self), a2 = a(x).scalars(as: Float.self)
        #expect(a1 == b(x).scalars(as: Float.self))
        #expect(a2 == b(x).scalars(as: Float.self))
        #expect(a1 != a2, "each call draws a new mask")
        #expect(a1 != Dropout(rate: 0.5, seed: 10)(x).scalars(as: Float.self))
    }

    /// The gradient of Σ dropout(x) is the mask scaled by 1/(1 − rate): on x = ones that
    /// is the output itself.
    @Test func gradientFlowsOnlyThroughKeptElements() throws {
        let dropout = Dropout(rate: 0.25, seed: 4)
        let x = Tensor.ones(shape: [4, 5], dtype: .float64)
        let tape = GradientTape()
        tape.watch(x)
        let (y, total) = tape.record { () -> (Tensor, Tensor) in
            let y = dropout(x)
            return (y, y.sum())
        }
        let g = try tape.gradient(of: total, wrt: x)
        #expect(g?.scalars(as: Double.self) == y.scalars(as: Double.self))
    }
}

@Suite struct GradientReversalLayerTests {
    @Test func forwardIsTheIdentity() {
        let x = Tensor([1, -2, 3] as [Float])
        #expect(GradientReversal(scale: 3)(x).scalars(as: Float.self) == [1, -2, 3])
    }

    /// y = Σ c·grl(x) has dy/dx = −scale·c, with the scale read on each call.
    @Test func gradientIsMinusScaleTimesTheIncomingGradientAsScaleChanges() throws {
        let reversal = GradientReversal(scale: 0.5)
        let x = doubles([0.5, 1, -1])
        let c = doubles([1, -2, 3])
        func step() throws -> Tensor? {
            let tape = GradientTape()
            tape.watch(x)
            let y = tape.record { (reversal(x) * c).sum() }
            return try tape.gradient(of: y, wrt: x)
        }
        expectClose(try step(), [-0.5, 1, -1.5])
        reversal.scale = 2
        expectClose(try step(), [-2, 4, -6])
        reversal.scale = 0
        expectClose(try step(), [0, 0, 0])
    }

    /// In features → reversal → head, the head's gradients are untouched and the features'
    /// are −λ times what they would be without the reversal.
    @Test func inAModelOnlyTheLayersBeforeItAreReversed() throws {
        let features = Dense(inputSize: 2, outputSize: 3, activation: .tanh, dtype: .float64, seed: 1)
        let head = Dense(inputSize: 3, outputSize: 1, dtype: .float64, seed: 2)
        let x = doubles([0.5, -1, 2, 0.3], shape: [2, 2])
        let y = doubles([1, 0], shape: [2, 1])
        func gradients(_ middle: any Layer) throws -> [Tensor] {
            let model = Sequential(features, middle, head)
            let tape = GradientTape()
            let loss = tape.record { binaryCrossEntropy(logits: model(x), labels: y) }
            return try tape.gradient(of: loss, wrt: model.trainableVariables).map { $0! }
        }
        let plain = try gradients(ActivationLayer(.identity))
        let reversed = try gradients(GradientReversal(scale: 0.7))
        for index in 0..<2 {
            expectClose(reversed[index], plain[index].scalars(as: Double.self).map { -0.7 * $0 })
        }
        for index in 2..<4 {
            expectClose(reversed[index], plain[index].scalars(as: Double.self))
        }
    }
}
