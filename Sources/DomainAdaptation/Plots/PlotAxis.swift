import Foundation

/// One axis of a plot: the data range it spans, and its ticks with their labels.
struct PlotAxis: Equatable {
    /// The data values at the two ends of the axis.
    var lower: Double
    var upper: Double
    /// Tick positions in data units, increasing, all within `lower...upper`.
    var ticks: [Double]
    /// One label per tick.
    var labels: [String]

    /// "Nice" tick positions: the multiples of a step 1, 2 or 5 × 10ᵏ inside
    /// `lower...upper`, with the step the smallest such one that gives at most `maxCount`
    /// ticks (so 0…1 gets 0, 0.2, …, 1 and 1…60 gets 10, 20, …, 60).
    ///
    /// Each tick is computed as an integer divided or multiplied by a power of ten
    /// (`6 / 10`, not `3 * 0.2`), so ticks are the doubles nearest to their decimal values.
    /// Returns the step's mantissa (1, 2 or 5) and exponent too, which fix how many decimals
    /// labels need.
    static func niceTicks(lower: Double, upper: Double, maxCount: Int = 6) -> (ticks: [Double], mantissa: Int, exponent: Int) {
        checkPrecondition(lower.isFinite && upper.isFinite && upper > lower, "niceTicks: needs a finite range with upper > lower, got \(lower)...\(upper)")
        let count = Swift.max(maxCount, 2)
        let tolerance = 1e-9
        // Start one decade below the step that would give exactly `count` ticks; at most
        // six candidates later the count fits.
        var exponent = Int(log10((upper - lower) / Double(count)).rounded(.down)) - 1
        while true {
            let power = pow(10, Double(Swift.abs(exponent)))
            for mantissa in [1, 2, 5] {
                let step = exponent < 0 ? Double(mantissa) / power : Double(mantissa) * power
                let first = Int((lower / step - tolerance).rounded(.up))
                let last = Int((upper / step + tolerance).rounded(.down))
                guard last - first + 1 <= count else { continue }
                let ticks = first <= last ? (first...last).map { k -> Double in
                    let units = Double(k * mantissa)
                    return exponent < 0 ? units / power : units * power
                } : []
                return (ticks, mantissa, exponent)
            }
            exponent += 1
        }
    }

    /// The label of tick `value` when ticks are `mantissa × 10^exponent` apart, with a
    /// typographic minus sign (U+2212) for negative values.
    static func label(_ value: Double, exponent: Int) -> String {
        let text = plainLabel(value, exponent: exponent)
        return text.hasPrefix("-") ? "\u{2212}" + text.dropFirst() : text
    }

    private static func plainLabel(_ value: Double, exponent: Int) -> String {
        if exponent >= 6 || exponent <= -7 {
            // Far from 1: a compact exponent form, e.g. 2e-07 → "2e-7".
            let power = (log10(Swift.abs(value))).rounded(.down)
            guard value != 0, power.isFinite else { return "0" }
            let mantissa = value / pow(10, power)
            let digits = Swift.max(0, Int(power) - exponent)
            return SVGFormat.number(mantissa, decimals: Swift.min(digits, 6)) + "e" + String(Int(power))
        }
        return SVGFormat.number(value, decimals: Swift.max(0, -exponent))
    }

    /// An axis over exactly `lower...upper` with nice ticks inside it.
    static func fixed(_ lower: Double, _ upper: Double) -> PlotAxis {
        let (lower, upper) = widened(lower, upper)
        let nice = niceTicks(lower: lower, upper: upper)
        return PlotAxis(lower: lower, upper: upper, ticks: nice.ticks, labels: nice.ticks.map { label($0, exponent: nice.exponent) })
    }

    /// An axis over exactly `range`, with nice ticks inside it.
    static func fixed(_ range: (Double, Double)) -> PlotAxis { fixed(range.0, range.1) }

    /// An axis over the data values `values` (non-finite ones ignored) whose ends are
    /// moved out to the nearest ticks, so the curve's extremes sit on labelled grid lines.
    static func extendedToTicks(_ values: [Double]) -> PlotAxis {
        let (lower, upper) = widened(range(of: values) ?? (0, 1))
        // Ticks for the range less one interval, so that moving the ends out to the next
        // multiples of the step keeps the count within the usual six.
        let nice = niceTicks(lower: lower, upper: upper, maxCount: 5)
        let step = niceStep(nice.mantissa, nice.exponent)
        let low = (lower / step + 1e-9).rounded(.down) * step
        let high = (upper / step - 1e-9).rounded(.up) * step
        let ticks = niceTicks(lower: low, upper: high, maxCount: Int(((high - low) / step).rounded()) + 1)
        return PlotAxis(lower: low, upper: high, ticks: ticks.ticks, labels: ticks.ticks.map { label($0, exponent: ticks.exponent) })
    }

    /// An axis over the data values plus `padding` × their span on each side.
    static func padded(_ values: [Double], padding: Double) -> PlotAxis {
        let (lower, upper) = widened(range(of: values) ?? (0, 1))
        let margin = (upper - lower) * padding
        return fixed(lower - margin, upper + margin)
    }

    /// The smallest and largest finite value, or `nil` when there is none.
    static func range(of values: [Double]) -> (Double, Double)? {
        var low = Double.infinity, high = -Double.infinity
        for value in values where value.isFinite {
            low = Swift.min(low, value)
            high = Swift.max(high, value)
        }
        return low <= high ? (low, high) : nil
    }

    /// A range with room in it: an empty or nearly empty span (a single point, a constant
    /// series) is opened to ±10 % of its value, or ±0.5 around zero.
    static func widened(_ range: (Double, Double)) -> (Double, Double) {
        widened(range.0, range.1)
    }

    static func widened(_ lower: Double, _ upper: Double) -> (Double, Double) {
        let center = (lower + upper) / 2
        if upper - lower > Swift.max(Swift.abs(center) * 1e-9, 1e-300) { return (lower, upper) }
        let half = center == 0 ? 0.5 : Swift.abs(center) * 0.1
        return (center - half, center + half)
    }

    private static func niceStep(_ mantissa: Int, _ exponent: Int) -> Double {
        let power = pow(10, Double(Swift.abs(exponent)))
        return exponent < 0 ? Double(mantissa) / power : Double(mantissa) * power
    }
}
