import Foundation
import RetrogradNN

extension Checkpoint {
    /// Saves the values of `variables`, keyed by their names, with `extra` tensors (an
    /// optimizer's state, a step counter) and `metadata`, to `url` atomically.
    ///
    /// The names of the extra tensors are recorded under ``extraNamesKey`` in the metadata,
    /// so that ``restore(into:strict:)-([Variable],_)`` does not count them as unexpected.
    ///
    /// - Throws: ``CheckpointError/duplicateName(name:)`` when two variables, or a variable
    ///   and an extra tensor, share a name; ``CheckpointError/reservedName(name:)`` for the
    ///   name `__metadata__` or a metadata key equal to ``extraNamesKey``; and the errors of
    ///   ``save(_:metadata:to:)``.
    public static func save(
        variables: [Variable], extra: [String: Tensor] = [:], metadata: [String: String] = [:], to url: URL
    ) throws(CheckpointError) {
        try Checkpoint(variables: variables, extra: extra, metadata: metadata).save(to: url)
    }

    /// A checkpoint of the values of `variables`, keyed by their names, with `extra`
    /// tensors and `metadata`; see ``save(variables:extra:metadata:to:)``.
    ///
    /// - Throws: ``CheckpointError/duplicateName(name:)`` and ``CheckpointError/reservedName(name:)``.
    public init(variables: [Variable], extra: [String: Tensor] = [:], metadata: [String: String] = [:]) throws(CheckpointError) {
        try self.init(entries: variables.map { (name: $0.name, variable: $0) }, extra: extra, metadata: metadata)
    }

    /// A checkpoint of each variable's value under the name it is paired with, with `extra`
    /// tensors and `metadata`.
    ///
    /// - Throws: ``CheckpointError/duplicateName(name:)`` and ``CheckpointError/reservedName(name:)``.
    init(entries: [NamedVariable], extra: [String: Tensor], metadata: [String: String]) throws(CheckpointError) {
        if metadata[Checkpoint.extraNamesKey] != nil { throw .reservedName(name: Checkpoint.extraNamesKey) }
        var tensors = extra
        for (name, variable) in entries {
            guard tensors[name] == nil else { throw .duplicateName(name: name) }
            tensors[name] = variable.value
        }
        if tensors["__metadata__"] != nil { throw .reservedName(name: "__metadata__") }
        var allMetadata = metadata
        if !extra.isEmpty {
            allMetadata[Checkpoint.extraNamesKey] = jsonText(Safetensors.sortedNames(extra.keys))
        }
        self.init(tensors: tensors, metadata: allMetadata)
    }

    /// The tensors that were saved as `extra` by ``save(variables:extra:metadata:to:)``.
    public var extra: [String: Tensor] {
        tensors.filter { extraNames.contains($0.key) }
    }

    /// The names listed under ``extraNamesKey`` (empty when the key is absent or unreadable).
    var extraNames: Set<String> {
        guard let list = metadata[Checkpoint.extraNamesKey],
            let names = try? jsonDecoder().decode([String].self, from: Data(list.utf8))
        else { return [] }
        return Set(names)
    }

    /// Sets each variable to the entry with its name — all or nothing.
    ///
    /// Everything is checked before any variable changes: every variable must have an
    /// entry of its shape and element type, names must be unique, and with `strict` every
    /// entry but the extra tensors must belong to a variable. If any check fails the
    /// variables keep their values.
    ///
    /// - Parameters:
    ///   - variables: The variables to set, found by `Variable.name`.
    ///   - strict: Whether an entry that no variable takes is an error. Missing entries are
    ///     always errors.
    /// - Throws: the first problem found, in variable order: ``CheckpointError/duplicateName(name:)``,
    ///   ``CheckpointError/missingEntry(name:file:)``, ``CheckpointError/dtypeMismatch(name:expected:found:file:)``,
    ///   ``CheckpointError/shapeMismatch(name:expected:found:file:)``, then
    ///   ``CheckpointError/unexpectedEntry(name:file:)`` in name order.
    public func restore(into variables: [Variable], strict: Bool = true) throws(CheckpointError) {
        try restore(entries: variables.map { (name: $0.name, variable: $0) }, strict: strict)
    }

    /// Sets each variable to the entry named as it is paired — all or nothing; see
    /// ``restore(into:strict:)-([Variable],_)``.
    func restore(entries: [NamedVariable], strict: Bool) throws(CheckpointError) {
        var names = Set<String>()
        var updates = [(Variable, Tensor)]()
        for (name, variable) in entries {
            guard names.insert(name).inserted else { throw .duplicateName(name: name) }
            guard let tensor = tensors[name] else { throw .missingEntry(name: name, file: file) }
            guard tensor.dtype == variable.dtype else {
                throw .dtypeMismatch(name: name, expected: variable.dtype, found: tensor.dtype, file: file)
            }
            guard tensor.shape == variable.shape else {
                throw .shapeMismatch(name: name, expected: variable.shape, found: tensor.shape, file: file)
            }
            updates.append((variable, tensor))
        }
        if strict {
            let extras = extraNames
            for name in Safetensors.sortedNames(tensors.keys) where !names.contains(name) && !extras.contains(name) {
                throw .unexpectedEntry(name: name, file: file)
            }
        }
        for (variable, tensor) in updates { variable.assign(tensor) }
    }
}
