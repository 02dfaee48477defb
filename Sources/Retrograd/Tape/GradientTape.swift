/// What `gradient` returns for a source the target does not depend on.
public enum UnconnectedGradients: Sendable {
    /// `nil`, as TensorFlow's default does: the caller sees that nothing flowed.
    case none
    /// A tensor of zeros shaped like the source.
    case zero
}

/// Misuse of a gradient tape, thrown rather than answered silently.
public enum TapeError: Error, Equatable, CustomStringConvertible {
    /// A non-persistent tape was asked for gradients a second time.
    case nonPersistentTapeReused
    /// The seed given as `outputGradient` does not match the target.
    case outputGradientMismatch(target: Shape, targetType: DType, seed: Shape, seedType: DType)
    /// A non-persistent tape was asked for its graph after it released its records.
    case recordsReleased
    /// A request named an empty list of targets.
    case noTargets
    /// `outputGradients` did not give one seed per target.
    case outputGradientCount(targets: Int, seeds: Int)

    public var description: String {
        switch self {
        case .nonPersistentTapeReused:
            return "this GradientTape is not persistent and has already computed gradients; "
                + "create it with GradientTape(persistent: true) to ask for gradients (or jacobians) more than once"
        case let .outputGradientMismatch(target, targetType, seed, seedType):
            return "outputGradient of shape \(seed) (\(seedType)) does not match the target of shape \(target) "
                + "(\(targetType)); pass a seed with the target's shape and element type"
        case .recordsReleased:
            return "this GradientTape is not persistent and released its records when it computed gradients; "
                + "call graphviz() before gradient(of:wrt:), or create it with GradientTape(persistent: true)"
        case .noTargets:
            return "gradient(of:wrt:) was given an empty list of targets; pass at least one tensor to differentiate"
        case let .outputGradientCount(targets, seeds):
            return "outputGradients has \(seeds) seeds for \(targets) targets; pass one seed per target, "
                + "in the order of the targets (Tensor.ones(like: target) for a plain sum)"
        }
    }
}

/// Records operations so that gradients of their results can be computed.
///
/// Ops run inside ``record(_:)`` are recorded when one of their inputs is watched:
/// trainable ``Variable``s read inside are watched automatically, plain tensors after
/// ``watch(_:)-(Tensor)``. Then ``gradient(of:wrt:unconnected:outputGradient:)-(_,Tensor,_,_)``
/// runs the backward pass; the request can name one source, a list (of tensors, of
/// variables, or of both), or a dictionary of sources, and one target or a list of targets
/// whose sum is differentiated.
///
/// ```swift
/// let w = Variable(Tensor(Float(3)), name: "w")
/// let tape = GradientTape()
/// let y = tape.record { w.value * w.value }
/// let dy = try tape.gradient(of: y, wrt: w)   // 6
/// ```
///
/// A tape is not persistent by default: it answers one gradient request and then frees
/// what it recorded; a second request throws ``TapeError/nonPersistentTapeReused``.
/// Tapes nest: a tape recording while another replays its backward pass records that
/// pass, which is how higher-order derivatives are taken. A tape belongs to the task
/// that uses it; tapes in other tasks never see each other's ops.
public final class GradientTape {
    /// Whether the tape can answer more than one gradient request.
    public let persistent: Bool
    /// Whether trainable variables read inside `record` are watched automatically.
    public let watchAccessedVariables: Bool
    /// Whether the tape keeps the shape of every recorded value and the name of every
    /// watched variable, for ``graphviz(outputs:)``.
    public let keepsGraphDetails: Bool
    /// The gradient-flow report of the latest gradient request, when that request
    /// returned `nil` for at least one source (`nil` otherwise).
    ///
    /// It says, per source, why no gradient arrived: see ``GradientFlowReport``. Only
    /// requests that return a `nil` pay for the report.
    public internal(set) var lastGradientFlow: GradientFlowReport?

    // The tape is used from one thread at a time (the thread whose stack it is on) and its
    // methods never hand out overlapping accesses to these, so the per-access runtime
    // exclusivity checks (about a tenth of the cost of recording an op) are switched off.
    @exclusivity(unchecked) var records: [Record]
    @exclusivity(unchecked) private var slots: IdentityMap
    /// How many values the tape tracks (the backward pass keeps one gradient per value).
    @exclusivity(unchecked) private(set) var trackedCount: Int32 = 0
    @exclusivity(unchecked) private var pauseDepth = 0
    /// Cut records, recording windows and graph details (see `TapeCuts.swift`).
    @exclusivity(unchecked) var flow = TapeFlowLog()
    private var recordDepth = 0
    private(set) var consumed = false

    /// Creates a tape.
    ///
    /// - Parameters:
    ///   - persistent: Pass `true` to ask for gradients more than once.
    ///   - watchAccessedVariables: Pass `false` to watch only what ``watch(_:)-(Variable)``
    ///     names.
    ///   - keepingGraphDetails: Pass `true` to keep each recorded value's shape and each
    ///     watched variable's name for ``graphviz(outputs:)`` (a little slower; off by
    ///     default).
    public init(persistent: Bool = false, watchAccessedVariables: Bool = true, keepingGraphDetails: Bool = false) {
        self.persistent = persistent
        self.watchAccessedVariables = watchAccessedVariables
        self.keepsGraphDetails = keepingGraphDetails
        let buffers = TapeBuffers.take()
        records = buffers.records
        slots = buffers.slots
    }

    deinit {
        TapeBuffers.recycle(records: &records, slots: &slots)
    }

    /// Runs `body` with this tape recording and returns its result.
    ///
    /// A tape can record several times; the records add up. Nested `record` calls of
    /// other tapes see the same ops.
    public func record<Result>(_ body: () throws -> Result) rethrows -> Result {
        TapeStack.push(self)
        recordDepth += 1
        if recordDepth == 1 { flow.openWindow() }
        defer {
            if recordDepth == 1 { flow.closeWindow() }
            recordDepth -= 1
            TapeStack.pop(self)
        }
        return try body()
    }

    /// Runs `body` without this tape recording (other tapes still record).
    public func stopRecording<Result>(_ body: () throws -> Result) rethrows -> Result {
        pauseDepth += 1
        defer { pauseDepth -= 1 }
        return try body()
    }

    /// Whether ops are recorded on this tape right now.
    var isRecording: Bool { pauseDepth == 0 }

    /// Runs `body`, a pass over this tape's records (backward, or a forward sweep), with
    /// this tape paused, unless it is persistent and asked from inside its own `record`:
    /// then it records the pass, as TensorFlow's persistent tape does.
    func whileReplaying<Result>(_ body: () throws -> Result) rethrows -> Result {
        try recordsOwnPasses ? body() : stopRecording(body)
    }

    /// Whether a pass over the records asked now is recorded on this tape too.
    var recordsOwnPasses: Bool { persistent && recordDepth > 0 && isRecording }

    /// Forgets everything recorded so far, as if this were a new tape with the same
    /// settings (TensorFlow's `tape.reset()`).
    ///
    /// Called inside ``record(_:)``, recording goes on: later ops are recorded afresh, and
    /// values computed before the reset are constants to the tape (variables read again
    /// are watched again; plain tensors must be watched again). A one-shot tape that has
    /// answered its request can be asked again after a reset. The latest
    /// ``lastGradientFlow`` is cleared too.
    ///
    /// ```swift
    /// let loss = tape.record { () -> Tensor in
    ///     let first = firstLoss()      // not differentiated…
    ///     tape.reset()
    ///     return first + secondLoss()  // …only this part is
    /// }
    /// ```
    public func reset() {
        records.removeAll(keepingCapacity: true)
        slots.removeAll()
        trackedCount = 0
        flow = TapeFlowLog()
        if recordDepth > 0 { flow.openWindow() }
        consumed = false
        lastGradientFlow = nil
    }

    /// Watches a plain tensor, so ops that read it are recorded and gradients with
    /// respect to it can be asked for.
    ///
    /// Only `float32` and `float64` tensors carry gradients: watching an `int32` or `bool`
    /// tensor stops the program with a message, as PyTorch refuses `requires_grad` on them.
    public func watch(_ tensor: Tensor) {
        checkPrecondition(
            tensor.dtype.isFloatingPoint,
            "watch: tensor of shape \(tensor.shape) is \(tensor.dtype); only float32 and float64 tensors carry gradients. "
                + "Convert it with .cast(to: .float32) and watch the result to differentiate with respect to it")
        let index = track(tensor.id)
        if keepsGraphDetails { noteSource(index, name: "watched tensor", shape: tensor.shape) }
    }

    /// Watches a variable, whether or not it is trainable; needed when the tape was
    /// made with `watchAccessedVariables: false`. The variable must hold `float32` or
    /// `float64` values.
    public func watch(_ variable: Variable) {
        checkPrecondition(
            variable.dtype.isFloatingPoint,
            "watch: variable '\(variable.name)' holds \(variable.dtype) \(variable.shape); "
                + "only float32 and float64 variables carry gradients")
        let index = track(variable.id)
        if keepsGraphDetails { noteSource(index, name: variable.name, shape: variable.shape) }
    }

    // MARK: Slots

    /// Where this tape keeps the value with identity `id`.
    @inline(__always) func slot(of id: UInt64) -> Slot { slots[id] }

    /// The tracked index of `id`, which is tracked from now on if it was not (watching a
    /// source). A cut value watched again becomes a fresh source.
    func track(_ id: UInt64) -> Int32 {
        if case let .tracked(index) = slots[id] { return index }
        return newSlot(for: id)
    }

    /// Tracks the value `id` under a new index (an op's result).
    @inline(__always) func newSlot(for id: UInt64) -> Int32 {
        let index = trackedCount
        trackedCount += 1
        slots.set(id, .tracked(index))
        return index
    }

    /// Maps `id` to `slot` (a cut slot, see `TapeCuts.swift`).
    func setSlot(_ slot: Slot, for id: UInt64) { slots.set(id, slot) }

    /// A tracked index for an intermediate value that no tensor names (an implicit expand).
    @inline(__always) func anonymousSlot() -> Int32 {
        defer { trackedCount += 1 }
        return trackedCount
    }

    // MARK: Gradients

    // The public requests are in GradientTape+Requests.swift; they all end here.

    /// Stops a request before it starts: a one-shot tape asked again, or an anomaly the
    /// forward pass produced under `withAnomalyDetection`.
    func checkRequest() throws {
        if consumed { throw TapeError.nonPersistentTapeReused }
        try AnomalyMonitor.throwPending()
    }

    /// Frees what a one-shot tape recorded once it has answered.
    func finishRequest() {
        guard !persistent else { return }
        consumed = true
        TapeBuffers.recycle(records: &records, slots: &slots)
        flow.release()
    }

    /// Runs one request: the gradient of the sum of the targets, each seeded with its seed.
    /// When it returns a `nil`, when a source was assigned while the tape recorded, or when
    /// `report` asks, the gradient-flow report is made before a one-shot tape releases its
    /// records. `labels` name the sources in the report (a dictionary request's keys).
    func gradients<Seeds: Collection<TargetSeed>>(
        of seeds: Seeds, sources: [GradientSourceKind], _ unconnected: UnconnectedGradients,
        labels: [String?]? = nil, report: ((GradientFlowReport) -> Void)? = nil
    ) throws -> [Tensor?] {
        defer { finishRequest() }
        let found = backward(from: seeds, to: sources.map(\.id))
        try AnomalyMonitor.throwPending()
        let results = zip(found, sources).map { gradient, source -> Tensor? in
            if let gradient { return gradient }
            let like = source.value
            return unconnected == .zero && like.dtype.isFloatingPoint ? Tensor.zeros(like: like) : nil
        }
        let missing = results.contains(where: { $0 == nil })
        let assigned = _slowPath(flow.hasAssignments) && sources.contains { flow.wasAssigned($0.id) }
        if report != nil || missing || assigned {
            let flowReport = explainFlow(of: Array(seeds), sources: sources, labels: labels, found: found)
            lastGradientFlow = missing || assigned ? flowReport : nil
            report?(flowReport)
        } else {
            lastGradientFlow = nil
        }
        return results
    }

    /// The backward pass from the target with identity `targetID`, seeded with `seed`
    /// (Jacobians run one per row).
    func backward(from targetID: UInt64, seed: Tensor, to sourceIDs: [UInt64]) -> [Tensor?] {
        backward(from: CollectionOfOne(TargetSeed(target: targetID, seed: seed)), to: sourceIDs)
    }

    /// The backward pass: a reverse scan over the records from the latest target's slot,
    /// returning the accumulated gradient at each source slot.
    ///
    /// Each floating-point target that this tape tracks starts with its seed (a target
    /// listed twice adds its seeds). Outer tapes that are recording record the pass. This
    /// tape records it too only when it is persistent and asked from inside its own
    /// `record` closure, as TensorFlow's persistent tape does; otherwise it pauses itself.
    func backward<Seeds: Collection<TargetSeed>>(from seeds: Seeds, to sourceIDs: [UInt64]) -> [Tensor?] {
        let recordsItself = recordsOwnPasses
        if !recordsItself { pauseDepth += 1 }
        defer { if !recordsItself { pauseDepth -= 1 } }
        // One pass over the targets seeds the gradients (adding the seeds of a repeated
        // target) and finds where the scan starts.
        var gradients = GradientAccumulator(count: Int(trackedCount))
        var latest: Int32 = -1
        for entry in seeds where entry.seed.dtype.isFloatingPoint {
            guard let slot = slots[entry.target].trackedIndex else { continue }
            latest = Swift.max(latest, slot)
            gradients.add(.tracked(slot), entry.seed)
        }
        guard latest >= 0 else { return sourceIDs.map { _ in nil } }
        let sourceSlots = sourceIDs.map { slots[$0].trackedIndex }
        let lowest = sourceSlots.compactMap { $0 }.min() ?? Int32.max
        guard lowest <= latest else { return sourceIDs.map { _ in nil } }
        var keep = [Bool](repeating: false, count: Int(trackedCount))
        for case let slot? in sourceSlots { keep[Int(slot)] = true }

        let monitor = AnomalyMonitor.current
        // The scan reads a snapshot: when this tape records its own pass, it appends.
        let replayed = records
        // Records are read in place (a copy would retain and release every saved tensor).
        replayed.withUnsafeBufferPointer { records in
            guard let first = records.baseAddress else { return }
            for index in records.indices.reversed() {
                let record = first + index
                let output = record.pointee.output
                if output < lowest { break }
                guard let g = gradients.take(output, keeping: keep[Int(output)]) else { continue }
                if let monitor {
                    // Under anomaly detection: name the rule, and stop at the first bad gradient.
                    if monitor.propagate(record, index: index, g, into: &gradients) { break }
                } else {
                    Record.propagate(record, g, into: &gradients)
                }
            }
        }
        return sourceSlots.map { $0.flatMap { gradients.values[Int($0)] } }
    }
}

/// A target of a gradient request (its identity) and the seed of its backward pass, which
/// has the target's shape and element type. Holding the identity rather than the target
/// keeps a request from retaining one more tensor.
struct TargetSeed {
    var target: UInt64
    var seed: Tensor

    /// `target` with `seed`.
    init(target: UInt64, seed: Tensor) {
        self.target = target
        self.seed = seed
    }

    /// `target` with `seed`, which must match it.
    init(_ target: Tensor, seed: Tensor) {
        self.init(target: target.id, seed: seed)
    }
}

/// Gradients gathered per slot during a backward pass.
struct GradientAccumulator {
    var values: [Tensor?]

    init(count: Int) { values = [Tensor?](repeating: nil, count: count) }

    /// Adds `gradient` into the input at `slot`; for an input that is not tracked (unwatched
    /// or cut) nothing is computed.
    @inline(__always) mutating func add(_ slot: Slot, _ gradient: @autoclosure () -> Tensor) {
        guard case let .tracked(tracked) = slot else { return }
        let index = Int(tracked)
        if let existing = values[index] {
            values[index] = existing + gradient()
        } else {
            values[index] = gradient()
        }
    }

    /// The gradient at `slot`, dropped from the accumulator unless it must be kept.
    @inline(__always) mutating func take(_ slot: Int32, keeping: Bool) -> Tensor? {
        let index = Int(slot)
        guard let value = values[index] else { return nil }
        if !keeping { values[index] = nil }
        return value
    }
}
