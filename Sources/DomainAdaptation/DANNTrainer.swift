import Foundation
import RetrogradDistributed

/// Trains one ``DANNModel`` on a ``DomainData`` problem, epoch by epoch, in one ``DANNMode``.
///
/// Each step takes a batch of labelled source examples and as many unlabelled target
/// examples, and minimises
///
///     L = CE(G_y(G_f(x_s)), y_s) + BCE(G_d(R_λ(G_f([x_s; x_t]))), [0…0; 1…1])
///
/// with SGD and momentum, where R_λ is the gradient reversal layer (λ = λ_p for DANN,
/// 0 for source-only, so the baseline's domain classifier learns but never shapes the
/// features). λ_p and the learning rate μ_p follow the schedules of
/// ``DANNConfiguration``, with p = global step / total steps; the optimizer sets μ_p
/// itself from its step count.
///
/// Everything random comes from the configuration's seed: the initial weights (the same for
/// both modes), and each epoch's order of source and target examples. A run interrupted
/// after any epoch and continued from its checkpoint (``saveCheckpoint(to:)``,
/// ``restore(from:)``) therefore ends with exactly the numbers of an uninterrupted run.
public final class DANNTrainer {
    /// The training mode.
    public let mode: DANNMode
    /// The configuration being trained.
    public let configuration: DANNConfiguration
    /// The data.
    public let data: DomainData
    /// The network.
    public let model: DANNModel
    /// The optimizer: SGD with the configuration's momentum, its learning rate μ_p set by
    /// the configuration's ``DANNConfiguration/learningRateSchedule(totalSteps:)`` from
    /// the optimizer's own step count, which is the run's global step.
    public let optimizer: SGD
    /// One entry per completed epoch.
    public internal(set) var history: [EpochMetrics] = []
    /// The processes that share every step (`ProcessGroup.single` outside mpirun): each
    /// takes its shard of every batch, and the gradients are averaged before the update.
    public let group: ProcessGroup
    /// Steps in one epoch: source batches, the last one possibly smaller.
    public let stepsPerEpoch: Int

    let variables: [Variable]
    /// μ_p over the whole run; its progress p = step / total steps also drives λ_p.
    let learningRateSchedule: AnnealingSchedule

    /// Prepares a run: checks the configuration and the data and builds the model.
    ///
    /// With a distributed `group`, the configuration's batch size is the batch of a whole
    /// step over all processes, so any number of processes trains as one does.
    ///
    /// The model takes the data's examples as they are: rows for the MLP,
    /// `[height, width, channels]` images for the CNN (``DANNDataSpec/load(seed:model:)``
    /// shapes them).
    ///
    /// - Throws: ``DANNError/invalidConfiguration(name:value:rule:)``,
    ///   ``DANNError/unusableData(reason:)``, ``DANNError/notImages(shape:)``,
    ///   ``DANNError/imageTooSmall(height:width:minimum:)`` or ``DANNError/modelTooLarge(parameters:featureCount:hidden:classCount:)``.
    public init(configuration: DANNConfiguration, data: DomainData, mode: DANNMode, group: ProcessGroup = .single) throws(DANNError) {
        try configuration.validate()
        try Self.check(data)
        let exampleShape = configuration.model == .mlp ? [data.featureCount] : data.sourceTrain.exampleShape.dimensions
        let parameters = try configuration.parameterCount(exampleShape: exampleShape, classCount: data.classCount)
        guard let parameters, parameters <= DANNConfiguration.maximumParameterCount else {
            throw .modelTooLarge(
                parameters: parameters, featureCount: data.featureCount, hidden: configuration.hidden, classCount: data.classCount)
        }
        self.mode = mode
        self.group = group
        self.configuration = configuration
        // The MLP takes rows: images become rows of height · width · channels features (a view).
        self.data = configuration.model == .mlp ? data.flattened() : data
        model = try DANNModel(
            exampleShape: exampleShape, classCount: data.classCount, configuration: configuration,
            seed: derivedSeed(configuration.seed, stream: 1, index: 0))
        variables = model.trainableVariables
        stepsPerEpoch = data.sourceTrain.batches(size: configuration.batchSize).count
        learningRateSchedule = configuration.learningRateSchedule(totalSteps: stepsPerEpoch * configuration.epochs)
        optimizer = Self.makeOptimizer(configuration, schedule: learningRateSchedule)
    }

    /// SGD with the configuration's momentum and learning-rate schedule.
    static func makeOptimizer(_ configuration: DANNConfiguration, schedule: AnnealingSchedule) -> SGD {
        SGD(learningRate: configuration.learningRate, momentum: configuration.momentum, schedule: schedule)
    }

    /// Epochs completed so far.
    public var completedEpochs: Int { history.count }
    /// Steps in the whole run.
    public var totalSteps: Int { stepsPerEpoch * configuration.epochs }
    /// Whether every configured epoch has run.
    public var isFinished: Bool { completedEpochs >= configuration.epochs }

    /// Runs the next epoch and evaluates the model after it.
    ///
    /// - Parameter progress: Called after every step.
    /// - Throws: What a step's gradient request throws: an `AnomalyError` when the caller
    ///   runs training inside `withAnomalyDetection` and a NaN or infinity appears. The
    ///   failing step changes no weight; the epoch is not recorded.
    @discardableResult
    public func trainEpoch(progress: ((DANNProgress) -> Void)? = nil) throws -> EpochMetrics {
        checkPrecondition(!isFinished, "DANNTrainer: all \(configuration.epochs) epochs have run already")
        let epoch = completedEpochs
        var means = RunningMeans()
        var shares = [Double]()  // with several processes: each step's weighted figures, reduced at the end
        var (lambda, rate) = (0.0, 0.0)
        for (index, pair) in batches(epoch: epoch).enumerated() {
            let step = epoch * stepsPerEpoch + index
            lambda = self.lambda(atStep: step)
            rate = optimizer.currentLearningRate
            let figures = try self.step(source: pair.batch, target: pair.partner, lambda: lambda)
            if group.isDistributed { shares += Self.weightedFigures(figures, rows: pair.batch.count) }
            means.add(labelLoss: figures.labelLoss, domainLoss: figures.domainLoss, accuracy: figures.accuracy, domainAccuracy: figures.domainAccuracy)
            progress?(DANNProgress(
                mode: mode, epoch: epoch + 1, step: step + 1, totalSteps: totalSteps, labelLoss: means.labelLoss,
                domainLoss: means.domainLoss, domainAccuracy: means.domainAccuracy, lambda: lambda))
        }
        if group.isDistributed { means = combinedMeans(shares) }
        let metrics = EpochMetrics(
            epoch: epoch + 1, lambda: lambda, learningRate: rate, labelLoss: means.labelLoss, domainLoss: means.domainLoss,
            trainAccuracy: means.accuracy, trainDomainAccuracy: means.domainAccuracy, evaluation: evaluate())
        history.append(metrics)
        return metrics
    }

    /// The steps of an epoch: the source rows in batches, in the epoch's order, each with as
    /// many target rows, taken in the epoch's target order.
    func batches(epoch: Int) -> PairedBatchSequence {
        data.sourceTrain.batches(
            size: configuration.batchSize, shuffle: true, seed: derivedSeed(configuration.seed, stream: 2, index: epoch), shard: group.shard)
            .paired(with: data.targetTrain, shuffle: true, seed: derivedSeed(configuration.seed, stream: 3, index: epoch))
    }

    /// The gradient reversal scale of global step `step`: λ_p for DANN, 0 for source-only,
    /// at the progress the learning-rate schedule sees.
    func lambda(atStep step: Int) -> Double {
        mode == .dann ? configuration.lambda(atProgress: learningRateSchedule.progress(atStep: step)) : 0
    }

    /// One SGD step on a source batch and its target rows. Throws before the update when
    /// the gradient request throws, so a failed step changes no weight.
    private func step(source: Batch, target: Batch, lambda: Double) throws
        -> (labelLoss: Double, domainLoss: Double, accuracy: Double, domainAccuracy: Double)
    {
        model.reversal.scale = lambda
        // Only a process's shard of a short last batch can be empty: it joins the average with weight 0.
        guard source.count > 0 else { return skippedStep() }
        let tape = GradientTape()
        let losses = tape.record { self.losses(source: source, target: target) }
        let gradients = try tape.gradient(of: losses.total, wrt: variables)
        if group.isDistributed {
            // Each process's losses are means over its rows: weighting by the rows gives the mean over the whole batch.
            optimizer.apply(gradients: group.averageGradients(gradients, for: variables, weight: Double(source.count)), to: variables)
        } else {
            optimizer.apply(gradients: gradients, to: variables)
        }
        return (losses.label.scalar(as: Double.self), losses.domain.scalar(as: Double.self),
                accuracy(logits: losses.logits, labels: source.labels!),
                domainHits(losses.domainLogits.scalars(as: Double.self), sourceCount: source.count).overall)
    }

    /// The forward pass of one step (recorded by whatever tape is active), on the source
    /// rows then the target rows, with domains 0 (source) and 1 (target):
    /// L = CE(G_y(G_f(x_s)), y_s) + BCE(G_d(R_λ(G_f([x_s; x_t]))), domains), the domain
    /// loss reduced as ``DANNConfiguration/domainLossReduction`` says: the mean over the
    /// source and target rows, or their sum divided by the number of source rows (the
    /// source mean plus the target mean; the plain sum for one row of each).
    func losses(source: Batch, target: Batch) -> (total: Tensor, label: Tensor, domain: Tensor, logits: Tensor, domainLogits: Tensor) {
        let inputs = concat([source.features, target.features], axis: 0)
        let domains = Tensor([Float](repeating: 0, count: source.count) + [Float](repeating: 1, count: target.count), shape: [inputs.shape[0]])
            .cast(to: inputs.dtype)
        let features = model.features(inputs)
        let logits = model.classLogits(features: features.slice(0..<source.count))
        let domainLogits = model.domainLogits(features: features)
        let labelLoss = softmaxCrossEntropy(logits: logits, labels: source.labels!)
        let domainLoss = switch configuration.domainLossReduction {
        case .mean: binaryCrossEntropy(logits: domainLogits, labels: domains)
        case .sum where source.count == 1: binaryCrossEntropy(logits: domainLogits, labels: domains, reduction: .sum)
        case .sum: binaryCrossEntropy(logits: domainLogits, labels: domains, reduction: .sum) / Double(source.count)
        }
        return (labelLoss + domainLoss, labelLoss, domainLoss, logits, domainLogits)
    }

    /// The model's accuracy on the test sets, and its domain classifier's balanced accuracy.
    public func evaluate() -> Evaluation {
        let source = data.sourceTest, target = data.targetTest
        let sourceFeatures = model.features(source.features), targetFeatures = model.features(target.features)
        let sourceAccuracy = accuracy(logits: model.classLogits(features: sourceFeatures), labels: source.labels!)
        let targetAccuracy = target.labels.map { accuracy(logits: model.classLogits(features: targetFeatures), labels: $0) }
        let domainLogits = model.domainLogits(features: concat([sourceFeatures, targetFeatures], axis: 0))
        let hits = domainHits(domainLogits.scalars(as: Double.self), sourceCount: source.count)
        return Evaluation(sourceAccuracy: sourceAccuracy, targetAccuracy: targetAccuracy, domainAccuracy: hits.balanced)
    }

    /// The class probabilities of the label classifier for `features` (`[n, classCount]`).
    public func probabilities(_ inputs: Tensor) -> Tensor {
        model(inputs).softmax(axis: -1)
    }

    /// Refuses data the loop cannot train on, with the reason.
    static func check(_ data: DomainData) throws(DANNError) {
        guard data.sourceTrain.labels != nil, data.sourceTest.labels != nil else {
            throw .unusableData(reason: "the source domain has no labels. Give the source file a label column.")
        }
        for (name, split) in [("source training", data.sourceTrain), ("target training", data.targetTrain),
                              ("source test", data.sourceTest), ("target test", data.targetTest)] where split.count == 0 {
            throw .unusableData(reason: "the \(name) set is empty. Give each domain more rows.")
        }
        let counts = [data.sourceTrain, data.targetTrain, data.sourceTest, data.targetTest].map(\.featureCount)
        guard Set(counts).count == 1 else {
            throw .unusableData(reason: "the splits have different feature counts \(counts). Give both domains the same features.")
        }
        let shapes = [data.sourceTrain, data.targetTrain, data.sourceTest, data.targetTest].map(\.exampleShape)
        guard Set(shapes).count == 1 else {
            throw .unusableData(reason: "the splits have different example shapes \(shapes). Give both domains images of one size.")
        }
        guard data.classCount >= 2 else {
            throw .unusableData(reason: "there is only \(data.classCount) class. A classifier needs at least 2.")
        }
        for split in [data.sourceTrain, data.sourceTest, data.targetTest] {
            if let labels = split.labelScalars, let bad = labels.first(where: { $0 < 0 || Int($0) >= data.classCount }) {
                throw .unusableData(reason: "label \(bad) is outside 0..<\(data.classCount). Number the classes from 0.")
            }
        }
    }
}

/// The domain classifier's hits on logits whose first `sourceCount` entries are source
/// examples (correct when negative) and the rest target examples (correct when positive).
func domainHits(_ logits: [Double], sourceCount: Int) -> (overall: Double, balanced: Double) {
    let sourceHits = logits[..<sourceCount].filter { $0 < 0 }.count
    let targetHits = logits[sourceCount...].filter { $0 > 0 }.count
    let targetCount = logits.count - sourceCount
    let overall = Double(sourceHits + targetHits) / Double(max(logits.count, 1))
    let balanced = (Double(sourceHits) / Double(max(sourceCount, 1)) + Double(targetHits) / Double(max(targetCount, 1))) / 2
    return (overall, balanced)
}

/// A seed for one random stream of a run (initial weights, each epoch's source order, …),
/// mixed from the run's seed with SplitMix64's finaliser so nearby seeds give unrelated streams.
func derivedSeed(_ seed: UInt64, stream: UInt64, index: Int) -> UInt64 {
    var z = seed &+ 0x9E37_79B9_7F4A_7C15 &* (stream &* 0x1_0000_0001 &+ UInt64(index) &+ 1)
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}
