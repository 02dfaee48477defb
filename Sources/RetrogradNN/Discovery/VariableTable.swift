import Synchronization

/// A layer's variables as discovery found them, with the snapshot that says whether they
/// are still what the layer holds.
final class VariableTable: @unchecked Sendable {
    /// Every variable with its path; a variable reached by two paths appears under each.
    let namedVariables: [NamedVariable]
    /// Each variable once, at its first path, in the order of ``namedVariables``.
    let variables: [Variable]
    /// The first path of each of ``variables``.
    let paths: [String]
    /// Every layer under the root, with its path.
    let sublayers: [(path: String, layer: any Layer)]
    private let snapshot: StructureSnapshot

    /// Discovers the variables of `layer`.
    ///
    /// Stops the program when two different variables have the same path, which only a
    /// layer's ``Layer/variablePathNames`` can cause (two properties given one name, or
    /// two containers listed without a name of their own).
    init(discovering layer: any Layer) {
        let found = DiscoveredStructure(root: layer)
        var byPath = [String: Variable]()
        var seen = Set<ObjectIdentifier>()
        var variables = [Variable](), paths = [String]()
        for (path, variable) in found.namedVariables {
            if let other = byPath.updateValue(variable, forKey: path), other !== variable {
                preconditionFailed(
                    "\(type(of: layer)): two different variables have the path '\(path)' (shapes \(other.shape) and "
                        + "\(variable.shape)). Paths must be unique: check \(type(of: layer)).variablePathNames, which "
                        + "gives two properties the same name or leaves out the names of two containers; give each "
                        + "property its own name (or hold both parts in a Sequential, which numbers them)")
            }
            if seen.insert(ObjectIdentifier(variable)).inserted {
                variables.append(variable)
                paths.append(path)
            }
        }
        self.namedVariables = found.namedVariables
        self.variables = variables
        self.paths = paths
        self.sublayers = found.sublayers
        self.snapshot = found.snapshot
    }

    /// Whether `layer`, the layer this table was made for, still holds what it held then.
    func isCurrent(for layer: any Layer) -> Bool { snapshot.matches(layer) }

    /// Sets each variable's name to its first path.
    func nameVariables() {
        for (variable, path) in zip(variables, paths) where variable.name != path { variable.name = path }
    }
}

/// The variable tables of live layers, keyed by the layer's identity.
///
/// A table is built the first time a layer's variables are asked for and kept while it
/// stays current (``VariableTable/isCurrent(for:)``), so a training loop that asks for
/// `trainableVariables` on every step pays for one lookup and one comparison of a few
/// bytes per layer, not for reflection. The entries of freed layers are dropped when the
/// registry has doubled in size since it last dropped any.
enum VariableTables {
    /// A weak reference that can cross into the lock (the registry only compares and
    /// stores it).
    private struct WeakObject: @unchecked Sendable {
        weak var object: AnyObject?
        let identity: ObjectIdentifier

        init(_ object: AnyObject) {
            self.object = object
            self.identity = ObjectIdentifier(object)
        }

        /// Whether the reference still points to the object it was made with.
        var isAlive: Bool { object.map(ObjectIdentifier.init) == identity }
    }

    private struct Entry {
        /// The layer; dead once it is freed (its identity may then be reused).
        var layer: WeakObject
        var table: VariableTable?
        /// The latest layer whose table listed this one inside it, while it lives.
        var container: WeakObject?
    }

    private struct Registry {
        var entries: [ObjectIdentifier: Entry] = [:]
        var sweepAt = 64

        /// The entry of `layer`, or a fresh one when there is none or the one there
        /// belonged to a freed layer at the same address.
        func entry(for layer: WeakObject) -> Entry {
            if let entry = entries[layer.identity], entry.layer.isAlive { return entry }
            return Entry(layer: layer)
        }

        /// Records `root` as the container of each of `sublayers`.
        mutating func mark(_ sublayers: [WeakObject], containedIn root: WeakObject) {
            for sublayer in sublayers {
                var inner = entry(for: sublayer)
                inner.container = root
                entries[sublayer.identity] = inner
            }
        }

        /// Drops the entries of freed layers once the registry has doubled in size.
        mutating func sweepIfGrown() {
            guard entries.count >= sweepAt else { return }
            entries = entries.filter { $0.value.layer.isAlive }
            sweepAt = Swift.max(64, 2 * entries.count)
        }
    }

    private static let registry = Mutex(Registry())

    /// The current table of `layer`, built (and stored) if there is none or the layer has
    /// changed since; a newly built table names the variables when no other live layer
    /// has listed `layer` inside it, or when `forceNaming` is set.
    static func table(for layer: any Layer, forceNaming: Bool = false) -> VariableTable {
        let identity = ObjectIdentifier(layer)
        let cached = registry.withLock { registry -> VariableTable? in
            guard let entry = registry.entries[identity], entry.layer.isAlive else { return nil }
            return entry.table
        }
        if let cached, cached.isCurrent(for: layer) {
            if forceNaming { name(cached, of: layer) }
            return cached
        }
        let table = VariableTable(discovering: layer)
        let reference = WeakObject(layer)
        let sublayers = table.sublayers.map { WeakObject($0.layer) }
        let isContained = registry.withLock { registry -> Bool in
            var entry = registry.entry(for: reference)
            entry.table = table
            registry.entries[identity] = entry
            registry.mark(sublayers, containedIn: reference)
            registry.sweepIfGrown()
            return entry.container?.object != nil
        }
        if forceNaming || !isContained { table.nameVariables() }
        return table
    }

    /// Names the variables of `table` and marks every layer under `root` as listed inside it.
    private static func name(_ table: VariableTable, of root: any Layer) {
        let reference = WeakObject(root)
        let sublayers = table.sublayers.map { WeakObject($0.layer) }
        registry.withLock { $0.mark(sublayers, containedIn: reference) }
        table.nameVariables()
    }
}
