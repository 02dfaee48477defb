import Foundation
import Testing
@testable import RetrogradNN
import RetrogradTestSupport

// Dense layers and activations: forward values worked out by hand, gradients in closed
// form or against finite differences, Glorot initialisation.

@Suite struct DenseForwardTests {
    /// x = [[1, 2], [0, −1]], W = [[1, −1, 0.5], [2, 0, −1]], b = [0.5, 1, −2]:
    /// xW = [[1·1 + 2·2, 1·(−1) + 2·0, 1·0.5 + 2·(−1)], [0 − 2, 0, 0 + 1]]
    ///    = [[5, −1, −1.5], [−2, 0, 1]];  xW + b = [[5.5, 0, −3.5], [−1.5, 1, −1]].
    private func handLayer(_ activation: Activation, dtype: DType = .float32) -> (Dense, Tensor) {
        let dense = Dense(inputSize: 2, outputSize: 3, activation: activation, dtype: dtype, seed: 0)
        dense.weight.assign(Tensor([1, -1, 0.5, 2, 0, -1] as [Double], shape: [2, 3]).cast(to: dtype))
        dense.bias!.assign(Tensor([0.5, 1, -2] as [Double]).cast(to: dtype))
        return (dense, Tensor([1, 2, 0, -1] as [Double], shape: [2, 2]).cast(to: dtype))
    }

    @Test func affineMapMatchesHandComputation() {
        let (dense, x) = handLayer(.identity)
        let y = dense(x)
        #expect(y.shape == [2, 3])
        #expect(y.scalars(as: Float.self) == [5.5, 0, -3.5, -1.5, 1, -1])
    }

    /// Issue 15: a literal input is float32, the type of a default layer, so it goes in as is.
    @Test func aLiteralInputFitsADefaultLayer() {
        let (dense, _) = handLayer(.identity)
        let y = dense(Tensor([1, 2, 0, -1], shape: [2, 2]))
        #expect(y.dtype == .float32 && y.scalars(as: Float.self) == [5.5, 0, -3.5, -1.5, 1, -1])
    }

    @Test func reluIsAppliedAfterTheBias() {
        let (dense, x) = handLayer(.relu)
        #expect(dense(x).scalars(as: Float.self) == [5.5, 0, 0, 0, 1, 0])
    }

    @Test func tanhMatchesClosedForm() {
        let (dense, x) = handLayer(.tanh, dtype: .float64)
        expectClose(dense(x), [5.5, 0, -3.5, -1.5, 1, -1].map(Foundation.tanh))
    }

    @Test func withoutBiasTheLayerIsAPlainProduct() {
        let dense = Dense(inputSize: 2, outputSize: 3, useBias: false, seed: 0)
        dense.weight.assign(Tensor([1, -1, 0.5, 2, 0, -1] as [Float], shape: [2, 3]))
        #expect(dense.bias == nil)
        #expect(dense(Tensor([1, 2, 0, -1] as [Float], shape: [2, 2])).scalars(as: Float.self) == [5, -1, -1.5, -2, 0, 1])
    }

    /// For y = Σ (xW + b): ∂y/∂W[i][j] = Σ_rows x[r][i] = [1 + 0, 2 − 1] = [1, 1] in every
    /// column, and ∂y/∂b[j] = number of rows = 2.
    @Test func gradientsOfASumAreColumnSumsOfTheInput() throws {
        let (dense, x) = handLayer(.identity, dtype: .float64)
        let tape = GradientTape()
        let y = tape.record { dense(x).sum() }
        let grads = try tape.gradient(of: y, wrt: dense.trainableVariables)
        expectClose(grads[0], [1, 1, 1, 1, 1, 1])
        expectClose(grads[1], [2, 2, 2])
    }

    @Test func gradientWithRespectToTheInputMatchesFiniteDifferences() {
        let dense = Dense(inputSize: 3, outputSize: 4, activation: .tanh, biasInitializer: .constant(0.1), dtype: .float64, seed: 4)
        let x = Tensor([0.3, -0.7, 1.2, -0.1, 0.5, 0.9] as [Double], shape: [2, 3])
        let report = checkGradients(of: { dense($0[0]) }, at: [x])
        #expect(report.passed, "\(report)")
    }
}

@Suite struct GlorotInitialisationTests {
    @Test(arguments: [(20, 30), (2, 64), (64, 2)])
    func weightsStayInsideTheGlorotBound(inputSize: Int, outputSize: Int) {
        let dense = Dense(inputSize: inputSize, outputSize: outputSize, seed: 7)
        let bound = (6 / Double(inputSize + outputSize)).squareRoot()
        let weights = dense.weight.value.scalars(as: Double.self)
        #expect(weights.allSatisfy { Swift.abs($0) <= bound })
        // 128+ draws of U(−b, b): the largest |w| is within 10% of b unless all fell inside
        // 0.9·b, which has probability 0.9^128 < 2e-6.
        #expect(weights.map(Swift.abs).max()! > 0.9 * bound)
        #expect(dense.bias!.value.scalars(as: Float.self).allSatisfy { $0 == 0 })
    }

    @Test func varianceIsTwoOverFanInPlusFanOut() {
        // U(−b, b) has variance b²/3 = 2 / (in + out) = 0.04 for 20 + 30.
        let weights = Dense(inputSize: 20, outputSize: 30, seed: 3).weight.value.scalars(as: Double.self)
        let mean = weights.reduce(0, +) / Double(weights.count)
        let variance = weights.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(weights.count)
        #expect(Swift.abs(variance - 0.04) < 0.006, "variance \(variance)")
    }

    @Test func theSameSeedGivesTheSameWeights() {
        let a = Dense(inputSize: 5, outputSize: 4, seed: 42), b = Dense(inputSize: 5, outputSize: 4, seed: 42)
        #expect(a.weight.value.scalars(as: Float.self) == b.weight.value.scalars(as: Float.self))
        let c = Dense(inputSize: 5, outputSize: 4, seed: 43)
        #expect(a.weight.value.scalars(as: Float.self) != c.weight.value.scalars(as: Float.self))
    }

    @Test func aSharedGeneratorMakesAWholeModelReproducible() {
        func build() -> Sequential {
            var generator = SeededGenerator(seed: 99)
            return Sequential(
                Dense(inputSize: 3, outputSize: 3, generator: &generator),
                Dense(inputSize: 3, outputSize: 3, generator: &generator))
        }
        let first = build(), second = build()
        let values = { (model: Sequential) in model.variables.map { $0.value.scalars(as: Float.self) } }
        #expect(values(first) == values(second))
        // Layers drawn one after the other from one generator differ from each other.
        #expect(values(first)[0] != values(first)[2])
    }

    @Test func layersMadeWithoutASeedDiffer() {
        let a = Dense(inputSize: 4, outputSize: 4), b = Dense(inputSize: 4, outputSize: 4)
        #expect(a.weight.value.scalars(as: Float.self) != b.weight.value.scalars(as: Float.self))
    }

    @Test func float64LayersHoldFloat64Variables() {
        let dense = Dense(inputSize: 2, outputSize: 2, dtype: .float64, seed: 1)
        #expect(dense.weight.dtype == .float64 && dense.bias?.dtype == .float64)
    }
}

/// An activation with its closed form in Swift `Double` math.
struct ActivationCase: Sendable, CustomTestStringConvertible {
    let activation: Activation
    let reference: @Sendable (Double) -> Double
    var testDescription: String { "\(activation)" }
}

@Suite struct ActivationTests {
    static let cases: [ActivationCase] = [
        ActivationCase(activation: .identity) { $0 },
        ActivationCase(activation: .relu) { Swift.max($0, 0) },
        ActivationCase(activation: .leakyRelu(slope: 0.2)) { $0 > 0 ? $0 : 0.2 * $0 },
        ActivationCase(activation: .tanh) { Foundation.tanh($0) },
        ActivationCase(activation: .sigmoid) { 1 / (1 + Foundation.exp(-$0)) },
        ActivationCase(activation: .softplus) { Foundation.log(1 + Foundation.exp($0)) },
    ]
    static let points: [Double] = [-2, -0.5, 0, 0.5, 3]

    @Test(arguments: cases)
    func elementwiseActivationsMatchClosedForms(_ check: ActivationCase) {
        let x = doubles(Self.points)
        let expected = Self.points.map(check.reference)
        expectClose(check.activation(x), expected, absolute: 1e-12)
        expectClose(ActivationLayer(check.activation)(x), expected, absolute: 1e-12)
    }

    @Test(arguments: cases)
    func elementwiseActivationsHaveRightGradients(_ check: ActivationCase) {
        // Points away from 0, where ReLU-like functions have a kink.
        let x = doubles([-2, -0.5, 0.5, 3])
        let report = checkGradients(of: { check.activation($0[0]) }, at: [x])
        #expect(report.passed, "\(report)")
    }

    @Test func leakyReluHasADefaultSlope() {
        #expect(Activation.leakyRelu() == .leakyRelu(slope: 0.01))
    }

    /// softmax([0, ln 3]) = [1, 3] / 4; softmax([0, 0]) = [1/2, 1/2]; rows are independent.
    @Test func softmaxNormalisesEachRow() {
        let x = doubles([0, Foundation.log(3), 0, 0], shape: [2, 2])
        expectClose(Activation.softmax(x), [0.25, 0.75, 0.5, 0.5])
    }
}
