import Testing
import RetrogradNN

// The throwing form of calling a model: what the layers declare is checked before any of
// them runs, and a refused input is a LayerInputError instead of a stopped program.

/// A layer that declares nothing about its input.
private final class Undeclared: Layer {
    var isTraining = true
    func callAsFunction(_ input: Tensor) -> Tensor { input * 2 }
}

@Suite struct CheckedCallTests {
    private let model = Sequential(
        Dense(inputSize: 2, outputSize: 4, activation: .tanh, seed: 1), Dropout(rate: 0.5, seed: 2),
        Dense(inputSize: 4, outputSize: 1, seed: 3))

    @Test func anInputTheModelTakesGivesThePlainCallsResult() throws {
        model.isTraining = false
        let x = Tensor([0.5, -1, 2, 0.25] as [Float], shape: [2, 2])
        let checked = try model(checking: x)
        #expect(checked.scalars(as: Float.self) == model(x).scalars(as: Float.self))
        #expect(try model.outputSpec(for: TensorSpec(of: x)) == TensorSpec(shape: [2, 1], dtype: .float32))
    }

    @Test func aWrongFeatureCountNamesTheLayerAndWhatToDo() {
        let error = #expect(throws: LayerInputError.self) { try model(checking: Tensor.ones(shape: [3, 3])) }
        #expect(error == LayerInputError(layer: "Dense", path: "0", problem: .featureCount(expected: 2, found: [3, 3])))
        #expect(
            error?.description
                == "Dense at '0': expected 2 features on the last axis ([batch, 2]), found shape [3, 3]. "
                + "Pass inputs with 2 features, or build the layer for 3.")
    }

    @Test func aMissingBatchAxisIsARankError() {
        let error = #expect(throws: LayerInputError.self) { try model(checking: Tensor.ones(shape: [2])) }
        #expect(error?.problem == .rank(minimum: 2, found: [2]))
        #expect(error?.description.contains("reshaped(to: [1, …])") == true)
    }

    @Test func anotherElementTypeIsADTypeError() {
        let error = #expect(throws: LayerInputError.self) { try model(checking: Tensor.ones(shape: [1, 2], dtype: .float64)) }
        #expect(error?.problem == .dtype(expected: .float32, found: .float64))
        #expect(error?.description.contains(".cast(to: .float32)") == true)
    }

    @Test func theCheckFollowsShapesThroughNestedContainers() {
        // The inner Sequential gives [1, 3]; the Dense after it takes 4 features.
        let nested = Sequential(Sequential(Dense(inputSize: 2, outputSize: 3, seed: 1)), Dense(inputSize: 4, outputSize: 1, seed: 2))
        let error = #expect(throws: LayerInputError.self) { try nested(checking: Tensor.ones(shape: [1, 2])) }
        #expect(error?.path == "1")
        #expect(error?.problem == .featureCount(expected: 4, found: [1, 3]))
        let deeper = Sequential(Sequential(Dense(inputSize: 2, outputSize: 3, seed: 1)))
        #expect(throws: LayerInputError(layer: "Dense", path: "0.0", problem: .featureCount(expected: 2, found: [1, 5]))) {
            try deeper(checking: Tensor.ones(shape: [1, 5]))
        }
    }

    @Test func activationsOtherThanReluTakeFloatingPointOnly() throws {
        let error = #expect(throws: LayerInputError.self) {
            try Sequential(ActivationLayer(.tanh))(checking: Tensor([1, 2] as [Int32]))
        }
        #expect(error == LayerInputError(layer: "ActivationLayer", path: "0", problem: .notFloatingPoint(found: .int32)))
        // relu only compares and selects, so the plain call takes integers and so does the check.
        #expect(try Sequential(ActivationLayer(.relu))(checking: Tensor([-1, 2] as [Int32])).scalars(as: Int32.self) == [0, 2])
        #expect(throws: LayerInputError(layer: "ActivationLayer", path: "0", problem: .rank(minimum: 1, found: []))) {
            try Sequential(ActivationLayer(.softmax))(checking: Tensor(Float(1)))
        }
    }

    @Test func aLayerThatDeclaresNothingEndsTheCheck() throws {
        let mixed = Sequential(Dense(inputSize: 2, outputSize: 5, seed: 1), Undeclared(), Dense(inputSize: 5, outputSize: 1, seed: 2))
        #expect(try mixed.outputSpec(for: TensorSpec(shape: [1, 2], dtype: .float32)) == nil)
        // Before the undeclared layer the check still applies.
        #expect(throws: LayerInputError.self) { try mixed(checking: Tensor.ones(shape: [1, 3])) }
        let y = try mixed(checking: Tensor.ones(shape: [1, 2]))
        #expect(y.shape == [1, 1])
    }
}
