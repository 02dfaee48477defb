import Foundation

// The graph of one DANN training step, for `retrograd dann --dump-graph`.

extension DANNTrainer {
    /// The Graphviz DOT graph of one training step: the recorded forward pass of the next
    /// step (the first step of the current epoch; of the last epoch once training is done),
    /// from the inputs through the feature extractor, the label head, the gradient reversal
    /// layer and the domain head to the label, domain and total losses.
    ///
    /// Nothing the run depends on changes: no weight, no optimizer state, no random stream,
    /// and the reversal scale is restored.
    public func stepGraph() -> String {
        let epoch = min(completedEpochs, configuration.epochs - 1)
        let (source, target) = batches(epoch: epoch)[0]
        let scale = model.reversal.scale
        defer { model.reversal.scale = scale }
        model.reversal.scale = lambda(atStep: epoch * stepsPerEpoch)
        let tape = GradientTape(persistent: true, keepingGraphDetails: true)
        let losses = tape.record { self.losses(source: source, target: target) }
        // A persistent tape that has answered nothing: its records are all there.
        return try! tape.graphviz(outputs: ["label loss": losses.label, "domain loss": losses.domain, "total loss": losses.total])
    }
}

extension DANNExperiment {
    /// Refuses, before a run starts, a path where a graph file cannot be written: a
    /// directory, or a file in a directory that does not exist or is not writable.
    ///
    /// - Throws: ``DANNError/writeFailed(path:reason:)``.
    public static func checkGraphDestination(_ url: URL) throws(DANNError) {
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        if files.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { throw .writeFailed(path: url.path, reason: "it is a directory; give a file name such as step.dot") }
            if !files.isWritableFile(atPath: url.path) { throw .writeFailed(path: url.path, reason: "the file is not writable") }
            return
        }
        let parent = url.deletingLastPathComponent()
        guard files.fileExists(atPath: parent.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .writeFailed(path: url.path, reason: "the directory \(parent.path) does not exist")
        }
        if !files.isWritableFile(atPath: parent.path) {
            throw .writeFailed(path: url.path, reason: "the directory \(parent.path) is not writable")
        }
    }

    /// Writes ``DANNTrainer/stepGraph()`` of the DANN model (of the first model when the
    /// run has no DANN model) to `url` and returns that model's mode.
    ///
    /// - Throws: ``DANNError/writeFailed(path:reason:)``.
    @discardableResult
    public func writeStepGraph(to url: URL) throws(DANNError) -> DANNMode {
        let trainer = trainers.first { $0.mode == .dann } ?? trainers[0]
        do {
            try Data(trainer.stepGraph().utf8).write(to: url, options: .atomic)
        } catch {
            throw .writeFailed(path: url.path, reason: error.localizedDescription)
        }
        return trainer.mode
    }
}
