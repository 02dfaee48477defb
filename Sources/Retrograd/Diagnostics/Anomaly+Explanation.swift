// The message of an anomaly: what was found, where, and what to do about it.

extension Anomaly {
    /// One paragraph: the op, its result and inputs, its position, then advice.
    var explanation: String {
        let result = "\(value) (element \(elementIndex) of its \(outputShape) \(outputType) result"
            + (nonFiniteCount > 1 ? ", \(nonFiniteCount) non-finite elements)" : ")")
        let position = ["op \(opNumber) of the anomaly detection scope"]
            + (recordIndex.map { ["record \($0) on the innermost recording tape"] } ?? [])
        var text = "anomaly in the \(phase.rawValue) pass: \(op) produced \(result) from \(inputList)"
        if let rule {
            text += ", while running the derivative rule of \(rule.op) (record \(rule.recordIndex) of the tape being differentiated)"
        }
        return text + "; it was " + position.joined(separator: ", ") + ". " + advice
    }

    private var inputList: String {
        let described = zip(inputShapes, inputTypes).map { "\($0) \($1)" }
        let noun = described.count == 1 ? "input" : "inputs"
        guard !nonFiniteInputs.isEmpty else { return "finite \(noun) " + described.joined(separator: " and ") }
        return "\(noun) " + described.joined(separator: " and ") + ", of which "
            + nonFiniteInputs.map { "input \($0)" }.joined(separator: " and ")
            + (nonFiniteInputs.count == 1 ? " was" : " were") + " already non-finite"
    }

    /// What to check, from the op (forward) or the rule (backward) that went wrong.
    var advice: String {
        if !nonFiniteInputs.isEmpty {
            return "No op checked in this scope produced that input: check the data fed in, the variables "
                + "(an earlier update may have diverged: lower the learning rate or clip gradients) and values "
                + "computed before withAnomalyDetection began, such as a constant divided by 0."
        }
        if let rule { return rule.isCustom ? Self.customAdvice(rule.op, "pullback") : Self.backwardAdvice(rule: rule.op) }
        return opIsCustom ? Self.customAdvice(op, "forward function") : Self.forwardAdvice(op: op)
    }

    private static func forwardAdvice(op: String) -> String {
        switch op {
        case "log":
            return "log needs arguments above 0: clamp the argument (x.maximum(1e-12)) or stay in log space "
                + "(logSoftmax, softplus, binaryCrossEntropy(logits:)) instead of taking the log of a probability."
        case "sqrt":
            return "sqrt needs arguments of at least 0: find why the argument went negative, or clamp it (x.maximum(0))."
        case "div", "reciprocal":
            return "A divisor is 0: add a small epsilon to it, or select the zeros away before dividing."
        case "exp":
            return "exp overflowed (above about 88 in float32, 709 in float64): subtract the maximum first, as softmax, "
                + "logSoftmax and logSumExp do, or clip the argument."
        case "pow":
            return "pow got a negative base with a fractional exponent, 0 to a negative power, or overflowed: clamp "
                + "the base or the exponent."
        default:
            return "Values outgrew the element type: lower the learning rate, normalise the inputs, clip gradients "
                + "(clipByGlobalNorm) or compute in float64."
        }
    }

    private static func backwardAdvice(rule: String) -> String {
        switch rule {
        case "sqrt":
            return "The derivative of sqrt, 1/(2·sqrt(x)), is infinite at x = 0: keep the argument away from 0 "
                + "((x + 1e-12).sqrt()), or use norm(), whose gradient at the zero vector is 0."
        case "log":
            return "The derivative of log, 1/x, is infinite at x = 0: keep the argument away from 0, or stay in log "
                + "space (logSoftmax, softplus)."
        case "div", "reciprocal":
            return "The derivative of a quotient a/b, -a/b², overflows as b nears 0: keep the divisor away from 0."
        case "pow":
            return "The derivative of pow, e·x^(e-1), is infinite at x = 0 for exponents below 1: keep the base away "
                + "from 0."
        default:
            return "Gradients outgrew the element type: lower the learning rate or the loss scale, clip gradients "
                + "(clipByGlobalNorm), or check the loss for values that explode."
        }
    }

    private static func customAdvice(_ name: String, _ part: String) -> String {
        "The custom gradient op '\(name)' returned it: check its \(part)."
    }
}
