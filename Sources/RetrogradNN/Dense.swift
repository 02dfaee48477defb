/// A fully connected layer: `activation(input · weight + bias)`.
///
/// The weight has shape `[inputSize, outputSize]` (inputs are rows, as in Keras), so a
/// batch of shape `[batch, inputSize]` gives `[batch, outputSize]`. Its variables are named
/// "weight" and "bias" after its properties; a container prefixes them with the layer's
/// path.
public final class Dense: Layer {
    /// The number of features each input row has.
    public let inputSize: Int
    /// The number of features each output row has.
    public let outputSize: Int
    /// The `[inputSize, outputSize]` weight matrix.
    public let weight: Variable
    /// The `[outputSize]` bias, or nil for a layer made with `useBias: false`.
    public let bias: Variable?
    /// The nonlinearity applied to the affine map.
    public var activation: Activation
    /// Not used by `Dense`; kept so containers can set it.
    public var isTraining = true

    /// Creates a dense layer whose initial values are drawn from `generator`.
    ///
    /// Share one generator among the layers of a model to make the whole model
    /// reproducible from one seed.
    ///
    /// - Parameters:
    ///   - inputSize: The number of input features.
    ///   - outputSize: The number of output features.
    ///   - activation: Applied after the affine map; `.identity` by default.
    ///   - useBias: Whether to add a bias.
    ///   - weightInitializer: Fills the weight; Glorot uniform by default.
    ///   - biasInitializer: Fills the bias; zeros by default.
    ///   - dtype: The element type of the variables.
    ///   - generator: The source of random numbers; the weight is drawn before the bias.
    public init(
        inputSize: Int, outputSize: Int, activation: Activation = .identity, useBias: Bool = true,
        weightInitializer: Initializer = .glorotUniform, biasInitializer: Initializer = .zeros,
        dtype: DType = .float32, generator: inout SeededGenerator
    ) {
        checkPrecondition(
            inputSize > 0 && outputSize > 0,
            "Dense: inputSize and outputSize must be positive, got \(inputSize) and \(outputSize)")
        checkPrecondition(dtype.isFloatingPoint, "Dense: variables must be float32 or float64, got \(dtype)")
        self.inputSize = inputSize
        self.outputSize = outputSize
        self.activation = activation
        weight = Variable(
            weightInitializer.makeTensor(shape: [inputSize, outputSize], dtype: dtype, using: &generator), name: "weight")
        bias = useBias
            ? Variable(biasInitializer.makeTensor(shape: [outputSize], dtype: dtype, using: &generator), name: "bias")
            : nil
    }

    /// Creates a dense layer whose initial values are fixed by `seed`.
    ///
    /// Without a seed, the layer takes the next seed of a process-wide sequence (0, 1, 2,
    /// … in the order layers are made): a program gets the same weights on every run,
    /// and two layers of the same shape still differ.
    ///
    /// - Parameters:
    ///   - inputSize: The number of input features.
    ///   - outputSize: The number of output features.
    ///   - activation: Applied after the affine map; `.identity` by default.
    ///   - useBias: Whether to add a bias.
    ///   - weightInitializer: Fills the weight; Glorot uniform by default.
    ///   - biasInitializer: Fills the bias; zeros by default.
    ///   - dtype: The element type of the variables.
    ///   - seed: Fixes the initial values.
    public convenience init(
        inputSize: Int, outputSize: Int, activation: Activation = .identity, useBias: Bool = true,
        weightInitializer: Initializer = .glorotUniform, biasInitializer: Initializer = .zeros,
        dtype: DType = .float32, seed: UInt64? = nil
    ) {
        var generator = SeededGenerator(seed: seed ?? DefaultSeeds.next())
        self.init(
            inputSize: inputSize, outputSize: outputSize, activation: activation, useBias: useBias,
            weightInitializer: weightInitializer, biasInitializer: biasInitializer, dtype: dtype,
            generator: &generator)
    }

    /// Maps `input` of shape `[batch, inputSize]` (or `[…, inputSize]`) to
    /// `[batch, outputSize]`.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        checkPrecondition(
            input.rank >= 2 && input.shape[input.rank - 1] == inputSize,
            "Dense: input of shape \(input.shape) does not fit inputSize \(inputSize); expected [batch, \(inputSize)]")
        if input.rank == 2, let bias {
            return activation(input.linear(weight: weight.value, bias: bias.value))
        }
        let product = input.matmul(weight.value)
        return activation(bias.map { product + $0.value } ?? product)
    }

    /// Takes `[batch, inputSize]` (or `[…, inputSize]`) of the weight's element type and
    /// gives `[batch, outputSize]`.
    public func outputSpec(for input: TensorSpec) throws(LayerInputError) -> TensorSpec? {
        guard input.shape.rank >= 2 else {
            throw LayerInputError(layer: "Dense", problem: .rank(minimum: 2, found: input.shape))
        }
        guard input.shape[input.shape.rank - 1] == inputSize else {
            throw LayerInputError(layer: "Dense", problem: .featureCount(expected: inputSize, found: input.shape))
        }
        guard input.dtype == weight.dtype else {
            throw LayerInputError(layer: "Dense", problem: .dtype(expected: weight.dtype, found: input.dtype))
        }
        var shape = input.shape
        shape[shape.rank - 1] = outputSize
        return TensorSpec(shape: shape, dtype: input.dtype)
    }
}
