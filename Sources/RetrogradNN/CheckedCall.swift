// The throwing form of calling a model: for servers and notebooks that must recover from
// an input the model cannot take, where the plain call stops the program.

/// A tensor's shape and element type, without its elements: what a layer declares it
/// takes and gives (TensorFlow's `tf.TensorSpec`).
public struct TensorSpec: Hashable, Sendable, CustomStringConvertible {
    /// The dimensions.
    public var shape: Shape
    /// The element type.
    public var dtype: DType

    /// Creates a description of tensors of `shape` and `dtype`.
    public init(shape: Shape, dtype: DType) {
        self.shape = shape
        self.dtype = dtype
    }

    /// The shape and element type of `tensor`.
    public init(of tensor: Tensor) {
        self.init(shape: tensor.shape, dtype: tensor.dtype)
    }

    /// `float32 [4, 2]`.
    public var description: String { "\(dtype) \(shape)" }
}

/// An input that a layer declares it cannot take, found by ``Layer/callAsFunction(checking:)``
/// before the layer runs.
///
/// The message (``description``) names the layer and where it sits in the model, what it
/// expected, what it was given, and what to do.
public struct LayerInputError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong with the input.
    public enum Problem: Hashable, Sendable {
        /// The input has fewer dimensions than the layer needs.
        case rank(minimum: Int, found: Shape)
        /// The input's last dimension is not the number of features the layer takes.
        case featureCount(expected: Int, found: Shape)
        /// The input's element type is not the one the layer computes in.
        case dtype(expected: DType, found: DType)
        /// The layer computes in floating point and the input is not.
        case notFloatingPoint(found: DType)
        /// The input does not have the one rank the layer takes; `layout` names its axes,
        /// as in "[batch, height, width, channels]".
        case exactRank(expected: Int, layout: String, found: Shape)
        /// The input's last dimensions are not the ones the layer normalizes over.
        case trailingDimensions(expected: [Int], found: Shape)
        /// The images are smaller than the layer's window (`[height, width]`, dilation
        /// included) even after padding.
        case windowDoesNotFit(window: [Int], found: Shape)
    }

    /// The layer's type, such as "Dense".
    public var layer: String
    /// The layer's path in the model that was called ("1.0"), or "" for that model itself.
    public var path: String
    /// What is wrong.
    public var problem: Problem

    /// Creates an error for the layer of type `layer` at `path` (empty for the layer that
    /// was called).
    public init(layer: String, path: String = "", problem: Problem) {
        self.layer = layer
        self.path = path
        self.problem = problem
    }

    /// The same error for a container that holds the failing layer under `component`.
    public func inside(_ component: String) -> LayerInputError {
        LayerInputError(layer: layer, path: pathJoined(component, path), problem: problem)
    }

    /// A sentence that says where, what was expected, what was found and what to do.
    public var description: String {
        let place = path.isEmpty ? layer : "\(layer) at '\(path)'"
        switch problem {
        case let .rank(minimum, found):
            return "\(place): expected an input of rank \(minimum) or more, found shape \(found). "
                + "Add the batch axis (reshaped(to: [1, …]) for a single example)."
        case let .featureCount(expected, found):
            return "\(place): expected \(expected) features on the last axis ([batch, \(expected)]), found shape \(found). "
                + "Pass inputs with \(expected) features, or build the layer for \(found.last ?? 0)."
        case let .dtype(expected, found):
            return "\(place): expected \(expected) elements, found \(found). Convert the input with .cast(to: .\(expected))."
        case let .notFloatingPoint(found):
            return "\(place): expected float32 or float64 elements, found \(found). "
                + "Convert the input with .cast(to: .float32)."
        case let .exactRank(expected, layout, found):
            return "\(place): expected an input of rank \(expected), \(layout), found shape \(found). "
                + "Reshape the input to \(layout)."
        case let .trailingDimensions(expected, found):
            return "\(place): expected the last \(expected.count) dimensions to be \(expected), found shape \(found). "
                + "Pass inputs ending in \(expected), or build the layer for the input's last dimensions."
        case let .windowDoesNotFit(window, found):
            return "\(place): expected images of at least \(window[0])×\(window[1]) pixels for its window, found shape \(found). "
                + "Pass larger images, use padding: .same, or use a smaller window."
        }
    }
}

extension Layer {
    /// Applies the layer after checking `input` against what its layers declare, and
    /// throws instead of stopping the program when they cannot take it.
    ///
    /// ```swift
    /// do {
    ///     let logits = try model(checking: request)
    ///     …
    /// } catch {
    ///     respond(400, "\(error)")   // Dense at '0': expected 2 features on the last axis ([batch, 2]), found shape [1, 3]. …
    /// }
    /// ```
    ///
    /// The check is ``outputSpec(for:)``: the built-in layers declare the rank, feature
    /// count and element type they take, and `Sequential` follows its input through its
    /// layers as far as they declare their outputs. A custom layer that declares nothing
    /// ends the check there, and the layers after it run unchecked. Everything not
    /// declared still stops the program as the plain call does: programmer errors inside
    /// ops (shapes that do not fit, bad axes) always stop it, with a message, in every
    /// build configuration.
    ///
    /// - Throws: ``LayerInputError``, before any layer runs.
    public func callAsFunction(checking input: Tensor) throws(LayerInputError) -> Tensor {
        _ = try outputSpec(for: TensorSpec(of: input))
        return self(input)
    }
}

/// The spec of a layer that keeps its input's shape and element type, after checking
/// that the input is floating point (unless `anyType`) and has at least `minimumRank`
/// dimensions.
func sameSpec(
    _ input: TensorSpec, layer: String, minimumRank: Int = 0, anyType: Bool = false
) throws(LayerInputError) -> TensorSpec {
    guard anyType || input.dtype.isFloatingPoint else {
        throw LayerInputError(layer: layer, problem: .notFloatingPoint(found: input.dtype))
    }
    guard input.shape.rank >= minimumRank else {
        throw LayerInputError(layer: layer, problem: .rank(minimum: minimumRank, found: input.shape))
    }
    return input
}
