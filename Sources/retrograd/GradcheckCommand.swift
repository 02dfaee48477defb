import ArgumentParser
import Foundation
import Retrograd
import RetrogradCatalog

/// `retrograd gradcheck`: every op of `OpCatalog` against finite differences.
struct GradcheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gradcheck",
        abstract: "Check every op's tape gradients against finite differences, in float64.",
        discussion: """
            Runs each case of Retrograd's op catalog (the table the test suite checks) at \
            first and second order and prints the worst relative error per case and order: \
            the order-1 row compares gradients, the order-2 row Hessian-vector products, both \
            with finite differences along random directions. Exits with a non-zero status \
            when any check fails.
            """)

    /// A derivative order the checker supports.
    enum Order: Int, ExpressibleByArgument, CaseIterable {
        case first = 1, second = 2
    }

    @Option(help: "Run only the cases whose name contains this text (case-sensitive).", transform: ArgumentValue.text)
    var filter: String?

    @Option(help: "Check only this derivative order (1 or 2); both when omitted.")
    var order: Order?

    func validate() throws {
        if let filter, OpCatalog.cases(matching: filter).isEmpty {
            throw ValidationError("no op matches --filter '\(filter)'")
        }
    }

    func run() throws {
        let cases = OpCatalog.cases(matching: filter ?? "")
        let orders = order.map { [$0.rawValue] } ?? [1, 2]
        let nameWidth = max(2, cases.map(\.name.count).max() ?? 0)
        printLine([pad("op", nameWidth), "order", "max rel. error", "result"].joined(separator: "  "))
        var passed = 0, failed = 0
        let start = Date()
        for check in cases {
            // One order-2 run measures both orders: its first-order errors are a first-order check.
            let report = check.check(order: orders.max()!)
            for order in orders {
                let error = report.results.map { order == 1 ? $0.firstOrderError : $0.secondOrderError ?? 0 }.max() ?? 0
                let ok = error <= check.tolerance
                if ok { passed += 1 } else { failed += 1 }
                let shown = String(format: "%.2e", error)
                printLine([pad(check.name, nameWidth), pad("\(order)", 5), pad(shown, 14), ok ? "pass" : "FAIL"].joined(separator: "  "))
            }
        }
        let seconds = Date().timeIntervalSince(start)
        printLine("\(passed) passed, \(failed) failed (\(cases.count) cases, \(String(format: "%.1f", seconds)) s)")
        if failed > 0 { throw ExitCode.failure }
    }

    /// `text` padded with spaces to `width` characters.
    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
