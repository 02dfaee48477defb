// The gradient-flow report: why a source of a gradient request got no gradient.

/// An op as a tape recorded it, for diagnostics.
public struct TapeOp: Equatable, Sendable, CustomStringConvertible {
    /// The op's name: `"mul"`, `"gradientReversal"`, `"stopGradient"`, `".>"`,
    /// `"cast to int32"`, `"argmax"`, …
    public let name: String
    /// How many ordinary ops the tape had recorded before this one (its index on the
    /// tape for an ordinary op).
    public let position: Int
    /// Where in the source the op was called (`"Module/File.swift:12"`), when known:
    /// ``stopGradient(_:file:line:)`` notes its caller.
    public let site: String?

    /// Creates a description of a recorded op.
    public init(name: String, position: Int, site: String? = nil) {
        self.name = name
        self.position = position
        self.site = site
    }

    /// `stopGradient at Module/File.swift:12 (#4 on the tape)`, or `mul (#7 on the tape)`.
    public var description: String {
        if let site { return "\(name) at \(site) (#\(position) on the tape)" }
        return "\(name) (#\(position) on the tape)"
    }
}

/// Why a source is not watched by the tape.
public enum NotWatchedReason: Equatable, Sendable {
    /// A plain tensor the tape was never asked to watch: to the tape it is a constant.
    case constant
    /// A variable that is not ``Variable/trainable``, which tapes do not watch by themselves.
    case notTrainable
    /// The tape was made with `watchAccessedVariables: false` and not told to watch it.
    case accessedVariablesNotWatched
}

/// What happened on the way from one source to the target of a gradient request.
public enum GradientFlowStatus: Equatable, Sendable {
    /// A gradient arrived.
    case flows
    /// The target was not computed while this tape recorded (before or after
    /// `record`, before the tape's latest ``GradientTape/reset()``, or inside
    /// `withoutRecording`), so no source can get a gradient.
    case targetNotRecorded
    /// The tape never watched the source.
    case notWatched(NotWatchedReason)
    /// A trainable variable that was read with no tape recording (for example by a model
    /// called before `record`, or inside `withoutRecording`) and not inside this tape's
    /// `record`.
    case readOutsideTape
    /// A trainable variable that was not read at all while this tape recorded.
    case notUsed
    /// Every path from the source to the target passes through this `stopGradient`
    /// (the earliest such cut, when there are several).
    case stoppedGradient(TapeOp)
    /// The source reaches the target only through this op, which has no gradient: a
    /// comparison, a cast to int32 or bool, argmax or argmin.
    case nonDifferentiable(TapeOp)
    /// A custom gradient on the path returned `nil` for its input.
    case pullbackReturnedNil(TapeOp)
    /// The source was watched, but nothing computed from it leads to the target. The
    /// associated op is the last one recorded from it (`nil` when none used it).
    case notConnected(lastUse: TapeOp?)
}

/// Why each source of a gradient request did or did not get a gradient.
///
/// A tape makes one for every request that returns `nil` for a source, or whose sources
/// include a variable assigned while the tape recorded, and keeps it as
/// ``GradientTape/lastGradientFlow``; ``GradientTape/gradientFlow(of:wrt:)-(_,[Variable])``
/// asks for one directly. Printing it gives one line per source with the cause and the
/// fix:
///
/// ```swift
/// let grads = try tape.gradient(of: loss, wrt: model.trainableVariables)
/// if grads.contains(where: { $0 == nil }), let report = tape.lastGradientFlow {
///     print(report)
/// }
/// ```
public struct GradientFlowReport: Sendable, CustomStringConvertible {
    /// A tensor source that is a variable's value: which variable, and whether the variable
    /// still holds it.
    public struct VariableValue: Equatable, Sendable {
        /// The variable's name.
        public let variable: String
        /// Whether the tensor is the variable's current value (`false`: the variable has
        /// been assigned since the tensor was read).
        public let isCurrent: Bool

        /// Describes a tensor read from the variable named `variable`.
        public init(variable: String, isCurrent: Bool) {
            self.variable = variable
            self.isCurrent = isCurrent
        }
    }

    /// What the report says about one source.
    public struct Entry: Sendable, CustomStringConvertible {
        /// The variable's name, or `tensor <index>` for a plain tensor source (its key, in a
        /// dictionary request).
        public let source: String
        /// The source's element type and shape.
        public let value: String
        /// What happened between the source and the target.
        public let status: GradientFlowStatus
        /// For a tensor source read from a variable (`wrt: w.value`), that variable.
        public let valueOfVariable: VariableValue?
        /// The assignments to the source's variable made while the tape recorded, which the
        /// tape did not record, in order.
        public let assignments: [UnrecordedAssignment]

        /// One sentence with the cause, then the fix; then what a variable passed by value
        /// or an assignment means for the gradient.
        public var description: String {
            var text = "'\(source)' \(value)"
            if let valueOfVariable {
                let which = valueOfVariable.isCurrent ? "the current value" : "an earlier value (it was assigned since)"
                text += ", \(which) of variable '\(valueOfVariable.variable)'"
            }
            text += ": " + explanation(status)
            if let valueOfVariable {
                text += " To the tape a variable's value is the variable itself: every read of it, whatever value the "
                    + "read saw, is this source, and the gradient is the one for the variable. Pass the Variable "
                    + "(wrt: \(valueOfVariable.variable)) rather than its value."
            }
            for assignment in assignments { text += " Note: \(assignment)" }
            return text
        }
    }

    /// One entry per source, in the order of the request.
    public let entries: [Entry]
    /// The target's element type and shape, and the op that produced it when it was
    /// recorded; for a request with several targets, each of them, separated by `; `.
    public let target: String
    /// The number of targets whose sum the request differentiated.
    let targetCount: Int

    /// The entries whose source got no gradient.
    public var missing: [Entry] { entries.filter { $0.status != .flows } }

    /// The entry of the source named `source` (a variable's name or `tensor <index>`).
    public subscript(source: String) -> Entry? { entries.first { $0.source == source } }

    /// A header line naming the target, then one line per source.
    public var description: String {
        let header = targetCount == 1 ? "the target \(target)" : "the sum of \(targetCount) targets, \(target)"
        return (["Gradient flow to \(header):"] + entries.map { "  " + $0.description }).joined(separator: "\n")
    }
}

/// The sentence for a status: what happened, then what to do.
private func explanation(_ status: GradientFlowStatus) -> String {
    switch status {
    case .flows:
        return "gets a gradient."
    case .targetNotRecorded:
        return "no gradient: the target was not computed while this tape recorded (it was made before or after "
            + "tape.record ran, before tape.reset(), or inside withoutRecording). Compute the loss inside tape.record { … }."
    case .notWatched(.constant):
        return "no gradient: the tape never watched this tensor, so it is a constant to the tape. "
            + "Call tape.watch(x) inside tape.record before using it, or hold it in a Variable."
    case .notWatched(.notTrainable):
        return "no gradient: the variable is not trainable, so tapes do not watch it. "
            + "Set trainable = true, or call tape.watch(variable) inside tape.record."
    case .notWatched(.accessedVariablesNotWatched):
        return "no gradient: this tape was made with watchAccessedVariables: false and never watched it. "
            + "Call tape.watch(variable) inside tape.record before using it."
    case .readOutsideTape:
        return "no gradient: it was read outside any recording (for example by a model called before "
            + "tape.record, or inside withoutRecording) and never inside this tape's record. "
            + "Compute everything that reads it inside tape.record { … }."
    case .notUsed:
        return "no gradient: it was never read while this tape recorded, so the target does not depend on it. "
            + "Use it in the loss, or leave it out of the request (or freeze it) if that is intended."
    case let .stoppedGradient(op):
        return "no gradient: every path from it to the target passes through \(op). "
            + "Remove that stopGradient, or move it off the path from this source to the loss."
    case let .nonDifferentiable(op):
        return "no gradient: it reaches the target only through \(op), which has no gradient "
            + "(\(nonDifferentiableHint(op.name)))."
    case let .pullbackReturnedNil(op):
        return "no gradient: the custom gradient \(op) on its path returned nil for its input. "
            + "Return a gradient from that pullback."
    case let .notConnected(lastUse?):
        return "no gradient: it was used while this tape recorded (last by \(lastUse)), but nothing computed "
            + "from it leads to the target. Check that the loss uses that result."
    case .notConnected(lastUse: nil):
        return "no gradient: it was watched, but no op recorded on this tape used it afterwards. "
            + "Watch it before computing with it, and use it in the loss."
    }
}

/// What to use instead of a non-differentiable op.
private func nonDifferentiableHint(_ name: String) -> String {
    if name.hasPrefix(".") {
        return "a comparison gives a bool tensor; for a soft step use sigmoid, or select(condition, a, b) "
            + "so the gradient flows through a and b"
    }
    if name.hasPrefix("cast") {
        return "integer and bool values carry no gradient; keep the value in float32 or float64"
    }
    return "it returns indices; use softmax weights for a differentiable choice"
}
