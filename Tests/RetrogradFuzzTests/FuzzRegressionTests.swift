import Testing
import Retrograd
import RetrogradCatalog

/// Shrunk fuzz cases kept as plain tests, with fixed inputs.
///
/// The fuzz run found no wrong rule in Retrograd. To show that it would, rules in
/// DerivativeRules.swift were broken on purpose one at a time (never committed); the
/// fuzzer failed on each and shrank the failure to the expressions below (inputs and
/// constants rounded by hand where the shrinker left them long). Each names the mistake
/// it caught; they cover operand patterns the op table does not: unwatched operands
/// ahead of watched ones, a 0-d exponent with a broadcast constant base, offsets on every
/// axis, a reduction over a size-1 axis.
@Suite("Fuzz regressions", .tags(.fuzz))
struct FuzzRegressionTests {
    static let cases: [OpCheckCase] = {
        let column = Tensor([0.6] as [Double], shape: [1, 1])
        let first = Tensor([0.2] as [Double], shape: [1]), second = Tensor([-0.8] as [Double], shape: [1])
        let factor = Tensor([-0.6] as [Double], shape: [1])
        let base = Tensor([0.26] as [Double], shape: [1])
        return [
            // concat advanced its offset only past watched operands.
            OpCheckCase("concat([c, x], axis: 1), c unwatched", inputs: [Tensor([-1.4] as [Double], shape: [1, 1])]) {
                concat([column, $0[0]], axis: 1)
            },
            // The same mistake, reached through stack's reshape-then-concat.
            OpCheckCase("stack([c, d, x], axis: 1), c and d unwatched", inputs: [Tensor([0.5] as [Double], shape: [1])]) {
                stack([first, second, $0[0]], axis: 1)
            },
            // A custom gradient's results all went to its first input's slot.
            OpCheckCase("withCustomGradient([c, x]) with c unwatched", inputs: [Tensor([-1.8] as [Double], shape: [1])]) {
                withCustomGradient(
                    [factor, $0[0]], forward: { $0[0] * $0[1] + $0[0] },
                    pullback: { a, _, g in [g * (a[1] + 1), g * a[0]] })
            },
            // pow's exponent rule lost its log(base) factor.
            OpCheckCase("c.pow(x), c of shape [1], x 0-d", inputs: [Tensor([1.2] as [Double], shape: [])]) {
                base.pow($0[0])
            },
            // slice's rule padded with its before and after amounts swapped.
            OpCheckCase(
                "x.slice(lowerBounds: [1, 1], sizes: [1, 1])", inputs: [Tensor([-1, 0.9, -1, 0.9] as [Double], shape: [2, 2])]
            ) {
                $0[0].slice(lowerBounds: [1, 1], sizes: [1, 1])
            },
            // max counted ties along the first reduced axis only (0/0 where that axis has size 1).
            OpCheckCase(
                "x.max(axes: [-2, -1]) of shape [1, 2]", inputs: [Tensor([-0.7, -0.5] as [Double], shape: [1, 2])]
            ) {
                $0[0].max(axes: [-2, -1])
            },
            // expand's rule scaled the gradient of rank-1 operands: softmax's broadcast of its sum.
            OpCheckCase("x.softmax(axis: 0) of shape [2]", inputs: [Tensor([-0.5, 1.9] as [Double], shape: [2])]) {
                $0[0].softmax(axis: 0)
            },
            // matmul's rule used a constant copy of a, so its second derivative was 0.
            OpCheckCase(
                "x.matmul(y) of shapes [1, 1]",
                inputs: [Tensor([-0.6] as [Double], shape: [1, 1]), Tensor([-0.1] as [Double], shape: [1, 1])]
            ) {
                $0[0].matmul($0[1])
            },
        ]
    }()

    @Test(arguments: cases)
    func shrunkCaseMatchesFiniteDifferences(_ check: OpCheckCase) {
        let report = check.check(order: 2)
        #expect(report.passed, "\(check.name):\n\(report)")
    }
}
