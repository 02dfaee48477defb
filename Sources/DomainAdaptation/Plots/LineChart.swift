/// A named curve of a line chart: y against x, solid or dashed.
///
/// Points with a non-finite coordinate (NaN, ±∞) are gaps: the line stops before them and
/// starts again after them, and a finite point with no finite neighbour is drawn as a dot.
public struct LineSeries: Sendable {
    /// The legend name; an empty name keeps the series out of the legend.
    public var name: String
    /// The x coordinates, one per point.
    public var xs: [Double]
    /// The y coordinates, one per point.
    public var ys: [Double]
    /// Whether the line is dashed (e.g. test curves next to solid training curves).
    public var dashed: Bool
    /// The colour; `nil` takes the palette colour of the series' position in its chart.
    public var color: PlotColor?

    /// Creates a series from matching x and y coordinates.
    ///
    /// - Precondition: `xs` and `ys` have the same count.
    public init(name: String, xs: [Double], ys: [Double], dashed: Bool = false, color: PlotColor? = nil) {
        checkPrecondition(xs.count == ys.count, "LineSeries \"\(name)\": \(xs.count) x values but \(ys.count) y values")
        self.name = name
        self.xs = xs
        self.ys = ys
        self.dashed = dashed
        self.color = color
    }

    /// Creates a series whose x coordinates are 1, 2, 3, … (epochs, say).
    public init(name: String, ys: [Double], dashed: Bool = false, color: PlotColor? = nil) {
        self.init(name: name, xs: ys.indices.map { Double($0 + 1) }, ys: ys, dashed: dashed, color: color)
    }
}

/// A line chart: several series on shared axes, with grid, ticks, labels and a legend.
///
/// The x axis spans the data exactly; the y axis spans `yRange` if given, or else the data
/// widened to the nearest ticks. Lines leaving a fixed `yRange` are clipped at the axes.
public struct LineChart: Sendable {
    /// The title above the plot.
    public var title: String
    /// The x axis label.
    public var xLabel: String
    /// The y axis label.
    public var yLabel: String
    /// The curves, drawn in order (later ones on top).
    public var series: [LineSeries]
    /// A fixed y range, e.g. `0...1` for accuracies; `nil` fits the data.
    public var yRange: ClosedRange<Double>?

    /// Creates a line chart.
    public init(title: String = "", xLabel: String = "", yLabel: String = "", series: [LineSeries], yRange: ClosedRange<Double>? = nil) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.yRange = yRange
    }

    /// The chart as a standalone SVG document (with its legend below it).
    public func svg(width: Double = 480, height: Double = 360) -> String {
        Figure(panels: [.line(self)], panelWidth: width, panelHeight: height).svg()
    }
}

extension LineChart: PanelContent {
    var text: PanelText { PanelText(title: title, xLabel: xLabel, yLabel: yLabel) }

    func axes() -> (x: PlotAxis, y: PlotAxis) {
        let xs = series.flatMap { s in zip(s.xs, s.ys).filter { $0.0.isFinite && $0.1.isFinite }.map(\.0) }
        let ys = series.flatMap { s in zip(s.xs, s.ys).filter { $0.0.isFinite && $0.1.isFinite }.map(\.1) }
        let x = PlotAxis.fixed(PlotAxis.range(of: xs) ?? (0, 1))
        let y = yRange.map { PlotAxis.fixed($0.lowerBound, $0.upperBound) } ?? PlotAxis.extendedToTicks(ys)
        return (x, y)
    }

    func legendEntries() -> [LegendEntry] {
        series.enumerated().map { index, s in
            LegendEntry(name: s.name, symbol: .line(s.color ?? .automatic(index), dashed: s.dashed))
        }
    }

    func drawData(in frame: PlotFrame, into svg: inout SVGWriter) {
        var drewSomething = false
        svg.open("g", [("class", "lines"), ("clip-path", frame.paddedClipReference), ("fill", "none"),
                       ("stroke-width", svgNumber(PlotStyle.lineWidth)), ("stroke-linejoin", "round"), ("stroke-linecap", "round")])
        for (index, s) in series.enumerated() {
            let color = (s.color ?? .automatic(index)).hex
            let (path, dots) = Self.polyline(s, frame: frame)
            if !path.isEmpty {
                var attributes: [SVGWriter.Attribute] = [("class", "series"), ("d", path), ("stroke", color)]
                if s.dashed { attributes.append(("stroke-dasharray", PlotStyle.dashPattern)) }
                svg.element("path", attributes)
                drewSomething = true
            }
            for (x, y) in dots {
                svg.element("circle", [("class", "point"), ("cx", svgNumber(x)), ("cy", svgNumber(y)), ("r", svgNumber(PlotStyle.lineWidth * 1.5)),
                                       ("fill", color), ("stroke", "none")])
                drewSomething = true
            }
        }
        svg.close()
        if !drewSomething { PanelChrome.drawNote("no data", in: frame, into: &svg) }
    }

    /// The series as path data, one subpath per run of finite points, and the pixel
    /// positions of runs that are a single point.
    static func polyline(_ series: LineSeries, frame: PlotFrame) -> (path: String, dots: [(Double, Double)]) {
        var path = ""
        var dots: [(Double, Double)] = []
        var run: [(Double, Double)] = []
        func flush() {
            if run.count == 1 {
                dots.append(run[0])
            } else if run.count > 1 {
                path += "M\(svgNumber(run[0].0)) \(svgNumber(run[0].1))"
                for point in run.dropFirst() { path += "L\(svgNumber(point.0)) \(svgNumber(point.1))" }
            }
            run.removeAll(keepingCapacity: true)
        }
        for (x, y) in zip(series.xs, series.ys) {
            if x.isFinite && y.isFinite {
                run.append((frame.px(x), frame.py(y)))
            } else {
                flush()
            }
        }
        flush()
        return (path, dots)
    }
}
