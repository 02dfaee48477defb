import Testing
@testable import DomainAdaptation

@Suite struct DomainDataTests {
    @Test func describesItsSplits() throws {
        let source = try Dataset(features: Tensor([0, 1, 2, 3, 4, 5] as [Float], shape: [2, 3]), labels: [0, 1])
        let target = try Dataset(features: Tensor.zeros(shape: [4, 3]))
        let data = DomainData(name: "toy", sourceTrain: source, targetTrain: target, sourceTest: source, targetTest: target, classCount: 2)
        #expect(data.featureCount == 3)
        #expect(data.targetTrain.labels == nil && data.sourceTrain.count == 2 && data.targetTrain.count == 4)
    }
}
