// How ops reach the tapes: every primitive's forward function calls one of these after
// computing its result, passing the primitive with the values its rule will read. Only
// tapes that are recording and track an input see the op; forward accumulators recording
// on the thread then give the result its tangent (ForwardAccumulator.swift). With nothing
// recording, both cost the one thread-local load that finds no stack. While a
// `withAnomalyDetection` scope is open on the thread, the result is then checked for NaN
// and infinity (AnomalyMonitor.swift); otherwise that check is one thread-local load and a
// branch.

extension Tensor {
    /// Records a primitive with one, two or three inputs on every tape that tracks an input.
    ///
    /// `op` is built only when a tape records. With `broadcasting`, an input whose shape
    /// differs from the output's is first routed through an implicit `expand` record, so
    /// the op's own rule sees operands of the output's shape and only `expand`'s rule knows
    /// about broadcasting.
    @inline(__always)
    static func record(
        _ op: @autoclosure () -> Primitive, _ output: Tensor, _ a: Tensor, _ b: Tensor? = nil, _ c: Tensor? = nil,
        broadcasting: Bool = false
    ) {
        guard let stack = TapeStack.current else {
            if _slowPath(AnomalyMonitor.isActive) { AnomalyMonitor.inspect(op(), output, a, b, c) }
            return
        }
        for tape in stack.tapes where tape.isRecording {
            var slotA = tape.slot(of: a.id)
            var slotB = b.map { tape.slot(of: $0.id) } ?? .unwatched
            let slotC = c.map { tape.slot(of: $0.id) } ?? .unwatched
            let inputs: RecordInputs = c != nil ? .three(slotA, slotB, slotC) : b != nil ? .two(slotA, slotB) : .one(slotA)
            guard slotA.trackedIndex != nil || slotB.trackedIndex != nil || slotC.trackedIndex != nil else {
                // Follow a path through a cut (TapeCuts.swift).
                if _slowPath(slotA.isKnown || slotB.isKnown || slotC.isKnown) {
                    tape.recordDerivedCut(op().name, output, inputs)
                }
                continue
            }
            if broadcasting {
                if case let .tracked(index) = slotA, a.shape != output.shape {
                    slotA = .tracked(tape.recordExpand(index, from: a.shape, to: output.shape))
                }
                if let b, case let .tracked(index) = slotB, b.shape != output.shape {
                    slotB = .tracked(tape.recordExpand(index, from: b.shape, to: output.shape))
                }
            }
            let slotOut = tape.newSlot(for: output.id)
            let recorded: RecordInputs = broadcasting ? (b == nil ? .one(slotA) : .two(slotA, slotB)) : inputs
            tape.records.append(Record(op: op(), inputs: recorded, output: slotOut))
            if _slowPath(tape.keepsGraphDetails) { tape.noteShape(.tracked(slotOut), output.shape) }
        }
        if _slowPath(stack.hasAccumulators) {
            ForwardAccumulator.follow(stack, op(), output, a, b, c, broadcasting: broadcasting)
        }
        if _slowPath(AnomalyMonitor.isActive) { AnomalyMonitor.inspect(op(), output, a, b, c) }
    }

    /// Records a primitive with any number of inputs (`concat`, custom gradients).
    static func record(_ op: @autoclosure () -> Primitive, _ output: Tensor, inputs: [Tensor]) {
        defer { if _slowPath(AnomalyMonitor.isActive) { AnomalyMonitor.inspect(op(), output, inputs: inputs) } }
        guard let stack = TapeStack.current else { return }
        for tape in stack.tapes where tape.isRecording {
            let slots = inputs.map { tape.slot(of: $0.id) }
            guard slots.contains(where: { $0.trackedIndex != nil }) else {
                if slots.contains(where: \.isKnown) { tape.recordDerivedCut(op().name, output, .many(slots)) }
                continue
            }
            let slotOut = tape.newSlot(for: output.id)
            tape.records.append(Record(op: op(), inputs: .many(slots), output: slotOut))
            if tape.keepsGraphDetails { tape.noteShape(.tracked(slotOut), output.shape) }
        }
        if stack.hasAccumulators { ForwardAccumulator.follow(stack, op(), output, inputs, broadcasting: false) }
    }
}

extension GradientTape {
    /// Appends an implicit broadcast of the value tracked at `index` (of shape `shape`)
    /// and returns the index of the broadcast value.
    func recordExpand(_ index: Int32, from shape: Shape, to outputShape: Shape) -> Int32 {
        let expanded = anonymousSlot()
        records.append(Record(op: .expand(inputShape: shape), inputs: .one(.tracked(index)), output: expanded))
        if keepsGraphDetails { noteShape(.tracked(expanded), outputShape) }
        return expanded
    }
}
