/// A polyline of a contour, in grid coordinates: x counts columns and y rows of samples.
struct ContourLine: Equatable {
    var points: [Point]
    /// Whether the line returns to its first point.
    var closed: Bool

    struct Point: Equatable {
        var x: Double
        var y: Double
    }
}

/// Level lines of a sampled function by marching squares.
enum MarchingSquares {
    /// The lines where the samples cross `level`, joined into polylines.
    ///
    /// `values` holds `columns × rows` samples, row by row, at integer grid points; a sample
    /// is "inside" when it is at least `level`. Each square of four neighbouring samples
    /// contributes up to two segments, with end points interpolated linearly along the
    /// square's edges. A saddle (inside corners on one diagonal only) is resolved by the
    /// mean of its four corners: when the mean is inside, the inside corners stay
    /// connected. Squares with a non-finite corner contribute nothing. Segments sharing an
    /// edge crossing are chained, open lines first (from their lowest-numbered segment),
    /// then closed loops, so the result is deterministic.
    static func contour(values: [Double], columns: Int, rows: Int, level: Double) -> [ContourLine] {
        checkPrecondition(values.count == columns * rows, "MarchingSquares: \(columns) × \(rows) grid needs \(columns * rows) values, got \(values.count)")
        guard columns >= 2 && rows >= 2 else { return [] }
        func value(_ row: Int, _ column: Int) -> Double { values[row * columns + column] }
        // Edge ids: the horizontal edge from (row, column) to (row, column + 1) is even, the
        // vertical edge from (row, column) to (row + 1, column) is odd.
        func horizontal(_ row: Int, _ column: Int) -> Int { 2 * (row * columns + column) }
        func vertical(_ row: Int, _ column: Int) -> Int { 2 * (row * columns + column) + 1 }
        func crossing(_ edge: Int) -> ContourLine.Point {
            let cell = edge / 2, row = cell / columns, column = cell % columns
            let (r2, c2) = edge % 2 == 0 ? (row, column + 1) : (row + 1, column)
            let a = value(row, column), b = value(r2, c2)
            let t = (level - a) / (b - a)
            return ContourLine.Point(x: Double(column) + t * Double(c2 - column), y: Double(row) + t * Double(r2 - row))
        }

        var segments: [(Int, Int)] = []
        for row in 0..<(rows - 1) {
            for column in 0..<(columns - 1) {
                let corners = [value(row, column), value(row, column + 1), value(row + 1, column + 1), value(row + 1, column)]
                guard corners.allSatisfy(\.isFinite) else { continue }
                let inside = corners.map { $0 >= level }
                // Corners counter-clockwise from bottom left: a, b, c, d. Edge k joins corner k
                // and corner k + 1: bottom, right, top, left.
                let edges = [horizontal(row, column), vertical(row, column + 1), horizontal(row + 1, column), vertical(row, column)]
                let crossed = (0..<4).filter { inside[$0] != inside[($0 + 1) % 4] }
                if crossed.count == 2 {
                    segments.append((edges[crossed[0]], edges[crossed[1]]))
                } else if crossed.count == 4 {
                    // A saddle: cut off the two corners that are not joined through the centre.
                    let centerInside = corners.reduce(0, +) / 4 >= level
                    let cutCorners = (0..<4).filter { inside[$0] != centerInside }
                    for corner in cutCorners {
                        // Corner k touches edges k - 1 and k.
                        segments.append((edges[(corner + 3) % 4], edges[corner]))
                    }
                }
            }
        }
        return chain(segments, point: crossing)
    }

    /// Joins segments that share an end into polylines.
    private static func chain(_ segments: [(Int, Int)], point: (Int) -> ContourLine.Point) -> [ContourLine] {
        var touching: [Int: [Int]] = [:]
        for (index, segment) in segments.enumerated() {
            touching[segment.0, default: []].append(index)
            touching[segment.1, default: []].append(index)
        }
        var used = Array(repeating: false, count: segments.count)
        var lines: [ContourLine] = []

        func walk(from start: Int, through first: Int) -> ContourLine {
            var points = [point(start)]
            var segment = first
            var at = start
            while true {
                used[segment] = true
                at = segments[segment].0 == at ? segments[segment].1 : segments[segment].0
                if at == start { return ContourLine(points: points, closed: true) }
                points.append(point(at))
                guard let next = touching[at]?.first(where: { !used[$0] }) else {
                    return ContourLine(points: points, closed: false)
                }
                segment = next
            }
        }

        for (index, segment) in segments.enumerated() where !used[index] {
            for end in [segment.0, segment.1] where !used[index] && touching[end]?.count == 1 {
                lines.append(walk(from: end, through: index))
            }
        }
        for (index, segment) in segments.enumerated() where !used[index] {
            lines.append(walk(from: segment.0, through: index))
        }
        return lines
    }
}
