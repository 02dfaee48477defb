// How a tape explains a missing gradient: it follows the recorded paths, ordinary and cut,
// from each source that got none to the target. Runs only for requests that return a nil
// (or when asked), never on the ordinary path.

extension GradientTape {
    /// Runs the backward pass from `target` and says, for each variable, whether a
    /// gradient arrives and, if not, why.
    ///
    /// Counts as the one request of a non-persistent tape. A `gradient(of:wrt:)` request
    /// that returns `nil` makes the same report by itself: see ``lastGradientFlow``.
    public func gradientFlow(of target: Tensor, wrt variables: [Variable]) throws -> GradientFlowReport {
        try checkRequest()
        return try flowReport(of: target, variables.map { .variable($0) })
    }

    /// Runs the backward pass from `target` and says, for each source of a list that mixes
    /// tensors and variables, whether a gradient arrives and, if not, why.
    public func gradientFlow(of target: Tensor, wrt sources: [any GradientSource]) throws -> GradientFlowReport {
        try checkRequest()
        return try flowReport(of: target, sources.map(\.gradientSourceKind))
    }

    /// Runs the backward pass from `target` and says, for each tensor, whether a gradient
    /// arrives and, if not, why. Tensors are named `tensor 0`, `tensor 1`, … in the report.
    public func gradientFlow(of target: Tensor, wrt sources: [Tensor]) throws -> GradientFlowReport {
        try checkRequest()
        return try flowReport(of: target, sources.map { .tensor($0) })
    }

    private func flowReport(of target: Tensor, _ sources: [GradientSourceKind]) throws -> GradientFlowReport {
        var report: GradientFlowReport?
        let seed = TargetSeed(target, seed: Tensor.ones(like: target))
        _ = try gradients(of: CollectionOfOne(seed), sources: sources, .none, report: { report = $0 })
        return report!
    }

    /// The report for one request, given what the backward pass found. `labels` replace
    /// the names of the sources they give (nil: a variable's name, `tensor <index>`).
    /// (A target's seed has its shape and element type.)
    func explainFlow(of targets: [TargetSeed], sources: [GradientSourceKind], labels: [String?]?, found: [Tensor?]) -> GradientFlowReport {
        let targetSlots = targets.map { slot(of: $0.target) }
        let recorded = zip(targets, targetSlots).map { $1.isKnown || flow.madeWhileRecording($0.target) }
        var graph: FlowGraph?
        var entries: [GradientFlowReport.Entry] = []
        for (index, (source, gradient)) in zip(sources, found).enumerated() {
            let status: GradientFlowStatus
            let variable = source.variable
            if gradient != nil {
                status = .flows
            } else if !recorded.contains(true) {
                status = .targetNotRecorded
            } else if let sourceIndex = slot(of: source.id).trackedIndex {
                if graph == nil { graph = FlowGraph(tape: self, targets: targetSlots) }
                status = graph!.status(from: sourceIndex, tape: self)
            } else {
                status = unwatchedStatus(variable)
            }
            var name = labels?[index] ?? "tensor \(index)"
            var valueOf: GradientFlowReport.VariableValue?
            if case .variable = source, let variable {
                name = variable.name
            } else if let variable {
                valueOf = .init(variable: variable.name, isCurrent: variable.storage === source.value.storage)
            }
            var assignments: [UnrecordedAssignment] = []
            if variable != nil, flow.wasAssigned(source.id) {
                if graph == nil { graph = FlowGraph(tape: self, targets: targetSlots) }
                assignments = unrecordedAssignments(of: source.id, graph: graph!)
            }
            let value = source.value
            entries.append(.init(
                source: name, value: "(\(value.dtype) \(value.shape))", status: status, valueOfVariable: valueOf,
                assignments: assignments))
        }
        let target = zip(targets, targetSlots).enumerated().map { index, pair in
            describeTarget(pair.0, slot: pair.1, recorded: recorded[index])
        }
        let report = GradientFlowReport(entries: entries, target: target.joined(separator: "; "), targetCount: targets.count)
        if GradientDiagnostics.warnsOnMissingGradients {
            for (source, entry) in zip(sources, entries) where entry.status != .flows {
                if case let .variable(variable) = source { GradientDiagnostics.remember(entry.description, for: variable.id) }
            }
        }
        return report
    }

    /// Why a source without a slot on this tape is not watched.
    /// (`variable` is the source, or the variable whose value the source is; nil for a
    /// plain tensor.)
    private func unwatchedStatus(_ variable: VariableRegistry.Snapshot?) -> GradientFlowStatus {
        guard let variable else { return .notWatched(.constant) }
        if !variable.trainable { return .notWatched(.notTrainable) }
        if variable.untapedRead >= flow.tick { return .readOutsideTape }
        if !watchAccessedVariables { return .notWatched(.accessedVariablesNotWatched) }
        return .notUsed
    }

    /// `float32 [] from sum (#5 on the tape)`, or a note that it was not recorded.
    private func describeTarget(_ target: TargetSeed, slot: Slot, recorded: Bool) -> String {
        let value = "(\(target.seed.dtype) \(target.seed.shape))"
        switch slot {
        case let .tracked(tracked):
            if let index = records.lastIndex(where: { $0.output == tracked }) {
                return "\(value), the result of \(TapeOp(name: records[index].op.name, position: index))"
            }
            return "\(value), a watched source"
        case let .cut(index):
            let cut = flow.cuts[Int(index)]
            return "\(value), the result of \(TapeOp(name: cut.op.name, position: cut.position, site: cut.op.site)) (no gradient)"
        case .unwatched:
            break
        }
        return recorded ? "\(value), computed from nothing this tape watched" : "\(value), not computed while this tape recorded"
    }
}

/// The ordinary and cut records of a tape as one graph over slots, in execution order,
/// with the nodes from which the target can be reached.
struct FlowGraph {
    private struct Event {
        /// The result: tracked for an ordinary record, the cut slot of a cut record.
        var output: Slot
        var inputs: Range<Int>
        /// The ordinary record's index (nil for a cut record).
        var record: Int?
    }

    private var inputs: [Slot] = []
    private var events: [Event] = []
    private let trackedCount: Int
    private let targets: [Slot]
    private var reachesTarget: [Bool]

    init(tape: GradientTape, targets: [Slot]) {
        trackedCount = Int(tape.trackedCount)
        self.targets = targets
        reachesTarget = [Bool](repeating: false, count: trackedCount + tape.flow.cuts.count)
        let cuts = tape.flow.cuts
        var nextCut = 0
        for (index, record) in tape.records.enumerated() {
            while nextCut < cuts.count && cuts[nextCut].position <= index {
                append(output: .cut(Int32(nextCut)), inputs: cuts[nextCut].inputs, record: nil)
                nextCut += 1
            }
            append(output: .tracked(record.output), inputs: record.inputs, record: index)
        }
        for index in nextCut..<cuts.count {
            append(output: .cut(Int32(index)), inputs: cuts[index].inputs, record: nil)
        }
        let targetNodes = targets.compactMap(node)
        guard !targetNodes.isEmpty else { return }
        for targetNode in targetNodes { reachesTarget[targetNode] = true }
        for event in events.reversed() where reachesTarget[node(event.output)!] {
            for input in inputs[event.inputs] { reachesTarget[node(input)!] = true }
        }
    }

    private mutating func append(output: Slot, inputs slots: RecordInputs, record: Int?) {
        let start = inputs.count
        inputs.append(contentsOf: slots.all.filter(\.isKnown))
        events.append(Event(output: output, inputs: start..<inputs.count, record: record))
    }

    /// Whether the value in `slot` leads to a target.
    func reachesATarget(_ slot: Slot) -> Bool { node(slot).map { reachesTarget[$0] } ?? false }

    /// Tracked values are nodes 0..<trackedCount, cut values follow; unwatched ones are none.
    private func node(_ slot: Slot) -> Int? {
        switch slot {
        case let .tracked(index): Int(index)
        case let .cut(index): trackedCount + Int(index)
        case .unwatched: nil
        }
    }

    /// What happens between the source tracked at `source` and the target, for a source
    /// that got no gradient.
    func status(from source: Int32, tape: GradientTape) -> GradientFlowStatus {
        // Values reached from the source along ordinary (differentiable) records.
        var reached = [Bool](repeating: false, count: trackedCount)
        reached[Int(source)] = true
        var lastUse: Int?
        var firstCut: Int?
        var firstCustom: Int?
        for event in events {
            let fromSource = inputs[event.inputs].contains { $0.trackedIndex.map { reached[Int($0)] } ?? false }
            guard fromSource else { continue }
            switch (event.output, event.record) {
            case let (.tracked(output), record?):
                reached[Int(output)] = true
                lastUse = record
                if firstCustom == nil, reachesTarget[node(event.output)!], case .custom = tape.records[record].op {
                    firstCustom = record
                }
            case let (.cut(cut), _):
                if firstCut == nil, reachesTarget[node(event.output)!], tape.flow.cuts[Int(cut)].op.isCut {
                    firstCut = Int(cut)
                }
            default:
                break
            }
        }
        let reachesATarget = targets.contains { $0.trackedIndex.map { reached[Int($0)] } ?? false }
        if reachesATarget, let custom = firstCustom {
            return .pullbackReturnedNil(TapeOp(name: tape.records[custom].op.name, position: custom))
        }
        if let index = firstCut {
            let cut = tape.flow.cuts[index]
            let op = TapeOp(name: cut.op.name, position: cut.position, site: cut.op.site)
            if case .stopGradient = cut.op { return .stoppedGradient(op) }
            return .nonDifferentiable(op)
        }
        return .notConnected(lastUse: lastUse.map { TapeOp(name: tape.records[$0].op.name, position: $0) })
    }
}
