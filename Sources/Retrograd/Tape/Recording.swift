// How ops reach the tapes: every primitive's forward function calls one of these after
// computing its result. Only tapes that are recording and watch an input see the op.
// While a `withAnomalyDetection` scope is open on the thread, the result is then checked
// for NaN and infinity (AnomalyMonitor.swift); otherwise that check is one thread-local
// load and a branch.

extension Tensor {
    /// Records a primitive with one or two inputs on every tape that watches an input.
    ///
    /// With `broadcasting`, an input whose shape differs from the output's is first
    /// routed through an implicit `expand` record, so the op's own rule sees operands of
    /// the output's shape and only `expand`'s rule knows about broadcasting.
    @inline(__always)
    static func record(
        _ op: @autoclosure () -> Primitive, _ output: Tensor, _ a: Tensor, _ b: Tensor? = nil,
        broadcasting: Bool = false, saving s0: Tensor? = nil, _ s1: Tensor? = nil, _ s2: Tensor? = nil
    ) {
        guard let stack = TapeStack.current else {
            if _slowPath(AnomalyMonitor.isActive) { AnomalyMonitor.inspect(op(), output, a, b) }
            return
        }
        for tape in stack.tapes where tape.isRecording {
            var slotA = tape.slot(of: a.id)
            var slotB = b.map { tape.slot(of: $0.id) } ?? -1
            if slotA < 0 && slotB < 0 {
                // Cut slots are -2 and below (TapeCuts.swift): follow a path through a cut.
                if _slowPath(slotA < -1 || slotB < -1) { tape.recordDerivedCut(op(), output, slotA, slotB) }
                continue
            }
            if broadcasting {
                if slotA >= 0 && a.shape != output.shape { slotA = tape.recordExpand(slotA, from: a.shape, to: output.shape) }
                if let b, slotB >= 0 && b.shape != output.shape { slotB = tape.recordExpand(slotB, from: b.shape, to: output.shape) }
            }
            let slotOut = tape.newSlot(for: output.id)
            tape.records.append(
                Record(op: op(), output: slotOut, input0: slotA, input1: slotB, saved0: s0, saved1: s1, saved2: s2))
            if _slowPath(tape.keepsGraphDetails) { tape.noteShape(slotOut, output.shape) }
        }
        if _slowPath(AnomalyMonitor.isActive) { AnomalyMonitor.inspect(op(), output, a, b) }
    }

    /// Records a primitive with any number of inputs; `op` receives the input slots.
    static func record(
        _ op: ([Int32]) -> Primitive, _ output: Tensor, inputs: [Tensor], saving s0: Tensor? = nil
    ) {
        defer { if _slowPath(AnomalyMonitor.isActive) { AnomalyMonitor.inspect(op([]), output, inputs: inputs) } }
        guard let stack = TapeStack.current else { return }
        for tape in stack.tapes where tape.isRecording {
            let slots = inputs.map { tape.slot(of: $0.id) }
            guard slots.contains(where: { $0 >= 0 }) else {
                if slots.contains(where: { $0 < -1 }) { tape.recordDerivedCut(op(slots), output, inputs: slots) }
                continue
            }
            let slotOut = tape.newSlot(for: output.id)
            tape.records.append(Record(op: op(slots), output: slotOut, input0: -1, saved0: s0))
            if tape.keepsGraphDetails { tape.noteShape(slotOut, output.shape) }
        }
    }
}

extension GradientTape {
    /// Appends an implicit broadcast of `slot` (of shape `shape`) and returns the slot of
    /// the broadcast value.
    func recordExpand(_ slot: Int32, from shape: Shape, to outputShape: Shape) -> Int32 {
        let expanded = anonymousSlot()
        records.append(Record(op: .expand(inputShape: shape), output: expanded, input0: slot))
        if keepsGraphDetails { noteShape(expanded, outputShape) }
        return expanded
    }
}
