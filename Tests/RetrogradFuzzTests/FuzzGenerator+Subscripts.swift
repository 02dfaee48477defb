@testable import Retrograd

// The generator's subscripts: reads, whose operand shape is derived from the shape to
// produce, and assignments, whose values broadcast to the selection.

extension FuzzGenerator {
    mutating func subscriptNode(_ shape: Shape, depth: Int) -> Int? {
        random.chance(0.65) ? subscriptReadNode(shape, depth: depth) : subscriptAssignNode(shape, depth: depth)
    }

    /// `x[entries]` of `shape`: each axis of the result comes from a whole axis, a range,
    /// a stride or a mask of a larger one; positions add axes the result drops.
    mutating func subscriptReadNode(_ shape: Shape, depth: Int) -> Int? {
        var entries: [FuzzIndexEntry] = [], source: [Int] = []
        func addPosition() {
            let size = random.int(1...3), position = random.int(0...(size - 1))
            entries.append(.position(random.chance(0.3) ? position - size : position))
            source.append(size)
        }
        var masked = false  // one tensor entry per subscript
        for size in shape {
            if shape.rank + entries.count < Self.maxRank && random.chance(0.25) { addPosition() }
            let extra = random.int(0...2), total = size + extra
            switch random.int(0...(masked ? 3 : 4)) {
            case 0:
                entries.append(.whole)
                source.append(size)
            case 1:
                let lower = random.int(0...extra)
                entries.append(.range(lower: random.chance(0.3) ? lower - total : lower, upper: lower + size))
                source.append(total)
            case 2:
                let from = random.int(0...extra)
                entries.append(.stride(from: from, through: from + 2 * (size - 1), by: 2))
                source.append(2 * (size - 1) + 1 + extra)
            case 3:
                let top = random.int((size - 1)...(total - 1))
                entries.append(.stride(from: top, through: top - (size - 1), by: -1))
                source.append(total)
            default:
                let wider = size + random.int(1...2), trues = Set(random.subset(of: wider, count: size))
                entries.append(.mask((0..<wider).map(trues.contains)))
                source.append(wider)
                masked = true
            }
        }
        if entries.isEmpty { addPosition() }  // a 0-d result: one position of a 1-d operand
        let (spelled, ellipsis) = ellipsized(entries)
        return append(.subscriptRead(spelled, ellipsis: ellipsis), [expression(Shape(source), depth: depth + 1)])
    }

    /// `var y = x; y[entries] = values; y` of `shape`: distinct positions on every axis, and
    /// values of the selection's shape or one that broadcasts to it.
    mutating func subscriptAssignNode(_ shape: Shape, depth: Int) -> Int? {
        guard shape.rank >= 1 else { return nil }
        var entries: [FuzzIndexEntry] = [], selected: [Int] = [], masked = false
        for size in shape {
            switch random.int(0...(masked ? 3 : 4)) {
            case 0:
                entries.append(.whole)
                selected.append(size)
            case 1:
                let position = random.int(0...(size - 1))
                entries.append(.position(random.chance(0.3) ? position - size : position))
            case 2:
                let lower = random.int(0...(size - 1)), upper = random.int((lower + 1)...size)
                entries.append(.range(lower: lower, upper: upper))
                selected.append(upper - lower)
            case 3:
                let step = random.pick([2, -1, -2]), from = random.int(0...(size - 1))
                let through = step > 0 ? size - 1 : 0
                entries.append(.stride(from: from, through: through, by: step))
                selected.append(Swift.abs(through - from) / Swift.abs(step) + 1)
            default:
                let trues = Set(random.subset(of: size, count: random.int(1...size)))
                entries.append(.mask((0..<size).map(trues.contains)))
                selected.append(trues.count)
                masked = true
            }
        }
        var values = selected.map { $0 > 1 && random.chance(0.3) ? 1 : $0 }
        if !values.isEmpty && random.chance(0.3) { values.removeFirst(random.int(1...values.count)) }
        let (spelled, ellipsis) = ellipsized(entries)
        let x = expression(shape, depth: depth + 1)
        return append(.subscriptAssign(spelled, ellipsis: ellipsis), [x, expression(Shape(values), depth: depth + 1)])
    }

    /// The entries spelled with a leading `...` for their leading whole axes, or without
    /// their trailing whole axes, or as they are.
    private mutating func ellipsized(_ entries: [FuzzIndexEntry]) -> ([FuzzIndexEntry], Bool) {
        func isWhole(_ entry: FuzzIndexEntry) -> Bool {
            if case .whole = entry { return true }
            return false
        }
        switch random.int(0...2) {
        case 0: return (Array(entries.drop(while: isWhole)), true)
        case 1: return (Array(entries.reversed().drop(while: isWhole).reversed()), false)
        default: return (entries, false)
        }
    }
}
