/// A 2-d convolution layer on NHWC images: `activation(conv2d(input, filter) + bias)`.
///
/// The input is `[batch, height, width, inputChannels]` and the output `[batch, outHeight,
/// outWidth, filters]`, its size set by the strides, dilations and `Padding` as
/// `conv2d(_:filter:strides:padding:dilations:groups:)` documents. The filter is HWIO,
/// `[kernelHeight, kernelWidth, inputChannels / groups, filters]`, as in Keras (PyTorch
/// keeps `[filters, inputChannels / groups, kernelHeight, kernelWidth]`: permute by
/// `[2, 3, 1, 0]` to load its weights). Its variables are "filter" and "bias".
///
/// The filter starts Glorot uniform with a convolution's fans, as Keras computes them:
/// fan-in `kernelHeight·kernelWidth·inputChannels/groups`, fan-out
/// `kernelHeight·kernelWidth·filters`.
///
/// ```swift
/// // The first block of the DANN paper's MNIST feature extractor.
/// let block = Sequential(
///     Conv2D(inputChannels: 3, filters: 32, kernelSize: (5, 5), activation: .relu),
///     MaxPool2D(windowSize: (2, 2)))
/// let features = block(Tensor.zeros(shape: [64, 28, 28, 3]))   // [64, 12, 12, 32]
/// ```
public final class Conv2D: Layer {
    /// The number of channels each input pixel has.
    public let inputChannels: Int
    /// The number of output channels (Keras's `filters`, PyTorch's `out_channels`).
    public let filters: Int
    /// The window's height and width.
    public let kernelSize: (height: Int, width: Int)
    /// The steps between windows, vertical and horizontal.
    public let strides: (height: Int, width: Int)
    /// How windows treat the image's borders.
    public let padding: Padding
    /// The steps between a window's cells (atrous convolution when above 1).
    public let dilations: (height: Int, width: Int)
    /// The number of channel groups: `inputChannels` for a depthwise convolution.
    public let groups: Int
    /// The `[kernelHeight, kernelWidth, inputChannels / groups, filters]` filter.
    public let filter: Variable
    /// The `[filters]` bias, or nil for a layer made with `useBias: false`.
    public let bias: Variable?
    /// The nonlinearity applied after the bias.
    public var activation: Activation
    /// Not used by `Conv2D`; kept so containers can set it.
    public var isTraining = true

    /// Creates a convolution layer whose initial values are drawn from `generator`.
    ///
    /// - Parameters:
    ///   - inputChannels: The channels of each input pixel.
    ///   - filters: The output channels; a multiple of `groups`.
    ///   - kernelSize: The window's height and width.
    ///   - strides: The steps between windows.
    ///   - padding: `.valid` (no padding, the default, as in Keras), `.same` or explicit
    ///     amounts.
    ///   - dilations: The steps between a window's cells.
    ///   - groups: The number of channel groups; divides `inputChannels` and `filters`.
    ///   - activation: Applied after the bias; `.identity` by default.
    ///   - useBias: Whether to add a bias.
    ///   - filterInitializer: Fills the filter; Glorot uniform by default.
    ///   - biasInitializer: Fills the bias; zeros by default.
    ///   - dtype: The element type of the variables.
    ///   - generator: The source of random numbers; the filter is drawn before the bias.
    public init(
        inputChannels: Int, filters: Int, kernelSize: (Int, Int), strides: (Int, Int) = (1, 1),
        padding: Padding = .valid, dilations: (Int, Int) = (1, 1), groups: Int = 1, activation: Activation = .identity,
        useBias: Bool = true, filterInitializer: Initializer = .glorotUniform, biasInitializer: Initializer = .zeros,
        dtype: DType = .float32, generator: inout SeededGenerator
    ) {
        checkWindowSettings(
            "Conv2D", kernelSize: kernelSize, strides: strides, dilations: dilations, padding: padding, dtype: dtype)
        checkPrecondition(
            inputChannels > 0 && filters > 0 && groups > 0 && inputChannels % groups == 0 && filters % groups == 0,
            "Conv2D: inputChannels (\(inputChannels)) and filters (\(filters)) must be positive multiples of groups (\(groups))")
        self.inputChannels = inputChannels
        self.filters = filters
        self.kernelSize = kernelSize
        self.strides = strides
        self.padding = padding
        self.dilations = dilations
        self.groups = groups
        self.activation = activation
        let shape: Shape = [kernelSize.0, kernelSize.1, inputChannels / groups, filters]
        filter = Variable(filterInitializer.makeTensor(shape: shape, dtype: dtype, using: &generator), name: "filter")
        bias = useBias ? Variable(biasInitializer.makeTensor(shape: [filters], dtype: dtype, using: &generator), name: "bias") : nil
    }

    /// Creates a convolution layer whose initial values are fixed by `seed` (without one,
    /// the next seed of the process-wide sequence that layers share). The other
    /// parameters are those of the initializer that takes a generator.
    public convenience init(
        inputChannels: Int, filters: Int, kernelSize: (Int, Int), strides: (Int, Int) = (1, 1),
        padding: Padding = .valid, dilations: (Int, Int) = (1, 1), groups: Int = 1, activation: Activation = .identity,
        useBias: Bool = true, filterInitializer: Initializer = .glorotUniform, biasInitializer: Initializer = .zeros,
        dtype: DType = .float32, seed: UInt64? = nil
    ) {
        var generator = SeededGenerator(seed: seed ?? DefaultSeeds.next())
        self.init(
            inputChannels: inputChannels, filters: filters, kernelSize: kernelSize, strides: strides, padding: padding,
            dilations: dilations, groups: groups, activation: activation, useBias: useBias,
            filterInitializer: filterInitializer, biasInitializer: biasInitializer, dtype: dtype, generator: &generator)
    }

    /// Convolves `input` (`[batch, height, width, inputChannels]`) with the filter, adds
    /// the bias and applies the activation.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        checkImages(input.shape, layer: "Conv2D", channels: inputChannels)
        let output = conv2d(input, filter: filter.value, strides: strides, padding: padding, dilations: dilations, groups: groups)
        return biasedActivation(output, bias: bias, activation: activation)
    }

    /// Takes NHWC images of `inputChannels` channels in the filter's element type, large
    /// enough for a window, and gives `[batch, outHeight, outWidth, filters]`.
    public func outputSpec(for input: TensorSpec) throws(LayerInputError) -> TensorSpec? {
        try windowedSpec(
            input, layer: "Conv2D", channels: inputChannels, outChannels: filters, dtype: filter.dtype, window: kernelSize,
            strides: strides, dilations: dilations, padding: padding)
    }
}

/// Stops the program unless the window settings of a layer are usable: positive sizes,
/// strides and dilations, padding that is not negative, a floating-point element type.
func checkWindowSettings(
    _ layer: String, kernelSize: (Int, Int), strides: (Int, Int), dilations: (Int, Int), padding: Padding, dtype: DType
) {
    checkPrecondition(
        Swift.min(kernelSize.0, kernelSize.1, strides.0, strides.1, dilations.0, dilations.1) > 0,
        "\(layer): kernelSize \(kernelSize), strides \(strides) and dilations \(dilations) must be positive")
    if case let .explicit(top, bottom, left, right) = padding {
        checkPrecondition(
            Swift.min(top, bottom, left, right) >= 0, "\(layer): explicit padding must not be negative, got \(padding)")
    }
    checkPrecondition(dtype.isFloatingPoint, "\(layer): variables must be float32 or float64, got \(dtype)")
}

/// `activation(output + bias)`, without the addition when there is no bias.
func biasedActivation(_ output: Tensor, bias: Variable?, activation: Activation) -> Tensor {
    activation(bias.map { output + $0.value } ?? output)
}
