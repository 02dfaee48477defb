/// One block of the ``DANNArchitecture/cnn`` feature extractor on NHWC images:
/// `maxPool2D(activation(conv2d(input, filter) + bias), 2×2)`.
///
/// The filter is HWIO, `[5, 5, inputChannels, filters]`, Glorot uniform over the
/// convolution's fans (fan-in 5·5·inputChannels, fan-out 5·5·filters); the bias starts at
/// zero. Its variables are "filter" and "bias".
final class DANNConvolutionBlock: Layer {
    /// The `[kernel, kernel, inputChannels, filters]` filter.
    let filter: Variable
    /// The `[filters]` bias.
    let bias: Variable
    /// The convolution's padding (``DANNConvolutionPlan/padding``).
    let padding: Padding
    /// The nonlinearity between the convolution and the pooling.
    let activation: Activation
    /// Not used by the block; kept so containers can set it.
    var isTraining = true

    /// A block of `filters` filters of `dtype` on images of `inputChannels` channels, its
    /// filter drawn from `generator` before its bias.
    init(inputChannels: Int, filters: Int, padding: Padding, activation: Activation, dtype: DType, generator: inout SeededGenerator) {
        let side = DANNConvolutionPlan.kernelSize
        filter = Variable(Initializer.glorotUniform.makeTensor(shape: [side, side, inputChannels, filters], dtype: dtype, using: &generator), name: "filter")
        bias = Variable(Initializer.zeros.makeTensor(shape: [filters], dtype: dtype, using: &generator), name: "bias")
        self.padding = padding
        self.activation = activation
    }

    /// The pooled activations `[batch, height', width', filters]` of `input`
    /// (`[batch, height, width, inputChannels]`).
    func callAsFunction(_ input: Tensor) -> Tensor {
        let pool = DANNConvolutionPlan.poolSize
        let convolved = conv2d(input, filter: filter.value, padding: padding) + bias.value
        return maxPool2D(activation(convolved), windowSize: (pool, pool))
    }
}

/// Flattens each example of a batch into one row, `[batch, d₁·d₂·…]`: the bridge from the
/// convolution blocks to the dense heads (a view, not a copy).
final class FlattenExamples: Layer {
    /// Not used; kept so containers can set it.
    var isTraining = true

    /// `input` reshaped to `[batch, elements per example]`.
    func callAsFunction(_ input: Tensor) -> Tensor {
        input.reshaped(to: [input.shape[0], input.shape.dimensions.dropFirst().reduce(1, *)])
    }
}
