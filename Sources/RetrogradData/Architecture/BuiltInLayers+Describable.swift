import RetrogradNN

// The built-in layers' architectures. Each configuration holds what the initializer needs;
// weights, seeds and the training flag are not part of an architecture.

extension Dense: DescribableLayer {
    /// Stored as "Dense".
    public static let kind = "Dense"

    /// A dense layer's sizes, activation, bias and element type.
    public struct Configuration: Codable, Sendable {
        /// The number of input features.
        public var inputSize: Int
        /// The number of output features.
        public var outputSize: Int
        /// The activation after the affine map.
        public var activation: Activation
        /// Whether the layer has a bias.
        public var useBias: Bool
        /// The variables' element type: "float32" or "float64".
        public var dtype: String
    }

    /// The layer's sizes, activation, bias and element type.
    public var configuration: Configuration {
        Configuration(inputSize: inputSize, outputSize: outputSize, activation: activation, useBias: bias != nil, dtype: weight.dtype.rawValue)
    }

    /// A dense layer of the configured sizes, its variables filled with zeros until the
    /// checkpoint sets them.
    ///
    /// - Throws: ``ArchitectureProblem`` for sizes below 1 or an element type that is not
    ///   float32 or float64.
    public convenience init(configuration: Configuration, builder: LayerBuilder) throws {
        guard configuration.inputSize > 0, configuration.outputSize > 0 else {
            throw ArchitectureProblem(
                "inputSize and outputSize must be positive, found \(configuration.inputSize) and \(configuration.outputSize)")
        }
        let dtype = try floatingPointDType(configuration.dtype)
        self.init(
            inputSize: configuration.inputSize, outputSize: configuration.outputSize, activation: configuration.activation,
            useBias: configuration.useBias, weightInitializer: .zeros, dtype: dtype, seed: 0)
    }
}

extension Sequential: DescribableLayer {
    /// Stored as "Sequential".
    public static let kind = "Sequential"

    /// The architectures of the layers, in order.
    public struct Configuration: Codable, Sendable {
        /// The layers' architectures.
        public var layers: [LayerArchitecture]
    }

    /// The architectures of the layers, each found under its position.
    public var configuration: Configuration {
        get throws(CheckpointError) {
            var architectures = [LayerArchitecture]()
            for (index, layer) in layers.enumerated() { architectures.append(try LayerArchitecture(describing: layer, at: String(index))) }
            return Configuration(layers: architectures)
        }
    }

    /// A container of the layers the architectures describe.
    public convenience init(configuration: Configuration, builder: LayerBuilder) throws {
        var layers = [any Layer]()
        for (index, architecture) in configuration.layers.enumerated() { layers.append(try builder.makeLayer(architecture, at: String(index))) }
        self.init(layers)
    }
}

extension ActivationLayer: DescribableLayer {
    /// Stored as "Activation".
    public static let kind = "Activation"

    /// The activation, by name.
    public struct Configuration: Codable, Sendable {
        /// The activation.
        public var activation: Activation
    }

    /// The activation.
    public var configuration: Configuration { Configuration(activation: activation) }

    /// A layer applying the configured activation.
    public convenience init(configuration: Configuration, builder: LayerBuilder) throws {
        self.init(configuration.activation)
    }
}

extension Dropout: DescribableLayer {
    /// Stored as "Dropout".
    public static let kind = "Dropout"

    /// The drop rate (the seed of the masks is not kept: a rebuilt layer draws other masks).
    public struct Configuration: Codable, Sendable {
        /// The probability of dropping each element.
        public var rate: Double
    }

    /// The drop rate.
    public var configuration: Configuration { Configuration(rate: rate) }

    /// A dropout layer with the configured rate.
    ///
    /// - Throws: ``ArchitectureProblem`` for a rate outside `0..<1`.
    public convenience init(configuration: Configuration, builder: LayerBuilder) throws {
        guard configuration.rate >= 0 && configuration.rate < 1 else {
            throw ArchitectureProblem("rate must be in 0..<1, found \(configuration.rate)")
        }
        self.init(rate: configuration.rate)
    }
}

extension GradientReversal: DescribableLayer {
    /// Stored as "GradientReversal".
    public static let kind = "GradientReversal"

    /// The scale λ at the time the architecture was described.
    public struct Configuration: Codable, Sendable {
        /// The factor the reversed gradient is multiplied by.
        public var scale: Double
    }

    /// The current scale.
    public var configuration: Configuration { Configuration(scale: scale) }

    /// A reversal layer with the configured scale.
    public convenience init(configuration: Configuration, builder: LayerBuilder) throws {
        self.init(scale: configuration.scale)
    }
}

/// The floating-point element type named `name` ("float32" or "float64").
///
/// - Throws: ``ArchitectureProblem`` for any other name.
func floatingPointDType(_ name: String) throws(ArchitectureProblem) -> DType {
    guard let dtype = DType(rawValue: name), dtype.isFloatingPoint else {
        throw ArchitectureProblem("dtype must be float32 or float64, found '\(name)'")
    }
    return dtype
}

/// Settings a layer refuses while it is built from an architecture; the builder reports
/// it as ``CheckpointError/invalidArchitecture(path:reason:file:)`` with the layer's path.
public struct ArchitectureProblem: Error, Sendable, CustomStringConvertible {
    /// What is wrong, as a sentence fragment: "rate must be in 0..<1, found 1.5".
    public var description: String

    /// Creates a problem described by `description`.
    public init(_ description: String) {
        self.description = description
    }
}
