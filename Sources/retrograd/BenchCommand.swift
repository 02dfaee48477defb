import ArgumentParser
import Foundation
import Retrograd
import RetrogradBenchmarks

/// `retrograd bench`: the performance workloads W1–W9, with a table and optional JSON.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time the benchmark workloads W1–W9 and print (or write as JSON) the medians.",
        discussion: """
            Build in release mode first: swift run -c release retrograd bench. Each workload \
            warms up, then runs repeats of at least 0.2 s (one call each for W6 and W7) and \
            reports the median with every sample. W1: µs per op of a 4000-op scalar chain \
            (forward on a tape, forward + backward, and without a tape); W2–W5: training \
            steps per second; W6: GFLOP/s of a 1024³ matmul, also through the BLAS directly \
            and the fallback GEMM; W7: ms for sum(exp(x)·x + 1) over 16M floats, forward \
            and forward + backward; W8: µs per step of the two-moons DANN protocol of Ganin \
            et al. (one source and one target example per SGD step, 2-15-2 network), the \
            150,000-step run that makes (W8.run-estimate), and one real such run (W8.run) \
            unless --quick or it would take over 30 s; W9: ms per DANN step of the paper's MNIST \
            CNN on 64 + 64 images of 28×28×3 (and an 8,600-step run estimated from it), and one \
            5×5 convolution layer's GFLOP/s against its three GEMMs alone. Peak memory is the \
            whole process's, so W3.memory and W9.memory are reported only by a run of that \
            workload alone (--workload W3, --workload W9). The JSON has the schema the \
            PyTorch and JAX runs write. "threads" is what the BLAS uses: OpenBLAS's own count \
            (OPENBLAS_NUM_THREADS, else every core), 1 for the fallback GEMM.
            """)

    @Option(
        name: .customLong("workload"),
        help: ArgumentHelp("Comma-separated workloads to run, for example W1,W3.", valueName: "list"))
    var workloadList: String = "W1,W2,W3,W4,W5,W6,W7,W8"

    @Flag(help: "A run of a few seconds: 3 short repeats, little warm-up (noisier medians).")
    var quick = false

    /// The most repeats accepted; more would run for hours.
    static let maximumRepeats = 1000

    @Option(help: "Timed repeats per quantity, 1 to 1000 (default 10, or 3 with --quick).", transform: ArgumentValue.wholeNumber)
    var repeats: Int?

    @Option(help: ArgumentHelp("Also write the results as JSON to this file.", valueName: "file"), transform: ArgumentValue.path)
    var json: String?

    func validate() throws {
        do {
            _ = try Workload.parseList(workloadList)
        } catch let error as BenchmarkError {
            throw ValidationError("--workload: \(error.description)")
        }
        if let repeats, !(1...Self.maximumRepeats).contains(repeats) {
            throw ValidationError("--repeats must be a whole number from 1 to \(Self.maximumRepeats), got \(repeats)")
        }
        // Checked before the (long) run, not when the results are ready.
        if let json { try OutputLocation.checkFile(json, flag: "--json") }
    }

    func run() throws {
        let workloads = try Workload.parseList(workloadList)
        var plan = quick ? TimingPlan.quick : .standard
        if let repeats { plan = plan.with(repeats: repeats) }
        let suite = BenchmarkSuite(workloads: workloads, plan: plan)

        printLine("retrograd \(retrogradVersion), release build: \(isReleaseBuild ? "yes" : "NO (use swift run -c release)")")
        printLine("backend:  \(matrixBackend), \(SystemInfo.blasThreads) BLAS thread(s)")
        printLine("machine:  \(SystemInfo.cpuModel), \(SystemInfo.cpuCount) CPU(s)")
        printLine("timing:   \(plan.repeats) repeats\(quick ? " (quick: a smoke test, not a measurement)" : ""), median shown")
        if let load = SystemInfo.loadAverages {
            let busy = load[0] >= 0.5 ? " (the machine is or was just busy: numbers may be noisy)" : ""
            printLine("load:     \(load.map { String(format: "%.2f", $0) }.joined(separator: " "))\(busy)")
        }
        printLine()
        let table = ResultTable()
        printLine(table.header)
        let report = try suite.run { result in
            printLine(table.row(result))
            if let note = result.note { printLine("    \(note)") }
        }
        for workload in [Workload.w3, .w9] where workloads.contains(workload) && !suite.reportsMemory {
            printLine("\(workload.rawValue).memory: run with --workload \(workload.rawValue) for memory (peak RSS is per process)")
        }
        if let json {
            let url = URL(fileURLWithPath: json)
            try report.write(to: url)
            printLine("wrote \(url.path)")
        }
    }

    /// Whether this binary was compiled with optimisation (timings of a debug build mislead).
    private var isReleaseBuild: Bool {
        #if DEBUG
        return false
        #else
        return true
        #endif
    }
}

/// The columns of `retrograd bench`'s table: the quantity, its median, the unit, which
/// way is better, the number of samples and their range.
private struct ResultTable {
    let widths = [16, 10, 8, 6, 7]

    var header: String {
        line(["quantity", "median", "unit", "better", "samples", "range"]) + "\n"
            + line(widths.map { String(repeating: "-", count: $0) } + ["-----"])
    }

    func row(_ result: BenchmarkResult) -> String {
        let range = "\(format(result.samples.min()!))–\(format(result.samples.max()!))"
        return line([
            result.id, format(result.value), result.unit.rawValue, result.better.rawValue, "\(result.samples.count)", range,
        ])
    }

    private func format(_ value: Double) -> String {
        value >= 1000 ? String(format: "%.0f", value) : String(format: "%.4g", value)
    }

    /// The cells padded to the column widths; the last cell is not padded.
    private func line(_ cells: [String]) -> String {
        cells.enumerated().map { index, cell in
            guard index < widths.count, cell.count < widths[index] else { return cell }
            return cell + String(repeating: " ", count: widths[index] - cell.count)
        }.joined(separator: "  ")
    }
}
