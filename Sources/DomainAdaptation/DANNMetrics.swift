/// What one epoch of training did, and how the model scores after it.
///
/// Training figures are averages over the epoch's steps; evaluation figures are on the
/// held-out test sets after the epoch.
public struct EpochMetrics: Codable, Sendable, Equatable {
    /// The epoch, from 1.
    public var epoch: Int
    /// λ at the epoch's last step (0 for source-only).
    public var lambda: Double
    /// The learning rate at the epoch's last step.
    public var learningRate: Double
    /// Mean softmax cross-entropy of the label classifier on the source batches.
    public var labelLoss: Double
    /// Mean binary cross-entropy of the domain classifier on source and target batches.
    public var domainLoss: Double
    /// Label accuracy on the source training batches.
    public var trainAccuracy: Double
    /// Domain-classifier accuracy on the training batches (half source, half target).
    public var trainDomainAccuracy: Double
    /// The held-out evaluation after the epoch.
    public var evaluation: Evaluation
}

/// How a model scores on the held-out data.
public struct Evaluation: Codable, Sendable, Equatable {
    /// Label accuracy on the source test set.
    public var sourceAccuracy: Double
    /// Label accuracy on the target test set; `nil` when the target has no labels.
    public var targetAccuracy: Double?
    /// Balanced accuracy of the domain classifier on the source and target test sets: the
    /// mean of its accuracy on each domain, so 0.5 is chance whatever the set sizes.
    public var domainAccuracy: Double
}

/// Where a training run is, for progress displays.
public struct DANNProgress: Sendable {
    /// The mode being trained.
    public var mode: DANNMode
    /// The current epoch, from 1.
    public var epoch: Int
    /// Steps done so far in the whole run, from 1.
    public var step: Int
    /// Steps in the whole run.
    public var totalSteps: Int
    /// Mean label loss so far in this epoch.
    public var labelLoss: Double
    /// Mean domain loss so far in this epoch.
    public var domainLoss: Double
    /// Domain-classifier accuracy so far in this epoch.
    public var domainAccuracy: Double
    /// λ at this step.
    public var lambda: Double
}

/// Accumulates per-step figures into epoch means.
struct RunningMeans {
    private(set) var steps = 0
    private var sums = (label: 0.0, domain: 0.0, accuracy: 0.0, domainAccuracy: 0.0)

    mutating func add(labelLoss: Double, domainLoss: Double, accuracy: Double, domainAccuracy: Double) {
        steps += 1
        sums.label += labelLoss
        sums.domain += domainLoss
        sums.accuracy += accuracy
        sums.domainAccuracy += domainAccuracy
    }

    private func mean(_ sum: Double) -> Double { steps > 0 ? sum / Double(steps) : 0 }
    var labelLoss: Double { mean(sums.label) }
    var domainLoss: Double { mean(sums.domain) }
    var accuracy: Double { mean(sums.accuracy) }
    var domainAccuracy: Double { mean(sums.domainAccuracy) }
}
