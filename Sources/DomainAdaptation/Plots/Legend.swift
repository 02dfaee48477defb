/// What a legend entry shows next to its name.
enum LegendSymbol: Hashable {
    /// A short line, solid or dashed.
    case line(PlotColor, dashed: Bool)
    /// One scatter marker.
    case marker(MarkerShape, PlotColor)
    /// The decision map's 0.5 contour.
    case contour
}

/// One legend entry: a symbol and a name.
struct LegendEntry: Hashable {
    var name: String
    var symbol: LegendSymbol
}

/// Lays out and draws the legend below a figure's panels, wrapping entries into rows.
enum Legend {
    static let rowHeight = 20.0
    static let symbolWidth = 26.0
    static let entryGap = 18.0

    /// The entries of all panels in order of first appearance, each (name, symbol) once, so
    /// panels that draw the same series share one entry. Unnamed entries are left out.
    static func merged(_ lists: [[LegendEntry]]) -> [LegendEntry] {
        var seen = Set<LegendEntry>()
        var result: [LegendEntry] = []
        for entry in lists.joined() where !entry.name.isEmpty && !seen.contains(entry) {
            seen.insert(entry)
            result.append(entry)
        }
        return result
    }

    /// The entries split into rows that fit `width` pixels, each row's entries with their
    /// x offsets from the row's start, and the row's total width.
    static func rows(_ entries: [LegendEntry], width: Double) -> [(entries: [(LegendEntry, Double)], width: Double)] {
        var rows: [(entries: [(LegendEntry, Double)], width: Double)] = []
        var current: [(LegendEntry, Double)] = []
        var x = 0.0
        for entry in entries {
            let entryWidth = symbolWidth + 6 + PlotStyle.textWidth(entry.name)
            if !current.isEmpty && x + entryWidth > width {
                rows.append((current, x - entryGap))
                current = []
                x = 0
            }
            current.append((entry, x))
            x += entryWidth + entryGap
        }
        if !current.isEmpty { rows.append((current, x - entryGap)) }
        return rows
    }

    /// The height the legend needs below the panels, zero without entries.
    static func height(_ entries: [LegendEntry], width: Double) -> Double {
        let count = rows(entries, width: width).count
        return count == 0 ? 0 : Double(count) * rowHeight + 10
    }

    /// Draws the legend centred in `width`, its first row's centre line at `top + rowHeight / 2`.
    static func draw(_ entries: [LegendEntry], top: Double, width: Double, margin: Double, into svg: inout SVGWriter) {
        let layout = rows(entries, width: width - 2 * margin)
        guard !layout.isEmpty else { return }
        svg.open("g", [("class", "legend"), ("fill", PlotStyle.textColor)])
        for (index, row) in layout.enumerated() {
            let rowLeft = (width - row.width) / 2
            let centerY = top + (Double(index) + 0.5) * rowHeight
            for (entry, offset) in row.entries {
                let x = rowLeft + offset
                svg.open("g", [("class", "legend-entry")])
                drawSymbol(entry.symbol, x: x, centerY: centerY, into: &svg)
                svg.element("text", [("x", svgNumber(x + symbolWidth + 6)), ("y", svgNumber(centerY + PlotStyle.fontSize * 0.35))], text: entry.name)
                svg.close()
            }
        }
        svg.close()
    }

    private static func drawSymbol(_ symbol: LegendSymbol, x: Double, centerY: Double, into svg: inout SVGWriter) {
        let d = "M\(svgNumber(x)) \(svgNumber(centerY))h\(svgNumber(symbolWidth))"
        switch symbol {
        case let .line(color, dashed):
            var attributes: [SVGWriter.Attribute] = [("d", d), ("stroke", color.hex), ("stroke-width", svgNumber(PlotStyle.lineWidth))]
            if dashed { attributes.append(("stroke-dasharray", PlotStyle.dashPattern)) }
            svg.element("path", attributes)
        case .contour:
            svg.element("path", [("d", d), ("stroke", PlotStyle.contourColor), ("stroke-width", "1.5")])
        case let .marker(shape, color):
            svg.open("g", Marker.groupAttributes(shape, color))
            Marker.draw(shape, x: x + symbolWidth / 2, y: centerY, into: &svg)
            svg.close()
        }
    }
}

/// Draws scatter markers; the fill and stroke come from the enclosing group.
enum Marker {
    /// Attributes of a group holding markers of one shape and colour.
    static func groupAttributes(_ shape: MarkerShape, _ color: PlotColor) -> [SVGWriter.Attribute] {
        switch shape {
        case .cross:
            return [("fill", "none"), ("stroke", color.hex), ("stroke-width", "1.6")]
        case .circle, .triangle, .square:
            return [("fill", color.hex), ("fill-opacity", "0.85"), ("stroke", "#FFFFFF"), ("stroke-width", "0.6")]
        }
    }

    /// One marker centred on `(x, y)`; markers have about the same area whatever the shape.
    static func draw(_ shape: MarkerShape, x: Double, y: Double, into svg: inout SVGWriter) {
        let r = PlotStyle.markerRadius
        switch shape {
        case .circle:
            svg.element("circle", [("cx", svgNumber(x)), ("cy", svgNumber(y)), ("r", svgNumber(r))])
        case .square:
            svg.element("rect", [("x", svgNumber(x - r * 0.9)), ("y", svgNumber(y - r * 0.9)), ("width", svgNumber(r * 1.8)), ("height", svgNumber(r * 1.8))])
        case .triangle:
            // An equilateral triangle with its centroid on the point.
            let side = r * 2.4, height = side * 0.866
            svg.element("path", [("d", "M\(svgNumber(x)) \(svgNumber(y - height * 2 / 3))l\(svgNumber(side / 2)) \(svgNumber(height))h\(svgNumber(-side))z")])
        case .cross:
            let a = r * 0.85
            svg.element("path", [("d", "M\(svgNumber(x - a)) \(svgNumber(y - a))l\(svgNumber(2 * a)) \(svgNumber(2 * a))m0 \(svgNumber(-2 * a))l\(svgNumber(-2 * a)) \(svgNumber(2 * a))")])
        }
    }
}
