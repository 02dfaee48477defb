import RetrogradNN

// The architectures of the normalization and lookup layers. The running statistics of
// BatchNorm are variables, so the checkpoint restores them with the weights.

extension BatchNorm: DescribableLayer {
    /// Stored as "BatchNorm".
    public static let kind = "BatchNorm"

    /// A batch normalization's channel count, momentum, epsilon, affine parameters and
    /// element type.
    public struct Configuration: Codable, Sendable {
        /// The size of the input's last axis.
        public var featureCount: Int
        /// The weight of a new batch in the running statistics (PyTorch's convention).
        public var momentum: Double
        /// Added to the variance.
        public var epsilon: Double
        /// Whether the layer has a scale and an offset.
        public var affine: Bool
        /// The variables' element type: "float32" or "float64".
        public var dtype: String
    }

    /// The layer's settings.
    public var configuration: Configuration {
        Configuration(
            featureCount: featureCount, momentum: momentum, epsilon: epsilon, affine: scale != nil,
            dtype: runningMean.dtype.rawValue)
    }

    /// A batch normalization with the configured settings and fresh statistics, until
    /// the checkpoint sets them.
    ///
    /// - Throws: ``ArchitectureProblem`` for a channel count below 1, a momentum outside
    ///   `0...1`, an epsilon that is not positive, or an element type that is not float32
    ///   or float64.
    public convenience init(configuration: Configuration, builder: LayerBuilder) throws {
        guard configuration.featureCount > 0 else {
            throw ArchitectureProblem("featureCount must be positive, found \(configuration.featureCount)")
        }
        guard configuration.momentum >= 0 && configuration.momentum <= 1 else {
            throw ArchitectureProblem("momentum must be in 0...1, found \(configuration.momentum)")
        }
        try checkEpsilon(configuration.epsilon)
        self.init(
            featureCount: configuration.featureCount, momentum: configuration.momentum, epsilon: configuration.epsilon,
            affine: configuration.affine, dtype: try floatingPointDType(configuration.dtype))
    }
}

extension LayerNorm: DescribableLayer {
    /// Stored as "LayerNorm".
    public static let kind = "LayerNorm"

    /// A layer normalization's normalized shape, epsilon, affine parameters and element
    /// type.
    public struct Configuration: Codable, Sendable {
        /// The sizes of the last axes normalized together.
        public var normalizedShape: [Int]
        /// Added to the variance.
        public var epsilon: Double
        /// Whether the layer has a scale and an offset.
        public var affine: Bool
        /// The variables' element type: "float32" or "float64".
        public var dtype: String
    }

    /// The layer's settings.
    public var configuration: Configuration {
        Configuration(normalizedShape: normalizedShape, epsilon: epsilon, affine: scale != nil, dtype: dtype.rawValue)
    }

    /// A layer normalization with the configured settings.
    ///
    /// - Throws: ``ArchitectureProblem`` for an empty or non-positive normalized shape, an
    ///   epsilon that is not positive, or an element type that is not float32 or float64.
    public convenience init(configuration: Configuration, builder: LayerBuilder) throws {
        let shape = configuration.normalizedShape
        guard !shape.isEmpty, shape.count < Shape.maximumRank, shape.allSatisfy({ $0 > 0 }) else {
            throw ArchitectureProblem(
                "normalizedShape must list 1 to \(Shape.maximumRank - 1) positive sizes, found \(shape)")
        }
        try checkEpsilon(configuration.epsilon)
        self.init(
            normalizedShape: shape, epsilon: configuration.epsilon, affine: configuration.affine,
            dtype: try floatingPointDType(configuration.dtype))
    }
}

extension Embedding: DescribableLayer {
    /// Stored as "Embedding".
    public static let kind = "Embedding"

    /// An embedding table's size and element type.
    public struct Configuration: Codable, Sendable {
        /// The number of rows.
        public var vocabularySize: Int
        /// The length of each row.
        public var embeddingSize: Int
        /// The table's element type: "float32" or "float64".
        public var dtype: String
        /// The padding row, if any (absent in files written before it existed).
        public var paddingIndex: Int?
    }

    /// The table's size, element type and padding row.
    public var configuration: Configuration {
        Configuration(
            vocabularySize: vocabularySize, embeddingSize: embeddingSize, dtype: weight.dtype.rawValue,
            paddingIndex: paddingIndex)
    }

    /// An embedding table of the configured size, filled with zeros until the checkpoint
    /// sets it.
    ///
    /// - Throws: ``ArchitectureProblem`` for sizes below 1 or beyond the int32 index range,
    ///   a padding row outside the table, or an element type that is not float32 or float64.
    public convenience init(configuration: Configuration, builder: LayerBuilder) throws {
        guard configuration.vocabularySize > 0, configuration.embeddingSize > 0,
            configuration.vocabularySize <= Int(Int32.max)
        else {
            throw ArchitectureProblem(
                "vocabularySize and embeddingSize must be positive (vocabularySize at most \(Int32.max)), "
                    + "found \(configuration.vocabularySize) and \(configuration.embeddingSize)")
        }
        if let padding = configuration.paddingIndex, !(0..<configuration.vocabularySize).contains(padding) {
            throw ArchitectureProblem(
                "paddingIndex must be in 0..<\(configuration.vocabularySize), found \(padding)")
        }
        self.init(
            vocabularySize: configuration.vocabularySize, embeddingSize: configuration.embeddingSize, initializer: .zeros,
            dtype: try floatingPointDType(configuration.dtype), paddingIndex: configuration.paddingIndex, seed: 0)
    }
}

/// Throws unless `epsilon` is positive.
private func checkEpsilon(_ epsilon: Double) throws(ArchitectureProblem) {
    guard epsilon > 0 else { throw ArchitectureProblem("epsilon must be positive, found \(epsilon)") }
}
