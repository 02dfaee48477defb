// The JSON form of a configuration, as run.json, report.json and checkpoints hold it.

extension DANNConfiguration {
    enum CodingKeys: String, CodingKey {
        case epochs, batchSize, model, hidden, labelHidden, activation, domainHidden, learningRate, momentum, annealingAlpha, annealingBeta
        case maxLambda, lambdaGamma, domainLossReduction, domainHeadInitialization, seed
    }

    /// Reads a configuration; the settings added after the first release
    /// (``model``, ``labelHidden``, ``domainLossReduction``, ``domainHeadInitialization``) take the values runs had
    /// before them when a file leaves them out, so older run.json files and checkpoints
    /// still load and resume with the numbers they started with.
    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            epochs: try values.decode(Int.self, forKey: .epochs),
            batchSize: try values.decode(Int.self, forKey: .batchSize),
            model: try values.decodeIfPresent(DANNArchitecture.self, forKey: .model) ?? .mlp,
            hidden: try values.decode([Int].self, forKey: .hidden),
            labelHidden: try values.decodeIfPresent([Int].self, forKey: .labelHidden) ?? [],
            activation: try values.decode(Activation.self, forKey: .activation),
            domainHidden: try values.decode([Int].self, forKey: .domainHidden),
            learningRate: try values.decode(Double.self, forKey: .learningRate),
            momentum: try values.decode(Double.self, forKey: .momentum),
            annealingAlpha: try values.decode(Double.self, forKey: .annealingAlpha),
            annealingBeta: try values.decode(Double.self, forKey: .annealingBeta),
            maxLambda: try values.decode(Double.self, forKey: .maxLambda),
            lambdaGamma: try values.decode(Double.self, forKey: .lambdaGamma),
            domainLossReduction: try values.decodeIfPresent(DomainLossReduction.self, forKey: .domainLossReduction) ?? .mean,
            domainHeadInitialization: try values.decodeIfPresent(DomainHeadInitialization.self, forKey: .domainHeadInitialization)
                ?? .glorotUniform,
            seed: try values.decode(UInt64.self, forKey: .seed))
    }
}
