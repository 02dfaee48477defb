import Testing
import Retrograd

/// The messages convolution and pooling stop with: each names the op, what it expected,
/// what it found and what to do.
@Suite struct ConvolutionErrorTests {
    private func text(_ result: ExitTest.Result?) -> String {
        String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    }

    @Test func aFilterWithTheWrongChannelCount() async {
        let message = text(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = conv2d(Tensor.zeros(shape: [1, 5, 5, 3]), filter: Tensor.zeros(shape: [3, 3, 2, 4]))
        })
        #expect(message.contains("conv2d") && message.contains("[3, 3, 2, 4]") && message.contains("has 3") && message.contains("HWIO"), "\(message)")
    }

    @Test func anImageWithoutABatchAxis() async {
        let message = text(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = conv2d(Tensor.zeros(shape: [5, 5, 3]), filter: Tensor.zeros(shape: [3, 3, 3, 4]))
        })
        #expect(message.contains("NHWC") && message.contains("[5, 5, 3]") && message.contains("batch axis"), "\(message)")
    }

    @Test func groupsThatDoNotDivideTheChannels() async {
        let message = text(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = conv2d(Tensor.zeros(shape: [1, 5, 5, 3]), filter: Tensor.zeros(shape: [3, 3, 1, 4]), groups: 2)
        })
        #expect(message.contains("2 groups must divide") && message.contains("3 input channels"), "\(message)")
    }

    @Test func aWindowLargerThanTheImage() async {
        let message = text(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = conv2d(Tensor.zeros(shape: [1, 2, 5, 1]), filter: Tensor.zeros(shape: [3, 3, 1, 1]))
        })
        #expect(message.contains("does not fit") && message.contains("2×5") && message.contains(".same"), "\(message)")
    }

    @Test func poolingPaddingAsWideAsTheWindow() async {
        let message = text(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = maxPool2D(Tensor.zeros(shape: [1, 4, 4, 1]), windowSize: (2, 2), padding: .explicit(top: 2, bottom: 0, left: 0, right: 0))
        })
        #expect(message.contains("maxPool2D") && message.contains("pad less than the 2×2 window"), "\(message)")
    }

    @Test func aTransposeOutputSizeThatDoesNotMapBack() async {
        let message = text(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = conv2dTranspose(Tensor.zeros(shape: [1, 3, 3, 2]), filter: Tensor.zeros(shape: [3, 3, 1, 2]), outputSize: (9, 9), strides: (2, 2))
        })
        #expect(message.contains("conv2dTranspose") && message.contains("9×9 image gives 4×4") && message.contains("3×3"), "\(message)")
    }

    @Test func integerImages() async {
        let message = text(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = avgPool2D(Tensor.zeros(shape: [1, 4, 4, 1], dtype: .int32), windowSize: (2, 2))
        })
        #expect(message.contains("avgPool2D") && message.contains("float32 or float64") && message.contains("cast"), "\(message)")
    }
}
