import Foundation

// The JSON form of a configuration (run.json, report.json, checkpoint metadata): every
// property under its own name, the activation as its name, "sigmoid", "relu" or "tanh",
// so files written when the activation was a string still load.

extension DANNConfiguration {
    /// The activations a configuration may use, with their names in JSON and in messages.
    static let activationNames: [(activation: Activation, name: String)] = [
        (.sigmoid, "sigmoid"), (.relu, "relu"), (.tanh, "tanh"),
    ]

    /// The name of `activation`, or `nil` when a configuration cannot use it.
    static func name(of activation: Activation) -> String? {
        activationNames.first { $0.activation == activation }?.name
    }

    enum CodingKeys: String, CodingKey {
        case epochs, batchSize, hidden, activation, domainHidden, learningRate, momentum, annealingAlpha,
            annealingBeta, maxLambda, lambdaGamma, seed
    }

    /// Reads a configuration written by ``encode(to:)``.
    ///
    /// - Throws: `DecodingError` for a missing or mistyped value, or an activation other
    ///   than "sigmoid", "relu" and "tanh".
    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        let activationName = try values.decode(String.self, forKey: .activation)
        guard let activation = Self.activationNames.first(where: { $0.name == activationName })?.activation else {
            throw DecodingError.dataCorruptedError(
                forKey: .activation, in: values,
                debugDescription: "expected \"sigmoid\", \"relu\" or \"tanh\", found \"\(activationName)\"")
        }
        self.init(
            epochs: try values.decode(Int.self, forKey: .epochs), batchSize: try values.decode(Int.self, forKey: .batchSize),
            hidden: try values.decode([Int].self, forKey: .hidden), activation: activation,
            domainHidden: try values.decode([Int].self, forKey: .domainHidden),
            learningRate: try values.decode(Double.self, forKey: .learningRate),
            momentum: try values.decode(Double.self, forKey: .momentum),
            annealingAlpha: try values.decode(Double.self, forKey: .annealingAlpha),
            annealingBeta: try values.decode(Double.self, forKey: .annealingBeta),
            maxLambda: try values.decode(Double.self, forKey: .maxLambda),
            lambdaGamma: try values.decode(Double.self, forKey: .lambdaGamma), seed: try values.decode(UInt64.self, forKey: .seed))
    }

    /// Writes every property under its own name, the activation by its name.
    ///
    /// - Throws: `EncodingError.invalidValue` for an activation other than `.sigmoid`,
    ///   `.relu` and `.tanh` (``validate()`` refuses those too).
    public func encode(to encoder: any Encoder) throws {
        guard let activationName = Self.name(of: activation) else {
            throw EncodingError.invalidValue(activation, EncodingError.Context(
                codingPath: encoder.codingPath + [CodingKeys.activation],
                debugDescription: "a configuration's activation must be sigmoid, relu or tanh, found \(activation)"))
        }
        var values = encoder.container(keyedBy: CodingKeys.self)
        try values.encode(epochs, forKey: .epochs)
        try values.encode(batchSize, forKey: .batchSize)
        try values.encode(hidden, forKey: .hidden)
        try values.encode(activationName, forKey: .activation)
        try values.encode(domainHidden, forKey: .domainHidden)
        try values.encode(learningRate, forKey: .learningRate)
        try values.encode(momentum, forKey: .momentum)
        try values.encode(annealingAlpha, forKey: .annealingAlpha)
        try values.encode(annealingBeta, forKey: .annealingBeta)
        try values.encode(maxLambda, forKey: .maxLambda)
        try values.encode(lambdaGamma, forKey: .lambdaGamma)
        try values.encode(seed, forKey: .seed)
    }
}
