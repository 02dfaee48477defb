@_exported import RetrogradData
@_exported import RetrogradNN
@_exported import RetrogradOptimizers

/// The four splits of a domain-adaptation problem.
///
/// The source domain is labelled and trained on; the target domain is trained on without
/// its labels (the domain classifier sees only which domain a point comes from). Target
/// labels, when known, are used only to evaluate.
public struct DomainData: Sendable {
    /// A short name for reports ("moons", "digits", or a file name).
    public var name: String
    /// Labelled source examples to train on.
    public var sourceTrain: Dataset
    /// Target examples to train on; labels, if present, are never used for training.
    public var targetTrain: Dataset
    /// Held-out labelled source examples.
    public var sourceTest: Dataset
    /// Held-out target examples; accuracy is reported only when they have labels.
    public var targetTest: Dataset
    /// The number of classes of the label classifier.
    public var classCount: Int
    /// How the data were made, for reports, when the name does not say it all (MNIST-M:
    /// which backgrounds); `nil` otherwise.
    public var details: String?

    /// Creates a problem from its four splits.
    public init(
        name: String, sourceTrain: Dataset, targetTrain: Dataset, sourceTest: Dataset, targetTest: Dataset, classCount: Int,
        details: String? = nil
    ) {
        self.name = name
        self.sourceTrain = sourceTrain
        self.targetTrain = targetTrain
        self.sourceTest = sourceTest
        self.targetTest = targetTest
        self.classCount = classCount
        self.details = details
    }

    /// The number of input features (for images, height · width · channels).
    public var featureCount: Int { sourceTrain.featureCount }

    /// The same problem with every split's examples flattened to rows (`Dataset.flattened()`),
    /// for a model that takes vectors, such as the MLP of ``DANNModel``.
    public func flattened() -> DomainData {
        DomainData(
            name: name, sourceTrain: sourceTrain.flattened(), targetTrain: targetTrain.flattened(),
            sourceTest: sourceTest.flattened(), targetTest: targetTest.flattened(), classCount: classCount, details: details)
    }

    /// The same problem with every split's examples laid out as `exampleShape`
    /// (`Dataset.reshaped(exampleShape:)`), such as `[8, 8, 3]` to see the digits' rows as
    /// the images they are, for the convolutional model of ``DANNModel``.
    public func reshaped(exampleShape: Shape) -> DomainData {
        DomainData(
            name: name, sourceTrain: sourceTrain.reshaped(exampleShape: exampleShape),
            targetTrain: targetTrain.reshaped(exampleShape: exampleShape), sourceTest: sourceTest.reshaped(exampleShape: exampleShape),
            targetTest: targetTest.reshaped(exampleShape: exampleShape), classCount: classCount, details: details)
    }
}
