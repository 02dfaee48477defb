// Finding a layer's variables and sub-layers by reflection: every stored property whose
// type can hold one (see `StoredFields.mayHoldLayers`) is searched through `Mirror`, and
// each variable gets the path of properties, array indices and dictionary keys that leads
// to it ("encoder.0.weight").

/// What one pass of discovery found under a layer.
struct DiscoveredStructure {
    /// Every variable with its path, in property order; a variable reached by two paths
    /// appears under each.
    var namedVariables: [NamedVariable] = []
    /// Every layer under the root (not the root itself) with its path, in the order found.
    var sublayers: [(path: String, layer: any Layer)] = []
    /// The bytes of the searched properties of the root and of every layer under it.
    var snapshot = StructureSnapshot()
    /// The layers on the path from the root to the one being searched, root first.
    private var ancestors: [ObjectIdentifier] = []

    /// Searches `root` and everything it holds.
    init(root: any Layer) {
        ancestors.append(ObjectIdentifier(root))
        visit(layer: root, path: "", isRoot: true)
    }

    /// Searches the stored properties of `layer`, found at `path`.
    private mutating func visit(layer: any Layer, path: String, isRoot: Bool) {
        let type = type(of: layer)
        let fields = StoredFields.of(type)
        let values = storedValues(of: layer)
        checkPrecondition(
            values.count == fields.count && zip(values, fields).allSatisfy { $0.label.map(storedName) == $1.name },
            "Layer: \(type) customizes its Mirror (CustomReflectable), so its variables cannot be found; "
                + "remove the customMirror or move it to a type that is not a layer")
        let names = type.variablePathNames
        var pins = [Any]()
        var searched = [StoredField]()
        for (field, value) in zip(fields, values) where field.mayHoldLayers {
            searched.append(field)
            // A back-reference to a layer above this one (a parent pointer) is neither
            // searched nor kept alive by the table.
            if let held = value.value as? any Layer, ancestors.contains(ObjectIdentifier(held)) { continue }
            pins.append(value.value)
            visit(value: value.value, path: pathJoined(path, names[field.name] ?? field.name))
        }
        snapshot.record(layer, fields: searched, pins: pins, isRoot: isRoot)
    }

    /// Searches one value found at `path`: a variable or a layer ends the search; optionals,
    /// arrays, dictionaries, structs and tuples are searched element by element.
    private mutating func visit(value: Any, path: String) {
        if let variable = value as? Variable {
            namedVariables.append((name: path, variable: variable))
            return
        }
        if let layer = value as? any Layer {
            let identity = ObjectIdentifier(layer)
            guard !ancestors.contains(identity) else { return }
            sublayers.append((path: path, layer: layer))
            ancestors.append(identity)
            visit(layer: layer, path: path, isRoot: false)
            ancestors.removeLast()
            return
        }
        guard StoredFields.mayHoldLayers(Swift.type(of: value)) else { return }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            for child in mirror.children { visit(value: child.value, path: path) }
        case .collection:
            for (index, child) in mirror.children.enumerated() { visit(value: child.value, path: pathJoined(path, String(index))) }
        case .dictionary:
            for (key, element) in sortedEntries(mirror) { visit(value: element, path: pathJoined(path, key)) }
        case .struct, .tuple:
            for (index, child) in mirror.children.enumerated() {
                // Unlabelled tuple elements are labelled ".0", ".1", … by Mirror.
                let label = child.label.map { $0.hasPrefix(".") ? String($0.dropFirst()) : $0 } ?? String(index)
                visit(value: child.value, path: pathJoined(path, label))
            }
        default:
            return
        }
    }
}

/// The stored properties of `object` with their values, its superclasses' first.
private func storedValues(of object: AnyObject) -> [Mirror.Child] {
    var levels = [Mirror]()
    var level: Mirror? = Mirror(reflecting: object)
    while let current = level {
        levels.append(current)
        level = current.superclassMirror
    }
    return levels.reversed().flatMap { Array($0.children) }
}

/// A `Mirror` label as `StoredFields` names the property (a `lazy var` by its own name).
private func storedName(_ label: String) -> String {
    let prefix = "$__lazy_storage_$_"
    return label.hasPrefix(prefix) ? String(label.dropFirst(prefix.count)) : label
}

/// A dictionary's entries as (key text, value), in key order: numeric for integer keys,
/// by text otherwise, so paths do not depend on the dictionary's hashing.
private func sortedEntries(_ mirror: Mirror) -> [(key: String, value: Any)] {
    let entries = mirror.children.map { entry -> (key: Any, value: Any) in
        let parts = Array(Mirror(reflecting: entry.value).children)
        return (parts[0].value, parts[1].value)
    }
    if entries.allSatisfy({ $0.key is Int }) {
        return entries.sorted { ($0.key as! Int) < ($1.key as! Int) }.map { ("\($0.key)", $0.value) }
    }
    return entries.map { ("\($0.key)", $0.value) }.sorted { $0.key < $1.key }
}

/// `path` and `component` joined by a dot; an empty part adds nothing. Shared with the
/// model checkpoints of RetrogradData, whose layer paths are the same.
package func pathJoined(_ path: String, _ component: String) -> String {
    if path.isEmpty { return component }
    if component.isEmpty { return path }
    return path + "." + component
}
