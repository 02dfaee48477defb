/// A variable together with its path inside a layer, such as `"1.0.weight"`.
public typealias NamedVariable = (name: String, variable: Variable)

/// A building block of a model: a function of one tensor that may own variables.
///
/// A layer finds its own variables: every stored property that holds a `Variable`, a
/// layer, or an optional, array, dictionary, struct or tuple of them is searched, and each
/// variable is named by its path, as PyTorch's `named_parameters` does: a property's name,
/// an array index, a dictionary key, joined by dots ("encoder.0.weight"). Nothing has to
/// be listed by hand, so a child cannot be left out of training by mistake.
///
/// ```swift
/// final class Autoencoder: Layer {
///     let encoder = Sequential(Dense(inputSize: 8, outputSize: 2, activation: .tanh), Dense(inputSize: 2, outputSize: 2))
///     let decoder = Dense(inputSize: 2, outputSize: 8)
///     var isTraining = true
///     func callAsFunction(_ input: Tensor) -> Tensor { decoder(encoder(input)) }
/// }
/// let model = Autoencoder()
/// model.trainableVariables.map(\.name)
/// // ["encoder.0.weight", "encoder.0.bias", "encoder.1.weight", "encoder.1.bias", "decoder.weight", "decoder.bias"]
/// let tape = GradientTape()
/// let loss = tape.record { meanSquaredError(predictions: model(x), targets: x) }
/// let grads = try tape.gradient(of: loss, wrt: model.trainableVariables)
/// ```
///
/// Write your own layer by conforming a class: store its variables and children in
/// properties, keep an ``isTraining`` flag and pass it on to your children. Layers held
/// through other classes, closures or enums are not searched. A property that refers back
/// to a layer that holds this one (a parent pointer) is skipped.
///
/// The variable list is built the first time it is asked for and kept. It is checked on
/// every later request against the properties it was built from, by comparing a few bytes
/// per layer, and built again when a layer or variable has been replaced, added or
/// removed anywhere in the model, so replacing a model's head after training it starts
/// training the new head.
public protocol Layer: AnyObject {
    /// Applies the layer to `input`.
    func callAsFunction(_ input: Tensor) -> Tensor

    /// Whether the layer behaves as in training (dropout drops) or as in inference.
    ///
    /// Layers start in training mode. Setting the flag on a container sets it on every
    /// layer inside.
    var isTraining: Bool { get set }

    /// The names under which stored properties appear in variable paths, where they differ
    /// from the property's own name; by default, none do.
    ///
    /// An empty name lists what the property holds without a name of its own: `Sequential`
    /// maps its `layers` array to "", so its variables are "0.weight", not
    /// "layers.0.weight". A model that renamed a property keeps the paths of its
    /// checkpoints by mapping the new name to the old one.
    static var variablePathNames: [String: String] { get }

    /// The shape and element type of the output for an input described by `input`, or
    /// nil when the layer does not say; ``callAsFunction(checking:)`` calls it before it
    /// applies the layer.
    ///
    /// Declare what the layer requires of its input (rank, feature count, element type)
    /// by throwing a ``LayerInputError`` for an input it cannot take. The default
    /// declares nothing and returns nil.
    ///
    /// - Throws: ``LayerInputError`` for an input the layer cannot take.
    func outputSpec(for input: TensorSpec) throws(LayerInputError) -> TensorSpec?

    /// The variables the layer updates itself instead of by gradient, such as
    /// `BatchNorm`'s running statistics (PyTorch's buffers); by default, none.
    ///
    /// They are among ``namedVariables``, so checkpoints save and restore them, and they
    /// are made untrainable, so ``trainableVariables`` leaves them out; ``unfreeze()``
    /// leaves them untrainable. List only variables the layer's own properties hold.
    var stateVariables: [Variable] { get }
}

extension Layer {
    /// No property is renamed.
    public static var variablePathNames: [String: String] { [:] }

    /// Declares nothing: returns nil.
    public func outputSpec(for input: TensorSpec) throws(LayerInputError) -> TensorSpec? { nil }

    /// No variable is updated by the layer itself.
    public var stateVariables: [Variable] { [] }

    /// The layer's variables with their paths in the layer, in the order of its stored
    /// properties (a class's superclass first); a variable reached by two paths (a layer
    /// used twice) is listed under each.
    public var namedVariables: [NamedVariable] { VariableTables.table(for: self).namedVariables }

    /// The layer's variables in the order of ``namedVariables``; a variable reached by
    /// two paths appears once, at its first.
    public var variables: [Variable] { VariableTables.table(for: self).variables }

    /// The variables an optimizer should update, in a stable order: ``variables`` whose
    /// `trainable` flag is set.
    ///
    /// Ask the tape for gradients with respect to this list and hand both to the
    /// optimizer; the two stay aligned. Asking on every step is cheap: the list comes
    /// from the layer's cached table (see ``Layer``).
    public var trainableVariables: [Variable] { VariableTables.table(for: self).variables.filter { $0.trainable } }

    /// Stops training the layer's variables: tapes no longer watch them and they leave
    /// ``trainableVariables``.
    public func freeze() {
        for variable in variables { variable.trainable = false }
    }

    /// Makes every variable of the layer trainable again, except the state variables of
    /// the layer and of the layers inside it (``stateVariables``: running statistics).
    public func unfreeze() {
        let table = VariableTables.table(for: self)
        var state = Set(stateVariables.map(ObjectIdentifier.init))
        for (_, layer) in table.sublayers { state.formUnion(layer.stateVariables.map(ObjectIdentifier.init)) }
        for variable in table.variables where !state.contains(ObjectIdentifier(variable)) { variable.trainable = true }
    }

    /// The variable whose path in this layer is `name` ("1.bias"), or nil.
    public func variable(named name: String) -> Variable? {
        namedVariables.first { $0.name == name }?.variable
    }

    /// ``namedVariables`` with `prefix` and a dot in front of each name.
    public func namedVariables(prefixedBy prefix: String) -> [NamedVariable] {
        namedVariables.map { (name: pathJoined(prefix, $0.name), variable: $0.variable) }
    }

    /// Sets each variable's `name` to its path in this layer, so names are unique and
    /// stable within the model this layer is the root of.
    ///
    /// Names are set without this call too, when a layer's variables are first listed
    /// (``variables``, ``trainableVariables``, ``namedVariables``) and no other layer has
    /// listed this one inside it; `Sequential` lists its variables when it is made. So the
    /// outermost layer listed decides the names, and listing a part of a model afterwards
    /// (`model.encoder.trainableVariables`) does not rename its variables. Call this to
    /// name from a part on purpose. A variable reached by two paths is named by the first.
    public func assignVariableNames() {
        _ = VariableTables.table(for: self, forceNaming: true)
    }
}
