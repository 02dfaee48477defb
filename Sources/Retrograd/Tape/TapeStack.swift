/// The tapes recording on the current thread, innermost last.
///
/// A tape's `record { }` closure runs synchronously, so a per-thread stack is exactly
/// the set of tapes that see an op; tapes on other threads (other tasks) never do.
/// When no tape records, the thread slot is nil and an op pays one load to find out.
final class TapeStack {
    /// Only this thread touches it; no runtime exclusivity checks (see `GradientTape.records`).
    @exclusivity(unchecked) var tapes: [GradientTape] = []

    /// The current thread's stack, or nil when nothing records here.
    @inline(__always) static var current: TapeStack? {
        guard let pointer = Runtime.tapeStack else { return nil }
        return Unmanaged<TapeStack>.fromOpaque(pointer).takeUnretainedValue()
    }

    static func push(_ tape: GradientTape) {
        let stack: TapeStack
        if let existing = current {
            stack = existing
        } else {
            stack = TapeStack()
            Runtime.tapeStack = Unmanaged.passRetained(stack).toOpaque()
        }
        stack.tapes.append(tape)
    }

    static func pop(_ tape: GradientTape) {
        guard let stack = current, let index = stack.tapes.lastIndex(where: { $0 === tape }) else { return }
        stack.tapes.remove(at: index)
        if stack.tapes.isEmpty {
            Runtime.tapeStack = nil
            Unmanaged.passUnretained(stack).release()
        }
    }

    /// Runs `body` with no tape recording on this thread, then restores the stack.
    static func suspended<Result>(_ body: () throws -> Result) rethrows -> Result {
        let saved = Runtime.tapeStack
        guard saved != nil else { return try body() }
        Runtime.tapeStack = nil
        defer { Runtime.tapeStack = saved }
        return try body()
    }
}

/// Runs `body` with every tape on this thread paused: nothing inside is recorded.
///
/// Use it for bookkeeping inside a `record` closure (metrics, logging) that must not
/// become part of the gradient. ``GradientTape/stopRecording(_:)`` pauses one tape only.
public func withoutRecording<Result>(_ body: () throws -> Result) rethrows -> Result {
    try TapeStack.suspended(body)
}
