/// The bytes of the searched stored properties of a layer and of every layer under it, as
/// they were when its variables were discovered: comparing them again tells whether any of
/// those properties has been reassigned since.
///
/// The snapshot also keeps the values it saw (the pins). That is what makes the comparison
/// exact: an object it pins cannot be freed and another one made at its address, and an
/// array or dictionary it pins shares its storage with the property, so changing the
/// property's elements in place copies the storage to a new address first.
struct StructureSnapshot {
    /// One searched property: whose (an index into ``nodes``, where nil stands for the
    /// root), where in it, and where its bytes start in ``bytes``.
    private struct Field {
        let node: Int
        let offset: Int
        let size: Int
        let start: Int
    }

    /// The layers under the root whose properties were recorded, kept alive by the
    /// snapshot; the root itself is passed to ``matches(_:)`` so that the snapshot, which
    /// lives in a cache keyed by the root, never keeps the root alive.
    private var nodes: [AnyObject?] = []
    private var fields: [Field] = []
    private var bytes: [UInt8] = []
    private var pins: [Any] = []

    /// Records the current bytes of `searched`, properties of `layer`, and keeps `pinned`.
    mutating func record(_ layer: any Layer, fields searched: [StoredField], pins pinned: [Any], isRoot: Bool) {
        let node = nodes.count
        nodes.append(isRoot ? nil : layer)
        pins += pinned
        withExtendedLifetime(layer) {
            let base = UnsafeRawPointer(Unmanaged.passUnretained(layer as AnyObject).toOpaque())
            for field in searched where field.size > 0 {
                fields.append(Field(node: node, offset: field.offset, size: field.size, start: bytes.count))
                bytes += UnsafeRawBufferPointer(start: base + field.offset, count: field.size)
            }
        }
    }

    /// Whether every recorded property of `root` and of the layers under it still holds
    /// the bytes it held.
    func matches(_ root: any Layer) -> Bool {
        let rootObject = root as AnyObject
        return withExtendedLifetime(rootObject) {
            bytes.withUnsafeBytes { saved in
                for field in fields {
                    let object = nodes[field.node] ?? rootObject
                    let base = UnsafeRawPointer(Unmanaged.passUnretained(object).toOpaque()) + field.offset
                    if !sameBytes(base, saved.baseAddress! + field.start, field.size) { return false }
                }
                return true
            }
        }
    }
}

/// Whether `count` bytes at `a` and `b` are equal, a word at a time.
@inline(__always)
private func sameBytes(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
    var offset = 0
    while offset + 8 <= count {
        if a.loadUnaligned(fromByteOffset: offset, as: UInt64.self) != b.loadUnaligned(fromByteOffset: offset, as: UInt64.self) {
            return false
        }
        offset += 8
    }
    while offset < count {
        if a.load(fromByteOffset: offset, as: UInt8.self) != b.load(fromByteOffset: offset, as: UInt8.self) { return false }
        offset += 1
    }
    return true
}
