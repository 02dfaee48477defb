/// What a chart type provides to be laid out as a panel of a figure.
protocol PanelContent {
    var text: PanelText { get }
    /// The axes, with their ranges and ticks.
    func axes() -> (x: PlotAxis, y: PlotAxis)
    /// The chart's legend entries, merged into the figure's legend.
    func legendEntries() -> [LegendEntry]
    /// Draws the data inside `frame`, after the grid and before the axes.
    func drawData(in frame: PlotFrame, into svg: inout SVGWriter)
}

/// One panel of a figure.
public enum PlotPanel: Sendable {
    /// A line chart.
    case line(LineChart)
    /// A scatter plot, possibly over a decision map.
    case scatter(ScatterPlot)

    var content: any PanelContent {
        switch self {
        case .line(let chart): chart
        case .scatter(let plot): plot
        }
    }
}

/// Several panels in a grid, left to right and then top to bottom, under an optional title
/// and over one shared legend, as a single SVG document.
///
/// The legend lists each (name, symbol) pair once, in order of first appearance, so two
/// panels that show the same series (say "source class 0" for the source-only model and for
/// DANN) share one entry.
public struct Figure: Sendable {
    /// The title above all panels; empty for none.
    public var title: String
    /// The panels.
    public var panels: [PlotPanel]
    /// How many panels go in a row; `nil` puts them all side by side.
    public var columns: Int?
    /// The width of each panel in pixels.
    public var panelWidth: Double
    /// The height of each panel in pixels, legend not included.
    public var panelHeight: Double

    /// Creates a figure.
    public init(title: String = "", panels: [PlotPanel], columns: Int? = nil, panelWidth: Double = 440, panelHeight: Double = 360) {
        checkPrecondition(columns.map { $0 >= 1 } ?? true, "Figure: columns must be at least 1, got \(columns ?? 0)")
        checkPrecondition(panelWidth > 0 && panelHeight > 0, "Figure: panel size must be positive, got \(panelWidth) × \(panelHeight)")
        self.title = title
        self.panels = panels
        self.columns = columns
        self.panelWidth = panelWidth
        self.panelHeight = panelHeight
    }

    static let titleHeight = 34.0
    static let margin = 8.0

    /// The figure as an SVG document.
    public func svg() -> String {
        let contents = panels.map(\.content)
        let columnCount = Swift.max(1, Swift.min(columns ?? contents.count, Swift.max(contents.count, 1)))
        let rowCount = Swift.max(1, (contents.count + columnCount - 1) / columnCount)
        let width = Double(columnCount) * panelWidth
        let top = title.isEmpty ? 0 : Self.titleHeight
        let entries = Legend.merged(contents.map { $0.legendEntries() })
        let legendHeight = Legend.height(entries, width: width - 2 * Self.margin)
        let height = top + Double(rowCount) * panelHeight + legendHeight

        var svg = SVGWriter(width: width, height: height)
        svg.element("rect", [("class", "background"), ("width", svgNumber(width)), ("height", svgNumber(height)), ("fill", "#FFFFFF")])
        if !title.isEmpty {
            svg.element("text", [("class", "figure-title"), ("x", svgNumber(width / 2)), ("y", svgNumber(Self.titleHeight - 10)),
                                 ("text-anchor", "middle"), ("font-size", "16"), ("font-weight", "bold"), ("fill", PlotStyle.textColor)],
                        text: title)
        }
        var frames: [PlotFrame] = []
        for (index, content) in contents.enumerated() {
            let (xAxis, yAxis) = content.axes()
            frames.append(PanelChrome.frame(
                cellX: Double(index % columnCount) * panelWidth, cellY: top + Double(index / columnCount) * panelHeight,
                cellWidth: panelWidth, cellHeight: panelHeight, text: content.text, xAxis: xAxis, yAxis: yAxis, id: "panel\(index)"))
        }
        if !frames.isEmpty {
            svg.open("defs")
            for frame in frames { PanelChrome.defineClip(frame, into: &svg) }
            svg.close()
        }
        for (index, (content, frame)) in zip(contents, frames).enumerated() {
            svg.open("g", [("class", "panel"), ("id", frame.id)])
            PanelChrome.drawGrid(frame, into: &svg)
            content.drawData(in: frame, into: &svg)
            PanelChrome.drawAxes(frame, text: content.text, cellX: Double(index % columnCount) * panelWidth,
                                 cellY: top + Double(index / columnCount) * panelHeight, cellWidth: panelWidth, into: &svg)
            svg.close()
        }
        Legend.draw(entries, top: top + Double(rowCount) * panelHeight, width: width, margin: Self.margin, into: &svg)
        return svg.document()
    }
}
