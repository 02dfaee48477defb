/// The three parts of a domain-adversarial network (Ganin et al., 2016): a feature
/// extractor G_f, a label classifier G_y on the features, and a domain classifier G_d on
/// the features seen through a gradient reversal layer.
///
/// ```
/// x ─ features ─┬─ labelHead ──────────────── class logits
///               └─ reversal(λ) ─ domainHead ── domain logit (source 0, target 1)
/// ```
///
/// Variables are named "features.0.weight", "label.weight", "domain.0.weight", … so a
/// checkpoint says which part each tensor belongs to.
public final class DANNModel: Layer {
    /// G_f: `Dense` layers with the configured activation.
    public let features: Sequential
    /// G_y: a linear layer giving one logit per class.
    public let labelHead: Dense
    /// The gradient reversal layer in front of the domain classifier; its `scale` is λ.
    public let reversal: GradientReversal
    /// G_d: optional hidden ReLU layers and one logit (target vs source), its output layer
    /// initialised as the configuration's ``DANNConfiguration/domainHeadInitialization`` says.
    public let domainHead: Sequential
    /// Whether the layers behave as in training.
    public var isTraining = true {
        didSet {
            features.isTraining = isTraining
            domainHead.isTraining = isTraining
        }
    }

    /// Builds the network for `featureCount` inputs and `classCount` classes, with initial
    /// weights drawn from `seed`.
    public init(featureCount: Int, classCount: Int, configuration: DANNConfiguration, seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let activation = configuration.activation
        var width = featureCount
        var featureLayers = [any Layer]()
        for size in configuration.hidden {
            featureLayers.append(Dense(inputSize: width, outputSize: size, activation: activation, generator: &generator))
            width = size
        }
        features = Sequential(featureLayers)
        labelHead = Dense(inputSize: width, outputSize: classCount, generator: &generator)
        var domainLayers = [any Layer]()
        for size in configuration.domainHidden {
            domainLayers.append(Dense(inputSize: width, outputSize: size, activation: .relu, generator: &generator))
            width = size
        }
        let outputInitializer: Initializer = configuration.domainHeadInitialization == .zeros ? .zeros : .glorotUniform
        domainLayers.append(Dense(inputSize: width, outputSize: 1, weightInitializer: outputInitializer, generator: &generator))
        domainHead = Sequential(domainLayers)
        reversal = GradientReversal(scale: 0)
        assignVariableNames()
    }

    /// The class logits `[batch, classCount]` for `input`.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        labelHead(features(input))
    }

    /// The domain logits `[batch]` for features computed by ``features``: positive means
    /// "target". The features pass through the reversal layer first.
    public func domainLogits(features: Tensor) -> Tensor {
        let logits = domainHead(reversal(features))
        return logits.reshaped(to: [logits.shape[0]])
    }

    /// Variables are found in the properties; the heads keep the short names their
    /// checkpoints have always used: "features.…", then "label.…", then "domain.…".
    public static let variablePathNames = ["labelHead": "label", "domainHead": "domain"]

    /// Takes what ``features`` takes and gives `[batch, classCount]`.
    ///
    /// - Throws: `LayerInputError` with the path of the layer that refuses the input.
    public func outputSpec(for input: TensorSpec) throws(LayerInputError) -> TensorSpec? {
        let hidden: TensorSpec?
        do { hidden = try features.outputSpec(for: input) } catch { throw error.inside("features") }
        guard let hidden else { return nil }
        do { return try labelHead.outputSpec(for: hidden) } catch { throw error.inside("label") }
    }
}
