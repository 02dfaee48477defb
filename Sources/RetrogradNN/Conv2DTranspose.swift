/// A transposed 2-d convolution layer on NHWC images ("deconvolution"), the upsampling
/// counterpart of ``Conv2D``: `activation(conv2dTranspose(input, filter) + bias)`.
///
/// The input is `[batch, height, width, inputChannels]` and the filter
/// `[kernelHeight, kernelWidth, filters, inputChannels]` (TensorFlow's and Keras's layout
/// for this op; PyTorch keeps `[inputChannels, filters, kernelHeight, kernelWidth]`:
/// permute by `[2, 3, 1, 0]`). A ``Conv2D`` with the same kernel, strides, padding and
/// dilations maps the output's shape back to the input's.
///
/// The output height is `height · stride` with `.same` (as in Keras), and
/// `(height − 1) · stride + (kernelHeight − 1) · dilation + 1 − (top + bottom) + outputPadding`
/// with `.valid` or explicit padding (PyTorch's formula); likewise the width.
/// With a stride above 1 several sizes map back to one input size, and `outputPadding`
/// (below the stride) picks a larger one.
///
/// ```swift
/// let upsample = Conv2DTranspose(inputChannels: 16, filters: 8, kernelSize: (4, 4), strides: (2, 2), padding: .same)
/// let images = upsample(Tensor.zeros(shape: [1, 7, 7, 16]))     // [1, 14, 14, 8]
/// ```
public final class Conv2DTranspose: Layer {
    /// The number of channels each input pixel has.
    public let inputChannels: Int
    /// The number of output channels.
    public let filters: Int
    /// The window's height and width.
    public let kernelSize: (height: Int, width: Int)
    /// The forward convolution's strides: the upsampling factors.
    public let strides: (height: Int, width: Int)
    /// The forward convolution's padding.
    public let padding: Padding
    /// The extra rows and columns of output with `.valid` or explicit padding,
    /// each below its stride; (0, 0) with `.same`.
    public let outputPadding: (height: Int, width: Int)
    /// The forward convolution's dilations.
    public let dilations: (height: Int, width: Int)
    /// The `[kernelHeight, kernelWidth, filters, inputChannels]` filter.
    public let filter: Variable
    /// The `[filters]` bias, or nil for a layer made with `useBias: false`.
    public let bias: Variable?
    /// The nonlinearity applied after the bias.
    public var activation: Activation
    /// Not used by `Conv2DTranspose`; kept so containers can set it.
    public var isTraining = true

    /// Creates a transposed convolution layer whose initial values are drawn from
    /// `generator`.
    ///
    /// - Parameters:
    ///   - inputChannels: The channels of each input pixel.
    ///   - filters: The output channels.
    ///   - kernelSize: The window's height and width.
    ///   - strides: The upsampling factors.
    ///   - padding: The forward convolution's padding; `.valid` by default, as in Keras.
    ///   - outputPadding: Extra output rows and columns, each below its stride; only with
    ///     `.valid` or explicit padding.
    ///   - dilations: The forward convolution's dilations.
    ///   - activation: Applied after the bias; `.identity` by default.
    ///   - useBias: Whether to add a bias.
    ///   - filterInitializer: Fills the filter; Glorot uniform by default (the fans of its
    ///     `[h, w, filters, inputChannels]` shape, as Keras reads them).
    ///   - biasInitializer: Fills the bias; zeros by default.
    ///   - dtype: The element type of the variables.
    ///   - generator: The source of random numbers; the filter is drawn before the bias.
    public init(
        inputChannels: Int, filters: Int, kernelSize: (Int, Int), strides: (Int, Int) = (1, 1),
        padding: Padding = .valid, outputPadding: (Int, Int) = (0, 0), dilations: (Int, Int) = (1, 1),
        activation: Activation = .identity, useBias: Bool = true, filterInitializer: Initializer = .glorotUniform,
        biasInitializer: Initializer = .zeros, dtype: DType = .float32, generator: inout SeededGenerator
    ) {
        checkWindowSettings(
            "Conv2DTranspose", kernelSize: kernelSize, strides: strides, dilations: dilations, padding: padding, dtype: dtype)
        checkPrecondition(
            inputChannels > 0 && filters > 0,
            "Conv2DTranspose: inputChannels and filters must be positive, got \(inputChannels) and \(filters)")
        checkPrecondition(
            outputPadding.0 >= 0 && outputPadding.1 >= 0 && outputPadding.0 < strides.0 && outputPadding.1 < strides.1,
            "Conv2DTranspose: outputPadding \(outputPadding) must be at least 0 and below the strides \(strides)")
        checkPrecondition(
            padding != .same || outputPadding == (0, 0),
            "Conv2DTranspose: with padding .same the output is height·stride and takes no outputPadding; "
                + "use .valid or explicit padding with outputPadding \(outputPadding)")
        self.inputChannels = inputChannels
        self.filters = filters
        self.kernelSize = kernelSize
        self.strides = strides
        self.padding = padding
        self.outputPadding = outputPadding
        self.dilations = dilations
        self.activation = activation
        let shape: Shape = [kernelSize.0, kernelSize.1, filters, inputChannels]
        filter = Variable(filterInitializer.makeTensor(shape: shape, dtype: dtype, using: &generator), name: "filter")
        bias = useBias ? Variable(biasInitializer.makeTensor(shape: [filters], dtype: dtype, using: &generator), name: "bias") : nil
    }

    /// Creates a transposed convolution layer whose initial values are fixed by `seed`
    /// (without one, the next seed of the process-wide sequence that layers share). The
    /// other parameters are those of the initializer that takes a generator.
    public convenience init(
        inputChannels: Int, filters: Int, kernelSize: (Int, Int), strides: (Int, Int) = (1, 1),
        padding: Padding = .valid, outputPadding: (Int, Int) = (0, 0), dilations: (Int, Int) = (1, 1),
        activation: Activation = .identity, useBias: Bool = true, filterInitializer: Initializer = .glorotUniform,
        biasInitializer: Initializer = .zeros, dtype: DType = .float32, seed: UInt64? = nil
    ) {
        var generator = SeededGenerator(seed: seed ?? DefaultSeeds.next())
        self.init(
            inputChannels: inputChannels, filters: filters, kernelSize: kernelSize, strides: strides, padding: padding,
            outputPadding: outputPadding, dilations: dilations, activation: activation, useBias: useBias,
            filterInitializer: filterInitializer, biasInitializer: biasInitializer, dtype: dtype, generator: &generator)
    }

    /// Spreads `input` (`[batch, height, width, inputChannels]`) over the larger output,
    /// adds the bias and applies the activation.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        checkImages(input.shape, layer: "Conv2DTranspose", channels: inputChannels)
        let size = outputSize(height: input.shape[1], width: input.shape[2])
        checkPrecondition(
            size.height > 0 && size.width > 0,
            "Conv2DTranspose: input of shape \(input.shape) would give a \(size.height)×\(size.width) output; use less padding")
        let output = conv2dTranspose(
            input, filter: filter.value, outputSize: size, strides: strides, padding: padding, dilations: dilations)
        return biasedActivation(output, bias: bias, activation: activation)
    }

    /// The output's height and width for an input of `height` × `width` pixels.
    public func outputSize(height: Int, width: Int) -> (height: Int, width: Int) {
        func length(_ size: Int, _ window: Int, _ stride: Int, _ dilation: Int, _ extra: Int, vertical: Bool) -> Int {
            switch padding {
            case .same:
                return size * stride
            case .valid:
                return (size - 1) * stride + (window - 1) * dilation + 1 + extra
            case let .explicit(top, bottom, left, right):
                return (size - 1) * stride + (window - 1) * dilation + 1 + extra - (vertical ? top + bottom : left + right)
            }
        }
        return (
            length(height, kernelSize.height, strides.height, dilations.height, outputPadding.height, vertical: true),
            length(width, kernelSize.width, strides.width, dilations.width, outputPadding.width, vertical: false))
    }

    /// Takes NHWC images of `inputChannels` channels in the filter's element type and
    /// gives `[batch, outHeight, outWidth, filters]` (see ``outputSize(height:width:)``).
    public func outputSpec(for input: TensorSpec) throws(LayerInputError) -> TensorSpec? {
        // The checks of an input; a 1×1 window fits any image.
        let checked = try windowedSpec(
            input, layer: "Conv2DTranspose", channels: inputChannels, outChannels: filters, dtype: filter.dtype,
            window: (1, 1), strides: (1, 1), padding: .valid)
        let size = outputSize(height: input.shape[1], width: input.shape[2])
        return TensorSpec(shape: [input.shape[0], size.height, size.width, filters], dtype: checked.dtype)
    }
}
