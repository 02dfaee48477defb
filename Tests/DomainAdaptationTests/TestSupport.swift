import Foundation
import Testing
@_exported import RetrogradTestSupport
@testable import DomainAdaptation

extension ScratchDirectory {
    /// Writes `tensor` as a `.npy` file in the directory and returns its URL.
    func write(_ tensor: Tensor, to name: String) throws -> URL {
        let target = file(name)
        try NPY.write(tensor, to: target)
        return target
    }
}

/// Trains a model of each mode on `data` to its last epoch and returns each one's final
/// held-out evaluation.
func finalEvaluations(_ configuration: DANNConfiguration, data: DomainData) throws -> [DANNMode: Evaluation] {
    var evaluations = [DANNMode: Evaluation]()
    for mode in DANNMode.allCases {
        let trainer = try DANNTrainer(configuration: configuration, data: data, mode: mode)
        while !trainer.isFinished { try trainer.trainEpoch() }
        evaluations[mode] = try #require(trainer.history.last?.evaluation)
    }
    return evaluations
}
