import Foundation
import Testing

/// `retrograd gradcheck --mode forward`: the forward rules of the catalog's ops against
/// their reverse rules and finite differences, with a column for each comparison.
@Suite struct GradcheckModeTests {
    @Test func forwardModeChecksEachOpAgainstReverseModeAndFiniteDifferences() throws {
        let result = try CLI.run(["gradcheck", "--mode", "forward", "--filter", "matmul [3,4]"])
        #expect(result.status == 0 && !result.signaled, "\(result)")
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first?.contains("vs reverse") == true && lines.first?.contains("vs finite diff.") == true, "\(lines)")
        // One row per order: the op, the order, two errors and the verdict.
        let rows = lines.filter { $0.hasPrefix("matmul [3,4]×[4,5]") }
        #expect(rows.count == 2, "\(lines)")
        for row in rows {
            let fields = row.split(separator: " ")
            #expect(fields.last == "pass", "\(row)")
            let errors = fields.dropLast().suffix(2).compactMap { Double($0) }
            #expect(errors.count == 2 && errors[0] < 1e-12 && errors[1] < 1e-6, "\(row)")
        }
        #expect(lines.last?.hasPrefix("2 passed, 0 failed") == true, "\(lines)")
    }

    @Test func reverseModeIsTheDefaultAndKeepsItsOneErrorColumn() throws {
        let result = try CLI.run(["gradcheck", "--filter", "matmul [3,4]", "--order", "1"])
        #expect(result.status == 0 && !result.signaled, "\(result)")
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first?.contains("max rel. error") == true && lines.first?.contains("vs reverse") == false, "\(lines)")
        #expect(lines.last?.hasPrefix("1 passed, 0 failed") == true, "\(lines)")
    }
}
