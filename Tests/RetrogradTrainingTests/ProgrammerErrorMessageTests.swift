import Foundation
import RetrogradNN
import RetrogradOptimizers
import Testing

/// Programmer errors stop the program with a message that names the op and what was wrong,
/// in every build configuration: `.ci/run` also runs this suite on a release build
/// (`swift test -c release --filter ProgrammerErrorMessageTests`), where Swift's own
/// `precondition` would print no message at all.
@Suite struct ProgrammerErrorMessageTests {
    /// The standard error of an exit test's child process.
    private func text(_ result: ExitTest.Result?) -> String {
        String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    }

    @Test func aMatrixProductOfMismatchedShapesNamesTheOpAndTheShapes() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.ones(shape: [1, 10]).matmul(Tensor.ones(shape: [2, 1]))
        }
        let message = text(result)
        #expect(message.contains("matmul: [1, 10] × [2, 1] — inner dimensions 10 and 2 differ"), "\(message)")
    }

    @Test func operandsThatDoNotBroadcastNameTheOp() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.ones(shape: [2, 3]) - Tensor.ones(shape: [4, 3])
        }
        let message = text(result)
        #expect(message.contains("sub: shapes [2, 3] and [4, 3] cannot be broadcast together"), "\(message)")
    }

    @Test func anAxisOutOfRangeNamesTheAxisAndTheShape() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.ones(shape: [2, 3]).sum(axes: [2])
        }
        let message = text(result)
        #expect(message.contains("sum: axis 2 is out of range for shape [2, 3]"), "\(message)")
    }

    @Test func anIndexOutOfRangeNamesTheIndex() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.ones(shape: [3, 2]).gather(indices: [5])
        }
        let message = text(result)
        #expect(message.contains("gather: index 5 is out of range for axis 0 of size 3"), "\(message)")
    }

    @Test func mixedElementTypesSayHowToConvert() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor([1, 2] as [Float]) * Tensor([1, 2] as [Double])
        }
        let message = text(result)
        #expect(message.contains("mul: operands are float32 [2] and float64 [2]") && message.contains(".cast(to:)"), "\(message)")
    }

    @Test func aLayerGivenTheWrongInputSaysWhatItExpected() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Dense(inputSize: 3, outputSize: 2, seed: 1)(Tensor.ones(shape: [4, 5]))
        }
        let message = text(result)
        #expect(message.contains("Dense: input of shape [4, 5] does not fit inputSize 3"), "\(message)")
    }

    @Test func anOptimizerGivenTooFewGradientsSaysSo() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let w = Variable(Tensor.ones(shape: [2]), name: "w")
            SGD(learningRate: 0.1).apply(gradients: [], to: [w])
        }
        let message = text(result)
        #expect(message.contains("SGD.apply(gradients:to:): 0 gradients for 1 variables"), "\(message)")
    }
}
