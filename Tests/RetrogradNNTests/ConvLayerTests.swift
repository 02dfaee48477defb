import Foundation
import Testing
@testable import RetrogradNN
import RetrogradTestSupport

// Conv2D and Conv2DTranspose against the nested-loop references of Support/ImageReference,
// their initial values, and their derivatives to second order.

/// A convolution's settings, for one case of the value test.
struct ConvCase: CustomTestStringConvertible, Sendable {
    var size: (Int, Int), channels: Int, filters: Int, kernel: (Int, Int)
    var strides = (1, 1), padding = Padding.valid, dilations = (1, 1), groups = 1
    var testDescription: String { "\(size) c\(channels)→\(filters) k\(kernel) s\(strides) \(padding) d\(dilations) g\(groups)" }
}

private let convCases: [ConvCase] = [
    ConvCase(size: (6, 5), channels: 2, filters: 3, kernel: (3, 3)),
    // 7 rows at stride 2 with a 4-row window: 4 rows out, 3 zeros in all, 1 above and 2 below.
    ConvCase(size: (7, 6), channels: 2, filters: 2, kernel: (4, 3), strides: (2, 2), padding: .same),
    ConvCase(size: (6, 7), channels: 3, filters: 2, kernel: (2, 3), padding: .explicit(top: 1, bottom: 0, left: 2, right: 1), dilations: (2, 2)),
    ConvCase(size: (5, 5), channels: 4, filters: 6, kernel: (3, 3), strides: (1, 2), padding: .same, groups: 2),
    // Depthwise: one group per channel.
    ConvCase(size: (5, 4), channels: 3, filters: 3, kernel: (3, 2), groups: 3),
]

/// `count` values in about −1…1, fixed by `seed`.
private func fixedValues(_ count: Int, seed: Double) -> [Double] {
    (0..<count).map { (i: Int) -> Double in 0.9 * sin(Double(i) * 1.37 + seed) }
}

@Suite struct Conv2DTests {
    @Test(arguments: convCases) func valuesMatchADirectConvolution(_ setting: ConvCase) {
        let layer = Conv2D(
            inputChannels: setting.channels, filters: setting.filters, kernelSize: setting.kernel, strides: setting.strides,
            padding: setting.padding, dilations: setting.dilations, groups: setting.groups, activation: .tanh, dtype: .float64)
        let filter = fixedValues(layer.filter.shape.elementCount, seed: 0.3), bias = fixedValues(setting.filters, seed: 2)
        layer.filter.assign(Tensor(filter, shape: layer.filter.shape, dtype: .float64))
        layer.bias?.assign(Tensor(bias, shape: [setting.filters], dtype: .float64))
        let x = Grid.pattern(2, setting.size.0, setting.size.1, setting.channels)
        let expected = referenceConvolution(
            x, filter: filter, kernel: setting.kernel, outChannels: setting.filters, bias: bias, strides: setting.strides,
            padding: setting.padding, dilations: setting.dilations, groups: setting.groups)
        let y = layer(x.tensor)
        #expect(y.shape == [2, expected.height, expected.width, setting.filters])
        #expect(allClose(values(y), expected.cells.map { tanh($0) }, tolerance: 1e-12))
        #expect(try! layer.outputSpec(for: TensorSpec(of: x.tensor)) == TensorSpec(of: y))
    }

    /// Glorot uniform with a convolution's fans: 3·3·4 = 36 in, 3·3·8 = 72 out, so the
    /// bound is √(6/108); over 288 draws the variance is near bound²/3.
    @Test func theFilterStartsGlorotUniformWithConvolutionFans() {
        let layer = Conv2D(inputChannels: 8, filters: 8, kernelSize: (3, 3), groups: 2, dtype: .float64, seed: 3)
        #expect(layer.filter.shape == [3, 3, 4, 8])
        let bound = (6.0 / 108).squareRoot()
        let drawn = values(layer.filter.value)
        #expect(drawn.allSatisfy { Swift.abs($0) <= bound })
        let variance = drawn.map { $0 * $0 }.reduce(0, +) / Double(drawn.count)
        #expect(Swift.abs(variance / (bound * bound / 3) - 1) < 0.25, "variance \(variance)")
        #expect(values(layer.bias?.value) == [Double](repeating: 0, count: 8))
        #expect(layer.namedVariables.map(\.name) == ["filter", "bias"])
    }

    @Test func gradientsMatchFiniteDifferencesToSecondOrder() {
        let layer = Conv2D(
            inputChannels: 2, filters: 4, kernelSize: (3, 2), strides: (2, 1), padding: .same, groups: 2, activation: .tanh,
            dtype: .float64, seed: 4)
        let x = Grid.pattern(2, 5, 4, 2).tensor
        let report = checkGradients(
            of: { layer($0[0], with: [$0[1], $0[2]]) }, at: [x, layer.filter.value, doubles([0.1, -0.2, 0.3, 0])], order: 2)
        #expect(report.passed, "\(report)")
    }

    /// The paper's MNIST feature extractor followed through `model(checking:)`:
    /// 28 → conv 5 → 24 → pool 2 → 12 → conv 5 → 8 → pool 2 → 4, so 4·4·48 = 768 features.
    @Test func checkedCallsFollowImagesThroughAConvNet() throws {
        let model = Sequential(
            Conv2D(inputChannels: 3, filters: 32, kernelSize: (5, 5), activation: .relu, seed: 1), MaxPool2D(windowSize: (2, 2)),
            Conv2D(inputChannels: 32, filters: 48, kernelSize: (5, 5), activation: .relu, seed: 2), MaxPool2D(windowSize: (2, 2)),
            Flatten(), Dense(inputSize: 768, outputSize: 10, seed: 3))
        #expect(try model.outputSpec(for: TensorSpec(shape: [64, 28, 28, 3], dtype: .float32)) == TensorSpec(shape: [64, 10], dtype: .float32))
        #expect(throws: LayerInputError(layer: "Conv2D", path: "0", problem: .featureCount(expected: 3, found: [1, 28, 28, 1]))) {
            try model(checking: Tensor.zeros(shape: [1, 28, 28, 1]))
        }
        let small = #expect(throws: LayerInputError.self) { try model(checking: Tensor.zeros(shape: [1, 14, 14, 3])) }
        // 14 → conv 5 → 10 → pool 2 → 5 → conv 5 → 1, which the second 2×2 pool cannot take.
        #expect(small == LayerInputError(layer: "MaxPool2D", path: "3", problem: .windowDoesNotFit(window: [2, 2], found: [1, 1, 1, 48])))
        #expect(
            small?.description == "MaxPool2D at '3': expected images of at least 2×2 pixels for its window, found shape "
                + "[1, 1, 1, 48]. Pass larger images, use padding: .same, or use a smaller window.")
        #expect(throws: LayerInputError(layer: "Conv2D", path: "0", problem: .exactRank(expected: 4, layout: "[batch, height, width, channels]", found: [1, 784]))) {
            try model(checking: Tensor.zeros(shape: [1, 784]))
        }
    }
}

@Suite struct Conv2DTransposeTests {
    @Test func sameOutputIsTheInputTimesTheStride() {
        let layer = Conv2DTranspose(inputChannels: 3, filters: 2, kernelSize: (3, 3), strides: (2, 2), padding: .same, dtype: .float64, seed: 1)
        let filter = fixedValues(layer.filter.shape.elementCount, seed: 1.1)
        layer.filter.assign(Tensor(filter, shape: [3, 3, 2, 3], dtype: .float64))
        let x = Grid.pattern(2, 3, 4, 3)
        let y = layer(x.tensor)
        #expect(y.shape == [2, 6, 8, 2])
        let expected = referenceTransposedConvolution(
            x, filter: filter, kernel: (3, 3), outChannels: 2, outputSize: (6, 8), strides: (2, 2), padding: .same)
        #expect(allClose(values(y), expected.cells, tolerance: 1e-12))
    }

    /// Valid padding: (3 − 1)·2 + (2 − 1)·2 + 1 + 1 = 8 rows with output padding 1, and
    /// a conv2d of the result with the same settings gives 3 rows back.
    @Test func validOutputFollowsPyTorchsFormulaWithOutputPadding() {
        let layer = Conv2DTranspose(
            inputChannels: 2, filters: 3, kernelSize: (2, 3), strides: (2, 3), outputPadding: (1, 2), dilations: (2, 1),
            useBias: true, dtype: .float64, seed: 2)
        layer.bias?.assign(doubles([0.5, -1, 2]))
        let filter = values(layer.filter.value)
        let x = Grid.pattern(1, 3, 2, 2)
        let y = layer(x.tensor)
        #expect(y.shape == [1, 8, 8, 3])
        #expect(layer.outputSize(height: 3, width: 2) == (8, 8))
        var expected = referenceTransposedConvolution(
            x, filter: filter, kernel: (2, 3), outChannels: 3, outputSize: (8, 8), strides: (2, 3), padding: .valid,
            dilations: (2, 1))
        for (i, _) in expected.cells.enumerated() { expected.cells[i] += [0.5, -1, 2][i % 3] }
        #expect(allClose(values(y), expected.cells, tolerance: 1e-12))
        #expect(try! layer.outputSpec(for: TensorSpec(of: x.tensor)) == TensorSpec(shape: [1, 8, 8, 3], dtype: .float64))
        let back = conv2d(y, filter: layer.filter.value, strides: (2, 3), dilations: (2, 1))
        #expect(back.shape == [1, 3, 2, 2])
    }

    @Test func gradientsMatchFiniteDifferencesToSecondOrder() {
        let layer = Conv2DTranspose(
            inputChannels: 2, filters: 2, kernelSize: (3, 3), strides: (2, 2), padding: .explicit(top: 1, bottom: 0, left: 0, right: 1),
            activation: .tanh, dtype: .float64, seed: 5)
        let x = Grid.pattern(1, 3, 3, 2).tensor
        let report = checkGradients(
            of: { layer($0[0], with: [$0[1], $0[2]]) }, at: [x, layer.filter.value, doubles([0.2, -0.1])], order: 2)
        #expect(report.passed, "\(report)")
    }
}
