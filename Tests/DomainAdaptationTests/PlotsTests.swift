import Foundation
import Testing
@testable import DomainAdaptation

@Suite struct SVGFormattingTests {
    @Test(arguments: [
        (3.0, "3"), (-0.001, "0"), (2.5, "2.5"), (12.3456, "12.35"), (-7.125, "-7.13"), (100, "100"),
        (0.1 + 0.2, "0.3"), (-0.0, "0"), (Double.nan, "0"), (Double.infinity, "0"),
    ])
    func numbersAreCompact(value: Double, expected: String) {
        #expect(SVGFormat.number(value) == expected)
    }

    @Test func textIsEscaped() {
        #expect(SVGFormat.escape(#"a<b & "c" 'd'>"#) == "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;")
        // Control characters XML 1.0 forbids are dropped; other Unicode is kept.
        #expect(SVGFormat.escape("bell\u{07}x\u{0}") == "bellx")
        #expect(SVGFormat.escape("λ = 0.5, x₁ é") == "λ = 0.5, x₁ é")
    }
}

@Suite struct PlotAxisTests {
    /// Expected ticks worked out by hand: the smallest step 1, 2 or 5 × 10ᵏ whose multiples
    /// inside the range number at most six.
    @Test(arguments: [
        (0.0, 1.0, [0, 0.2, 0.4, 0.6, 0.8, 1.0], ["0", "0.2", "0.4", "0.6", "0.8", "1"]),
        (0.0, 10.0, [0, 2, 4, 6, 8, 10], ["0", "2", "4", "6", "8", "10"]),
        (1.0, 60.0, [10, 20, 30, 40, 50, 60], ["10", "20", "30", "40", "50", "60"]),
        (-1.5, 2.5, [-1, 0, 1, 2], ["\u{2212}1", "0", "1", "2"]),
        (0.0013, 0.0041, [0.0015, 0.002, 0.0025, 0.003, 0.0035, 0.004], ["0.0015", "0.002", "0.0025", "0.003", "0.0035", "0.004"]),
        (-250.0, 1250.0, [0, 500, 1000], ["0", "500", "1000"]),
        (0.0, 3e-8, [0, 1e-8, 2e-8, 3e-8], ["0", "1e-8", "2e-8", "3e-8"]),
        (0.0, 2.5e7, [0, 5e6, 1e7, 1.5e7, 2e7, 2.5e7], ["0", "5e6", "1e7", "1.5e7", "2e7", "2.5e7"]),
    ])
    func niceTicksForKnownRanges(lower: Double, upper: Double, ticks: [Double], labels: [String]) {
        let axis = PlotAxis.fixed(lower, upper)
        #expect(axis.ticks == ticks)
        #expect(axis.labels == labels)
        #expect(axis.lower == lower && axis.upper == upper)
    }

    /// Data 0.13…0.87: ticks inside at most five gives step 0.2 (0.2, 0.4, 0.6, 0.8), and the
    /// ends move out to the multiples 0 and 1.
    @Test func dataRangeExtendsToTicks() {
        let axis = PlotAxis.extendedToTicks([0.5, .nan, 0.13, 0.87, .infinity])
        #expect(axis.lower == 0 && axis.upper == 1)
        #expect(axis.ticks == [0, 0.2, 0.4, 0.6, 0.8, 1])
    }

    /// A single value 0.7 is opened to ±10 %: 0.63…0.77; no data at all gives 0…1.
    @Test func degenerateRangesAreWidened() {
        let single = PlotAxis.widened(0.7, 0.7)
        #expect(Swift.abs(single.0 - 0.63) < 1e-12 && Swift.abs(single.1 - 0.77) < 1e-12)
        #expect(PlotAxis.widened(0, 0) == (-0.5, 0.5))
        let empty = PlotAxis.extendedToTicks([])
        #expect(empty.lower == 0 && empty.upper == 1)
    }
}

@Suite struct LineChartTests {
    let chart = LineChart(title: #"Loss <train> & "test""#, xLabel: "epoch", yLabel: "loss", series: [
        LineSeries(name: "train", ys: [0.9, 0.5, 0.3, 0.2]),
        LineSeries(name: "test", ys: [1, 0.6, .nan, 0.4, 0.35], dashed: true),
        LineSeries(name: "one point", xs: [2], ys: [0.7]),
    ])

    @Test func isWellFormedWithOneElementPerSeries() throws {
        let svg = chart.svg()
        let root = try #require(parseSVG(svg))
        #expect(root.name == "svg")
        let lines = root.all("path", class: "series")
        #expect(lines.count == 2)   // the one-point series has no line…
        #expect(root.all("circle", class: "point").count == 1)   // …but a dot
        #expect(lines.filter { $0.attributes["stroke-dasharray"] != nil }.count == 1)
        // The NaN splits the test curve into two pieces: points 1–2 and 4–5.
        let dashed = try #require(lines.first { $0.attributes["stroke-dasharray"] != nil })
        #expect(dashed.attributes["d"]?.filter { $0 == "M" }.count == 2)
        #expect(dashed.attributes["d"]?.filter { $0 == "L" }.count == 2)
        #expect(!svg.lowercased().contains("nan") && !svg.contains("inf"))
    }

    @Test func hasTitleLabelsAndLegend() throws {
        let svg = chart.svg()
        let root = try #require(parseSVG(svg))
        #expect(root.one("text", class: "title")?.text == #"Loss <train> & "test""#)
        #expect(svg.contains("Loss &lt;train&gt; &amp; &quot;test&quot;"))
        #expect(root.one("text", class: "x-label")?.text == "epoch")
        #expect(root.one("text", class: "y-label")?.text == "loss")
        let legend = try #require(root.one("g", class: "legend"))
        #expect(legend.all("g", class: "legend-entry").count == 3)
        #expect(legend.all("text").map(\.text) == ["train", "test", "one point"])
    }

    /// x runs over 1…5 (the epochs of the longest series), so its ticks are 1, 2, …, 5.
    /// y data span 0.2…1: with at most five ticks inside, steps 0.01…0.1 give too many and
    /// 0.2 gives 0.2, 0.4, …, 1; both ends are already multiples of 0.2, so nothing moves.
    @Test func ticksFollowTheData() throws {
        let root = try #require(parseSVG(chart.svg()))
        let labels = try #require(root.one("g", class: "tick-labels")).all("text").map(\.text)
        #expect(labels == ["1", "2", "3", "4", "5", "0.2", "0.4", "0.6", "0.8", "1"])
    }

    @Test func fixedRangeClipsButKeepsTicks() throws {
        let accuracy = LineChart(series: [LineSeries(name: "acc", ys: [0.5, 1.4, -2])], yRange: 0...1)
        let root = try #require(parseSVG(accuracy.svg()))
        let labels = try #require(root.one("g", class: "tick-labels")).all("text").map(\.text)
        #expect(labels.suffix(6) == ["0", "0.2", "0.4", "0.6", "0.8", "1"])
        #expect(root.one("g", class: "lines")?.attributes["clip-path"] != nil)
    }

    @Test func emptyAndAllNaNSeriesSayNoData() throws {
        let empty = LineChart(title: "nothing yet", series: [LineSeries(name: "a", ys: []), LineSeries(name: "b", ys: [.nan, .nan])])
        let svg = empty.svg()
        let root = try #require(parseSVG(svg))
        #expect(root.all("path", class: "series").isEmpty && root.all("circle", class: "point").isEmpty)
        #expect(root.one("text", class: "note")?.text == "no data")
        #expect(root.all("g", class: "legend-entry").count == 2)
        #expect(!svg.lowercased().contains("nan"))
        #expect(LineChart(series: []).svg().contains("no data"))
    }

    @Test func outputIsDeterministic() {
        #expect(chart.svg() == chart.svg())
    }
}

@Suite struct ScatterPlotTests {
    let series = [ScatterSeries(name: "source class 0", marker: .circle, color: .blue),
                  ScatterSeries(name: "source class 1", marker: .circle, color: .vermillion),
                  ScatterSeries(name: "target class 0", marker: .triangle, color: .blue),
                  ScatterSeries(name: "target class 1", marker: .cross, color: .vermillion)]

    func points(_ counts: [Int]) -> [ScatterPoint] {
        counts.enumerated().flatMap { s, count in (0..<count).map { ScatterPoint(x: Double($0), y: Double(s), series: s) } }
    }

    @Test func drawsOneMarkerPerFinitePoint() throws {
        let plot = ScatterPlot(title: "features", series: series,
                               points: points([3, 2, 4, 1]) + [ScatterPoint(x: .nan, y: 1, series: 0)])
        let root = try #require(parseSVG(plot.svg()))
        let groups = root.all("g", class: "series")
        #expect(groups.map { $0.attributes["data-series"] } == ["0", "1", "2", "3"])
        #expect(groups[0].all("circle").count == 3)   // the NaN point is skipped
        #expect(groups[1].all("circle").count == 2)
        #expect(groups[2].all("path").count == 4)     // triangles
        #expect(groups[3].all("path").count == 1)     // crosses
        #expect(groups[2].attributes["fill"] == "#0072B2" && groups[3].attributes["stroke"] == "#D55E00")
        #expect(root.all("path", class: "contour").isEmpty)
        #expect(root.all("g", class: "legend-entry").count == 4)
    }

    /// A 2 × 2 map over 0…1 × 0…1 whose bottom row is 0 and top row 1: each row is one
    /// merged cell, light blue (white 32 % of the way to #0072B2 = #ADD2E6) below and light
    /// vermillion (#F2CBAD) above, and the 0.5 line runs between the cell centres
    /// (x = 0.25 and 0.75) at y = 0.5.
    @Test func decisionMapCellsAndContour() throws {
        let map = DecisionMap(xRange: 0...1, yRange: 0...1, columns: 2, rows: 2, values: [0, 0, 1, 1])
        let plot = ScatterPlot(series: series, points: points([1, 1, 1, 1]), decisionMap: map)
        let root = try #require(parseSVG(plot.svg()))
        let cells = try #require(root.one("g", class: "decision-map")).all("rect")
        #expect(cells.map { $0.attributes["fill"] } == ["#ADD2E6", "#F2CBAD"])
        let axes = try #require(root.one("rect", class: "axes"))
        let (left, top) = (try #require(axes.number("x")), try #require(axes.number("y")))
        let (width, height) = (try #require(axes.number("width")), try #require(axes.number("height")))
        #expect(Swift.abs(try #require(cells[0].number("width")) - width) < 0.02)
        let d = try #require(root.one("path", class: "contour")?.attributes["d"])
        let numbers = d.split(whereSeparator: { "ML ".contains($0) }).compactMap { Double($0) }
        #expect(d.filter { $0 == "M" }.count == 1 && numbers.count == 4)
        let expected = [left + 0.25 * width, top + 0.5 * height, left + 0.75 * width, top + 0.5 * height]
        #expect(zip(numbers.sorted(), expected.sorted()).allSatisfy { Swift.abs($0 - $1) < 0.02 })
        #expect(root.all("g", class: "legend-entry").count == 5)   // four series and the boundary
    }

    @Test func cellCentersRunBottomRowFirst() {
        let centers = DecisionMap.cellCenters(xRange: 0...4, yRange: -1...1, columns: 2, rows: 2)
        #expect(centers.map(\.x) == [1, 3, 1, 3])
        #expect(centers.map(\.y) == [-0.5, -0.5, 0.5, 0.5])
        let map = DecisionMap(xRange: 0...4, yRange: -1...1, columns: 2, rows: 2) { x, y in x + 10 * y }
        #expect(map.values == [-4, -2, 6, 8])
    }
}

@Suite struct MarchingSquaresTests {
    func sorted(_ points: [ContourLine.Point]) -> [ContourLine.Point] {
        points.sorted { ($0.x, $0.y) < ($1.x, $1.y) }
    }

    /// A single 1 among 0s in a 3 × 3 grid: the 0.5 line is a closed diamond through the
    /// midpoints between the centre and its four neighbours.
    @Test func isolatedPeakGivesAClosedDiamond() {
        let lines = MarchingSquares.contour(values: [0, 0, 0, 0, 1, 0, 0, 0, 0], columns: 3, rows: 3, level: 0.5)
        #expect(lines.count == 1)
        #expect(lines.first?.closed == true)
        let expected = [(0.5, 1.0), (1.0, 0.5), (1.0, 1.5), (1.5, 1.0)].map { ContourLine.Point(x: $0.0, y: $0.1) }
        #expect(sorted(lines.first?.points ?? []) == expected)
    }

    /// Saddles: inside corners on one diagonal. With corners 1, 0 / 0, 1 the mean 0.5 is
    /// inside, so the outside corners are cut off; with 0.9, 0 / 0, 0.9 the mean 0.45 is
    /// outside, so the inside corners are, at t = 0.4/0.9 and 0.5/0.9 along the edges.
    @Test func saddlesFollowTheCentreValue() {
        let joined = MarchingSquares.contour(values: [1, 0, 0, 1], columns: 2, rows: 2, level: 0.5)
        #expect(joined.count == 2 && joined.allSatisfy { !$0.closed && $0.points.count == 2 })
        #expect(Set(joined.map { sorted($0.points).map { "\($0.x),\($0.y)" } }) ==
                [["0.5,0.0", "1.0,0.5"], ["0.0,0.5", "0.5,1.0"]])
        let split = MarchingSquares.contour(values: [0.9, 0, 0, 0.9], columns: 2, rows: 2, level: 0.5)
        let near = 0.4 / 0.9, far = 0.5 / 0.9
        let pieces = split.map { sorted($0.points) }
        let expected = [[ContourLine.Point(x: 0, y: near), ContourLine.Point(x: near, y: 0)],
                        [ContourLine.Point(x: far, y: 1), ContourLine.Point(x: 1, y: far)]]
        #expect(pieces.count == 2)
        for piece in expected {
            #expect(pieces.contains { zip($0, piece).allSatisfy { Swift.abs($0.x - $1.x) < 1e-12 && Swift.abs($0.y - $1.y) < 1e-12 } })
        }
    }

    @Test func nonFiniteSquaresAreSkipped() {
        #expect(MarchingSquares.contour(values: [0, .nan, 1, 1], columns: 2, rows: 2, level: 0.5).isEmpty)
    }
}

@Suite struct FigureTests {
    func moons(_ title: String, boundary: Double) -> ScatterPlot {
        let map = DecisionMap(xRange: -1...1, yRange: -1...1, columns: 10, rows: 10) { _, y in y > boundary ? 1 : 0 }
        return ScatterPlot(title: title, series: [ScatterSeries(name: "source", marker: .circle), ScatterSeries(name: "target", marker: .triangle)],
                           points: [ScatterPoint(x: 0, y: 0, series: 0), ScatterPoint(x: 0.5, y: 0.5, series: 1)], decisionMap: map)
    }

    @Test func panelsSitSideBySideAndShareALegend() throws {
        let figure = Figure(title: "Two moons", panels: [.scatter(moons("source-only", boundary: 0)), .scatter(moons("DANN", boundary: 0.3))],
                            panelWidth: 400, panelHeight: 300)
        let root = try #require(parseSVG(figure.svg()))
        #expect(root.number("width") == 800)
        #expect(root.one("text", class: "figure-title")?.text == "Two moons")
        #expect(root.all("text", class: "title").map(\.text) == ["source-only", "DANN"])
        #expect(root.all("g", class: "panel").count == 2)
        // Each panel has its own clip paths, with ids unique in the document.
        let ids = root.all("clipPath").compactMap { $0.attributes["id"] }
        #expect(ids.count == 4 && Set(ids).count == 4)
        // Both panels show "source", "target" and a boundary: three legend entries, not six.
        let legend = try #require(root.one("g", class: "legend"))
        #expect(legend.all("text").map(\.text) == ["source", "target", "decision boundary (p = 0.5)"])
        // The second panel lies in the right half.
        let axes = root.all("rect", class: "axes")
        #expect(axes.count == 2 && (axes[1].number("x") ?? 0) > 400)
    }

    @Test func panelsWrapIntoRows() throws {
        let chart = LineChart(series: [LineSeries(name: "λ", ys: [0, 0.5, 0.8])])
        let figure = Figure(panels: [.line(chart), .line(chart), .line(chart)], columns: 2, panelWidth: 300, panelHeight: 200)
        let root = try #require(parseSVG(figure.svg()))
        #expect(root.number("width") == 600)
        // Two rows of 200 pixels and one legend row (20 + 10).
        #expect(root.number("height") == 430)
        let axes = root.all("rect", class: "axes")
        #expect(axes.count == 3 && (axes[2].number("y") ?? 0) > 200 && (axes[2].number("x") ?? 999) < 300)
        #expect(root.all("g", class: "legend-entry").count == 1)
    }
}
