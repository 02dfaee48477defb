import Foundation

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
/// ``DANNConfiguration``, with p = global step / total steps.
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
    /// The optimizer (SGD with the configuration's momentum).
    public let optimizer: SGD
    /// One entry per completed epoch.
    public internal(set) var history: [EpochMetrics] = []
    /// Steps in one epoch: source batches, the last one possibly smaller.
    public let stepsPerEpoch: Int

    let variables: [Variable]

    /// Prepares a run: checks the configuration and the data and builds the model.
    ///
    /// - Throws: ``DANNError/invalidConfiguration(name:value:rule:)``,
    ///   ``DANNError/unusableData(reason:)`` or ``DANNError/modelTooLarge(parameters:featureCount:hidden:classCount:)``.
    public init(configuration: DANNConfiguration, data: DomainData, mode: DANNMode) throws(DANNError) {
        try configuration.validate()
        try Self.check(data)
        let parameters = configuration.parameterCount(featureCount: data.featureCount, classCount: data.classCount)
        guard let parameters, parameters <= DANNConfiguration.maximumParameterCount else {
            throw .modelTooLarge(
                parameters: parameters, featureCount: data.featureCount, hidden: configuration.hidden, classCount: data.classCount)
        }
        self.mode = mode
        self.configuration = configuration
        self.data = data
        model = DANNModel(
            featureCount: data.featureCount, classCount: data.classCount, configuration: configuration,
            seed: derivedSeed(configuration.seed, stream: 1, index: 0))
        variables = model.trainableVariables
        optimizer = SGD(learningRate: configuration.learningRate, momentum: configuration.momentum)
        // Rounded up without computing count + batchSize - 1, which overflows for a huge batch size.
        let (full, rest) = data.sourceTrain.count.quotientAndRemainder(dividingBy: configuration.batchSize)
        stepsPerEpoch = rest == 0 ? full : full + 1
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
    @discardableResult
    public func trainEpoch(progress: ((DANNProgress) -> Void)? = nil) -> EpochMetrics {
        precondition(!isFinished, "DANNTrainer: all \(configuration.epochs) epochs have run already")
        let epoch = completedEpochs
        let orders = self.orders(epoch: epoch)
        var means = RunningMeans()
        var (lambda, rate) = (0.0, 0.0)
        for batch in 0..<stepsPerEpoch {
            let step = epoch * stepsPerEpoch + batch
            let p = Double(step) / Double(totalSteps)
            lambda = mode == .dann ? configuration.lambda(atProgress: p) : 0
            rate = configuration.learningRate(atProgress: p)
            let (sourceRows, targetRows) = rows(batch: batch, orders)
            let figures = self.step(sourceRows: sourceRows, targetRows: targetRows, lambda: lambda, learningRate: rate)
            means.add(labelLoss: figures.labelLoss, domainLoss: figures.domainLoss, accuracy: figures.accuracy, domainAccuracy: figures.domainAccuracy)
            progress?(DANNProgress(
                mode: mode, epoch: epoch + 1, step: step + 1, totalSteps: totalSteps, labelLoss: means.labelLoss,
                domainLoss: means.domainLoss, domainAccuracy: means.domainAccuracy, lambda: lambda))
        }
        let metrics = EpochMetrics(
            epoch: epoch + 1, lambda: lambda, learningRate: rate, labelLoss: means.labelLoss, domainLoss: means.domainLoss,
            trainAccuracy: means.accuracy, trainDomainAccuracy: means.domainAccuracy, evaluation: evaluate())
        history.append(metrics)
        return metrics
    }

    /// The epoch's order of source and of target examples.
    func orders(epoch: Int) -> (source: [Int], target: [Int]) {
        (Dataset.permutation(count: data.sourceTrain.count, seed: derivedSeed(configuration.seed, stream: 2, index: epoch)),
         Dataset.permutation(count: data.targetTrain.count, seed: derivedSeed(configuration.seed, stream: 3, index: epoch)))
    }

    /// The source rows of step `batch` of an epoch, and as many target rows.
    func rows(batch: Int, _ orders: (source: [Int], target: [Int])) -> (source: [Int], target: [Int]) {
        let batchSize = configuration.batchSize
        let start = batch * batchSize  // below orders.source.count, so neither this nor the end overflows
        let sourceRows = Array(orders.source[start..<(start + min(batchSize, orders.source.count - start))])
        let targetRows = sourceRows.indices.map { orders.target[(batch * batchSize + $0) % orders.target.count] }
        return (sourceRows, targetRows)
    }

    /// One SGD step on the given source and target rows.
    private func step(sourceRows: [Int], targetRows: [Int], lambda: Double, learningRate: Double)
        -> (labelLoss: Double, domainLoss: Double, accuracy: Double, domainAccuracy: Double)
    {
        let batch = self.batch(sourceRows: sourceRows, targetRows: targetRows)
        model.reversal.scale = lambda
        optimizer.learningRate = learningRate
        let tape = GradientTape()
        let losses = tape.record { self.losses(batch) }
        // A fresh one-shot tape asked once: `gradient` has nothing to throw here.
        let gradients = try! tape.gradient(of: losses.total, wrt: variables)
        optimizer.apply(gradients: gradients, to: variables)
        return (losses.label.scalar(as: Double.self), losses.domain.scalar(as: Double.self),
                accuracy(logits: losses.logits, labels: batch.labels),
                domainHits(losses.domainLogits.scalars(as: Double.self), sourceCount: sourceRows.count).overall)
    }

    /// The inputs of one step: source rows then target rows, their domains (source 0,
    /// target 1) and the source labels.
    struct Batch {
        let inputs: Tensor
        let domains: Tensor
        let labels: Tensor
        let sourceCount: Int
    }

    func batch(sourceRows: [Int], targetRows: [Int]) -> Batch {
        let source = data.sourceTrain.rows(sourceRows), target = data.targetTrain.features.gather(indices: targetRows)
        let inputs = concat([source.features, target], axis: 0)
        let domains = Tensor(sourceRows.map { _ in Float(0) } + targetRows.map { _ in Float(1) }, shape: [inputs.shape[0]])
            .cast(to: inputs.dtype)
        return Batch(inputs: inputs, domains: domains, labels: source.labels!, sourceCount: sourceRows.count)
    }

    /// The forward pass of one step (recorded by whatever tape is active):
    /// L = CE(G_y(G_f(x_s)), y_s) + BCE(G_d(R_λ(G_f([x_s; x_t]))), domains).
    func losses(_ batch: Batch) -> (total: Tensor, label: Tensor, domain: Tensor, logits: Tensor, domainLogits: Tensor) {
        let features = model.features(batch.inputs)
        let logits = model.labelHead(features.slice(0..<batch.sourceCount))
        let domainLogits = model.domainLogits(features: features)
        let labelLoss = softmaxCrossEntropy(logits: logits, labels: batch.labels)
        let domainLoss = binaryCrossEntropy(logits: domainLogits, labels: batch.domains)
        return (labelLoss + domainLoss, labelLoss, domainLoss, logits, domainLogits)
    }

    /// The model's accuracy on the test sets, and its domain classifier's balanced accuracy.
    public func evaluate() -> Evaluation {
        let source = data.sourceTest, target = data.targetTest
        let sourceFeatures = model.features(source.features), targetFeatures = model.features(target.features)
        let sourceAccuracy = accuracy(logits: model.labelHead(sourceFeatures), labels: source.labels!)
        let targetAccuracy = target.labels.map { accuracy(logits: model.labelHead(targetFeatures), labels: $0) }
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
