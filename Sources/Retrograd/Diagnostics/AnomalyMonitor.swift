/// The anomaly detection state of one thread: its open `withAnomalyDetection` scopes,
/// innermost last, and the derivative rule a backward pass is running.
///
/// Like ``TapeStack``, it lives behind a C thread-local slot, because Swift has no cheap
/// thread-local storage: while no scope is open the slot is nil, and an op pays one load
/// and a branch to find out. Only the owning thread touches a monitor.
final class AnomalyMonitor {
    /// One open scope: where its op count started and the first anomaly not yet thrown.
    struct Scope {
        var firstOp: Int
        var pending: Anomaly?
    }

    /// The record whose derivative rule a backward pass is running.
    struct RunningRule {
        var op: Primitive
        var index: Int
    }

    @exclusivity(unchecked) private var scopes: [Scope] = []
    /// Ops checked on this thread since its first scope opened.
    @exclusivity(unchecked) private var opCount = 0
    @exclusivity(unchecked) private var rule: RunningRule?

    /// The current thread's monitor, or nil while no scope is open here.
    @inline(__always) static var current: AnomalyMonitor? {
        guard let pointer = Runtime.anomalyMonitor else { return nil }
        return Unmanaged<AnomalyMonitor>.fromOpaque(pointer).takeUnretainedValue()
    }

    // MARK: Scopes

    /// Opens a scope on the current thread and returns the thread's monitor.
    static func openScope() -> AnomalyMonitor {
        let monitor: AnomalyMonitor
        if let existing = current {
            monitor = existing
        } else {
            monitor = AnomalyMonitor()
            Runtime.anomalyMonitor = Unmanaged.passRetained(monitor).toOpaque()
        }
        monitor.scopes.append(Scope(firstOp: monitor.opCount, pending: nil))
        return monitor
    }

    /// Closes the innermost scope and returns its anomaly if it was not thrown yet.
    func closeScope() -> Anomaly? {
        let scope = scopes.removeLast()
        if scopes.isEmpty {
            Runtime.anomalyMonitor = nil
            Unmanaged.passUnretained(self).release()
        }
        return scope.pending
    }

    /// Throws the innermost anomaly not thrown yet, if any scope on this thread holds one,
    /// and forgets it (a caller that catches the error can go on and meet the next one).
    @inline(__always) static func throwPending() throws(AnomalyError) {
        guard let monitor = current else { return }
        if let anomaly = monitor.takePending() { throw AnomalyError(anomaly: anomaly) }
    }

    private func takePending() -> Anomaly? {
        for index in scopes.indices.reversed() {
            if let anomaly = scopes[index].pending {
                scopes[index].pending = nil
                return anomaly
            }
        }
        return nil
    }

    // MARK: Checking ops

    /// Whether a scope is open on this thread: one thread-local load. Ops test it before
    /// calling ``inspect(_:_:_:_:_:)``, so that nothing else runs while detection is off.
    @inline(__always) static var isActive: Bool { Runtime.anomalyMonitor != nil }

    /// Checks the result of a primitive with one or two inputs (call when ``isActive``).
    @inline(never)
    static func inspect(_ op: Primitive, _ output: Tensor, _ a: Tensor, _ b: Tensor?, _ c: Tensor? = nil) {
        current?.inspect(op, output) { [a] + [b, c].compactMap { $0 } }
    }

    /// Checks the result of a primitive with any number of inputs (call when ``isActive``).
    @inline(never)
    static func inspect(_ op: Primitive, _ output: Tensor, inputs: [Tensor]) {
        current?.inspect(op, output) { inputs }
    }

    private func inspect(_ op: Primitive, _ output: Tensor, _ inputs: () -> [Tensor]) {
        opCount += 1
        let innermost = scopes.count - 1
        // The first anomaly of a scope is the one worth reporting; the ones after it are
        // usually its consequences.
        guard innermost >= 0, scopes[innermost].pending == nil, let element = output.firstNonFiniteIndex() else { return }
        let operands = inputs()
        scopes[innermost].pending = Anomaly(
            op: op.name,
            phase: rule == nil ? .forward : .backward,
            inputShapes: operands.map(\.shape),
            inputTypes: operands.map(\.dtype),
            outputShape: output.shape,
            outputType: output.dtype,
            value: Anomaly.Value(output.element(at: element)),
            elementIndex: element,
            nonFiniteCount: output.nonFiniteCount(from: element),
            nonFiniteInputs: operands.indices.filter { operands[$0].firstNonFiniteIndex() != nil },
            opNumber: opCount - scopes[innermost].firstOp,
            recordIndex: Self.recordIndex(of: output),
            rule: rule.map { Anomaly.Rule(op: $0.op.name, recordIndex: $0.index, isCustom: $0.op.isCustom) },
            opIsCustom: op.isCustom)
    }

    /// The index of the record that produced `output` on the innermost tape that recorded
    /// it (the last record there, since the check follows the recording), or nil.
    private static func recordIndex(of output: Tensor) -> Int? {
        guard let stack = TapeStack.current else { return nil }
        for tape in stack.tapes.reversed() where tape.isRecording {
            if let index = tape.slot(of: output.id).trackedIndex, let last = tape.records.last, last.output == index {
                return tape.records.count - 1
            }
        }
        return nil
    }

    // MARK: Backward passes

    /// Runs the derivative rule of the record at `index` (see ``Record/propagate``),
    /// naming it in any anomaly its ops produce. Returns whether the backward pass must
    /// stop: an anomaly is waiting to be thrown.
    func propagate(
        _ record: UnsafePointer<Record>, index: Int, _ g: Tensor, into gradients: inout GradientAccumulator
    ) -> Bool {
        let outer = rule
        rule = RunningRule(op: record.pointee.op, index: index)
        defer { rule = outer }
        Record.propagate(record, g, into: &gradients)
        return scopes.last?.pending != nil
    }
}

extension Tensor {
    /// The flat index of the first NaN or infinite element at or after `start`, or nil
    /// when there is none (always nil for integer and bool tensors).
    func firstNonFiniteIndex(from start: Int = 0) -> Int? {
        guard dtype.isFloatingPoint, start < elementCount else { return nil }
        if elementCount == 1 { return element(at: 0).isFinite ? nil : 0 }
        return Kernels.firstNonfinite(storage, from: start)
    }

    /// The number of NaN and infinite elements, counting from `start`, where the first is.
    func nonFiniteCount(from start: Int) -> Int {
        var count = 0
        var next = firstNonFiniteIndex(from: start)
        while let index = next {
            count += 1
            next = firstNonFiniteIndex(from: index + 1)
        }
        return count
    }
}
