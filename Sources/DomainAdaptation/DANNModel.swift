/// The three parts of a domain-adversarial network (Ganin et al., 2016): a feature
/// extractor G_f, a label classifier G_y on the features, and a domain classifier G_d on
/// the features seen through a gradient reversal layer.
///
/// ```
/// x ─ features ─┬─ labelHidden ─ labelHead ── class logits
///               └─ reversal(λ) ─ domainHead ── domain logit (source 0, target 1)
/// ```
///
/// The feature extractor is dense layers on rows (``DANNArchitecture/mlp``) or convolution
/// blocks on NHWC images followed by a flattening (``DANNArchitecture/cnn``), as the
/// configuration's ``DANNConfiguration/model`` says.
///
/// Variables are named "features.0.weight" (the CNN's "features.0.filter", "features.2.filter"),
/// "labelHidden.0.weight", "label.weight", "domain.0.weight", … so a checkpoint says which
/// part each tensor belongs to.
public final class DANNModel: Layer {
    /// G_f: `Dense` layers with the configured activation, or per block a `Conv2D` with the
    /// activation and a `MaxPool2D`, then a `Flatten`.
    public let features: Sequential
    /// The hidden layers of G_y (``DANNConfiguration/labelHidden``; none for a linear classifier).
    public let labelHidden: Sequential
    /// G_y's output layer: a linear layer giving one logit per class.
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
            labelHidden.isTraining = isTraining
            domainHead.isTraining = isTraining
        }
    }

    /// Builds the MLP for `featureCount` inputs and `classCount` classes, with initial
    /// weights drawn from `seed`. The configuration's ``DANNConfiguration/model`` must be
    /// ``DANNArchitecture/mlp``: use ``init(exampleShape:classCount:configuration:dtype:seed:)`` for any.
    public convenience init(featureCount: Int, classCount: Int, configuration: DANNConfiguration, seed: UInt64) {
        checkPrecondition(
            configuration.model == .mlp,
            "DANNModel(featureCount:): the configuration's model is \(configuration.model.name); build it with DANNModel(exampleShape:)")
        try! self.init(exampleShape: [featureCount], classCount: classCount, configuration: configuration, seed: seed)
    }

    /// Builds the network for examples of `exampleShape` and `classCount` classes, with
    /// initial weights drawn from `seed` in order: feature extractor, label classifier,
    /// domain classifier. The MLP takes rows (`[featureCount]`; it flattens no input
    /// itself); the CNN takes `[height, width, channels]` images and scales to them as
    /// ``DANNConvolutionPlan`` says.
    ///
    /// The variables are float32 unless `dtype` says otherwise (float64 for gradient checks).
    ///
    /// - Throws: ``DANNError/notImages(shape:)`` or ``DANNError/imageTooSmall(height:width:minimum:)``
    ///   when the CNN cannot take such examples.
    public init(
        exampleShape: [Int], classCount: Int, configuration: DANNConfiguration, dtype: DType = .float32, seed: UInt64
    ) throws(DANNError) {
        var generator = SeededGenerator(seed: seed)
        let activation = configuration.activation
        var width: Int
        var featureLayers = [any Layer]()
        switch configuration.model {
        case .mlp:
            width = exampleShape.reduce(1, *)
            for size in configuration.hidden {
                featureLayers.append(Dense(inputSize: width, outputSize: size, activation: activation, dtype: dtype, generator: &generator))
                width = size
            }
        case .cnn:
            guard exampleShape.count == 3 else { throw .notImages(shape: exampleShape) }
            let plan = try DANNConvolutionPlan(height: exampleShape[0], width: exampleShape[1], filters: configuration.hidden)
            var channels = exampleShape[2]
            let (kernel, pool) = (DANNConvolutionPlan.kernelSize, DANNConvolutionPlan.poolSize)
            for filters in configuration.hidden {
                featureLayers.append(Conv2D(
                    inputChannels: channels, filters: filters, kernelSize: (kernel, kernel), padding: plan.padding,
                    activation: activation, dtype: dtype, generator: &generator))
                featureLayers.append(MaxPool2D(windowSize: (pool, pool)))
                channels = filters
            }
            featureLayers.append(Flatten())
            width = plan.featureCount
        }
        features = Sequential(featureLayers)
        let featureWidth = width
        var labelLayers = [any Layer]()
        for size in configuration.labelHidden {
            labelLayers.append(Dense(inputSize: width, outputSize: size, activation: activation, dtype: dtype, generator: &generator))
            width = size
        }
        labelHidden = Sequential(labelLayers)
        labelHead = Dense(inputSize: width, outputSize: classCount, dtype: dtype, generator: &generator)
        width = featureWidth
        var domainLayers = [any Layer]()
        for size in configuration.domainHidden {
            domainLayers.append(Dense(inputSize: width, outputSize: size, activation: .relu, dtype: dtype, generator: &generator))
            width = size
        }
        let outputInitializer: Initializer = configuration.domainHeadInitialization == .zeros ? .zeros : .glorotUniform
        domainLayers.append(Dense(inputSize: width, outputSize: 1, weightInitializer: outputInitializer, dtype: dtype, generator: &generator))
        domainHead = Sequential(domainLayers)
        reversal = GradientReversal(scale: 0)
        assignVariableNames()
    }

    /// The class logits `[batch, classCount]` for features computed by ``features``.
    public func classLogits(features: Tensor) -> Tensor {
        labelHead(labelHidden(features))
    }

    /// The class logits `[batch, classCount]` for `input`.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        classLogits(features: features(input))
    }

    /// The domain logits `[batch]` for features computed by ``features``: positive means
    /// "target". The features pass through the reversal layer first.
    public func domainLogits(features: Tensor) -> Tensor {
        let logits = domainHead(reversal(features))
        return logits.reshaped(to: [logits.shape[0]])
    }

    /// Variables are found in the properties; the heads keep the short names their
    /// checkpoints have always used: "features.…", then "labelHidden.…" (none in the MLP of
    /// earlier releases), "label.…", then "domain.…".
    public static let variablePathNames = ["labelHead": "label", "domainHead": "domain"]

    /// Takes what ``features`` takes and gives `[batch, classCount]`.
    ///
    /// - Throws: `LayerInputError` with the path of the layer that refuses the input.
    public func outputSpec(for input: TensorSpec) throws(LayerInputError) -> TensorSpec? {
        let hidden: TensorSpec?
        do { hidden = try features.outputSpec(for: input) } catch { throw error.inside("features") }
        guard let hidden else { return nil }
        let labelInput: TensorSpec?
        do { labelInput = try labelHidden.outputSpec(for: hidden) } catch { throw error.inside("labelHidden") }
        guard let labelInput else { return nil }
        do { return try labelHead.outputSpec(for: labelInput) } catch { throw error.inside("label") }
    }
}
