import Testing
@testable import RetrogradNN
import RetrogradTestSupport

// LayerNorm against loops over each example's normalized values, and its derivatives to
// second order.

@Suite struct LayerNormTests {
    /// Two examples of 2 × 3 values normalized together: (x − μ)/√(σ² + ε)·γ + β with the
    /// biased variance of each example's six values.
    @Test func eachExampleIsNormalizedOverItsLastAxes() {
        let x: [Double] = [1, 2, 4, -1, 0.5, 3, 10, 12, 9, 11, 14, 8]
        let gamma: [Double] = [1, 2, 0.5, -1, 1.5, 1], beta: [Double] = [0, 0.1, 0.2, 0.3, -0.4, 0.5]
        let layer = LayerNorm(normalizedShape: [2, 3], epsilon: 1e-2, dtype: .float64)
        layer.scale?.assign(doubles(gamma, shape: [2, 3]))
        layer.offset?.assign(doubles(beta, shape: [2, 3]))
        var expected = [Double]()
        for example in 0..<2 {
            let part = Array(x[(example * 6)..<(example * 6 + 6)])
            let mean = part.reduce(0, +) / 6
            let variance = part.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 6
            for (j, v) in part.enumerated() { expected.append((v - mean) / (variance + 1e-2).squareRoot() * gamma[j] + beta[j]) }
        }
        let y = layer(doubles(x, shape: [2, 2, 3]))
        #expect(y.shape == [2, 2, 3])
        #expect(allClose(values(y), expected, tolerance: 1e-12), "\(values(y))")
        // Training and inference agree: there is no state.
        layer.isTraining = false
        #expect(values(layer(doubles(x, shape: [2, 2, 3]))) == values(y))
    }

    @Test func anInputOfExactlyTheNormalizedShapeIsOneExample() {
        let layer = LayerNorm(normalizedShape: [4], affine: false, dtype: .float64)
        #expect(layer.variables.isEmpty)
        let y = values(layer(doubles([1, 2, 3, 4])))
        // Mean 2.5, variance 1.25.
        let expected = [1.0, 2, 3, 4].map { ($0 - 2.5) / (1.25 + 1e-5).squareRoot() }
        #expect(allClose(y, expected, tolerance: 1e-12))
    }

    @Test func gradientsMatchFiniteDifferencesToSecondOrder() {
        let layer = LayerNorm(normalizedShape: [3], dtype: .float64)
        let x = doubles([0.3, -1.2, 2, 1.1, 0.4, -0.6, 0.9, 0.8, -2], shape: [3, 3])
        let report = checkGradients(
            of: { inputs in layer(inputs[0], with: [inputs[1], inputs[2]]).tanh() },
            at: [x, doubles([1.2, -0.7, 0.5]), doubles([0.1, 0, -0.2])], order: 2)
        #expect(report.passed, "\(report)")
    }

    @Test func outputSpecDeclaresTheTrailingShape() throws {
        let layer = LayerNorm(normalizedShape: [4, 8])
        #expect(try layer.outputSpec(for: TensorSpec(shape: [2, 4, 8], dtype: .float32)) == TensorSpec(shape: [2, 4, 8], dtype: .float32))
        let error = #expect(throws: LayerInputError.self) { try layer.outputSpec(for: TensorSpec(shape: [2, 8, 4], dtype: .float32)) }
        #expect(error?.problem == .trailingDimensions(expected: [4, 8], found: [2, 8, 4]))
        #expect(
            error?.description == "LayerNorm: expected the last 2 dimensions to be [4, 8], found shape [2, 8, 4]. "
                + "Pass inputs ending in [4, 8], or build the layer for the input's last dimensions.")
        #expect(throws: LayerInputError(layer: "LayerNorm", problem: .rank(minimum: 2, found: [8]))) {
            try layer.outputSpec(for: TensorSpec(shape: [8], dtype: .float32))
        }
    }
}
