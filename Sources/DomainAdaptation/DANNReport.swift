import Foundation

/// The results of a run, as `report.json` holds them: the configuration, the data, and
/// per model its epoch-by-epoch metrics and final numbers.
///
/// The report is rewritten after every epoch, so an interrupted run's report shows how
/// far it got (``finished`` is false until every model has run all its epochs).
public struct DANNReport: Codable, Sendable, Equatable {
    /// The Retrograd version that wrote the report.
    public var retrograd: String
    /// What was trained on.
    public var data: DataSummary
    /// The run: data spec, configuration, modes.
    public var run: DANNRunDescription
    /// One entry per mode, in the run's order.
    public var models: [ModelReport]
    /// The plot files written next to the report (file names).
    public var plots: [String]
    /// Whether every model finished all its epochs.
    public var finished: Bool

    /// The data set's name, sizes and shape.
    public struct DataSummary: Codable, Sendable, Equatable {
        /// The data set's name.
        public var name: String
        /// Features per example.
        public var featureCount: Int
        /// Classes of the label classifier.
        public var classCount: Int
        /// Rows in each split.
        public var sourceTrain: Int, targetTrain: Int, sourceTest: Int, targetTest: Int
        /// Whether target accuracy could be measured.
        public var targetLabelled: Bool
        /// How the data were made (MNIST-M: which backgrounds), when the name does not say
        /// it all; absent from reports of other data.
        public var details: String?

        /// Summarises `data`.
        public init(_ data: DomainData) {
            name = data.name
            featureCount = data.featureCount
            classCount = data.classCount
            sourceTrain = data.sourceTrain.count
            targetTrain = data.targetTrain.count
            sourceTest = data.sourceTest.count
            targetTest = data.targetTest.count
            targetLabelled = data.targetTest.labels != nil
            details = data.details
        }
    }

    /// One model's training.
    public struct ModelReport: Codable, Sendable, Equatable {
        /// The mode it was trained in.
        public var mode: DANNMode
        /// Epochs completed.
        public var epochsCompleted: Int
        /// Metrics after each completed epoch.
        public var history: [EpochMetrics]
        /// The held-out evaluation after the last completed epoch.
        public var final: Evaluation?
        /// The checkpoint file (name inside the run directory).
        public var checkpoint: String
        /// Wall-clock seconds spent training in this process (not deterministic; not
        /// counted when comparing runs).
        public var seconds: Double

        /// Whether two reports have the same numbers, ignoring timing.
        public func sameResults(as other: ModelReport) -> Bool {
            mode == other.mode && epochsCompleted == other.epochsCompleted && history == other.history && final == other.final
        }
    }

    /// The report file's name inside a run directory.
    public static let fileName = "report.json"

    /// Writes the report as indented JSON into `directory`, atomically.
    public func write(to directory: URL) throws(DANNError) {
        try writeAtomically(Data(jsonText(self, pretty: true).utf8), to: directory.appendingPathComponent(Self.fileName))
    }

    /// Reads the report in `directory`.
    public static func read(from directory: URL) throws(DANNError) -> DANNReport {
        let url = directory.appendingPathComponent(fileName)
        do {
            return try jsonDecoder().decode(DANNReport.self, from: Data(contentsOf: url))
        } catch {
            throw .damagedRun(file: url.path, reason: "\(error)")
        }
    }
}
