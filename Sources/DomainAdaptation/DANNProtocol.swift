/// How the domain classifier's loss of one step is reduced over the step's examples.
public enum DomainLossReduction: String, Codable, Sendable, CaseIterable {
    /// The mean over all the step's examples, source and target together: with one example
    /// of each, half their sum. The digits defaults' choice, and what every run made before
    /// the setting existed used.
    case mean
    /// The source examples' mean loss plus the target examples' mean loss. With one example
    /// of each per step (the paper's protocol) this is the plain sum of the two losses, the
    /// loss of Ganin et al.; in general it is twice ``mean``, so the domain classifier and
    /// the reversed gradient reaching the features are twice as strong.
    case sum
}

/// How the domain classifier's output layer (the logistic regressor that gives the domain
/// logit) starts. Hidden layers of the domain classifier are always Glorot uniform.
public enum DomainHeadInitialization: String, Codable, Sendable, CaseIterable {
    /// Glorot-uniform weights and zero bias, like every other `Dense` layer.
    case glorotUniform = "glorot-uniform"
    /// All zeros: the classifier starts undecided (every domain probability 0.5) and sends
    /// no reversed gradient to the features until it has learnt something.
    case zeros
}

/// A named set of defaults for a DANN run: today's tuned defaults, or the two-moons
/// protocol of the paper as Ganin et al. (JMLR 2016, §5.1.1) describe it.
public enum DANNProtocol: String, Sendable, CaseIterable {
    /// The defaults of ``DANNConfiguration/moons(seed:)``, ``DANNConfiguration/digits(seed:)``
    /// and ``DANNConfiguration/mnist(seed:)``.
    case `default`
    /// The paper's two-moons experiment: see ``DANNConfiguration/moonsPaper(seed:)`` and
    /// ``paperMoonsNoise``. Moons only.
    case paper

    /// The moons' noise of the paper's protocol: the standard deviation of the Gaussian
    /// noise on each coordinate.
    public static let paperMoonsNoise = 0.05

    /// The configuration this protocol starts from for data of `kind`, or `nil` when the
    /// protocol does not apply to that data (the paper's protocol is for the moons only).
    ///
    /// `model` picks the network (``DANNDataSpec/Kind/defaultModel`` unless given): the CNN
    /// presets are ``DANNConfiguration/digitsCNN(seed:)`` and ``DANNConfiguration/mnistCNN(seed:)``;
    /// other data get the digits' CNN preset, which ``DANNTrainer`` refuses unless the
    /// examples are images.
    public func configuration(for kind: DANNDataSpec.Kind, model: DANNArchitecture? = nil, seed: UInt64) -> DANNConfiguration? {
        switch (self, kind, model ?? kind.defaultModel) {
        case (.default, .digits, .cnn): .digitsCNN(seed: seed)
        case (.default, .mnist, .cnn): .mnistCNN(seed: seed)
        case (.default, _, .cnn): .digitsCNN(seed: seed)
        case (.default, .digits, .mlp): .digits(seed: seed)
        case (.default, .mnist, .mlp): .mnist(seed: seed)
        case (.default, _, .mlp): .moons(seed: seed)
        case (.paper, .moons, .mlp): .moonsPaper(seed: seed)
        case (.paper, _, _): nil
        }
    }

    /// The moons this protocol trains on, turned by `angle` degrees.
    public func moons(angle: Double = 35) -> DANNDataSpec {
        switch self {
        case .default: .moons(angle: angle)
        case .paper: .moons(angle: angle, noise: Self.paperMoonsNoise)
        }
    }
}

extension DANNConfiguration {
    /// The two-moons experiment exactly as the paper runs it (Ganin et al., JMLR 2016,
    /// §5.1.1): 15 sigmoid units, a logistic domain classifier that starts at zero, one
    /// source and one target example per step, their three losses summed (label, source
    /// domain, target domain), plain SGD at a constant μ = 0.05, λ up to 6 on the usual
    /// schedule (set ``lambdaGamma`` to 0 for a fixed λ = 6), 500 epochs. Use it with
    /// ``DANNProtocol/moons(angle:)`` of ``DANNProtocol/paper`` (noise 0.05).
    ///
    /// It differs from ``moons(seed:)``, which sums the domain loss too, in the zero domain
    /// classifier, plain SGD without momentum or annealing, and 500 epochs instead of 150;
    /// its data differ in the noise (0.05 instead of 0.1).
    public static func moonsPaper(seed: UInt64 = 0) -> DANNConfiguration {
        DANNConfiguration(
            epochs: 500, batchSize: 1, hidden: [15], activation: .sigmoid, domainHidden: [],
            learningRate: 0.05, momentum: 0, annealingAlpha: 0, maxLambda: 6, lambdaGamma: 10,
            domainLossReduction: .sum, domainHeadInitialization: .zeros, seed: seed)
    }
}
