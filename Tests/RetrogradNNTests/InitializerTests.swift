import Testing
@testable import RetrogradNN

// Initializers: bounds and spreads from their definitions, fans from shapes, seeds.

@Suite struct InitializerTests {
    private func sample(_ initializer: Initializer, _ shape: Shape, seed: UInt64 = 1) -> [Double] {
        var generator = SeededGenerator(seed: seed)
        return initializer.makeTensor(shape: shape, dtype: .float64, using: &generator).scalars(as: Double.self)
    }

    private func meanAndDeviation(_ values: [Double]) -> (mean: Double, deviation: Double) {
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
        return (mean, variance.squareRoot())
    }

    @Test func zerosAndConstantsFillEveryElement() {
        #expect(sample(.zeros, [3, 2]) == [Double](repeating: 0, count: 6))
        #expect(sample(.constant(0.5), [4]) == [0.5, 0.5, 0.5, 0.5])
    }

    @Test func uniformStaysInItsRange() {
        let values = sample(.uniform(lowerBound: -0.1, upperBound: 0.2), [1000])
        #expect(values.allSatisfy { $0 >= -0.1 && $0 < 0.2 })
        // Mean of U(−0.1, 0.2) is 0.05; the standard error over 1000 draws is ~0.0027.
        #expect(Swift.abs(meanAndDeviation(values).mean - 0.05) < 0.015)
    }

    @Test func normalHasItsMeanAndDeviation() {
        let (mean, deviation) = meanAndDeviation(sample(.normal(mean: 1, standardDeviation: 0.5), [100, 100]))
        #expect(Swift.abs(mean - 1) < 0.02 && Swift.abs(deviation - 0.5) < 0.02, "\(mean) \(deviation)")
    }

    /// He uniform on [200, 100]: b = √(6 / 200) ≈ 0.1732.
    @Test func heUniformUsesFanIn() {
        let values = sample(.heUniform, [200, 100])
        let bound = (6.0 / 200).squareRoot()
        #expect(values.allSatisfy { Swift.abs($0) <= bound })
        #expect(values.map(Swift.abs).max()! > 0.99 * bound)
    }

    /// He normal on [200, 100]: σ = √(2 / 200) = 0.1; Glorot normal: σ = √(2 / 300).
    @Test func normalVariantsHaveTheirDeviations() {
        let he = meanAndDeviation(sample(.heNormal, [200, 100])).deviation
        #expect(Swift.abs(he - 0.1) < 0.005, "\(he)")
        let glorot = meanAndDeviation(sample(.glorotNormal, [200, 100])).deviation
        #expect(Swift.abs(glorot - (2.0 / 300).squareRoot()) < 0.005, "\(glorot)")
    }

    /// Keras' convention: a [3, 3, 16, 32] kernel has a 3·3 receptive field, so fan-in
    /// 16·9 = 144 and fan-out 32·9 = 288.
    @Test func fansFollowTheShape() {
        #expect(Initializer.fans(of: [4, 5]) == (4, 5))
        #expect(Initializer.fans(of: [7]) == (7, 7))
        #expect(Initializer.fans(of: []) == (1, 1))
        #expect(Initializer.fans(of: [3, 3, 16, 32]) == (144, 288))
    }

    @Test func theSameSeedGivesTheSameTensor() {
        #expect(sample(.glorotUniform, [5, 5], seed: 3) == sample(.glorotUniform, [5, 5], seed: 3))
        #expect(sample(.glorotUniform, [5, 5], seed: 3) != sample(.glorotUniform, [5, 5], seed: 4))
    }

    @Test func denseAcceptsAnyInitializer() {
        let dense = Dense(inputSize: 3, outputSize: 2, weightInitializer: .constant(2), biasInitializer: .constant(-1), seed: 1)
        #expect(dense.weight.value.scalars(as: Float.self) == [2, 2, 2, 2, 2, 2])
        // y = [1, 1, 1]·W + b = [6 − 1, 6 − 1].
        #expect(dense(Tensor.ones(shape: [1, 3])).scalars(as: Float.self) == [5, 5])
    }
}
