import Synchronization

/// Every live variable, by identity, so that a diagnostic given a plain tensor can tell
/// that it is a variable's value (a variable's value carries the variable's identity) and
/// describe the variable.
///
/// Variables register when they are made and leave in their `deinit`; only those two
/// moments and the reports that look a variable up take the lock, never an op or a read.
/// The table holds unretained references, not weak ones: a weak reference would give every
/// variable a side table and make each retain and release of it several times slower. A
/// lookup reads what it needs under the lock, and a variable's `deinit` cannot finish
/// before it has taken the lock to leave, so no lookup ever touches a freed variable.
enum VariableRegistry {
    /// What a report needs to know about a variable, read at one moment.
    struct Snapshot {
        var name: String
        var trainable: Bool
        var untapedRead: UInt64
        /// The storage of the variable's current value.
        var storage: TensorStorage

        /// Describes `variable` as it is now.
        init(of variable: Variable) {
            name = variable.name
            trainable = variable.trainable
            untapedRead = variable.untapedRead
            storage = variable.currentValue.storage
        }
    }

    /// An unretained variable. Only read under the lock, on the thread that makes a report:
    /// hence `@unchecked Sendable`.
    private struct Entry: @unchecked Sendable {
        var variable: Unmanaged<Variable>
    }

    private static let live = Mutex<[UInt64: Entry]>([:])

    /// Makes `variable` findable by its identity.
    static func register(_ variable: Variable) {
        let entry = Entry(variable: .passUnretained(variable))
        live.withLock { $0[variable.id] = entry }
    }

    /// Forgets the variable with identity `id` (from its `deinit`).
    static func unregister(_ id: UInt64) {
        _ = live.withLock { $0.removeValue(forKey: id) }
    }

    /// The live variable with identity `id`, described, if there is one.
    static func snapshot(ofVariableWithID id: UInt64) -> Snapshot? {
        live.withLock { table -> Snapshot? in
            guard let entry = table[id] else { return nil }
            return entry.variable._withUnsafeGuaranteedRef { Snapshot(of: $0) }
        }
    }
}
