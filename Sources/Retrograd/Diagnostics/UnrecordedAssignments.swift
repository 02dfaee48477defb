// Assignments to variables while a tape records. A tape never records them: every read of
// a variable is the same source to it, whatever value the read saw. The tape notes each one
// on the side (who, how, after how many records) so the gradient-flow report can say what
// the gradient of an assigned variable means. Noting costs nothing while no tape records:
// the variable checks the thread's tape stack, one load, before it looks further.

/// The method that changed a variable.
public enum AssignmentKind: String, Sendable {
    /// ``Variable/assign(_:)``.
    case assign
    /// ``Variable/assignAdd(_:)``.
    case assignAdd
    /// ``Variable/assignSub(_:)``.
    case assignSub
    /// ``Variable/modify(_:)``.
    case modify
}

/// An assignment to a variable made while a tape recorded, which the tape did not record,
/// and what it means for the variable's gradient.
///
/// A tape knows a variable by its identity, which assignments keep. Ops recorded before an
/// assignment read the old value, ops after it (usually) the new one, and the gradient
/// with respect to the variable adds the derivatives with respect to every value the ops
/// read. The assigned value (or delta) is a constant to the tape. A report names the
/// assignments of each variable it covers: see ``GradientFlowReport/Entry/assignments``.
public struct UnrecordedAssignment: Equatable, Sendable, CustomStringConvertible {
    /// How the variable was changed.
    public let kind: AssignmentKind
    /// How many ops the tape had recorded when the assignment ran.
    public let position: Int
    /// Whether ops recorded before the assignment, on the way to the target, used the
    /// variable (its old value).
    public let readBefore: Bool
    /// Whether ops recorded after the assignment, on the way to the target, used the
    /// variable (its new value, unless they were given a tensor read before the assignment).
    public let readAfter: Bool
    /// Whether the value assigned (or the delta added or subtracted) was computed from
    /// values the tape watched: a dependence that is lost.
    public let fromWatchedValues: Bool

    /// Creates the description of an assignment.
    public init(kind: AssignmentKind, position: Int, readBefore: Bool, readAfter: Bool, fromWatchedValues: Bool) {
        self.kind = kind
        self.position = position
        self.readBefore = readBefore
        self.readAfter = readAfter
        self.fromWatchedValues = fromWatchedValues
    }

    /// What happened, and what the gradient is with respect to.
    public var description: String {
        let shifts = kind == .assignAdd || kind == .assignSub
        let input = shifts ? "the delta" : "the value assigned"
        let lost = fromWatchedValues
            ? "; \(input) was computed from watched values, and no gradient flows back to them through the assignment" : ""
        let fix = " To differentiate through an update, compute the new value as a tensor "
            + "(let updated = w.value - rate * g) and use it instead of assigning."
        let ops = position == 1 ? "1 recorded op" : "\(position) recorded ops"
        let head = "\(kind) changed it while this tape recorded (after \(ops)); tapes do not record assignments"
        switch (readBefore, readAfter) {
        case (true, true) where shifts:
            return head + ". Ops recorded before and after it on the way to the target both used the variable, as one "
                + "source, so the gradient adds the derivatives with respect to the values they read, old and new; "
                + "as value \(kind == .assignAdd ? "+" : "−") delta moves with the value at rate 1, that sum is the derivative "
                + "with respect to the value before the assignment, with the delta held constant\(lost)."
                + (fromWatchedValues ? fix : "")
        case (true, true):
            return head + ". Ops recorded before and after it on the way to the target both used the variable, as one "
                + "source, so the gradient adds the derivatives with respect to the values they read, old and new, "
                + "though to the tape the new value does not depend on the old one: it is the derivative with respect "
                + "to neither\(lost)." + fix
        case (true, false):
            return head + ". Of the ops on the way to the target, only ops recorded before it used the variable, so the "
                + "gradient is with respect to the value before the assignment, as if it had not happened."
        case (false, true):
            return head + ". Of the ops on the way to the target, only ops recorded after it used the variable, so the "
                + "gradient is with respect to the value they read: the new one, unless a tensor read before the "
                + "assignment was kept and used\(lost)." + (fromWatchedValues ? fix : "")
        case (false, false):
            return head + ". No op on the way to the target used the variable."
        }
    }
}

/// What a tape notes when a variable it may know is assigned while it records.
struct AssignmentNote {
    var variable: UInt64
    var kind: AssignmentKind
    /// The number of ordinary records on the tape at the time.
    var position: Int
    var fromWatchedValues: Bool
}

extension TapeFlowLog {
    /// The most assignments a tape notes; later ones go unreported.
    static let maximumAssignments = 256

    /// Whether any variable was assigned while the tape recorded.
    var hasAssignments: Bool { !assignments.isEmpty }

    /// Whether the variable with identity `id` was assigned while the tape recorded.
    func wasAssigned(_ id: UInt64) -> Bool { assignments.contains { $0.variable == id } }
}

extension Variable {
    /// Notes, on every tape recording on this thread, that this variable is being changed
    /// by `kind` from `input` (the value assigned or the delta; nil for `modify`).
    /// Callers check first that a tape stack exists.
    func noteAssignment(_ kind: AssignmentKind, from input: Tensor?) {
        guard let stack = TapeStack.current else { return }
        for tape in stack.tapes where tape.isRecording && tape.flow.assignments.count < TapeFlowLog.maximumAssignments {
            let fromWatched = input.map { tape.slot(of: $0.id).trackedIndex != nil } ?? false
            tape.flow.assignments.append(
                AssignmentNote(variable: id, kind: kind, position: tape.records.count, fromWatchedValues: fromWatched))
        }
    }
}

extension GradientTape {
    /// The assignments this tape noted for the variable with identity `id`, each with
    /// whether ops on the way to the request's targets (per `graph`) used the variable
    /// before and after it.
    func unrecordedAssignments(of id: UInt64, graph: FlowGraph) -> [UnrecordedAssignment] {
        let notes = flow.assignments.filter { $0.variable == id }
        guard !notes.isEmpty else { return [] }
        // The positions of the records that use the variable directly and lead to a target.
        var reads: [Int] = []
        if let slot = slot(of: id).trackedIndex {
            for (index, record) in records.enumerated()
            where record.inputs.all.contains(.tracked(slot)) && graph.reachesATarget(.tracked(record.output)) {
                reads.append(index)
            }
        }
        return notes.map { note in
            UnrecordedAssignment(
                kind: note.kind, position: note.position, readBefore: reads.contains { $0 < note.position },
                readAfter: reads.contains { $0 >= note.position }, fromWatchedValues: note.fromWatchedValues)
        }
    }
}
