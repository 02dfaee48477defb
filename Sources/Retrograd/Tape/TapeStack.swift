/// The tapes and forward accumulators recording on the current thread, innermost last.
///
/// A tape's `record { }` closure (and an accumulator's) runs synchronously, so a per-thread
/// stack is exactly the set of recorders that see an op; recorders on other threads (other
/// tasks) never do. When nothing records, the thread slot is nil and an op pays one load to
/// find out: that one check covers tapes and accumulators alike.
final class TapeStack {
    /// Only this thread touches it; no runtime exclusivity checks (see `GradientTape.records`).
    @exclusivity(unchecked) var tapes: [GradientTape] = []
    /// The forward accumulators recording here (see `ForwardAccumulator.swift`).
    @exclusivity(unchecked) var accumulators: [ForwardAccumulator] = [] {
        didSet { hasAccumulators = !accumulators.isEmpty }
    }
    /// Whether `accumulators` is not empty: one load for the record path.
    @exclusivity(unchecked) private(set) var hasAccumulators = false

    init() {}

    /// A copy of `other`'s recorders as they are now.
    init(copying other: TapeStack) {
        tapes = other.tapes
        accumulators = other.accumulators
        hasAccumulators = other.hasAccumulators
    }

    /// The current thread's stack, or nil when nothing records here.
    @inline(__always) static var current: TapeStack? {
        guard let pointer = Runtime.tapeStack else { return nil }
        return Unmanaged<TapeStack>.fromOpaque(pointer).takeUnretainedValue()
    }

    /// The current thread's stack, installed first if nothing records yet.
    private static var installed: TapeStack {
        if let existing = current { return existing }
        let stack = TapeStack()
        Runtime.tapeStack = Unmanaged.passRetained(stack).toOpaque()
        return stack
    }

    static func push(_ tape: GradientTape) { installed.tapes.append(tape) }

    static func pop(_ tape: GradientTape) {
        guard let stack = current, removeInnermost(tape, from: &stack.tapes) else { return }
        uninstallIfEmpty(stack)
    }

    static func push(_ accumulator: ForwardAccumulator) { installed.accumulators.append(accumulator) }

    static func pop(_ accumulator: ForwardAccumulator) {
        guard let stack = current, removeInnermost(accumulator, from: &stack.accumulators) else { return }
        uninstallIfEmpty(stack)
    }

    /// Removes the last entry of `recorder` in `list`; false when there is none.
    @inline(__always)
    private static func removeInnermost<Recorder: AnyObject>(_ recorder: Recorder, from list: inout [Recorder]) -> Bool {
        guard let index = list.lastIndex(where: { $0 === recorder }) else { return false }
        list.remove(at: index)
        return true
    }

    /// Clears the thread slot once nothing records on `stack`.
    private static func uninstallIfEmpty(_ stack: TapeStack) {
        guard stack.tapes.isEmpty && stack.accumulators.isEmpty else { return }
        Runtime.tapeStack = nil
        Unmanaged.passUnretained(stack).release()
    }

    /// Runs `body` with `stack` (nil: nothing) as the thread's recorders, then restores the
    /// current ones. The caller keeps `stack` alive.
    static func substituted<Result, Failure: Error>(
        _ stack: TapeStack?, _ body: () throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let saved = Runtime.tapeStack
        Runtime.tapeStack = stack.map { Unmanaged.passUnretained($0).toOpaque() }
        defer { Runtime.tapeStack = saved }
        return try body()
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

/// Runs `body` with every tape and forward accumulator on this thread paused: nothing
/// inside is recorded.
///
/// Use it for bookkeeping inside a `record` closure (metrics, logging) that must not
/// become part of the gradient. ``GradientTape/stopRecording(_:)`` pauses one tape only.
public func withoutRecording<Result>(_ body: () throws -> Result) rethrows -> Result {
    try TapeStack.suspended(body)
}
