@testable import Retrograd

/// The numeric limits that keep every fuzz case a test of derivative rules rather than
/// of rounding or of a kink.
///
/// The checker moves each input by ε·v with ε = 1e-6 and |v| of a few units, so an
/// intermediate value moves by about 1e-6·|J v|; with values bounded by
/// ``magnitude`` that stays far below ``kinkMargin``, and a central difference never
/// straddles a kink. Central differences then err by about ε²·|f‴| (truncation) plus
/// 1e-16·|L|/ε ≤ 1e-7 (rounding of sums of at most a few hundred terms below
/// ``magnitude``), while a wrong rule errs by far more (planted mistakes in the rules — a
/// missing term, a sign, a constant on the outer tape, a wrong offset — gave errors from
/// 6e-4 up). ``tolerance`` sits between the two: over 110 000 passing cases the worst
/// error was 1.5e-7 and the 99th percentile 4e-9, so 1e-5 leaves a margin of about 70 above
/// the noise and 60 below the smallest planted error seen.
enum FuzzLimits {
    /// The largest relative error that passes.
    static let tolerance = 1e-5
    /// The smallest distance between an operand of a kinked op and its kink: relu,
    /// leakyRelu and abs at 0, maximum/minimum at ties, max/min reductions between the
    /// two largest elements of a group, clip bounds.
    static let kinkMargin = 0.01
    /// The smallest argument of log, sqrt and a pow base, and the smallest |x| of a
    /// divisor or a reciprocal.
    static let domainMargin = 0.1
    /// The largest |value| of any node.
    static let magnitude = 100.0
}

extension FuzzOp {
    /// Why this node's operands or value would make the check about numerics rather than
    /// the rule, or nil when they are fine.
    func violation(operands: [Tensor], output: Tensor) -> String? {
        let values = output.scalars(as: Double.self)
        if let bad = values.first(where: { !$0.isFinite || Swift.abs($0) > FuzzLimits.magnitude }) {
            return "value \(bad) beyond ±\(FuzzLimits.magnitude)"
        }
        let x = operands.first.map { $0.scalars(as: Double.self) } ?? []
        func kink(_ distance: Double, _ what: String) -> String? {
            distance >= FuzzLimits.kinkMargin ? nil : "\(what) within \(distance) of its kink"
        }
        func positive(_ values: [Double], _ what: String) -> String? {
            let low = values.min() ?? .infinity
            return low >= FuzzLimits.domainMargin ? nil : "\(what) \(low) below \(FuzzLimits.domainMargin)"
        }
        func awayFromZero(_ values: [Double], _ what: String) -> String? {
            let low = values.map(Swift.abs).min() ?? .infinity
            return low >= FuzzLimits.domainMargin ? nil : "\(what) \(low) closer to 0 than \(FuzzLimits.domainMargin)"
        }
        func smallestAbs(_ values: [Double]) -> Double { values.map(Swift.abs).min() ?? .infinity }
        func gap(_ a: Tensor, _ b: Tensor) -> Double { smallestAbs(withoutRecording { a - b }.scalars(as: Double.self)) }

        switch self {
        case let .unary(op):
            switch op {
            case .log, .sqrt: return positive(x, "argument")
            case .reciprocal, .divideConstant: return awayFromZero(x, "divisor")
            case .abs, .relu, .leakyRelu: return kink(smallestAbs(x), "operand")
            case let .clipped(lower, upper):
                return kink(Swift.min(smallestAbs(x.map { $0 - lower }), smallestAbs(x.map { $0 - upper })), "operand")
            case let .maximumConstant(c), let .minimumConstant(c): return kink(smallestAbs(x.map { $0 - c }), "operand")
            case let .powConstant(p):
                if p == p.rounded() { return p >= 0 ? nil : awayFromZero(x, "base") }
                return positive(x, "base")
            default: return nil
            }
        case let .binary(op):
            switch op {
            case .divide: return awayFromZero(operands[1].scalars(as: Double.self), "divisor")
            case .pow: return positive(x, "base")
            case .maximum, .minimum: return kink(gap(operands[0], operands[1]), "operands")
            default: return nil
            }
        case let .reduce(op, axes, _):
            switch op {
            case .max, .min:
                let signed = op == .max ? x : x.map { -$0 }
                return kink(topGap(signed, shape: operands[0].shape, axes: axes), "largest two elements")
            case .norm: return positive(values, "norm")
            default: return nil
            }
        case let .pool(true, window, windows):
            return kink(poolTopGap(operands[0], window: window, windows), "largest two cells of a window")
        case let .activation(activation):
            switch activation {
            // ELU's second derivative jumps at 0 (its first too, unless alpha is 1).
            case .relu, .leakyRelu, .elu: return kink(smallestAbs(x), "operand")
            default: return nil
            }
        default:
            return nil
        }
    }
}

/// The smallest gap between the largest and second-largest element over the groups a
/// reduction over `axes` (all when nil) forms; infinity when every group has one element.
func topGap(_ values: [Double], shape: Shape, axes: [Int]?) -> Double {
    let rank = shape.rank
    let reduced = Set((axes ?? Array(0..<rank)).map { $0 < 0 ? $0 + rank : $0 })
    let strides = shape.strides
    var best: [Int: (Double, Double)] = [:]
    for (flat, value) in values.enumerated() {
        var key = 0, rest = flat
        for axis in 0..<rank {
            let coordinate = rest / strides[axis]
            rest %= strides[axis]
            if !reduced.contains(axis) { key = key * shape[axis] + coordinate }
        }
        let (first, second) = best[key] ?? (-.infinity, -.infinity)
        if value > first { best[key] = (value, first) } else { best[key] = (first, Swift.max(second, value)) }
    }
    return best.values.map { $0.0 - $0.1 }.min() ?? .infinity
}
