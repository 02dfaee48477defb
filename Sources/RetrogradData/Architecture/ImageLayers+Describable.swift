import RetrogradNN

// The architectures of the layers for image models: convolutions, pooling, flattening.
// Pairs (kernel sizes, strides, dilations) are stored as two-element arrays, height
// first; padding as `Padding`'s own coding ({"same":{}}, {"explicit":{"top":1,…}}).

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

extension Conv2D: DescribableLayer {
    /// Stored as "Conv2D".
    public static let kind = "Conv2D"

    /// A convolution's channels, window, strides, padding, dilations, groups,
    /// activation, bias and element type.
    public struct Configuration: Codable, Sendable {
        /// The channels of each input pixel.
        public var inputChannels: Int
        /// The output channels.
        public var filters: Int
        /// The window's [height, width].
        public var kernelSize: [Int]
        /// The steps between windows, [vertical, horizontal].
        public var strides: [Int]
        /// How windows treat the borders.
        public var padding: Padding
        /// The steps between a window's cells, [vertical, horizontal].
        public var dilations: [Int]
        /// The number of channel groups.
        public var groups: Int
        /// The activation after the bias.
        public var activation: Activation
        /// Whether the layer has a bias.
        public var useBias: Bool
        /// The variables' element type: "float32" or "float64".
        public var dtype: String
    }

    /// The layer's settings.
    public var configuration: Configuration {
        Configuration(
            inputChannels: inputChannels, filters: filters, kernelSize: [kernelSize.height, kernelSize.width],
            strides: [strides.height, strides.width], padding: padding, dilations: [dilations.height, dilations.width],
            groups: groups, activation: activation, useBias: bias != nil, dtype: filter.dtype.rawValue)
    }

    /// A convolution with the configured settings, its variables filled with zeros until
    /// the checkpoint sets them.
    ///
    /// - Throws: ``ArchitectureProblem`` for sizes, strides or dilations that are not
    ///   pairs of positive numbers, negative padding, channel counts that are not positive
    ///   multiples of `groups`, or an element type that is not float32 or float64.
    public convenience init(configuration: Configuration, builder: LayerBuilder) throws {
        let (kernelSize, strides, dilations) = try convolutionWindow(
            configuration.kernelSize, configuration.strides, configuration.dilations, configuration.padding)
        let (inputs, outputs, groups) = (configuration.inputChannels, configuration.filters, configuration.groups)
        guard inputs > 0, outputs > 0, groups > 0, inputs % groups == 0, outputs % groups == 0 else {
            throw ArchitectureProblem(
                "inputChannels and filters must be positive multiples of groups, found \(inputs), \(outputs) and \(groups)")
        }
        self.init(
            inputChannels: inputs, filters: outputs, kernelSize: kernelSize, strides: strides, padding: configuration.padding,
            dilations: dilations, groups: groups, activation: configuration.activation, useBias: configuration.useBias,
            filterInitializer: .zeros, dtype: try floatingPointDType(configuration.dtype), seed: 0)
    }
}

extension Conv2DTranspose: DescribableLayer {
    /// Stored as "Conv2DTranspose".
    public static let kind = "Conv2DTranspose"

    /// A transposed convolution's channels, window, strides, padding, output padding,
    /// dilations, activation, bias and element type.
    public struct Configuration: Codable, Sendable {
        /// The channels of each input pixel.
        public var inputChannels: Int
        /// The output channels.
        public var filters: Int
        /// The window's [height, width].
        public var kernelSize: [Int]
        /// The upsampling factors, [vertical, horizontal].
        public var strides: [Int]
        /// The forward convolution's padding.
        public var padding: Padding
        /// The extra output [rows, columns].
        public var outputPadding: [Int]
        /// The forward convolution's dilations, [vertical, horizontal].
        public var dilations: [Int]
        /// The activation after the bias.
        public var activation: Activation
        /// Whether the layer has a bias.
        public var useBias: Bool
        /// The variables' element type: "float32" or "float64".
        public var dtype: String
    }

    /// The layer's settings.
    public var configuration: Configuration {
        Configuration(
            inputChannels: inputChannels, filters: filters, kernelSize: [kernelSize.height, kernelSize.width],
            strides: [strides.height, strides.width], padding: padding,
            outputPadding: [outputPadding.height, outputPadding.width], dilations: [dilations.height, dilations.width],
            activation: activation, useBias: bias != nil, dtype: filter.dtype.rawValue)
    }

    /// A transposed convolution with the configured settings, its variables filled with
    /// zeros until the checkpoint sets them.
    ///
    /// - Throws: ``ArchitectureProblem`` for sizes, strides or dilations that are not
    ///   pairs of positive numbers, negative padding, an output padding outside
    ///   `0..<stride` (or any with `.same`), channel counts below 1, or an element type
    ///   that is not float32 or float64.
    public convenience init(configuration: Configuration, builder: LayerBuilder) throws {
        let (kernelSize, strides, dilations) = try convolutionWindow(
            configuration.kernelSize, configuration.strides, configuration.dilations, configuration.padding)
        let extra = configuration.outputPadding
        guard extra.count == 2, extra[0] >= 0, extra[1] >= 0, extra[0] < strides.0, extra[1] < strides.1,
            configuration.padding != .same || extra == [0, 0]
        else {
            throw ArchitectureProblem(
                "outputPadding must be two numbers in 0..<stride (zeros with same padding), found \(extra)")
        }
        guard configuration.inputChannels > 0, configuration.filters > 0 else {
            throw ArchitectureProblem(
                "inputChannels and filters must be positive, found \(configuration.inputChannels) and \(configuration.filters)")
        }
        self.init(
            inputChannels: configuration.inputChannels, filters: configuration.filters, kernelSize: kernelSize,
            strides: strides, padding: configuration.padding, outputPadding: (extra[0], extra[1]), dilations: dilations,
            activation: configuration.activation, useBias: configuration.useBias, filterInitializer: .zeros,
            dtype: try floatingPointDType(configuration.dtype), seed: 0)
    }
}

/// The settings of a pooling layer.
public struct PoolingConfiguration: Codable, Sendable {
    /// The window's [height, width].
    public var windowSize: [Int]
    /// The steps between windows, [vertical, horizontal].
    public var strides: [Int]
    /// How windows treat the borders.
    public var padding: Padding

    /// The checked settings: a window, strides, and padding smaller than the window.
    ///
    /// - Throws: ``ArchitectureProblem`` for sizes or strides that are not pairs of
    ///   positive numbers, or explicit padding that is negative or not smaller than the
    ///   window.
    func checked() throws(ArchitectureProblem) -> (window: (Int, Int), strides: (Int, Int), padding: Padding) {
        let window = try positivePair(windowSize, "windowSize")
        let steps = try positivePair(strides, "strides")
        try checkPadding(padding)
        if case let .explicit(top, bottom, left, right) = padding, max(top, bottom) >= window.0 || max(left, right) >= window.1 {
            throw ArchitectureProblem("padding must be smaller than the \(window.0)×\(window.1) window, found \(padding)")
        }
        return (window, steps, padding)
    }
}

extension MaxPool2D: DescribableLayer {
    /// Stored as "MaxPool2D".
    public static let kind = "MaxPool2D"

    /// The window, strides and padding.
    public var configuration: PoolingConfiguration {
        PoolingConfiguration(
            windowSize: [windowSize.height, windowSize.width], strides: [strides.height, strides.width], padding: padding)
    }

    /// A max pooling layer with the configured settings.
    ///
    /// - Throws: the ``ArchitectureProblem`` of settings a pooling layer refuses.
    public convenience init(configuration: PoolingConfiguration, builder: LayerBuilder) throws {
        let settings = try configuration.checked()
        self.init(windowSize: settings.window, strides: settings.strides, padding: settings.padding)
    }
}

extension AvgPool2D: DescribableLayer {
    /// Stored as "AvgPool2D".
    public static let kind = "AvgPool2D"

    /// The window, strides and padding.
    public var configuration: PoolingConfiguration {
        PoolingConfiguration(
            windowSize: [windowSize.height, windowSize.width], strides: [strides.height, strides.width], padding: padding)
    }

    /// An average pooling layer with the configured settings.
    ///
    /// - Throws: the ``ArchitectureProblem`` of settings a pooling layer refuses.
    public convenience init(configuration: PoolingConfiguration, builder: LayerBuilder) throws {
        let settings = try configuration.checked()
        self.init(windowSize: settings.window, strides: settings.strides, padding: settings.padding)
    }
}

/// A convolution's kernel size, strides and dilations as pairs, after checking them and
/// the padding.
private func convolutionWindow(
    _ kernelSize: [Int], _ strides: [Int], _ dilations: [Int], _ padding: Padding
) throws(ArchitectureProblem) -> ((Int, Int), (Int, Int), (Int, Int)) {
    let window = (try positivePair(kernelSize, "kernelSize"), try positivePair(strides, "strides"), try positivePair(dilations, "dilations"))
    try checkPadding(padding)
    return window
}

/// `values` as a pair, when it holds two positive numbers.
private func positivePair(_ values: [Int], _ name: String) throws(ArchitectureProblem) -> (Int, Int) {
    guard values.count == 2, values[0] > 0, values[1] > 0 else {
        throw ArchitectureProblem("\(name) must be two positive numbers [height, width], found \(values)")
    }
    return (values[0], values[1])
}

/// Throws for explicit padding with a negative amount.
private func checkPadding(_ padding: Padding) throws(ArchitectureProblem) {
    if case let .explicit(top, bottom, left, right) = padding, min(top, bottom, left, right) < 0 {
        throw ArchitectureProblem("padding must not be negative, found \(padding)")
    }
}
