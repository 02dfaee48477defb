import Testing
@testable import RetrogradNN
import RetrogradTestSupport

// MaxPool2D and AvgPool2D against nested loops, and a gradient penalty through a small
// convolutional critic, whose derivative differentiates the convolution's backward pass.

/// A pooling's settings, for one case of the value test.
struct PoolCase: CustomTestStringConvertible, Sendable {
    var window: (Int, Int), strides: (Int, Int)?, padding: Padding
    var testDescription: String { "w\(window) s\(String(describing: strides)) \(padding)" }
}

private let poolCases: [PoolCase] = [
    PoolCase(window: (2, 2), strides: nil, padding: .valid),
    // 5 × 7 at stride 2 with a 2 × 3 window: 3 × 4 out, the odd zeros after.
    PoolCase(window: (2, 3), strides: (2, 2), padding: .same),
    PoolCase(window: (3, 3), strides: (1, 2), padding: .explicit(top: 1, bottom: 2, left: 0, right: 1)),
]

@Suite struct PoolingLayerTests {
    @Test(arguments: poolCases) func valuesMatchNestedLoops(_ setting: PoolCase) throws {
        let x = Grid.pattern(2, 5, 7, 3, phase: 0.4)
        let strides = setting.strides ?? setting.window
        for mean in [false, true] {
            let layer: any Layer = mean
                ? AvgPool2D(windowSize: setting.window, strides: setting.strides, padding: setting.padding)
                : MaxPool2D(windowSize: setting.window, strides: setting.strides, padding: setting.padding)
            let expected = referencePooling(x, window: setting.window, strides: strides, padding: setting.padding, mean: mean)
            let y = layer(x.tensor)
            #expect(y.shape == [2, expected.height, expected.width, 3])
            #expect(allClose(values(y), expected.cells, tolerance: 1e-12), "\(type(of: layer))")
            #expect(try layer.outputSpec(for: TensorSpec(of: x.tensor)) == TensorSpec(of: y))
        }
    }

    /// A same-padded 3 × 3 average over ones is 1 everywhere: padded cells are not counted.
    @Test func averagePoolingCountsOnlyCellsInsideTheImage() {
        let y = AvgPool2D(windowSize: (3, 3), strides: (1, 1), padding: .same)(Tensor.ones(shape: [1, 4, 5, 2], dtype: .float64))
        #expect(values(y) == [Double](repeating: 1, count: 40))
    }

    @Test func gradientsMatchFiniteDifferencesToSecondOrder() {
        let x = Grid.pattern(1, 5, 4, 2, phase: 1.3).tensor
        for layer in [MaxPool2D(windowSize: (2, 2), strides: (1, 2), padding: .same), AvgPool2D(windowSize: (3, 2), padding: .same)] as [any Layer] {
            let report = checkGradients(of: { layer($0[0]).tanh() }, at: [x], order: 2)
            #expect(report.passed, "\(type(of: layer)): \(report)")
        }
    }

    @Test func paddingAsLargeAsTheWindowStopsWithWhatToDo() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = MaxPool2D(windowSize: (2, 2), padding: .explicit(top: 2, bottom: 0, left: 0, right: 0))
        }
        let message = standardError(result)
        #expect(message.contains("MaxPool2D: padding explicit(top: 2, bottom: 0, left: 0, right: 0) must be smaller than the 2×2 window"), "\(message)")
    }
}

@Suite struct ConvGradientPenaltyTests {
    /// The penalty E[(‖∂critic/∂x‖ − 1)²] of a conv → avg-pool → conv → global-average
    /// critic, as a function of its weights: the tape's gradient (through the nested
    /// tape's recorded backward pass) against central finite differences of the penalty.
    @Test func thePenaltysWeightGradientMatchesFiniteDifferences() throws {
        let critic = Sequential(
            Conv2D(inputChannels: 2, filters: 3, kernelSize: (3, 3), padding: .same, activation: .tanh, dtype: .float64, seed: 1),
            AvgPool2D(windowSize: (2, 2)),
            Conv2D(inputChannels: 3, filters: 1, kernelSize: (2, 2), strides: (1, 1), padding: .valid, activation: .softplus, dtype: .float64, seed: 2),
            GlobalAveragePooling2D())
        let x = Grid.pattern(2, 4, 4, 2, phase: 0.7).tensor
        let weights = critic.trainableVariables.map(\.value)
        let report = checkGradients(
            of: { weights in try! gradientPenalty(of: { critic($0, with: weights) }, at: x) }, at: weights, order: 1)
        #expect(report.passed, "\(report)")
    }
}
