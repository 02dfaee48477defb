/// An open-addressing hash map from tensor identities to their ``Slot`` on a tape.
///
/// The tape looks up every input of every op here, so it avoids the general-purpose
/// `Dictionary` hashing: identities are unique non-zero counters, and a multiplicative
/// hash spreads them well. Key 0 marks an empty bucket.
struct IdentityMap {
    private var keys: [UInt64]
    private var values: [Slot]
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = [UInt64](repeating: 0, count: size)
        values = [Slot](repeating: .unwatched, count: size)
        mask = size - 1
    }

    @inline(__always) private func bucket(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    /// The slot stored for `key`, or ``Slot/unwatched``.
    @inline(__always) subscript(key: UInt64) -> Slot {
        var index = bucket(key)
        while true {
            let found = keys[index]
            if found == key { return values[index] }
            if found == 0 { return .unwatched }
            index = (index + 1) & mask
        }
    }

    /// Forgets every key and keeps the capacity.
    mutating func removeAll() {
        guard count > 0 else { return }
        keys.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        count = 0
    }

    /// Stores `value` for `key` (non-zero), replacing any earlier value.
    mutating func set(_ key: UInt64, _ value: Slot) {
        if (count + 1) * 2 > keys.count { grow() }
        var index = bucket(key)
        while keys[index] != 0 && keys[index] != key { index = (index + 1) & mask }
        if keys[index] == 0 { count += 1 }
        keys[index] = key
        values[index] = value
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        keys = [UInt64](repeating: 0, count: oldKeys.count * 2)
        values = [Slot](repeating: .unwatched, count: oldKeys.count * 2)
        mask = keys.count - 1
        count = 0
        for (key, value) in zip(oldKeys, oldValues) where key != 0 { set(key, value) }
    }
}
