/// Runs `body` with anomaly detection: the first NaN or infinity that an op produces,
/// in the forward or the backward pass, stops the computation with an ``AnomalyError``
/// that names the op, its input shapes and its position.
///
/// ```swift
/// try withAnomalyDetection {
///     for batch in batches {
///         let tape = GradientTape()
///         let loss = tape.record { lossFunction(model(batch.x), batch.y) }
///         let grads = try tape.gradient(of: loss, wrt: model.trainableVariables)
///         optimizer.apply(gradients: grads, to: model.trainableVariables)
///     }
/// }
/// ```
///
/// Inside the scope, the result of every primitive op is checked for NaN and ±infinity;
/// composite ops (`/`, `softmax`, losses) are checked through the primitives they are
/// made of, so `a / b` with a zero in `b` is reported at `reciprocal`. The first bad
/// result is kept as an ``Anomaly``. Ops cannot throw, so the error comes at the next
/// point that can:
///
/// - ``GradientTape/gradient(of:wrt:unconnected:outputGradient:)-(_,Tensor,_,_)`` and the
///   other gradient and Jacobian requests throw it before they do anything when the
///   forward pass produced it; a training step written as forward pass, `try
///   tape.gradient`, optimizer update therefore never reaches the update, and the weights
///   keep their last good values.
/// - A backward pass stops after the derivative rule whose ops produced the first
///   non-finite gradient, and the request throws; the anomaly names that rule's record.
/// - Leaving the scope throws an anomaly that was not thrown yet, even when `body` threw
///   another error after it (the anomaly came first and is the likelier cause).
///
/// An anomaly is thrown once. Code inside the scope that catches the ``AnomalyError``
/// (to skip a bad batch, say) goes on with detection still on, and the next anomaly is
/// reported in turn.
///
/// Every op whose result is not finite counts, whatever produced it. When the op's
/// inputs were finite, the op made the first bad value and is the place to fix. When an
/// input already held NaN or infinity, the value came from outside the checked ops (the
/// data, a variable an earlier update broke, a constant such as `x / 0.0`, or a value
/// computed before the scope opened); the anomaly says which inputs
/// (``Anomaly/nonFiniteInputs``), and the op is simply the first to read it.
///
/// Scopes nest; an op's anomaly belongs to the innermost scope. Detection is per thread:
/// ops on other threads (other tasks) are not checked, and a scope elsewhere does not
/// check this thread. With no scope open, an op pays one thread-local load and a branch;
/// inside one, each op also scans its result once, so use the scope to find a problem,
/// not in every run.
///
/// - Parameter body: The computation to watch.
/// - Returns: What `body` returns.
/// - Throws: ``AnomalyError`` for the first NaN or infinity; otherwise what `body` throws.
public func withAnomalyDetection<Result>(_ body: () throws -> Result) throws -> Result {
    let monitor = AnomalyMonitor.openScope()
    let result: Result
    do {
        result = try body()
    } catch {
        if let anomaly = monitor.closeScope() { throw AnomalyError(anomaly: anomaly) }
        throw error
    }
    if let anomaly = monitor.closeScope() { throw AnomalyError(anomaly: anomaly) }
    return result
}

/// The first NaN or infinity that anomaly detection found: the op that produced it, what
/// it read, and where it ran.
public struct Anomaly: Sendable, Equatable, CustomStringConvertible {
    /// Which pass the op ran in.
    public enum Phase: String, Sendable {
        /// The computation itself.
        case forward
        /// A derivative rule, while a tape computed gradients.
        case backward
    }

    /// The kind of value found.
    public enum Value: Sendable, Equatable, CustomStringConvertible {
        case nan, positiveInfinity, negativeInfinity

        init(_ value: Double) {
            self = value.isNaN ? .nan : value > 0 ? .positiveInfinity : .negativeInfinity
        }

        public var description: String {
            switch self {
            case .nan: "NaN"
            case .positiveInfinity: "+inf"
            case .negativeInfinity: "-inf"
            }
        }
    }

    /// A recorded op whose derivative rule was running.
    public struct Rule: Sendable, Equatable {
        /// The op's name (`"sqrt"`, or the name given to a custom gradient).
        public let op: String
        /// The record's index on the tape being differentiated, from 0 in recording order.
        public let recordIndex: Int
        /// Whether the op is a custom gradient (its rule is a user's pullback).
        let isCustom: Bool
    }

    /// The primitive that produced the value, by the name users know (`"log"`,
    /// `"reciprocal"` for division, `"matmul"`, a custom gradient's name).
    public let op: String
    /// Whether the op ran in the forward pass or inside a derivative rule.
    public let phase: Phase
    /// The shapes of the op's inputs, in order.
    public let inputShapes: [Shape]
    /// The element types of the op's inputs, in order.
    public let inputTypes: [DType]
    /// The shape of the op's result.
    public let outputShape: Shape
    /// The element type of the op's result.
    public let outputType: DType
    /// The first non-finite element of the result.
    public let value: Value
    /// That element's row-major offset in the result.
    public let elementIndex: Int
    /// How many elements of the result are NaN or infinite.
    public let nonFiniteCount: Int
    /// The indices of inputs that already held NaN or infinity; empty when the op made
    /// the first bad value from finite inputs.
    public let nonFiniteInputs: [Int]
    /// The op's number in its scope: 1 for the first op the scope checked, counting ops
    /// of nested scopes too. The same program reaches the same number, so it can be used
    /// to stop there again.
    public let opNumber: Int
    /// The index of the op's record on the innermost tape that recorded it, from 0 in
    /// recording order; nil when no recording tape watched its inputs.
    public let recordIndex: Int?
    /// In the backward pass, the record whose derivative rule ran the op.
    public let rule: Rule?
    /// Whether the op is a custom gradient (its forward is a user's function).
    let opIsCustom: Bool

    public var description: String { explanation }
}

/// The error that anomaly detection throws: a NaN or an infinity appeared, and
/// ``anomaly`` says where. Its description says what to check.
public struct AnomalyError: Error, CustomStringConvertible {
    /// What was found, and where.
    public let anomaly: Anomaly

    public var description: String { anomaly.explanation }
}
