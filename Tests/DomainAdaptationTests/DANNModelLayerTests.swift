import Testing
import DomainAdaptation

// DANNModel as a layer: the variable names its checkpoints and reports have always used,
// now found in its properties, and the throwing call with the path of the refusing layer.

@Suite struct DANNModelLayerTests {
    private let configuration = DANNConfiguration(epochs: 1, batchSize: 4, hidden: [5, 3], domainHidden: [4], learningRate: 0.1)

    @Test func variablesKeepTheirCheckpointNames() {
        let model = DANNModel(featureCount: 2, classCount: 3, configuration: configuration, seed: 1)
        #expect(
            model.variables.map(\.name) == [
                "features.0.weight", "features.0.bias", "features.1.weight", "features.1.bias",
                "label.weight", "label.bias", "domain.0.weight", "domain.0.bias", "domain.1.weight", "domain.1.bias",
            ])
        #expect(model.variable(named: "label.weight") === model.labelHead.weight)
    }

    @Test func theCheckedCallNamesTheLayerInsideTheFeatureExtractor() throws {
        let model = DANNModel(featureCount: 2, classCount: 3, configuration: configuration, seed: 1)
        let error = #expect(throws: LayerInputError.self) { try model(checking: Tensor.ones(shape: [4, 7])) }
        #expect(error == LayerInputError(layer: "Dense", path: "features.0", problem: .featureCount(expected: 2, found: [4, 7])))
        #expect(try model(checking: Tensor.ones(shape: [4, 2])).shape == [4, 3])
    }
}
