import Foundation

extension DANNTrainer {
    /// Metadata keys of a DANN checkpoint.
    enum CheckpointKey {
        static let mode = "dann.mode"
        static let configuration = "dann.configuration"
        static let history = "dann.history"
        static let data = "dann.data"
        /// The prefix of the optimizer's state tensors.
        static let optimizerPrefix = "optimizer:"
    }

    /// Writes the model, the optimizer's state, the configuration and the history so far to
    /// `url` (safetensors), atomically: a crash leaves the previous checkpoint in place.
    public func saveCheckpoint(to url: URL) throws(DANNError) {
        var extra = [String: Tensor]()
        for (key, tensor) in optimizer.stateTensors(for: variables) { extra[CheckpointKey.optimizerPrefix + key] = tensor }
        let metadata = [
            CheckpointKey.mode: mode.name,
            CheckpointKey.configuration: jsonText(configuration),
            CheckpointKey.history: jsonText(history),
            CheckpointKey.data: data.name,
            "epoch": String(completedEpochs),
        ]
        do {
            try Checkpoint.save(variables: model.variables, extra: extra, metadata: metadata, to: url)
        } catch {
            throw .checkpoint(error)
        }
    }

    /// Continues from a checkpoint written by ``saveCheckpoint(to:)`` for the same mode,
    /// configuration and data: restores the weights, the optimizer's momentum and step
    /// counts (its `iterations`, the global step its learning-rate schedule reads), and the
    /// history, so the next epoch is the one after the checkpoint's.
    ///
    /// Everything is checked before anything changes.
    ///
    /// - Throws: ``DANNError/checkpointMismatch(file:reason:)`` when the checkpoint is for
    ///   another mode, configuration or data set, holds other variables, or an optimizer
    ///   step count that does not match its epochs;
    ///   ``DANNError/checkpoint(_:)`` when the file cannot be read.
    public func restore(from url: URL) throws(DANNError) {
        let checkpoint: Checkpoint
        do {
            checkpoint = try Checkpoint.load(from: url)
        } catch {
            throw .checkpoint(error)
        }
        let file = url.path
        let metadata = checkpoint.metadata
        guard metadata[CheckpointKey.mode] == mode.name else {
            throw .checkpointMismatch(file: file, reason: "it is for mode '\(metadata[CheckpointKey.mode] ?? "none")', not '\(mode.name)'")
        }
        guard metadata[CheckpointKey.data] == data.name else {
            throw .checkpointMismatch(file: file, reason: "it is for data '\(metadata[CheckpointKey.data] ?? "none")', not '\(data.name)'")
        }
        guard let text = metadata[CheckpointKey.configuration],
            let saved = try? jsonDecoder().decode(DANNConfiguration.self, from: Data(text.utf8)), saved == configuration
        else {
            throw .checkpointMismatch(file: file, reason: "its configuration differs from this run's")
        }
        guard let historyText = metadata[CheckpointKey.history],
            let savedHistory = try? jsonDecoder().decode([EpochMetrics].self, from: Data(historyText.utf8)),
            savedHistory.count <= configuration.epochs
        else {
            throw .checkpointMismatch(file: file, reason: "its epoch history is missing or unreadable")
        }
        var state = [String: Tensor]()
        for (key, tensor) in checkpoint.extra where key.hasPrefix(CheckpointKey.optimizerPrefix) {
            state[String(key.dropFirst(CheckpointKey.optimizerPrefix.count))] = tensor
        }
        // Check both parts before changing either: the optimizer first on a scratch copy.
        let scratch = Self.makeOptimizer(configuration, schedule: learningRateSchedule)
        do {
            try scratch.loadState(state, for: variables)
        } catch {
            throw .checkpointMismatch(file: file, reason: "the optimizer state does not fit: \(error)")
        }
        // The schedule reads the optimizer's step count as the run's global step.
        guard scratch.iterations == savedHistory.count * stepsPerEpoch else {
            throw .checkpointMismatch(
                file: file,
                reason: "its optimizer has taken \(scratch.iterations) steps, but its \(savedHistory.count) epochs of "
                    + "\(stepsPerEpoch) steps make \(savedHistory.count * stepsPerEpoch)")
        }
        do {
            try checkpoint.restore(into: model.variables)
        } catch {
            throw .checkpoint(error)
        }
        try? optimizer.loadState(state, for: variables)
        history = savedHistory
    }
}
