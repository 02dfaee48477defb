/// A classifier's output over a rectangle of the plane, drawn as coloured cells.
///
/// The rectangle is cut into `columns × rows` equal cells; `values` holds one value in
/// 0…1 per cell (the probability of class 1, say), sampled at the cell's centre, row by row
/// from the bottom row (smallest y) up, each row from left to right. Cells are coloured on a
/// two-colour diverging scale: white at 0.5, shading to light blue towards 0 and light
/// vermillion towards 1 (the palette's class 0 and class 1 colours, kept light so markers
/// stay visible). The 0.5 level is traced over the cell centres by marching squares and
/// drawn as a dark line. Non-finite values leave their cell blank.
public struct DecisionMap: Sendable {
    /// The x range the cells cover.
    public var xRange: ClosedRange<Double>
    /// The y range the cells cover.
    public var yRange: ClosedRange<Double>
    /// The number of cells across.
    public var columns: Int
    /// The number of cells up.
    public var rows: Int
    /// One value per cell, bottom row first; see the type's description.
    public var values: [Double]

    /// Creates a map from values already computed at `cellCenters(...)`.
    ///
    /// - Precondition: `values.count == columns * rows`, both at least 1, and both ranges
    ///   have a positive width.
    public init(xRange: ClosedRange<Double>, yRange: ClosedRange<Double>, columns: Int, rows: Int, values: [Double]) {
        checkPrecondition(columns >= 1 && rows >= 1, "DecisionMap: needs at least one cell, got \(columns) × \(rows)")
        checkPrecondition(values.count == columns * rows, "DecisionMap: \(columns) × \(rows) cells need \(columns * rows) values, got \(values.count)")
        checkPrecondition(xRange.upperBound > xRange.lowerBound && yRange.upperBound > yRange.lowerBound,
                     "DecisionMap: ranges need a positive width, got \(xRange) × \(yRange)")
        self.xRange = xRange
        self.yRange = yRange
        self.columns = columns
        self.rows = rows
        self.values = values
    }

    /// Creates a map by evaluating `value` at every cell centre, in the order of `values`.
    public init(xRange: ClosedRange<Double>, yRange: ClosedRange<Double>, columns: Int, rows: Int,
                value: (_ x: Double, _ y: Double) throws -> Double) rethrows {
        let centers = DecisionMap.cellCenters(xRange: xRange, yRange: yRange, columns: columns, rows: rows)
        self.init(xRange: xRange, yRange: yRange, columns: columns, rows: rows, values: try centers.map { try value($0.x, $0.y) })
    }

    /// The centres of the cells in the order of `values`: bottom row first, left to right.
    ///
    /// Stack them into a `[columns * rows, 2]` tensor to evaluate a model in one batch.
    public static func cellCenters(xRange: ClosedRange<Double>, yRange: ClosedRange<Double>, columns: Int, rows: Int) -> [(x: Double, y: Double)] {
        let dx = (xRange.upperBound - xRange.lowerBound) / Double(columns)
        let dy = (yRange.upperBound - yRange.lowerBound) / Double(rows)
        var centers: [(x: Double, y: Double)] = []
        centers.reserveCapacity(columns * rows)
        for row in 0..<rows {
            for column in 0..<columns {
                centers.append((xRange.lowerBound + (Double(column) + 0.5) * dx, yRange.lowerBound + (Double(row) + 0.5) * dy))
            }
        }
        return centers
    }

    /// How many shades each side of 0.5 has; neighbouring cells of the same shade merge.
    static let shades = 8
    /// How far from white towards the full palette colour the darkest shade goes.
    static let maximumTint = 0.32

    /// The shade of `value`: 0 for white, ±1…±`shades` towards class 1 (+) or class 0 (−).
    static func shade(_ value: Double) -> Int? {
        guard value.isFinite else { return nil }
        let clamped = Swift.min(Swift.max(value, 0), 1)
        return Int(((clamped - 0.5) * 2 * Double(shades)).rounded())
    }

    /// The fill of a shade.
    static func color(ofShade shade: Int) -> RGB {
        let base = PlotColor.rgb(shade < 0 ? .blue : .vermillion)
        return RGB.white.mixed(with: base, maximumTint * Double(Swift.abs(shade)) / Double(shades))
    }

    /// The 0.5 contour in grid coordinates (column, row of cell centres).
    func contour() -> [ContourLine] {
        MarchingSquares.contour(values: values, columns: columns, rows: rows, level: 0.5)
    }

    /// Draws the cells, then the contour, clipped to the plot area.
    func draw(in frame: PlotFrame, into svg: inout SVGWriter) {
        let dx = (xRange.upperBound - xRange.lowerBound) / Double(columns)
        let dy = (yRange.upperBound - yRange.lowerBound) / Double(rows)
        svg.open("g", [("class", "decision-map"), ("clip-path", frame.clipReference), ("shape-rendering", "crispEdges")])
        for row in 0..<rows {
            let top = frame.py(yRange.lowerBound + Double(row + 1) * dy)
            let bottom = frame.py(yRange.lowerBound + Double(row) * dy)
            var column = 0
            while column < columns {
                guard let shade = Self.shade(values[row * columns + column]) else { column += 1; continue }
                var end = column + 1
                while end < columns, Self.shade(values[row * columns + end]) == shade { end += 1 }
                if shade != 0 {
                    let left = frame.px(xRange.lowerBound + Double(column) * dx)
                    let right = frame.px(xRange.lowerBound + Double(end) * dx)
                    svg.element("rect", [("x", svgNumber(left)), ("y", svgNumber(top)), ("width", svgNumber(right - left)), ("height", svgNumber(bottom - top)),
                                         ("fill", Self.color(ofShade: shade).hex)])
                }
                column = end
            }
        }
        svg.close()
        let lines = contour()
        guard !lines.isEmpty else { return }
        var d = ""
        for line in lines {
            for (index, point) in line.points.enumerated() {
                let x = frame.px(xRange.lowerBound + (point.x + 0.5) * dx)
                let y = frame.py(yRange.lowerBound + (point.y + 0.5) * dy)
                d += (index == 0 ? "M" : "L") + svgNumber(x) + " " + svgNumber(y)
            }
            if line.closed { d += "Z" }
        }
        svg.element("path", [("class", "contour"), ("d", d), ("clip-path", frame.clipReference), ("fill", "none"),
                             ("stroke", PlotStyle.contourColor), ("stroke-width", "1.5"), ("stroke-linejoin", "round")])
    }
}
