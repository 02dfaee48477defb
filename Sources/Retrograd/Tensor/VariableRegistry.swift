import Synchronization

/// Every live variable, by identity, so that a diagnostic given a plain tensor can tell
/// that it is a variable's value (a variable's value carries the variable's identity) and
/// name the variable.
///
/// Variables register when they are made and leave when they are freed; only those two
/// moments and the reports that look a variable up take the lock, never an op or a read.
enum VariableRegistry {
    /// A variable held without keeping it alive. Only its identity and name are read, on
    /// the thread that makes a report: hence `@unchecked Sendable`.
    private struct Entry: @unchecked Sendable {
        weak var variable: Variable?
    }

    private static let live = Mutex<[UInt64: Entry]>([:])

    /// Makes `variable` findable by its identity.
    static func register(_ variable: Variable) {
        let entry = Entry(variable: variable)
        live.withLock { $0[variable.id] = entry }
    }

    /// Forgets the variable with identity `id` (from its `deinit`).
    static func unregister(_ id: UInt64) {
        _ = live.withLock { $0.removeValue(forKey: id) }
    }

    /// The live variable with identity `id`, if there is one.
    static func variable(withID id: UInt64) -> Variable? {
        live.withLock { $0[id] }?.variable
    }
}
