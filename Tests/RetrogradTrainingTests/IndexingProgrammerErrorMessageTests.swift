import Foundation
import RetrogradNN
import Testing

/// The messages of subscripts, constructors and integer tensors, in every build
/// configuration (the name ends in `ProgrammerErrorMessageTests`, so `.ci/run` runs these on
/// a release build too).
@Suite struct IndexingProgrammerErrorMessageTests {
    /// The standard error of an exit test's child process.
    private func text(_ result: ExitTest.Result?) -> String {
        String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    }

    @Test func anIndexOutOfRangeNamesTheAxisAndTheShape() async {
        let message = text(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros(shape: [3, 5])[1, 5]
        })
        #expect(message.contains("subscript: index 5 is out of range for axis 1 of size 5 in shape [3, 5]"), "\(message)")
    }

    @Test func aRangeOutOfBoundsIsShownAsWritten() async {
        let message = text(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros(shape: [3, 5])[0..., 2..<7]
        })
        #expect(message.contains("subscript: range 2..<7 is out of bounds for axis 1 of size 5 in shape [3, 5]"), "\(message)")
    }

    @Test func tooManyEntriesSaySoWithTheShape() async {
        let message = text(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros(shape: [2, 2])[0, 0, 0]
        })
        #expect(message.contains("subscript: 3 entries cover 3 axes, but shape [2, 2] has 2"), "\(message)")
    }

    @Test func aMaskOfTheWrongShapeNamesBothShapes() async {
        let message = text(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros(shape: [4, 2])[Tensor([true, false, true])]
        })
        #expect(message.contains("subscript: a mask of shape [3] must match the axes it covers, 0..<1 of shape [4, 2]"), "\(message)")
    }

    @Test func aFloatTensorCannotIndex() async {
        let message = text(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros(shape: [4])[Tensor([1])]
        })
        #expect(message.contains("subscript: a float32 tensor of shape [1] cannot index"), "\(message)")
    }

    @Test func anAssignmentOfTheWrongShapeNamesTheSelection() async {
        let message = text(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var x = Tensor.zeros(shape: [3, 4])
            x[0] = Tensor.ones(shape: [3])
        })
        #expect(message.contains("subscript: cannot assign values of shape [3] to the [4] elements selected from shape [3, 4]"), "\(message)")
    }

    @Test func anAssignmentThatSelectsAnElementTwiceIsRefused() async {
        let message = text(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var x = Tensor.zeros(shape: [3])
            x[Tensor([1, 1] as [Int32])] = Tensor([1, 2])
        })
        #expect(message.contains("subscript: the assignment selects element 1 (row-major) of shape [3] twice"), "\(message)")
    }

    @Test func anAssignmentOfAnotherTypeSaysHowToConvert() async {
        let message = text(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var x = Tensor.zeros(shape: [3])
            x[0] = Tensor(Double(1))
        })
        #expect(message.contains("subscript: cannot assign float64 values to a float32 tensor of shape [3]"), "\(message)")
    }

    @Test func integerDivisionByZeroIsRefused() async {
        let message = text(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor([4, 2] as [Int32]) / Tensor([2, 0] as [Int32])
        })
        #expect(message.contains("div: int32 division by zero"), "\(message)")
    }

    @Test func aFractionNextToAnIntegerTensorIsRefused() async {
        let message = text(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor([4, 2] as [Int32]) * 0.5
        })
        #expect(message.contains("int32: 0.5 is not a whole number in Int32's range"), "\(message)")
    }

    @Test func floatingPointOnlyOpsOnIntegersSayHowToConvert() async {
        let message = text(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor([4, 2] as [Int32]).mean()
        })
        #expect(message.contains("mean: needs a float32 or float64 tensor, got int32 of shape [2]; convert with .cast(to: .float32)"), "\(message)")
    }

    @Test func boolTensorsHaveNoArithmetic() async {
        let message = text(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor([true]) + Tensor([false])
        })
        #expect(message.contains("add: needs a float32, float64 or int32 tensor, got bool of shape [1]"), "\(message)")
    }

    @Test func watchingAnIntegerTensorIsAnError() async {
        let message = text(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            GradientTape().watch(Tensor([1, 2] as [Int32]))
        })
        #expect(message.contains("watch: tensor of shape [2] is int32; only float32 and float64 tensors carry gradients"), "\(message)")
    }

    @Test func aTrainableIntegerVariableIsRefused() async {
        let message = text(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Variable(Tensor(Int32(0)), name: "step", trainable: true)
        })
        #expect(message.contains("Variable 'step' holds int32 [] and cannot be trainable"), "\(message)")
    }

    @Test func aLiteralThatIsNotAnIntegerCannotBeInt32() async {
        let message = text(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor([1, 2.5], dtype: .int32)
        })
        #expect(message.contains("Tensor(_:dtype:): 2.5 is not a whole number in Int32's range"), "\(message)")
    }

    @Test func aLabelOutsideTheClassesNamesBoth() async {
        let message = text(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.oneHot(Tensor([0, 3] as [Int32]), classes: 3)
        })
        #expect(message.contains("oneHot: label 3 is outside 0..<3"), "\(message)")
    }

    @Test func aZeroStepIsRefused() async {
        let message = text(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.arange(from: 0, to: 3, by: 0)
        })
        #expect(message.contains("arange: needs finite bounds and a nonzero finite step"), "\(message)")
    }
}
