import ArgumentParser
import Foundation
import Retrograd
import RetrogradCatalog

/// `retrograd gradcheck`: every op of `OpCatalog` against finite differences, in reverse or
/// forward mode.
struct GradcheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gradcheck",
        abstract: "Check every op's derivatives against finite differences, in float64.",
        discussion: """
            Runs each case of Retrograd's op catalog (the table the test suite checks) at \
            first and second order and prints the worst relative error per case and order. \
            In reverse mode (the default) the order-1 row compares tape gradients, the \
            order-2 row Hessian-vector products of nested tapes, both with finite differences \
            along random directions. With --mode forward, the order-1 row compares each \
            forward rule's Jacobian-vector product ⟨J·v, u⟩ with the reverse rule's ⟨v, Jᵀ·u⟩ \
            and with finite differences, the order-2 row forward-over-reverse Hessian-vector \
            products with nested tapes and with finite differences. Exits with a non-zero \
            status when any check fails.
            """)

    /// A derivative order the checker supports.
    enum Order: Int, ExpressibleByArgument, CaseIterable {
        case first = 1, second = 2
    }

    /// Which derivatives to check.
    enum Mode: String, ExpressibleByArgument, CaseIterable {
        case reverse, forward
    }

    @Option(help: "Run only the cases whose name contains this text (case-sensitive).", transform: ArgumentValue.text)
    var filter: String?

    @Option(help: "Check only this derivative order (1 or 2); both when omitted.")
    var order: Order?

    @Option(help: "reverse: tape gradients against finite differences; forward: the forward rules against the reverse rules and finite differences.")
    var mode: Mode = .reverse

    func validate() throws {
        if let filter, OpCatalog.cases(matching: filter).isEmpty {
            throw ValidationError("no op matches --filter '\(filter)'")
        }
    }

    func run() throws {
        let cases = OpCatalog.cases(matching: filter ?? "")
        let orders = order.map { [$0.rawValue] } ?? [1, 2]
        let nameWidth = max(2, cases.map(\.name.count).max() ?? 0)
        let errorColumns = mode == .reverse ? [pad("max rel. error", 14)] : [pad("vs reverse", 10), pad("vs finite diff.", 15)]
        printLine(([pad("op", nameWidth), "order"] + errorColumns + ["result"]).joined(separator: "  "))
        var passed = 0, failed = 0
        let start = Date()
        for check in cases {
            // One order-2 run measures both orders: its first-order errors are a first-order check.
            let rows = try errors(of: check, order: orders.max()!)
            for order in orders {
                let errors = rows[order - 1]
                let ok = errors.allSatisfy { $0 <= check.tolerance }
                if ok { passed += 1 } else { failed += 1 }
                let shown = zip(errors, errorColumns).map { pad(String(format: "%.2e", $0), $1.count) }
                printLine(([pad(check.name, nameWidth), pad("\(order)", 5)] + shown + [ok ? "pass" : "FAIL"]).joined(separator: "  "))
            }
        }
        let seconds = Date().timeIntervalSince(start)
        printLine("\(passed) passed, \(failed) failed (\(cases.count) cases, \(String(format: "%.1f", seconds)) s)")
        if failed > 0 { throw ExitCode.failure }
    }

    /// The worst errors of `check` per order (first order, then second), one per column.
    private func errors(of check: OpCheckCase, order: Int) throws -> [[Double]] {
        switch mode {
        case .reverse:
            let results = check.check(order: order).results
            return [[results.map(\.firstOrderError).max() ?? 0], [results.map { $0.secondOrderError ?? 0 }.max() ?? 0]]
        case .forward:
            let results = try check.checkForwardMode(order: order).results
            func worst(_ error: (ForwardModeCheckResult) -> Double?) -> Double { results.map { error($0) ?? 0 }.max() ?? 0 }
            return [
                [worst(\.firstOrderReverseError), worst(\.firstOrderFiniteDifferenceError)],
                [worst(\.secondOrderReverseError), worst(\.secondOrderFiniteDifferenceError)],
            ]
        }
    }

    /// `text` padded with spaces to `width` characters.
    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
