import Foundation
import RetrogradNN

// Whole-model checkpoints: the architecture (as JSON in the safetensors metadata) and the
// variables by path, so a model can be rebuilt from the file alone.

extension Checkpoint {
    /// The metadata key under which ``init(model:extra:metadata:)`` stores the model's
    /// ``LayerArchitecture`` as JSON.
    public static let architectureKey = "retrograd.architecture"

    /// A checkpoint of a whole model: its architecture and each variable under its path in
    /// the model, with `extra` tensors (an optimizer's state) and `metadata`.
    ///
    /// ```swift
    /// try Checkpoint(model: model).save(to: url)
    /// let restored = try Checkpoint.load(from: url).makeModel(as: Sequential.self)
    /// ```
    ///
    /// - Throws: ``CheckpointError/undescribableLayer(path:type:)`` for a layer that is not
    ///   a ``DescribableLayer``, ``CheckpointError/reservedName(name:)`` for a metadata key
    ///   equal to ``architectureKey``, and the errors of ``init(variables:extra:metadata:)``.
    public init(model: any Layer, extra: [String: Tensor] = [:], metadata: [String: String] = [:]) throws(CheckpointError) {
        if metadata[Checkpoint.architectureKey] != nil { throw .reservedName(name: Checkpoint.architectureKey) }
        let architecture = try LayerArchitecture(describing: model)
        var allMetadata = metadata
        allMetadata[Checkpoint.architectureKey] = architecture.description
        try self.init(entries: Checkpoint.entries(of: model), extra: extra, metadata: allMetadata)
    }

    /// Saves `model`'s architecture and variables, with `extra` tensors and `metadata`, to
    /// `url` atomically; see ``init(model:extra:metadata:)``.
    ///
    /// - Throws: the errors of ``init(model:extra:metadata:)`` and ``save(to:)``.
    public static func save(model: any Layer, extra: [String: Tensor] = [:], metadata: [String: String] = [:], to url: URL) throws(CheckpointError) {
        try Checkpoint(model: model, extra: extra, metadata: metadata).save(to: url)
    }

    /// The architecture stored by ``init(model:extra:metadata:)``, or nil for a checkpoint
    /// saved from a list of variables.
    ///
    /// - Throws: ``CheckpointError/invalidArchitecture(path:reason:file:)`` when the stored
    ///   architecture is not readable.
    public func architecture() throws(CheckpointError) -> LayerArchitecture? {
        guard let text = metadata[Checkpoint.architectureKey] else { return nil }
        return try LayerArchitecture(json: text, file: file)
    }

    /// Builds the model the checkpoint describes and sets its variables from the file.
    ///
    /// - Parameter customTypes: The layer types of your own that the model may hold; the
    ///   built-in layers are always known.
    /// - Throws: ``CheckpointError/missingArchitecture(file:)``, the errors of
    ///   ``LayerBuilder/makeLayer(_:at:)``, and those of restoring (an entry missing,
    ///   unexpected, or of another shape or element type than the rebuilt variable).
    public func makeModel(customTypes: [any DescribableLayer.Type] = []) throws(CheckpointError) -> any Layer {
        guard let architecture = try architecture() else { throw .missingArchitecture(file: file) }
        let model = try LayerBuilder(customTypes: customTypes, path: "", file: file).makeLayer(architecture)
        try restore(entries: Checkpoint.entries(of: model), strict: true)
        return model
    }

    /// Builds the model the checkpoint describes as a `Model`, and sets its variables.
    ///
    /// - Throws: the errors of ``makeModel(customTypes:)``, and
    ///   ``CheckpointError/architectureMismatch(path:expected:found:file:)`` when the file
    ///   holds another kind of model.
    public func makeModel<Model: Layer>(as type: Model.Type, customTypes: [any DescribableLayer.Type] = []) throws(CheckpointError) -> Model {
        let model = try makeModel(customTypes: customTypes)
        guard let typed = model as? Model else {
            throw .architectureMismatch(path: "kind", expected: "\(Model.self)", found: "\(Swift.type(of: model))", file: file)
        }
        return typed
    }

    /// Sets the variables of `model` from the entries under their paths — all or nothing —
    /// after checking that the model is built as the checkpoint's architecture says, when
    /// the checkpoint has one.
    ///
    /// - Parameters:
    ///   - model: The model to set; a checkpoint with an architecture must describe it.
    ///   - strict: Whether an entry that no variable takes is an error.
    /// - Throws: ``CheckpointError/architectureMismatch(path:expected:found:file:)`` naming
    ///   the first difference (a layer's kind, a size, an activation, an element type),
    ///   ``CheckpointError/undescribableLayer(path:type:)``, and the errors of
    ///   ``restore(into:strict:)-([Variable],_)``.
    public func restore(into model: any Layer, strict: Bool = true) throws(CheckpointError) {
        if let saved = try architecture() {
            let current = try LayerArchitecture(describing: model)
            if let (path, mine, theirs) = current.firstDifference(from: saved) {
                throw .architectureMismatch(path: path, expected: mine, found: theirs, file: file)
            }
        }
        try restore(entries: Checkpoint.entries(of: model), strict: strict)
    }

    /// Each variable of `model` once, under its first path.
    static func entries(of model: any Layer) -> [NamedVariable] {
        var seen = Set<ObjectIdentifier>()
        return model.namedVariables.filter { seen.insert(ObjectIdentifier($0.variable)).inserted }
    }
}
