import Synchronization

// Where gradients stop, kept on the side of the tape so the gradient-flow report and the
// graph export can follow a path through a cut.
//
// A tracked value that goes through `stopGradient`, a comparison, a cast to int32 / bool,
// argmax or argmin gets a *cut slot* (`Slot.cut(n)`, n its cut record's index), noted in a
// cut record next to the ordinary records. Ops that read only cut values are noted the same
// way (derived cut records), so analysis sees whether a cut value reaches the target. The
// backward pass never looks at cut records, and the rules add gradients only to tracked
// inputs, so gradients, values and the cost of the ordinary records do not change. An op
// with a tracked input and a cut input is an ordinary record whose other input is the cut.

/// What a cut record stands for.
enum CutOp {
    /// `stopGradient`, with the call site.
    case stopGradient(file: StaticString, line: UInt)
    /// An elementwise comparison (`.<`, `.==`, …) with the operator's name.
    case compare(String)
    /// A cast to a type that carries no gradient.
    case cast(to: DType)
    /// `argmax(axis:)`.
    case argmax
    /// `argmin(axis:)`.
    case argmin
    /// An ordinary op whose inputs were all cut values.
    case derived(String)

    /// How the op reads in reports and graphs.
    var name: String {
        switch self {
        case .stopGradient: "stopGradient"
        case let .compare(symbol): ".\(symbol)"
        case let .cast(type): "cast to \(type)"
        case .argmax: "argmax"
        case .argmin: "argmin"
        case let .derived(name): name
        }
    }

    /// The source location, for `stopGradient`.
    var site: String? {
        if case let .stopGradient(file, line) = self { return "\(file):\(line)" }
        return nil
    }

    /// Whether this op is where a gradient path ends (rather than an op after one).
    var isCut: Bool {
        if case .derived = self { return false }
        return true
    }
}

/// One cut (or derived) record: its inputs' slots, where it sits among the ordinary records
/// and the shape of its result. Its output is the cut slot of its own index.
struct CutRecord {
    var op: CutOp
    var inputs: RecordInputs
    /// The number of ordinary records the tape held when this one was made.
    var position: Int
    var shape: Shape
}

/// The gradient-flow bookkeeping of one tape.
struct TapeFlowLog {
    /// Cut and derived records, in execution order.
    var cuts: [CutRecord] = []
    /// The range of tensor identities handed out during the first outermost `record`
    /// call, then those of later calls (at most ``maximumWindows``; beyond that the last
    /// range widens). The first is kept inline: most tapes record once.
    var firstWindow: Range<UInt64>?
    var laterWindows: [Range<UInt64>] = []
    var windowStart: UInt64 = 0
    /// This tape's tick on ``TapeClock``.
    let tick: UInt64 = TapeClock.advance()
    /// Shapes and names kept when the tape keeps graph details.
    var shapes: [Slot: Shape] = [:]
    var names: [Int32: String] = [:]
    /// Assignments to variables while the tape recorded, in order (at most
    /// ``maximumAssignments``; see `UnrecordedAssignments.swift`).
    var assignments: [AssignmentNote] = []

    static let maximumWindows = 16

    /// Whether any cut slot was handed out.
    var hasCuts: Bool { !cuts.isEmpty }

    mutating func openWindow() { windowStart = tensorIdentityCounter.load(ordering: .relaxed) }

    mutating func closeWindow() {
        let window = windowStart..<tensorIdentityCounter.load(ordering: .relaxed)
        if firstWindow == nil {
            firstWindow = window
        } else if laterWindows.count < Self.maximumWindows {
            laterWindows.append(window)
        } else {
            laterWindows[laterWindows.count - 1] = laterWindows[laterWindows.count - 1].lowerBound..<window.upperBound
        }
    }

    /// Whether a tensor with identity `id` was made while the tape recorded.
    func madeWhileRecording(_ id: UInt64) -> Bool {
        firstWindow?.contains(id) == true || laterWindows.contains { $0.contains(id) }
    }

    /// Forgets the cut records (a one-shot tape after its request).
    mutating func release() {
        cuts = []
        shapes = [:]
        names = [:]
        assignments = []
    }
}

/// A per-thread counter advanced by every new tape, so a variable can tell when it was
/// last read with no tape recording relative to the tapes around it. Per thread, because
/// a tape and the reads that feed it run on one thread, and tapes of other threads must
/// not move it.
enum TapeClock {
    /// Advances the clock and returns the new tick (1 for the thread's first tape).
    static func advance() -> UInt64 { Runtime.advanceTapeClock() }

    /// The tick of the thread's newest tape.
    @inline(__always) static var now: UInt64 { Runtime.tapeClock }
}

extension Tensor {
    /// Notes, on every recording tape that sees a watched (or cut) input, that `output`
    /// was computed from `inputs` by `op`, an op with no gradient.
    static func recordCut(_ op: @autoclosure () -> CutOp, _ output: Tensor, _ a: Tensor, _ b: Tensor? = nil) {
        guard let stack = TapeStack.current else { return }
        for tape in stack.tapes where tape.isRecording {
            let slotA = tape.slot(of: a.id)
            let slotB = b.map { tape.slot(of: $0.id) } ?? .unwatched
            if !slotA.isKnown && !slotB.isKnown { continue }
            // A cut of values that were cut already is an op after a cut, not a new cut.
            let cut = slotA.trackedIndex != nil || slotB.trackedIndex != nil ? op() : .derived(op().name)
            tape.appendCut(cut, output, b == nil ? .one(slotA) : .two(slotA, slotB))
        }
    }

    /// After `select`: links a cut condition to the result when neither branch was watched,
    /// so a path through a comparison's result stays visible.
    static func recordCutCondition(_ condition: Tensor, _ output: Tensor) {
        guard let stack = TapeStack.current else { return }
        for tape in stack.tapes where tape.isRecording && tape.flow.hasCuts {
            let slot = tape.slot(of: condition.id)
            guard case .cut = slot, !tape.slot(of: output.id).isKnown else { continue }
            tape.appendCut(.derived("select"), output, .one(slot))
        }
    }
}

extension GradientTape {
    /// Gives `output` a cut slot and notes the record.
    func appendCut(_ op: CutOp, _ output: Tensor, _ inputs: RecordInputs) {
        setSlot(.cut(Int32(flow.cuts.count)), for: output.id)
        flow.cuts.append(CutRecord(op: op, inputs: inputs, position: records.count, shape: output.shape))
    }

    /// Notes an ordinary op (named `name`) none of whose inputs is tracked but some of
    /// which are cut.
    func recordDerivedCut(_ name: String, _ output: Tensor, _ inputs: RecordInputs) {
        appendCut(.derived(name), output, inputs)
    }

    /// Keeps the shape of the value in `slot`, when the tape keeps graph details.
    func noteShape(_ slot: Slot, _ shape: Shape) {
        flow.shapes[slot] = shape
    }

    /// Keeps the name and shape of a watched source, when the tape keeps graph details.
    func noteSource(_ index: Int32, name: String, shape: Shape) {
        flow.names[index] = name
        flow.shapes[.tracked(index)] = shape
    }
}
