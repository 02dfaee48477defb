import Foundation
import RetrogradData
import RetrogradDistributed

extension DANNExperiment {
    /// With several processes: checks that every process runs the same description on the
    /// same data with the same models at the same epoch (one small gather of digests), then
    /// gives every process rank 0's weights and optimizer state. Nothing to do alone.
    ///
    /// - Throws: `DistributedError.mismatch` naming
    ///   the first process that differs from rank 0 and in what.
    func synchronize() throws {
        guard group.isDistributed else { return }
        var facts = [
            AgreementFact("run description (data, configuration, modes)", text: jsonText(description)),
            .contents(of: data.sourceTrain, name: "source training data"),
            .contents(of: data.targetTrain, name: "target training data"),
            .contents(of: data.sourceTest, name: "source test data"),
            .contents(of: data.targetTest, name: "target test data"),
        ]
        for trainer in trainers {
            facts.append(.layout(of: trainer.model.variables, name: "\(trainer.mode.name) model variables (names, shapes, element types)"))
            facts.append(AgreementFact("\(trainer.mode.name) checkpoint epoch", text: String(trainer.completedEpochs)))
        }
        try group.checkAgreement(facts)
        for trainer in trainers {
            group.broadcast(trainer.model.variables)
            try group.broadcastState(of: trainer.optimizer, for: trainer.variables)
        }
    }
}
