@_spi(Reflection) import Swift
import Synchronization

// The stored properties of layer classes, as the Swift runtime lays them out: name, byte
// offset in an instance, size, and whether the property's type can hold a layer or a
// variable. Discovery reads the values through `Mirror`; the cached variable tables compare
// the bytes at these offsets to tell, in a few nanoseconds, whether a layer still holds
// what it held when its table was built.

/// One stored property of a layer class.
struct StoredField {
    /// The property's name as declared (a `lazy var`'s storage is reported under the
    /// property's own name).
    let name: String
    /// The byte offset of the property in an instance.
    let offset: Int
    /// The property's size in bytes.
    let size: Int
    /// Whether the property's type can hold a layer or a variable.
    let mayHoldLayers: Bool
}

/// The stored properties of each layer class, worked out once per class.
enum StoredFields {
    private static let layouts = Mutex<[ObjectIdentifier: [StoredField]]>([:])
    private static let relevance = Mutex<[ObjectIdentifier: Bool]>([:])

    /// The stored properties of `type`, its superclasses' first, in declaration order (the
    /// order `Mirror` lists them in).
    static func of(_ type: AnyClass) -> [StoredField] {
        let key = ObjectIdentifier(type)
        if let known = layouts.withLock({ $0[key] }) { return known }
        var fields = [StoredField]()
        let complete = _forEachField(of: type, options: classTypeOption) { name, offset, fieldType, _ in
            var label = String(cString: name)
            if label.hasPrefix(lazyStoragePrefix) { label.removeFirst(lazyStoragePrefix.count) }
            fields.append(
                StoredField(name: label, offset: offset, size: byteSize(of: fieldType), mayHoldLayers: mayHoldLayers(fieldType)))
            return true
        }
        checkPrecondition(complete, "Layer: the Swift runtime cannot list the stored properties of \(type)")
        layouts.withLock { $0[key] = fields }
        return fields
    }

    /// Whether a value of `type` can hold a layer or a variable: `Variable`, a layer class,
    /// an existential (it may hold anything), and optionals, arrays, dictionaries (their
    /// values), structs and tuples with such a part. Other classes, enums and functions are
    /// not searched.
    static func mayHoldLayers(_ type: Any.Type) -> Bool {
        let key = ObjectIdentifier(type)
        if let known = relevance.withLock({ $0[key] }) { return known }
        var visiting = Set<ObjectIdentifier>()
        let answer = computeMayHoldLayers(type, visiting: &visiting)
        relevance.withLock { $0[key] = answer }
        return answer
    }

    private static func computeMayHoldLayers(_ type: Any.Type, visiting: inout Set<ObjectIdentifier>) -> Bool {
        if type == Variable.self || type is any Layer.Type || type == (any Layer).self { return true }
        // A type that contains itself (through an array, say) adds nothing the first visit
        // does not find.
        guard visiting.insert(ObjectIdentifier(type)).inserted else { return false }
        defer { visiting.remove(ObjectIdentifier(type)) }
        if let container = type as? any ElementTypeProbe.Type {
            return computeMayHoldLayers(container.elementType, visiting: &visiting)
        }
        switch kind(of: type) {
        case .existential:
            return true
        case .struct, .tuple:
            var found = false
            _ = _forEachField(of: type) { _, _, fieldType, _ in
                found = computeMayHoldLayers(fieldType, visiting: &visiting)
                return !found
            }
            return found
        default:
            return false
        }
    }

    private static let lazyStoragePrefix = "$__lazy_storage_$_"
    /// `_EachFieldOptions.classType` (1 << 0), spelled out because the standard library
    /// declares it as a mutable static, which strict concurrency checking refuses to read.
    private static let classTypeOption = _EachFieldOptions(rawValue: 1 << 0)
}

/// The runtime's kind of `type` (class, struct, enum, existential, …), read as the kind of
/// the one field of a generic struct, since asking for the fields of an existential type
/// directly is not supported.
private func kind(of type: Any.Type) -> _MetadataKind {
    func kindOfField<T>(_: T.Type) -> _MetadataKind {
        var kind = _MetadataKind.unknown
        _ = _forEachField(of: KindProbe<T>.self) { _, _, _, fieldKind in
            kind = fieldKind
            return false
        }
        return kind
    }
    return _openExistential(type, do: kindOfField)
}

/// A struct whose one field has the type whose kind is wanted.
private struct KindProbe<T> {
    var value: T
}

/// The size in bytes of a value of `type`.
private func byteSize(of type: Any.Type) -> Int {
    func size<T>(_: T.Type) -> Int { MemoryLayout<T>.size }
    return _openExistential(type, do: size)
}

/// The containers whose elements discovery searches.
protocol ElementTypeProbe {
    /// The type of the elements (the wrapped value, the dictionary's values).
    static var elementType: Any.Type { get }
}

extension Optional: ElementTypeProbe {
    static var elementType: Any.Type { Wrapped.self }
}

extension Array: ElementTypeProbe {
    static var elementType: Any.Type { Element.self }
}

extension ContiguousArray: ElementTypeProbe {
    static var elementType: Any.Type { Element.self }
}

extension ArraySlice: ElementTypeProbe {
    static var elementType: Any.Type { Element.self }
}

extension Dictionary: ElementTypeProbe {
    static var elementType: Any.Type { Value.self }
}
