import Foundation
import RetrogradDistributed

/// Hooks through which a running experiment reports progress and can be asked to stop.
public struct DANNObserver {
    /// Called when a model starts or continues training, with the epochs it has already done.
    public var modeStarted: (DANNMode, _ completedEpochs: Int, _ trainer: DANNTrainer) -> Void
    /// Called after every training step.
    public var step: (DANNProgress) -> Void
    /// Called after every epoch (its checkpoint and the report are rewritten as
    /// ``DANNExperiment/checkpointInterval`` says).
    public var epochFinished: (DANNMode, EpochMetrics) -> Void
    /// Asked after every epoch; returning true stops the run there (it can be resumed).
    public var shouldStop: () -> Bool

    /// Creates an observer; every hook does nothing by default.
    public init(
        modeStarted: @escaping (DANNMode, Int, DANNTrainer) -> Void = { _, _, _ in },
        step: @escaping (DANNProgress) -> Void = { _ in },
        epochFinished: @escaping (DANNMode, EpochMetrics) -> Void = { _, _ in },
        shouldStop: @escaping () -> Bool = { false }
    ) {
        self.modeStarted = modeStarted
        self.step = step
        self.epochFinished = epochFinished
        self.shouldStop = shouldStop
    }
}

/// A DANN run in an output directory: trains each mode in turn, writes its checkpoint and
/// `report.json` as it goes (see ``checkpointInterval``), and the plots at the end.
///
/// The directory holds `run.json` (what the run is), `report.json`, one checkpoint per
/// mode (`dann.safetensors`, `source-only.safetensors`) and the SVG plots. A run stopped
/// at any point continues with ``resume(from:group:)`` and ends with the numbers an
/// uninterrupted run would have given.
public final class DANNExperiment {
    /// The run directory.
    public let directory: URL
    /// What is being run.
    public let description: DANNRunDescription
    /// The data, loaded from ``DANNRunDescription/data``.
    public let data: DomainData
    /// One trainer per mode, in the description's order.
    public let trainers: [DANNTrainer]
    /// The report as last written.
    public private(set) var report: DANNReport
    /// The processes training together; only rank 0 writes files.
    public let group: ProcessGroup
    /// How often a model's checkpoint and `report.json` are rewritten while it trains, in
    /// seconds: after its first epoch, then after the first epoch that ends at least this
    /// long after the last write, and always after its last epoch and when the observer
    /// stops the run. Each write is atomic and synced to disk, which costs far more than an
    /// epoch of a small model (moons: about 5 ms); 0 writes after every epoch. A run killed
    /// outright resumes from its last checkpoint and still ends with the numbers of an
    /// uninterrupted run.
    public var checkpointInterval: TimeInterval = 1

    private init(directory: URL, description: DANNRunDescription, previousSeconds: [DANNMode: Double], group: ProcessGroup) throws {
        self.directory = directory
        self.description = description
        self.group = group
        data = try description.data.load(seed: description.configuration.seed, model: description.configuration.model)
        var trainers = [DANNTrainer]()
        for mode in description.modes {
            try trainers.append(DANNTrainer(configuration: description.configuration, data: data, mode: mode, group: group))
        }
        self.trainers = trainers
        report = DANNReport(
            retrograd: retrogradVersion, data: DANNReport.DataSummary(data), run: description,
            models: trainers.map {
                DANNReport.ModelReport(
                    mode: $0.mode, epochsCompleted: 0, history: [], final: nil,
                    checkpoint: Self.checkpointName($0.mode), seconds: previousSeconds[$0.mode] ?? 0)
            },
            plots: [], finished: false)
    }

    /// The checkpoint file name of a mode.
    public static func checkpointName(_ mode: DANNMode) -> String { "\(mode.name).safetensors" }

    /// Starts a new run in `directory`, creating it if needed, and writes `run.json`.
    ///
    /// The data are loaded and checked before anything is written, so a bad file leaves no
    /// directory behind. With a distributed `group`, every process loads the data and
    /// builds the models, the processes check that they agree (`synchronize()`), and rank 0
    /// alone writes.
    ///
    /// - Throws: ``DANNError/runExists(directory:)`` when the directory already holds a run
    ///   (resume it instead); ``DANNError/writeFailed(path:reason:)``; the data's loading
    ///   errors; ``DANNError/invalidConfiguration(name:value:rule:)``; and
    ///   `DistributedError.mismatch` when the processes disagree.
    public static func start(_ description: DANNRunDescription, in directory: URL, group: ProcessGroup = .single) throws -> DANNExperiment {
        try description.configuration.validate()
        let runFile = directory.appendingPathComponent(DANNRunDescription.fileName)
        if FileManager.default.fileExists(atPath: runFile.path) { throw DANNError.runExists(directory: directory.path) }
        let experiment = try DANNExperiment(directory: directory, description: description, previousSeconds: [:], group: group)
        // Every process has checked for an earlier run before rank 0 writes this one.
        try experiment.synchronize()
        guard group.isMain else { return experiment }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw DANNError.writeFailed(path: directory.path, reason: error.localizedDescription)
        }
        try description.write(to: directory)
        try experiment.writeReport()
        return experiment
    }

    /// Reopens the run in `directory` where its checkpoints left it, with any number of
    /// processes (every process reads the directory: a shared file system across machines).
    ///
    /// - Throws: ``DANNError/noRunToResume(directory:)``, ``DANNError/damagedRun(file:reason:)``,
    ///   ``DANNError/checkpointMismatch(file:reason:)`` and the data's loading errors.
    public static func resume(from directory: URL, group: ProcessGroup = .single) throws -> DANNExperiment {
        let description = try DANNRunDescription.read(from: directory)
        let previous = (try? DANNReport.read(from: directory))?.models ?? []
        let experiment = try DANNExperiment(
            directory: directory, description: description,
            previousSeconds: Dictionary(previous.map { ($0.mode, $0.seconds) }, uniquingKeysWith: { a, _ in a }), group: group)
        for trainer in experiment.trainers {
            let url = directory.appendingPathComponent(checkpointName(trainer.mode))
            if FileManager.default.fileExists(atPath: url.path) { try trainer.restore(from: url) }
        }
        try experiment.synchronize()
        experiment.refreshModels()
        return experiment
    }

    /// Trains every mode to its last epoch, unless the observer asks to stop, then writes
    /// the plots. Returns the report (its ``DANNReport/finished`` says whether all ran).
    @discardableResult
    public func run(observer: DANNObserver = DANNObserver()) throws -> DANNReport {
        for (index, trainer) in trainers.enumerated() {
            observer.modeStarted(trainer.mode, trainer.completedEpochs, trainer)
            var lastWrite: Date?
            while !trainer.isFinished {
                let started = Date()
                let metrics = try trainer.trainEpoch(progress: observer.step)
                let ended = Date()
                report.models[index].seconds += ended.timeIntervalSince(started)
                observer.epochFinished(trainer.mode, metrics)
                // Every process stops after the same epoch when any of them is asked to.
                let stopping = !trainers.allSatisfy(\.isFinished) && group.anyRank(observer.shouldStop())
                if group.isMain, lastWrite.map({ ended.timeIntervalSince($0) >= checkpointInterval }) ?? true
                    || trainer.isFinished || stopping
                {
                    try trainer.saveCheckpoint(to: directory.appendingPathComponent(Self.checkpointName(trainer.mode)))
                    try writeReport()
                    lastWrite = ended
                }
                if stopping { return report }
            }
        }
        guard group.isMain else {
            refreshModels()
            return report
        }
        report.plots = try DANNPlots.write(for: self)
        try writeReport()
        return report
    }

    /// Copies the trainers' histories into the report and writes it.
    private func writeReport() throws(DANNError) {
        refreshModels()
        try report.write(to: directory)
    }

    private func refreshModels() {
        for (index, trainer) in trainers.enumerated() {
            report.models[index].epochsCompleted = trainer.completedEpochs
            report.models[index].history = trainer.history
            report.models[index].final = trainer.history.last?.evaluation
        }
        report.finished = trainers.allSatisfy(\.isFinished)
    }
}
