import Foundation

/// A one-line progress display for training loops.
///
/// On a terminal it redraws one line in place: a bar, the step count, the rate in steps
/// per second, the latest metrics (loss, accuracy, …) and the estimated time left. When
/// standard output is not a terminal (a log file, CI), it prints a plain line at most
/// every `plainInterval` steps and at the end, so logs stay readable.
final class ProgressBar {
    private let title: String
    private let total: Int
    private let width: Int
    private let interactive: Bool
    private let plainInterval: Int
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var lastPlainStep = 0

    /// Creates a bar for `total` steps, drawing to standard output.
    init(title: String, total: Int, width: Int = 24, interactive: Bool = isatty(STDOUT_FILENO) == 1) {
        self.title = title
        self.total = Swift.max(total, 1)
        self.width = width
        self.interactive = interactive
        self.plainInterval = Swift.max(self.total / 10, 1)
    }

    /// Reports that `step` steps (1-based) are done, with metrics to show.
    func update(step: Int, metrics: KeyValuePairs<String, Double> = [:]) {
        let now = Date()
        let finished = step >= total
        if interactive {
            guard finished || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
            lastDraw = now
            writeOutput("\r\u{1B}[2K" + line(step: step, now: now, bar: true, metrics: metrics) + (finished ? "\n" : ""))
        } else if finished || step - lastPlainStep >= plainInterval {
            lastPlainStep = step
            printLine(line(step: step, now: now, bar: false, metrics: metrics))
        }
    }

    private func line(step: Int, now: Date, bar: Bool, metrics: KeyValuePairs<String, Double>) -> String {
        let elapsed = now.timeIntervalSince(start)
        let rate = elapsed > 0 ? Double(step) / elapsed : 0
        let remaining = rate > 0 ? Double(total - step) / rate : 0
        let fraction = Double(step) / Double(total)
        var parts = [title]
        if bar {
            let filled = Int((fraction * Double(width)).rounded(.down))
            parts.append("[" + String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled) + "]")
        }
        parts.append("\(step)/\(total)")
        parts.append(String(format: "%.0f steps/s", rate))
        parts += metrics.map { $0.value == $0.value.rounded() && Swift.abs($0.value) < 1e9
            ? "\($0.key) \(Int($0.value))" : String(format: "%@ %.4f", $0.key, $0.value) }
        parts.append(step >= total ? "done in \(Self.duration(elapsed))" : "ETA \(Self.duration(remaining))")
        return parts.joined(separator: "  ")
    }

    /// "1:05" or "12s".
    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        return whole >= 60 ? String(format: "%d:%02d", whole / 60, whole % 60) : "\(whole)s"
    }
}
