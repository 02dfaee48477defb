/// The plot area of one panel in pixels, and the map from data units to it.
struct PlotFrame {
    /// Left, top, width and height of the plot area (inside the axes), in pixels.
    var left: Double, top: Double, width: Double, height: Double
    var xAxis: PlotAxis
    var yAxis: PlotAxis
    /// An id unique within the document, used for the panel's clip path.
    var id: String

    var right: Double { left + width }
    var bottom: Double { top + height }

    /// The pixel column of data value `x`.
    func px(_ x: Double) -> Double {
        clampPixel(left + (x - xAxis.lower) / (xAxis.upper - xAxis.lower) * width)
    }

    /// The pixel row of data value `y` (SVG rows grow downwards).
    func py(_ y: Double) -> Double {
        clampPixel(bottom - (y - yAxis.lower) / (yAxis.upper - yAxis.lower) * height)
    }

    /// Keeps far-off points (clipped anyway) from writing huge numbers.
    private func clampPixel(_ value: Double) -> Double {
        Swift.min(Swift.max(value, -1e5), 1e5)
    }

    /// Clips to the plot area exactly (for cells and markers).
    var clipReference: String { "url(#\(id)-clip)" }
    /// Clips to the plot area grown by a line width, so a curve running along an edge of a
    /// fixed range (an accuracy of 1) is not cut in half.
    var paddedClipReference: String { "url(#\(id)-clip-padded)" }
}

/// Titles and axis labels of one panel.
struct PanelText {
    var title: String
    var xLabel: String
    var yLabel: String
}

/// Lays out and draws what every panel has: background, grid, axes, ticks, labels, title.
enum PanelChrome {
    static let titleHeight = 30.0
    static let padding = 12.0
    static let tickLength = 4.0
    static let axisLabelHeight = 18.0

    /// Places the plot area inside the panel cell `(x, y, width, height)`, leaving room for
    /// the title, the tick labels and the axis labels.
    static func frame(cellX: Double, cellY: Double, cellWidth: Double, cellHeight: Double,
                      text: PanelText, xAxis: PlotAxis, yAxis: PlotAxis, id: String) -> PlotFrame {
        let tickLabelWidth = yAxis.labels.map { PlotStyle.textWidth($0) }.max() ?? 0
        let yLabelRoom = text.yLabel.isEmpty ? 0 : axisLabelHeight
        let xLabelRoom = text.xLabel.isEmpty ? 0 : axisLabelHeight
        let left = cellX + padding + yLabelRoom + tickLabelWidth + tickLength + 4
        let top = cellY + (text.title.isEmpty ? padding : titleHeight)
        // The last x tick label may reach half its width past the plot's right edge.
        let lastLabel = xAxis.labels.last.map { PlotStyle.textWidth($0) / 2 } ?? 0
        let right = cellX + cellWidth - Swift.max(padding, lastLabel + 4)
        let bottom = cellY + cellHeight - padding / 2 - xLabelRoom - PlotStyle.fontSize - tickLength - 6
        return PlotFrame(left: left, top: top, width: Swift.max(right - left, 10),
                         height: Swift.max(bottom - top, 10), xAxis: xAxis, yAxis: yAxis, id: id)
    }

    /// Writes the clip paths for the plot area; content drawn with `frame.clipReference`
    /// stays inside the axes.
    static func defineClip(_ frame: PlotFrame, into svg: inout SVGWriter) {
        for (suffix, pad) in [("-clip", 0.0), ("-clip-padded", PlotStyle.lineWidth)] {
            svg.open("clipPath", [("id", frame.id + suffix)])
            svg.element("rect", [("x", svgNumber(frame.left - pad)), ("y", svgNumber(frame.top - pad)),
                                 ("width", svgNumber(frame.width + 2 * pad)), ("height", svgNumber(frame.height + 2 * pad))])
            svg.close()
        }
    }

    /// Grid lines at every tick, drawn under the data.
    static func drawGrid(_ frame: PlotFrame, into svg: inout SVGWriter) {
        var d = ""
        for tick in frame.xAxis.ticks {
            let x = frame.px(tick)
            d += "M\(svgNumber(x)) \(svgNumber(frame.top))V\(svgNumber(frame.bottom))"
        }
        for tick in frame.yAxis.ticks {
            let y = frame.py(tick)
            d += "M\(svgNumber(frame.left)) \(svgNumber(y))H\(svgNumber(frame.right))"
        }
        guard !d.isEmpty else { return }
        svg.element("path", [("class", "grid"), ("d", d), ("fill", "none"), ("stroke", PlotStyle.gridColor), ("stroke-width", "1")])
    }

    /// The axes' frame, tick marks, tick labels, axis labels and title, drawn over the data.
    static func drawAxes(_ frame: PlotFrame, text: PanelText, cellX: Double, cellY: Double, cellWidth: Double, into svg: inout SVGWriter) {
        svg.element("rect", [("class", "axes"), ("x", svgNumber(frame.left)), ("y", svgNumber(frame.top)), ("width", svgNumber(frame.width)),
                             ("height", svgNumber(frame.height)), ("fill", "none"), ("stroke", PlotStyle.axisColor), ("stroke-width", "1")])
        var marks = ""
        for tick in frame.xAxis.ticks {
            marks += "M\(svgNumber(frame.px(tick))) \(svgNumber(frame.bottom))v\(svgNumber(tickLength))"
        }
        for tick in frame.yAxis.ticks {
            marks += "M\(svgNumber(frame.left)) \(svgNumber(frame.py(tick)))h\(svgNumber(-tickLength))"
        }
        if !marks.isEmpty {
            svg.element("path", [("class", "ticks"), ("d", marks), ("stroke", PlotStyle.axisColor), ("stroke-width", "1")])
        }
        svg.open("g", [("class", "tick-labels"), ("fill", PlotStyle.textColor)])
        let labelY = frame.bottom + tickLength + PlotStyle.fontSize + 2
        for (tick, label) in zip(frame.xAxis.ticks, frame.xAxis.labels) {
            svg.element("text", [("x", svgNumber(frame.px(tick))), ("y", svgNumber(labelY)), ("text-anchor", "middle")], text: label)
        }
        for (tick, label) in zip(frame.yAxis.ticks, frame.yAxis.labels) {
            svg.element("text", [("x", svgNumber(frame.left - tickLength - 3)), ("y", svgNumber(frame.py(tick) + PlotStyle.fontSize * 0.35)),
                                 ("text-anchor", "end")], text: label)
        }
        svg.close()
        if !text.xLabel.isEmpty {
            svg.element("text", [("class", "x-label"), ("x", svgNumber(frame.left + frame.width / 2)),
                                 ("y", svgNumber(labelY + axisLabelHeight)), ("text-anchor", "middle"), ("fill", PlotStyle.textColor)],
                        text: text.xLabel)
        }
        if !text.yLabel.isEmpty {
            let x = cellX + padding + PlotStyle.fontSize
            let y = frame.top + frame.height / 2
            svg.element("text", [("class", "y-label"), ("x", svgNumber(x)), ("y", svgNumber(y)), ("text-anchor", "middle"),
                                 ("transform", "rotate(-90 \(svgNumber(x)) \(svgNumber(y)))"), ("fill", PlotStyle.textColor)],
                        text: text.yLabel)
        }
        if !text.title.isEmpty {
            svg.element("text", [("class", "title"), ("x", svgNumber(frame.left + frame.width / 2)), ("y", svgNumber(cellY + titleHeight - 10)),
                                 ("text-anchor", "middle"), ("font-size", svgNumber(PlotStyle.titleFontSize)), ("font-weight", "bold"),
                                 ("fill", PlotStyle.textColor)], text: text.title)
        }
    }

    /// A grey note in the middle of the plot area, e.g. "no data".
    static func drawNote(_ note: String, in frame: PlotFrame, into svg: inout SVGWriter) {
        svg.element("text", [("class", "note"), ("x", svgNumber(frame.left + frame.width / 2)), ("y", svgNumber(frame.top + frame.height / 2)),
                             ("text-anchor", "middle"), ("fill", "#888888")], text: note)
    }
}
