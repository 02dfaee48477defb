import RetrogradNN

// The architectures of the layers for image models: flattening and global pooling.

extension Flatten: DescribableLayer {
    /// Stored as "Flatten".
    public static let kind = "Flatten"

    /// Nothing: a flattening layer has no settings.
    public struct Configuration: Codable, Sendable {}

    /// No settings.
    public var configuration: Configuration { Configuration() }

    /// A flattening layer.
    public convenience init(configuration: Configuration, builder: LayerBuilder) throws {
        self.init()
    }
}

/// The settings of a global pooling layer.
public struct GlobalPoolingConfiguration: Codable, Sendable {
    /// Whether the pooled axes stay, with size 1.
    public var keepingDimensions: Bool
}

extension GlobalAveragePooling2D: DescribableLayer {
    /// Stored as "GlobalAveragePooling2D".
    public static let kind = "GlobalAveragePooling2D"

    /// Whether the pooled axes stay.
    public var configuration: GlobalPoolingConfiguration { GlobalPoolingConfiguration(keepingDimensions: keepingDimensions) }

    /// A global average pooling layer with the configured setting.
    public convenience init(configuration: GlobalPoolingConfiguration, builder: LayerBuilder) throws {
        self.init(keepingDimensions: configuration.keepingDimensions)
    }
}

extension GlobalMaxPooling2D: DescribableLayer {
    /// Stored as "GlobalMaxPooling2D".
    public static let kind = "GlobalMaxPooling2D"

    /// Whether the pooled axes stay.
    public var configuration: GlobalPoolingConfiguration { GlobalPoolingConfiguration(keepingDimensions: keepingDimensions) }

    /// A global max pooling layer with the configured setting.
    public convenience init(configuration: GlobalPoolingConfiguration, builder: LayerBuilder) throws {
        self.init(keepingDimensions: configuration.keepingDimensions)
    }
}
