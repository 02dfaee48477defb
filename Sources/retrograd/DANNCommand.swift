import ArgumentParser
import DomainAdaptation
import Foundation
import RetrogradDistributed

/// `retrograd dann`: domain-adversarial training end to end, compared with a source-only
/// model trained the same way.
struct DANNCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dann",
        abstract: "Train a domain-adversarial network (DANN) and a source-only baseline, and compare them.",
        discussion: """
            Trains a feature extractor, a label classifier and a domain classifier behind a gradient \
            reversal layer (Ganin & Lempitsky), and the same network with the reversal scale λ = 0 \
            (source-only), on the same data, batches and initial weights. Writes report.json, SVG \
            plots and one checkpoint per model to --out as it trains (at most once a second, and at the end \
            or when stopped); --resume DIR continues \
            an interrupted run and ends with the numbers of an uninterrupted one. --dump-graph FILE \
            writes the recorded graph of one training step (features, label head, gradient reversal, \
            domain head) as Graphviz DOT before training; it changes no result.

            --lambda is the largest scale of the gradient reversal layer: the feature extractor \
            gets −λ_p times the domain loss's gradient, with λ_p = λ·(2/(1+exp(−γp)) − 1) and p the \
            training progress. The domain classifier's own update is not scaled by λ. The learning \
            rate follows μ_p = μ₀/(1+αp)^β (SGD with momentum).

            Data: --data moons (two moons; target rotated by --angle degrees), --data digits (the \
            8×8 UCI digits; target: the other half of the images on random colour/texture \
            backgrounds), --data mnist (MNIST → MNIST-M, downloaded on first use into --cache-dir \
            with SHA-256 checks, or read from --data-dir offline; MNIST-M blends each digit with a \
            patch of a photograph from --backgrounds, or of a generated texture; --model cnn, the default \
            on mnist and a choice on digits, trains the paper's convolutional network on the images, \
            'valid' convolutions on 28×28 and 'same' on 8×8, and --model mlp sees the images flattened), or your own --source and --target files (CSV or .npy; the label is the \
            'label' column or the last one; target labels are optional and used only to evaluate). \
            A CSV file's first row is a header when none of its cells is a number, unless --header \
            or --no-header says otherwise.

            Started by mpirun (mpirun -np N retrograd dann ...), the N processes train data-parallel: \
            each takes its share of every batch of --batch-size examples and the gradients are \
            averaged, so the run ends with the numbers of one process up to float rounding. Rank 0 \
            alone prints and writes; --resume works with any number of processes.
            """)

    enum DataChoice: String, ExpressibleByArgument, CaseIterable {
        case moons, digits, mnist
    }

    enum ModelChoice: String, ExpressibleByArgument, CaseIterable {
        case mlp, cnn

        var value: DANNArchitecture { self == .cnn ? .cnn : .mlp }
    }

    enum ProtocolChoice: String, ExpressibleByArgument, CaseIterable {
        case `default`, paper

        var value: DANNProtocol { self == .paper ? .paper : .default }
    }

    enum DomainLossChoice: String, ExpressibleByArgument, CaseIterable {
        case mean, sum

        var value: DomainLossReduction { self == .sum ? .sum : .mean }
    }

    enum DomainHeadInitChoice: String, ExpressibleByArgument, CaseIterable {
        case glorotUniform = "glorot-uniform", zeros

        var value: DomainHeadInitialization { self == .zeros ? .zeros : .glorotUniform }
    }

    enum ModeChoice: String, ExpressibleByArgument, CaseIterable {
        case dann, sourceOnly = "source-only", both

        var modes: [DANNMode] {
            switch self {
            case .dann: [.dann]
            case .sourceOnly: [.sourceOnly]
            case .both: [.sourceOnly, .dann]
            }
        }
    }

    @Option(help: "Built-in data set: moons, digits or mnist. (default: moons)") var data: DataChoice?
    @Option(help: "The network: mlp (dense layers on the examples as rows) or cnn (the paper's conv 5×5×32 → max-pool → conv 5×5×48 → max-pool feature extractor, 100-100 label and 100 domain classifiers; images only: --data digits or mnist). (default: cnn on mnist, mlp otherwise)")
    var model: ModelChoice?
    @Option(help: "Read MNIST's four files from this directory instead of downloading them (--data mnist).",
            transform: ArgumentValue.path)
    var dataDir: String?
    @Option(help: "Where MNIST is downloaded to and reused from (--data mnist). (default: $XDG_CACHE_HOME/retrograd/mnist, else ~/.cache/retrograd/mnist)",
            transform: ArgumentValue.path)
    var cacheDir: String?
    @Option(help: "A base URL to download MNIST from instead of the usual mirrors (--data mnist); repeat to try several in turn.",
            transform: ArgumentValue.text)
    var mirror: [String] = []
    @Option(help: "Directory of colour photographs (.ppm or .npy [height, width, 3]) for MNIST-M's backgrounds (--data mnist). (default: generated textures)",
            transform: ArgumentValue.path)
    var backgrounds: String?
    @Option(help: "At most this many images in each training and test split (--data mnist), for quick runs. (default: all: 55000 and 10000)",
            transform: ArgumentValue.wholeNumber)
    var limit: Int?
    @Option(help: "Labelled source-domain file (.csv or .npy), instead of --data.", transform: ArgumentValue.path)
    var source: String?
    @Option(help: "Target-domain file (.csv or .npy), labels optional.", transform: ArgumentValue.path) var target: String?
    @Option(help: "Label column of the files: a header name or a 0-based index. (default: 'label', else the last column)",
            transform: ArgumentValue.text)
    var labelColumn: String?
    @Flag(inversion: .prefixedNo, exclusivity: .exclusive,
          help: "Whether the first row of the CSV files is a header. (default: when none of its cells is a number)")
    var header: Bool?
    @Option(help: "Rotation of the moons' target domain, in degrees. (default: 35)", transform: ArgumentValue.number)
    var angle: Double?
    @Option(help: "Standard deviation of the moons' Gaussian noise, ≥ 0. (default: 0.1; --protocol paper 0.05)",
            transform: ArgumentValue.number)
    var noise: Double?
    @Option(name: .customLong("protocol"),
            help: "default, or paper: the moons exactly as Ganin et al. run them (500 epochs, no momentum, constant learning rate, summed domain loss, zero-initialised domain head, noise 0.05); other options still override. (default: default)")
    var protocolChoice: ProtocolChoice?
    @Option(help: "dann, source-only or both. (default: both)") var mode: ModeChoice?
    @Option(help: "Passes over the source training set, 1 to 1000000. (default: 150; mnist 10; --model cnn on digits 50)", transform: ArgumentValue.wholeNumber)
    var epochs: Int?
    @Option(help: "Source examples per step, over all processes under mpirun; as many target examples join each step. (default: moons 1, digits 64)",
            transform: ArgumentValue.wholeNumber)
    var batchSize: Int?
    @Option(help: "Largest gradient reversal scale λ, ≥ 0. (default: moons 6, digits 0.3, mnist 1)", transform: ArgumentValue.number)
    var lambda: Double?
    @Option(help: "γ of the λ schedule, ≥ 0; 0 keeps λ constant. (default: 10)", transform: ArgumentValue.number)
    var lambdaGamma: Double?
    @Option(help: "Initial learning rate μ₀, > 0. (default: moons 0.05, digits 0.1, --model cnn 0.01)", transform: ArgumentValue.number)
    var lr: Double?
    @Option(help: "α of the learning-rate annealing, ≥ 0; 0 keeps it constant. (default: 10)", transform: ArgumentValue.number)
    var annealingAlpha: Double?
    @Option(help: "β of the learning-rate annealing, ≥ 0. (default: 0.75)", transform: ArgumentValue.number)
    var annealingBeta: Double?
    @Option(help: "SGD momentum, in [0, 1). (default: 0.9)", transform: ArgumentValue.number) var momentum: Double?
    @Option(help: "The domain loss of a step: mean (over its source and target examples) or sum (the source mean plus the target mean: twice the mean). (default: moons sum, digits mean)")
    var domainLoss: DomainLossChoice?
    @Option(help: "The domain classifier's output layer at the start: glorot-uniform or zeros. (default: glorot-uniform; --protocol paper zeros)")
    var domainHeadInit: DomainHeadInitChoice?
    @Option(help: "The feature extractor's layers, comma-separated: the MLP's widths, such as 128,64, or the CNN's filters per conv block, such as 32,48. (default: moons 15, digits 128,64, cnn 32,48)")
    var hidden: String?
    @Option(help: "Seed for data, initial weights and batch order. (default: 0)", transform: ArgumentValue.seed) var seed: UInt64?
    @Option(help: "Directory for the report, plots and checkpoints. (default: runs/dann-<date>-<time>)", transform: ArgumentValue.path)
    var out: String?
    @Option(help: "Continue the run in this directory from its last checkpoints; takes no other option but --dump-graph.",
            transform: ArgumentValue.path)
    var resume: String?
    @Option(help: "Write the Graphviz DOT graph of one DANN training step to this file (render it with dot -Tsvg).",
            transform: ArgumentValue.path)
    var dumpGraph: String?

    /// The options that decide a run; none may be given with --resume.
    private var runOptions: [(String, Bool)] {
        [("--data", data != nil), ("--model", model != nil), ("--data-dir", dataDir != nil), ("--cache-dir", cacheDir != nil), ("--mirror", !mirror.isEmpty),
         ("--backgrounds", backgrounds != nil), ("--limit", limit != nil), ("--source", source != nil), ("--target", target != nil), ("--label-column", labelColumn != nil),
         (header == false ? "--no-header" : "--header", header != nil),
         ("--angle", angle != nil), ("--noise", noise != nil), ("--protocol", protocolChoice != nil), ("--mode", mode != nil), ("--epochs", epochs != nil), ("--batch-size", batchSize != nil),
         ("--lambda", lambda != nil), ("--lambda-gamma", lambdaGamma != nil), ("--lr", lr != nil),
         ("--annealing-alpha", annealingAlpha != nil), ("--annealing-beta", annealingBeta != nil), ("--momentum", momentum != nil),
         ("--domain-loss", domainLoss != nil), ("--domain-head-init", domainHeadInit != nil), ("--hidden", hidden != nil), ("--seed", seed != nil), ("--out", out != nil)]
    }

    func validate() throws {
        if let dumpGraph { try OutputLocation.checkFile(dumpGraph, flag: "--dump-graph") }
        if let resume {
            let given = runOptions.filter(\.1).map(\.0)
            guard given.isEmpty else {
                throw ValidationError("--resume continues a run with its own settings; leave out \(given.joined(separator: ", ")).")
            }
            try OutputLocation.checkExistingDirectory(resume, flag: "--resume")
            return
        }
        guard (source == nil) == (target == nil) else {
            throw ValidationError("--source and --target go together: give both files, or neither and --data.")
        }
        if source != nil, data != nil { throw ValidationError("Give either --data or --source/--target, not both.") }
        if source == nil, labelColumn != nil { throw ValidationError("--label-column applies to --source/--target files only.") }
        if let header {
            let flag = header ? "--header" : "--no-header"
            if source == nil { throw ValidationError("\(flag) applies to --source/--target files only.") }
            if !header, let labelColumn, Int(labelColumn) == nil {
                throw ValidationError("--label-column \(labelColumn) is a column name, but --no-header says the files have no "
                    + "header row to find it in; give the column's 0-based index instead.")
            }
        }
        try validateMNISTOptions()
        if model == .cnn, dataSpec.kind.imageShape == nil {
            throw ValidationError("--model cnn takes images (--data digits or --data mnist), but "
                + "\(source != nil ? "--source/--target files" : "--data \((data ?? .moons).rawValue)") are rows of features; "
                + "use --model mlp, or leave --model out.")
        }
        if angle != nil, (data ?? .moons) != .moons || source != nil { throw ValidationError("--angle applies to --data moons only.") }
        if protocolChoice == .paper, (data ?? .moons) != .moons || source != nil {
            throw ValidationError("--protocol paper is the paper's two-moons experiment and applies to --data moons only; "
                + "leave it out for \(source != nil ? "--source/--target files" : "--data \((data ?? .digits).rawValue)").")
        }
        if let angle, !angle.isFinite { throw ValidationError("--angle must be a finite number of degrees, got \(angle).") }
        if noise != nil, (data ?? .moons) != .moons || source != nil { throw ValidationError("--noise applies to --data moons only.") }
        if let noise, !(noise >= 0 && noise.isFinite) {
            throw ValidationError("--noise must be a finite standard deviation ≥ 0, such as 0.05; got \(noise).")
        }
        _ = try hiddenWidths()
        do {
            try runConfiguration().validate()
        } catch let error as DANNError {
            throw ValidationError(error.description)
        }
        if let out { try OutputLocation.checkDirectory(out, flag: "--out") }
    }

    /// Checks the options of --data mnist.
    private func validateMNISTOptions() throws {
        let given = [("--data-dir", dataDir != nil), ("--cache-dir", cacheDir != nil), ("--mirror", !mirror.isEmpty),
                     ("--backgrounds", backgrounds != nil), ("--limit", limit != nil)].filter(\.1).map(\.0)
        guard data == .mnist else {
            if let flag = given.first { throw ValidationError("\(flag) applies to --data mnist only.") }
            return
        }
        if dataDir != nil, cacheDir != nil || !mirror.isEmpty {
            throw ValidationError("--data-dir reads MNIST from a directory without downloading; leave out "
                + "\(cacheDir != nil ? "--cache-dir" : "--mirror"), which are for downloading.")
        }
        for url in mirror {
            guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), ["http", "https", "file"].contains(scheme),
                  parsed.host != nil || scheme == "file"
            else {
                throw ValidationError("--mirror must be an http://, https:// or file:// URL such as "
                    + "https://ossci-datasets.s3.amazonaws.com/mnist/; got '\(url)'.")
            }
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be a whole number ≥ 1, such as 1000; got \(limit).") }
        if let dataDir { try OutputLocation.checkExistingDirectory(dataDir, flag: "--data-dir") }
        if let backgrounds { try OutputLocation.checkExistingDirectory(backgrounds, flag: "--backgrounds") }
        if let cacheDir { try OutputLocation.checkDirectory(cacheDir, flag: "--cache-dir") }
    }

    /// The --hidden widths, or nil when not given.
    private func hiddenWidths() throws -> [Int]? {
        guard let hidden else { return nil }
        let parts = hidden.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ (1...DANNConfiguration.maximumWidth).contains($0 ?? 0) }) else {
            throw ValidationError("--hidden must be whole numbers from 1 to \(DANNConfiguration.maximumWidth) separated by commas, "
                + "such as 64 or 128,64; got '\(hidden)'.")
        }
        return parts.map { $0! }
    }

    /// The data to train on, from --data or the files.
    private var dataSpec: DANNDataSpec {
        if let source, let target { return .files(source: source, target: target, labelColumn: labelColumn, header: header) }
        if data == .mnist {
            return .mnist(dataDirectory: dataDir, cacheDirectory: cacheDir, mirrors: mirror.isEmpty ? nil : mirror, backgrounds: backgrounds, limit: limit)
        }
        guard (data ?? .moons) == .moons else { return .digits }
        var spec = runProtocol.moons(angle: angle ?? 35)
        if let noise { spec.noise = noise }
        return spec
    }

    /// The protocol whose defaults the run starts from.
    private var runProtocol: DANNProtocol { protocolChoice?.value ?? .default }

    /// The protocol's defaults for the data, with the given options applied.
    private func runConfiguration() throws -> DANNConfiguration {
        let seed = seed ?? 0
        guard var configuration = runProtocol.configuration(for: dataSpec.kind, model: model?.value, seed: seed) else {
            throw ValidationError("--protocol \(runProtocol.rawValue) applies to --data moons only.")
        }
        if let epochs { configuration.epochs = epochs }
        if let batchSize { configuration.batchSize = batchSize }
        if let lambda { configuration.maxLambda = lambda }
        if let lambdaGamma { configuration.lambdaGamma = lambdaGamma }
        if let lr { configuration.learningRate = lr }
        if let annealingAlpha { configuration.annealingAlpha = annealingAlpha }
        if let annealingBeta { configuration.annealingBeta = annealingBeta }
        if let momentum { configuration.momentum = momentum }
        if let domainLoss { configuration.domainLossReduction = domainLoss.value }
        if let domainHeadInit { configuration.domainHeadInitialization = domainHeadInit.value }
        if let widths = try hiddenWidths() { configuration.hidden = widths }
        return configuration
    }

    func run() throws {
        let group = try ProcessGroup.world()
        // Rank 0 alone prints; the others train silently.
        let printLine: (String) -> Void = group.isMain ? { retrograd.printLine($0) } : { _ in }
        let graphFile = dumpGraph.map { URL(fileURLWithPath: $0) }
        if let graphFile, group.isMain { try DANNExperiment.checkGraphDestination(graphFile) }
        let experiment: DANNExperiment
        if let resume {
            experiment = try DANNExperiment.resume(from: URL(fileURLWithPath: resume), group: group)
            printLine("Resuming \(resume): " + experiment.trainers.map { "\($0.mode.name) at epoch \($0.completedEpochs)/\($0.configuration.epochs)" }.joined(separator: ", "))
        } else {
            let spec = dataSpec
            if spec.kind == .mnist {
                // One process downloads into the cache; the others read it after the barrier.
                if group.isMain { try Self.fetchMNIST(spec) }
                group.barrier()
            }
            let description = DANNRunDescription(data: spec, configuration: try runConfiguration(), modes: (mode ?? .both).modes)
            experiment = try DANNExperiment.start(description, in: URL(fileURLWithPath: out ?? Self.defaultOutput()), group: group)
        }
        if group.isDistributed { printLine("Training data-parallel on \(group.size) processes (MPI)") }
        let data = experiment.data
        let shape = data.sourceTrain.exampleShape
        let images = shape.rank == 3 ? " (\(shape[0])×\(shape[1])×\(shape[2]) images)" : ""
        printLine("Data \(data.name): \(data.featureCount) features\(images), \(data.classCount) classes; source \(data.sourceTrain.count) train / \(data.sourceTest.count) test, target \(data.targetTrain.count) train / \(data.targetTest.count) test\(data.targetTest.labels == nil ? " (unlabelled)" : "")")
        if let details = data.details { printLine("  \(details)") }
        if let graphFile, let path = dumpGraph, group.isMain {
            let mode = try experiment.writeStepGraph(to: graphFile)
            printLine("Wrote the graph of one \(mode.name) training step to \(path)")
        }
        let interrupt = InterruptFlag.install()
        var bar: ProgressBar?
        var firstStep = 0
        let report = try experiment.run(observer: DANNObserver(
            modeStarted: { mode, done, trainer in
                firstStep = done * trainer.stepsPerEpoch
                bar = group.isMain ? ProgressBar(title: mode.name, total: trainer.totalSteps - firstStep) : nil
                if trainer.isFinished { printLine("\(mode.name): finished earlier (\(done) epochs)") }
            },
            step: { progress in
                bar?.update(step: progress.step - firstStep, metrics: [
                    "epoch": Double(progress.epoch), "loss": progress.labelLoss,
                    "domain loss": progress.domainLoss, "domain acc": progress.domainAccuracy, "λ": progress.lambda,
                ])
            },
            shouldStop: { interrupt.isSet }))
        printLine("")
        printLine(Self.summary(report))
        let directory = experiment.directory.path
        if report.finished {
            printLine("Wrote report.json, \(report.plots.joined(separator: ", ")) and \(report.models.map(\.checkpoint).joined(separator: ", ")) to \(directory)")
        } else {
            printLine("Stopped early. Continue with: retrograd dann --resume \(directory)")
            throw ExitCode(130)
        }
    }

    /// Downloads MNIST into its cache before the run starts (telling which files come
    /// from where), or checks that the --data-dir directory has it.
    static func fetchMNIST(_ spec: DANNDataSpec) throws {
        let location = spec.mnistLocation
        if case .cache(let directory) = location { printLine("MNIST cache: \(directory.path)") }
        do {
            _ = try RemoteFile.locate(spec.mnistFiles.all, in: location) { printLine($0) }
        } catch {
            throw DomainDataError.mnist(.download(error))
        }
    }

    /// The summary table of a report.
    static func summary(_ report: DANNReport) -> String {
        let percent = { (value: Double?) in value.map { String(format: "%6.1f%%", $0 * 100) } ?? "      –" }
        var lines = ["model          epochs   source acc   target acc   domain acc",
                     "-------------  ------   ----------   ----------   ----------"]
        for model in report.models {
            let name = model.mode.name.padding(toLength: 13, withPad: " ", startingAt: 0)
            lines.append("\(name)  \(String(format: "%6d", model.epochsCompleted))      \(percent(model.final?.sourceAccuracy))      \(percent(model.final?.targetAccuracy))      \(percent(model.final?.domainAccuracy))")
        }
        lines.append("(test sets; domain acc is the domain classifier's balanced accuracy, 50% = chance)")
        return lines.joined(separator: "\n")
    }

    /// runs/dann-YYYYMMDD-HHMMSS in the current directory.
    static func defaultOutput() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return "runs/dann-\(formatter.string(from: Date()))"
    }
}
