/// A variable together with its path inside a layer, such as `"1.0.weight"`.
public typealias NamedVariable = (name: String, variable: Variable)

/// A building block of a model: a function of one tensor that may own variables.
///
/// A layer lists its own variables, by hand, under names relative to itself; a container
/// lists its children's variables after its own, each prefixed by the child's position
/// or role. There is no reflection: what ``namedVariables`` returns is the whole truth,
/// in a stable order, so gradients and optimizer state line up step after step.
///
/// ```swift
/// let model = Sequential(Dense(inputSize: 2, outputSize: 16, activation: .tanh),
///                        Dense(inputSize: 16, outputSize: 2))
/// let tape = GradientTape()
/// let loss = tape.record { softmaxCrossEntropy(logits: model(x), labels: y) }
/// let grads = try tape.gradient(of: loss, wrt: model.trainableVariables)
/// ```
///
/// Write your own layer by conforming a class: list the variables you own (and your
/// children's, with ``namedVariables(prefixedBy:)``), keep an ``isTraining`` flag and pass
/// it on to your children, and call ``assignVariableNames()`` at the end of `init` when the
/// layer is a container.
public protocol Layer: AnyObject {
    /// Applies the layer to `input`.
    func callAsFunction(_ input: Tensor) -> Tensor

    /// The layer's variables with names relative to the layer: its own first, then its
    /// children's in order, prefixed by the child's position or role ("0.weight").
    var namedVariables: [NamedVariable] { get }

    /// Whether the layer behaves as in training (dropout drops) or as in inference.
    ///
    /// Layers start in training mode. Setting the flag on a container sets it on every
    /// layer inside.
    var isTraining: Bool { get set }
}

extension Layer {
    /// The layer's variables in the order of ``namedVariables``; a variable reached by
    /// two paths (a layer used twice) appears once, at its first position.
    public var variables: [Variable] { uniqueNamedVariables.map(\.variable) }

    /// The variables an optimizer should update, in a stable order: ``variables`` whose
    /// `trainable` flag is set.
    ///
    /// Ask the tape for gradients with respect to this list and hand both to the
    /// optimizer; the two stay aligned.
    public var trainableVariables: [Variable] { variables.filter(\.trainable) }

    /// Stops training the layer's variables: tapes no longer watch them and they leave
    /// ``trainableVariables``.
    public func freeze() {
        for variable in variables { variable.trainable = false }
    }

    /// Makes every variable of the layer trainable again.
    public func unfreeze() {
        for variable in variables { variable.trainable = true }
    }

    /// The variable whose path in this layer is `name` ("1.bias"), or nil.
    public func variable(named name: String) -> Variable? {
        namedVariables.first { $0.name == name }?.variable
    }

    /// ``namedVariables`` with `prefix` and a dot in front of each name; for containers
    /// listing a child ("features" gives "features.0.weight").
    public func namedVariables(prefixedBy prefix: String) -> [NamedVariable] {
        namedVariables.map { (name: "\(prefix).\($0.name)", variable: $0.variable) }
    }

    /// Sets each variable's `name` to its path in this layer, so names are unique and
    /// stable within the model this layer is the root of.
    ///
    /// Containers call it when they are made, so the container made last (the outermost)
    /// decides the names. A variable reached by two paths keeps the first.
    public func assignVariableNames() {
        for (name, variable) in uniqueNamedVariables { variable.name = name }
    }

    /// ``namedVariables`` without repeated variables (the first occurrence is kept).
    private var uniqueNamedVariables: [NamedVariable] {
        var seen = Set<ObjectIdentifier>()
        return namedVariables.filter { seen.insert(ObjectIdentifier($0.variable)).inserted }
    }
}
