#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Switches for gradient diagnostics that training code can turn on.
///
/// With ``warnsOnMissingGradients`` on, an optimizer that receives `nil` for a trainable
/// variable prints, once per variable and optimizer, why that variable got no gradient:
/// the matching entry of the tape's ``GradientFlowReport``.
///
/// ```swift
/// GradientDiagnostics.warnsOnMissingGradients = true
/// let grads = try tape.gradient(of: loss, wrt: model.trainableVariables)
/// optimizer.apply(gradients: grads, to: model.trainableVariables)
/// // Adam.apply(gradients:to:): variable 'head.bias' got no gradient and was not updated.
/// //   'head.bias' (float32 [2]): no gradient: it was never read while this tape recorded, …
/// ```
///
/// The switch, the output and the explanations are shared by all threads.
public enum GradientDiagnostics {
    private static let enabled = Atomic<Bool>(false)
    private static let output = Mutex<(@Sendable (String) -> Void)?>(nil)
    private static let explanations = Mutex(ExplanationRegistry())

    /// Whether optimizers warn about `nil` gradients for trainable variables. Off by default.
    ///
    /// While it is on, every gradient request that returns `nil` for a variable also keeps
    /// the explanation for the optimizer to print.
    public static var warnsOnMissingGradients: Bool {
        get { enabled.load(ordering: .relaxed) }
        set { enabled.store(newValue, ordering: .relaxed) }
    }

    /// Sends warnings to `write` instead of standard error; `nil` restores standard error.
    /// `write` receives one warning (possibly several lines, no final newline) per call.
    public static func setWarningOutput(_ write: (@Sendable (String) -> Void)?) {
        output.withLock { $0 = write }
    }

    /// The latest explanation of why `variable` got no gradient, if a gradient request
    /// made one while ``warnsOnMissingGradients`` was on.
    public static func missingGradientExplanation(for variable: Variable) -> String? {
        explanations.withLock { $0[variable.id] }
    }

    /// Prints the warning for a trainable variable that received a `nil` gradient, when
    /// ``warnsOnMissingGradients`` is on. Optimizers call it once per variable; `receiver`
    /// names the call, such as `"SGD.apply(gradients:to:)"`.
    public static func warnMissingGradient(for variable: Variable, receiver: String) {
        guard warnsOnMissingGradients else { return }
        let why = missingGradientExplanation(for: variable)
            ?? "'\(variable.name)': no gradient-flow report names it; the list did not come from a "
            + "GradientTape.gradient request made while warnings were on, or that request did not include it."
        let message = "\(receiver): variable '\(variable.name)' got no gradient (nil) and was not updated.\n  \(why)\n"
            + "  (Printed once per variable and optimizer; GradientDiagnostics.warnsOnMissingGradients = false turns it off.)"
        if let write = output.withLock({ $0 }) {
            write(message)
        } else {
            let line = message + "\n"
            _ = line.withCString { write(2, $0, strlen($0)) }
        }
    }

    /// Keeps the latest explanation for the variable with identity `id`.
    static func remember(_ explanation: String, for id: UInt64) {
        explanations.withLock { $0.store(explanation, for: id) }
    }
}

/// The latest explanations keyed by variable identity, at most ``capacity`` of them; the
/// oldest key goes first.
struct ExplanationRegistry {
    static let capacity = 1024
    private var byID: [UInt64: String] = [:]
    private var order: [UInt64] = []
    private var oldest = 0

    subscript(id: UInt64) -> String? { byID[id] }

    /// Keeps `explanation` for `id`, forgetting the oldest key when full.
    mutating func store(_ explanation: String, for id: UInt64) {
        if byID.updateValue(explanation, forKey: id) != nil { return }
        if order.count < Self.capacity {
            order.append(id)
        } else {
            byID[order[oldest]] = nil
            order[oldest] = id
            oldest = (oldest + 1) % Self.capacity
        }
    }
}
