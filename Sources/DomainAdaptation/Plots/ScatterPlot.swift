/// A group of scatter points drawn alike: one legend entry, one marker shape, one colour.
///
/// For domain adaptation the convention is one series per (domain, class): circles for the
/// source domain, triangles or crosses for the target, and the colour for the class, so
/// "source class 0" and "target class 0" share a colour and differ in shape.
public struct ScatterSeries: Sendable {
    /// The legend name; an empty name keeps the series out of the legend.
    public var name: String
    /// The marker drawn for each point.
    public var marker: MarkerShape
    /// The colour; `nil` takes the palette colour of the series' position in its plot.
    public var color: PlotColor?

    /// Creates a series description.
    public init(name: String, marker: MarkerShape = .circle, color: PlotColor? = nil) {
        self.name = name
        self.marker = marker
        self.color = color
    }
}

/// One point of a scatter plot, and the index of the series it belongs to.
public struct ScatterPoint: Sendable {
    /// The x coordinate.
    public var x: Double
    /// The y coordinate.
    public var y: Double
    /// The index of the point's series in `ScatterPlot.series`.
    public var series: Int

    /// Creates a point.
    public init(x: Double, y: Double, series: Int) {
        self.x = x
        self.y = y
        self.series = series
    }
}

/// A scatter plot of points in several series, optionally over a decision map.
///
/// Without a map the axes span the points plus 5 % on each side; with a map they span the
/// map's ranges exactly, and points outside them are clipped. Points with a non-finite
/// coordinate are skipped. Series are drawn in order, so later series lie on top.
public struct ScatterPlot: Sendable {
    /// The title above the plot.
    public var title: String
    /// The x axis label.
    public var xLabel: String
    /// The y axis label.
    public var yLabel: String
    /// How each series is drawn; points refer to them by index.
    public var series: [ScatterSeries]
    /// The points.
    public var points: [ScatterPoint]
    /// A classifier's probability of class 1 over the plane, drawn under the points.
    public var decisionMap: DecisionMap?

    /// Creates a scatter plot.
    ///
    /// - Precondition: every point's `series` is an index into `series`.
    public init(title: String = "", xLabel: String = "", yLabel: String = "", series: [ScatterSeries],
                points: [ScatterPoint], decisionMap: DecisionMap? = nil) {
        for point in points {
            checkPrecondition(series.indices.contains(point.series),
                         "ScatterPlot: a point refers to series \(point.series), but there are \(series.count) series")
        }
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.points = points
        self.decisionMap = decisionMap
    }

    /// The plot as a standalone SVG document (with its legend below it).
    public func svg(width: Double = 440, height: Double = 400) -> String {
        Figure(panels: [.scatter(self)], panelWidth: width, panelHeight: height).svg()
    }
}

extension ScatterPlot: PanelContent {
    var text: PanelText { PanelText(title: title, xLabel: xLabel, yLabel: yLabel) }

    func axes() -> (x: PlotAxis, y: PlotAxis) {
        if let map = decisionMap {
            return (PlotAxis.fixed(map.xRange.lowerBound, map.xRange.upperBound),
                    PlotAxis.fixed(map.yRange.lowerBound, map.yRange.upperBound))
        }
        let finite = points.filter { $0.x.isFinite && $0.y.isFinite }
        return (PlotAxis.padded(finite.map(\.x), padding: 0.05), PlotAxis.padded(finite.map(\.y), padding: 0.05))
    }

    func legendEntries() -> [LegendEntry] {
        var entries = series.enumerated().map { index, s in
            LegendEntry(name: s.name, symbol: .marker(s.marker, s.color ?? .automatic(index)))
        }
        if let map = decisionMap, !map.contour().isEmpty {
            entries.append(LegendEntry(name: "decision boundary (p = 0.5)", symbol: .contour))
        }
        return entries
    }

    func drawData(in frame: PlotFrame, into svg: inout SVGWriter) {
        if let map = decisionMap {
            map.draw(in: frame, into: &svg)
        }
        var byseries = Array(repeating: [ScatterPoint](), count: series.count)
        for point in points where point.x.isFinite && point.y.isFinite {
            byseries[point.series].append(point)
        }
        svg.open("g", [("class", "points"), ("clip-path", frame.clipReference)])
        for (index, s) in series.enumerated() where !byseries[index].isEmpty {
            svg.open("g", [("class", "series"), ("data-series", String(index))] + Marker.groupAttributes(s.marker, s.color ?? .automatic(index)))
            for point in byseries[index] {
                Marker.draw(s.marker, x: frame.px(point.x), y: frame.py(point.y), into: &svg)
            }
            svg.close()
        }
        svg.close()
        if byseries.allSatisfy(\.isEmpty) && decisionMap == nil {
            PanelChrome.drawNote("no data", in: frame, into: &svg)
        }
    }
}
