import Foundation

/// The SVG plots of a finished run.
///
/// - `curves.svg`: label and domain loss, source and target accuracy and domain-classifier
///   accuracy per epoch, for every model (source-only dashed).
/// - `schedule.svg`: λ_p and the learning rate μ_p over the epochs.
/// - `boundary.svg` (data with 2 features): each model's probability of class 1 over the
///   plane, its 0.5 contour, and the source (circles) and target (triangles) test points.
/// - `features.svg` (other data): each model's learned features of the test points,
///   projected on their first two principal components, coloured by domain.
enum DANNPlots {
    /// At most this many test points per domain are drawn in a scatter plot.
    static let pointsPerDomain = 400

    /// Writes the plots into the experiment's directory and returns their file names.
    static func write(for experiment: DANNExperiment) throws(DANNError) -> [String] {
        var files: [(String, String)] = [
            ("curves.svg", curves(experiment.trainers).svg()),
            ("schedule.svg", schedule(experiment.description.configuration, stepsPerEpoch: experiment.trainers[0].stepsPerEpoch).svg()),
        ]
        if experiment.data.featureCount == 2 {
            files.append(("boundary.svg", boundaries(experiment.trainers, data: experiment.data).svg()))
        } else {
            files.append(("features.svg", featureProjections(experiment.trainers, data: experiment.data).svg()))
        }
        for (name, text) in files {
            try writeAtomically(Data(text.utf8), to: experiment.directory.appendingPathComponent(name))
        }
        return files.map(\.0)
    }

    /// Losses and accuracies per epoch, one line per model and figure.
    static func curves(_ trainers: [DANNTrainer]) -> Figure {
        var losses = [LineSeries](), accuracies = [LineSeries](), domain = [LineSeries]()
        for trainer in trainers {
            let history = trainer.history, label = trainer.mode.name, dashed = trainer.mode == .sourceOnly
            let epochs = history.map { Double($0.epoch) }
            losses.append(LineSeries(name: "\(label) label loss", xs: epochs, ys: history.map(\.labelLoss), dashed: dashed, color: .blue))
            losses.append(LineSeries(name: "\(label) domain loss", xs: epochs, ys: history.map(\.domainLoss), dashed: dashed, color: .vermillion))
            accuracies.append(LineSeries(
                name: "\(label) source", xs: epochs, ys: history.map(\.evaluation.sourceAccuracy), dashed: dashed, color: .blue))
            if trainer.data.targetTest.labels != nil {
                accuracies.append(LineSeries(
                    name: "\(label) target", xs: epochs, ys: history.map { $0.evaluation.targetAccuracy ?? .nan }, dashed: dashed,
                    color: .green))
            }
            domain.append(LineSeries(
                name: "\(label) domain classifier", xs: epochs, ys: history.map(\.evaluation.domainAccuracy), dashed: dashed,
                color: .purple))
        }
        return Figure(
            title: "Training (source-only dashed)",
            panels: [
                .line(LineChart(title: "Losses (training batches)", xLabel: "epoch", yLabel: "cross-entropy", series: losses)),
                .line(LineChart(title: "Label accuracy (test sets)", xLabel: "epoch", yLabel: "accuracy", series: accuracies, yRange: 0...1)),
                .line(LineChart(title: "Domain classifier (balanced, test sets)", xLabel: "epoch", yLabel: "accuracy", series: domain, yRange: 0...1)),
            ])
    }

    /// λ_p and μ_p against the epoch, sampled finely.
    static func schedule(_ configuration: DANNConfiguration, stepsPerEpoch: Int) -> Figure {
        let samples = 200
        let progress = (0...samples).map { Double($0) / Double(samples) }
        let epochs = progress.map { $0 * Double(configuration.epochs) }
        // A run of `samples` steps: step k is at progress k / samples.
        let rates = configuration.learningRateSchedule(totalSteps: samples)
        return Figure(
            title: "Schedules (p = training progress)",
            panels: [
                .line(LineChart(
                    title: "Gradient reversal scale λ_p (DANN)", xLabel: "epoch", yLabel: "λ",
                    series: [LineSeries(name: "λ_p = λ·(2/(1+exp(−γp)) − 1)", xs: epochs, ys: progress.map(configuration.lambda(atProgress:)))])),
                .line(LineChart(
                    title: "Learning rate μ_p", xLabel: "epoch", yLabel: "learning rate",
                    series: [LineSeries(name: "μ_p = μ₀/(1+αp)^β", xs: epochs, ys: (0...samples).map(rates.learningRate(atStep:)), color: .vermillion)])),
            ])
    }

    /// Each model's decision map over the moons' plane, with the test points.
    static func boundaries(_ trainers: [DANNTrainer], data: DomainData) -> Figure {
        let source = data.sourceTest.rows(Array(0..<min(pointsPerDomain, data.sourceTest.count)))
        let target = data.targetTest.rows(Array(0..<min(pointsPerDomain, data.targetTest.count)))
        let all = source.features.scalars(as: Double.self) + target.features.scalars(as: Double.self)
        let xs = stride(from: 0, to: all.count, by: 2).map { all[$0] }, ys = stride(from: 1, to: all.count, by: 2).map { all[$0] }
        let xRange = padded(xs.min()!...xs.max()!), yRange = padded(ys.min()!...ys.max()!)
        let (series, points) = domainScatter(
            source: source, target: target, sourcePoints: source.features.scalars(as: Double.self).pairs,
            targetPoints: target.features.scalars(as: Double.self).pairs)
        let panels: [PlotPanel] = trainers.map { trainer in
            var map: DecisionMap?
            if data.classCount == 2 {
                let (columns, rows) = (90, 90)
                let centers = DecisionMap.cellCenters(xRange: xRange, yRange: yRange, columns: columns, rows: rows)
                let grid = Tensor(centers.flatMap { [$0.x, $0.y] }, shape: [centers.count, 2]).cast(to: data.sourceTrain.features.dtype)
                let probabilities = trainer.probabilities(grid).scalars(as: Double.self)
                map = DecisionMap(xRange: xRange, yRange: yRange, columns: columns, rows: rows,
                                  values: stride(from: 1, to: probabilities.count, by: 2).map { probabilities[$0] })
            }
            let accuracy = trainer.history.last?.evaluation.targetAccuracy.map { String(format: " — target accuracy %.1f%%", $0 * 100) } ?? ""
            return .scatter(ScatterPlot(
                title: trainer.mode.name + accuracy, xLabel: "x₁", yLabel: "x₂", series: series, points: points, decisionMap: map))
        }
        return Figure(title: "Decision boundary: source (circles) and target (triangles) test points", panels: panels)
    }

    /// Each model's features of the test points, on their first two principal components.
    static func featureProjections(_ trainers: [DANNTrainer], data: DomainData) -> Figure {
        let source = data.sourceTest.rows(Array(0..<min(pointsPerDomain, data.sourceTest.count)))
        let target = data.targetTest.rows(Array(0..<min(pointsPerDomain, data.targetTest.count)))
        let panels: [PlotPanel] = trainers.map { trainer in
            let features = trainer.model.features(concat([source.features, target.features], axis: 0))
            let pca = PCA(fitting: features, components: 2)
            let projected = pca.project(features)
            let pairs = projected.map { ($0[0], $0[1]) }
            let (series, points) = domainScatter(
                source: source, target: target, sourcePoints: Array(pairs[..<source.count]), targetPoints: Array(pairs[source.count...]))
            let explained = pca.explainedVarianceRatio.prefix(2).reduce(0, +)
            return .scatter(ScatterPlot(
                title: trainer.mode.name + String(format: " — PC1+PC2 explain %.0f%%", explained * 100),
                xLabel: "PC 1", yLabel: "PC 2", series: series, points: points))
        }
        return Figure(title: "Learned features of the test points (PCA): source (circles) vs target (triangles)", panels: panels)
    }

    /// Scatter series per domain and class, and the points of both test sets.
    private static func domainScatter(
        source: Dataset, target: Dataset, sourcePoints: [(Double, Double)], targetPoints: [(Double, Double)]
    ) -> ([ScatterSeries], [ScatterPoint]) {
        let classes = Int(max(source.labelScalars?.max() ?? 0, target.labelScalars?.max() ?? 0)) + 1
        let byClass = classes <= 2
        var series = [ScatterSeries]()
        var points = [ScatterPoint]()
        for (domain, dataset, marker, coordinates) in [
            ("source", source, MarkerShape.circle, sourcePoints), ("target", target, MarkerShape.triangle, targetPoints),
        ] {
            let first = series.count
            let labels = dataset.labelScalars
            if byClass, labels != nil {
                for label in 0..<classes {
                    series.append(ScatterSeries(name: "\(domain) class \(label)", marker: marker, color: label == 0 ? .blue : .vermillion))
                }
            } else {
                series.append(ScatterSeries(name: domain, marker: marker, color: domain == "source" ? .blue : .vermillion))
            }
            for (index, point) in coordinates.enumerated() {
                let offset = byClass ? Int(labels?[index] ?? 0) : 0
                points.append(ScatterPoint(x: point.0, y: point.1, series: min(first + offset, series.count - 1)))
            }
        }
        return (series, points)
    }

    /// `range` widened by 8% on each side.
    private static func padded(_ range: ClosedRange<Double>) -> ClosedRange<Double> {
        let margin = max((range.upperBound - range.lowerBound) * 0.08, 1e-3)
        return (range.lowerBound - margin)...(range.upperBound + margin)
    }
}

extension Array where Element == Double {
    /// Consecutive pairs: [a, b, c, d] gives [(a, b), (c, d)].
    fileprivate var pairs: [(Double, Double)] {
        stride(from: 0, to: count - 1, by: 2).map { (self[$0], self[$0 + 1]) }
    }
}
