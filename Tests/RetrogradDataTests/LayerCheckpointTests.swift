import Foundation
import Testing
import RetrogradData
import RetrogradNN
import RetrogradTestSupport

// Whole-model checkpoints of the normalization, lookup and image layers: BatchNorm's
// running statistics travel with the weights, and a rebuilt model infers as the saved one.

/// Token ids → vectors → layer norm → flatten → dense → batch norm → dense.
private func textModel(momentum: Double = 0.2) -> Sequential {
    Sequential(
        Embedding(vocabularySize: 10, embeddingSize: 4, paddingIndex: 0, seed: 1), LayerNorm(normalizedShape: [4]), Flatten(),
        Dense(inputSize: 12, outputSize: 6, seed: 2), BatchNorm(featureCount: 6, momentum: momentum), ActivationLayer(.relu),
        Dropout(rate: 0.1, seed: 3), Dense(inputSize: 6, outputSize: 2, seed: 4))
}

private let tokens = Tensor([1, 4, 9, 0, 0, 3, 7, 7, 2, 5, 8, 6] as [Int32], shape: [4, 3])

@Suite struct LayerCheckpointTests {
    @Test func runningStatisticsAndWeightsAreRestoredAndInferenceAgrees() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let url = dir.file("text.safetensors")
        let original = textModel()
        var generator = SeededGenerator(seed: 5)
        for variable in original.trainableVariables {
            variable.assign(Tensor.randomNormal(shape: variable.shape, using: &generator))
        }
        for _ in 0..<3 { _ = original(tokens) }   // moves the running statistics
        let batchNorm = try #require(original[4] as? BatchNorm)
        #expect(batchNorm.runningMean.value.scalars(as: Float.self) != [Float](repeating: 0, count: 6))

        try Checkpoint.save(model: original, to: url)
        let checkpoint = try Checkpoint.load(from: url)
        #expect(checkpoint.tensors.keys.contains("4.runningMean") && checkpoint.tensors.keys.contains("4.runningVariance"))
        let rebuilt = try checkpoint.makeModel(as: Sequential.self)
        #expect((rebuilt[0] as? Embedding)?.paddingIndex == 0)
        #expect(rebuilt.namedVariables.map(\.name) == original.namedVariables.map(\.name))
        for (a, b) in zip(original.variables, rebuilt.variables) {
            #expect(a.value.scalars(as: Float.self) == b.value.scalars(as: Float.self), "\(a.name)")
            #expect(a.trainable == b.trainable, "\(a.name)")
        }
        original.isTraining = false
        rebuilt.isTraining = false
        #expect(rebuilt(tokens).scalars(as: Float.self) == original(tokens).scalars(as: Float.self))
    }

    @Test func aConvolutionalModelIsRebuiltAndInfersTheSame() throws {
        let original = Sequential(
            Conv2D(inputChannels: 2, filters: 4, kernelSize: (3, 3), strides: (1, 2), padding: .explicit(top: 1, bottom: 0, left: 1, right: 1),
                   dilations: (1, 1), groups: 2, activation: .relu, seed: 1),
            BatchNorm(featureCount: 4), MaxPool2D(windowSize: (2, 2), padding: .same),
            Conv2DTranspose(inputChannels: 4, filters: 3, kernelSize: (2, 2), strides: (2, 2), outputPadding: (1, 0), useBias: false, seed: 2),
            AvgPool2D(windowSize: (2, 2), strides: (1, 1)), Flatten(), Dense(inputSize: 8 * 3 * 3, outputSize: 2, seed: 3))
        // 8×8 → conv (7, 4) → same pool (4, 2) → transposed (9, 4) → pool (8, 3): 8·3·3 features.
        var generator = SeededGenerator(seed: 8)
        let images = Tensor.randomNormal(shape: [3, 8, 8, 2], using: &generator)
        #expect(try original.outputSpec(for: TensorSpec(of: images)) == TensorSpec(shape: [3, 2], dtype: .float32))
        _ = original(images)   // moves the running statistics
        let rebuilt = try Checkpoint(model: original).makeModel(as: Sequential.self)
        #expect(try LayerArchitecture(describing: rebuilt) == LayerArchitecture(describing: original))
        #expect(rebuilt.namedVariables.map(\.name) == ["0.filter", "0.bias", "1.scale", "1.offset", "1.runningMean", "1.runningVariance", "3.filter", "6.weight", "6.bias"])
        original.isTraining = false
        rebuilt.isTraining = false
        #expect(rebuilt(images).scalars(as: Float.self) == original(images).scalars(as: Float.self))
        let description = try LayerArchitecture(describing: original[0]).description
        #expect(description.contains(#""padding":{"explicit":{"bottom":0,"left":1,"right":1,"top":1}}"#), "\(description)")
    }

    @Test func imageLayersAreDescribedAndRebuilt() throws {
        let model = Sequential(
            BatchNorm(featureCount: 3, epsilon: 1e-3, affine: false, dtype: .float64), GlobalMaxPooling2D(keepingDimensions: true),
            Flatten(), LayerNorm(normalizedShape: [3], epsilon: 1e-4, affine: false, dtype: .float64))
        let other = Sequential(GlobalAveragePooling2D(), Embedding(vocabularySize: 3, embeddingSize: 2, dtype: .float64, seed: 1))
        for original in [model, other] {
            let rebuilt = try Checkpoint(model: original).makeModel(as: Sequential.self)
            #expect(try LayerArchitecture(describing: rebuilt) == LayerArchitecture(describing: original))
        }
        #expect(
            try LayerArchitecture(describing: model).description
                == #"{"configuration":{"layers":[{"configuration":{"affine":false,"dtype":"float64","epsilon":0.001,"#
                + #""featureCount":3,"momentum":0.1},"kind":"BatchNorm"},{"configuration":{"keepingDimensions":true},"#
                + #""kind":"GlobalMaxPooling2D"},{"configuration":{},"kind":"Flatten"},{"configuration":{"affine":false,"#
                + #""dtype":"float64","epsilon":0.0001,"normalizedShape":[3]},"kind":"LayerNorm"}]},"kind":"Sequential"}"#)
    }

    @Test func aDifferentMomentumIsAMismatch() throws {
        let checkpoint = try Checkpoint(model: textModel(momentum: 0.2))
        let error = thrownError(CheckpointError.self) { try checkpoint.restore(into: textModel(momentum: 0.1)) }
        #expect(error == .architectureMismatch(path: "layers.4.momentum", expected: "0.1", found: "0.2", file: nil))
    }

    @Test func settingsTheLayersRefuseAreInvalidArchitectures() throws {
        var checkpoint = try Checkpoint(model: Sequential(Flatten()))
        let cases: [(String, String)] = [
            (#"{"kind":"BatchNorm","configuration":{"featureCount":3,"momentum":1.5,"epsilon":1e-5,"affine":true,"dtype":"float32"}}"#,
             "momentum must be in 0...1, found 1.5"),
            (#"{"kind":"BatchNorm","configuration":{"featureCount":3,"momentum":0.1,"epsilon":0,"affine":true,"dtype":"float32"}}"#,
             "epsilon must be positive, found 0.0"),
            (#"{"kind":"LayerNorm","configuration":{"normalizedShape":[],"epsilon":1e-5,"affine":true,"dtype":"float32"}}"#,
             "normalizedShape must list 1 to 7 positive sizes, found []"),
            (#"{"kind":"Embedding","configuration":{"vocabularySize":0,"embeddingSize":2,"dtype":"float32"}}"#,
             "vocabularySize and embeddingSize must be positive (vocabularySize at most 2147483647), found 0 and 2"),
            (#"{"kind":"Embedding","configuration":{"vocabularySize":4,"embeddingSize":2,"dtype":"int32"}}"#,
             "dtype must be float32 or float64, found 'int32'"),
            (#"{"kind":"Embedding","configuration":{"vocabularySize":4,"embeddingSize":2,"dtype":"float32","paddingIndex":4}}"#,
             "paddingIndex must be in 0..<4, found 4"),
            (#"{"kind":"Conv2D","configuration":{"inputChannels":3,"filters":4,"kernelSize":[3],"strides":[1,1],"padding":{"same":{}},"#
                + #""dilations":[1,1],"groups":1,"activation":"relu","useBias":true,"dtype":"float32"}}"#,
             "kernelSize must be two positive numbers [height, width], found [3]"),
            (#"{"kind":"Conv2D","configuration":{"inputChannels":3,"filters":4,"kernelSize":[3,3],"strides":[1,1],"padding":{"valid":{}},"#
                + #""dilations":[1,1],"groups":2,"activation":"relu","useBias":true,"dtype":"float32"}}"#,
             "inputChannels and filters must be positive multiples of groups, found 3, 4 and 2"),
            (#"{"kind":"Conv2DTranspose","configuration":{"inputChannels":3,"filters":4,"kernelSize":[3,3],"strides":[2,2],"#
                + #""padding":{"same":{}},"outputPadding":[1,0],"dilations":[1,1],"activation":"relu","useBias":true,"dtype":"float32"}}"#,
             "outputPadding must be two numbers in 0..<stride (zeros with same padding), found [1, 0]"),
            (#"{"kind":"MaxPool2D","configuration":{"windowSize":[2,2],"strides":[2,2],"padding":{"explicit":{"top":2,"bottom":0,"left":0,"right":0}}}}"#,
             "padding must be smaller than the 2×2 window, found explicit(top: 2, bottom: 0, left: 0, right: 0)"),
            (#"{"kind":"AvgPool2D","configuration":{"windowSize":[2,2],"strides":[0,2],"padding":{"valid":{}}}}"#,
             "strides must be two positive numbers [height, width], found [0, 2]"),
        ]
        for (layer, reason) in cases {
            checkpoint.metadata[Checkpoint.architectureKey] = #"{"kind":"Sequential","configuration":{"layers":["# + layer + "]}}"
            let error = thrownError(CheckpointError.self) { _ = try checkpoint.makeModel() }
            #expect(error == .invalidArchitecture(path: "0", reason: reason, file: nil))
        }
    }
}
