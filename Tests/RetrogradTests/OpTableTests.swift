import Foundation
import Testing
import Retrograd
import RetrogradCatalog

// The op table: every op in OpCatalog against finite differences to second order, the
// forward values of representative ops against values worked out by hand, and the shape
// errors that stop the program.

// MARK: - Gradients

@Suite struct OpTableTests {
    @Test(arguments: OpCatalog.cases)
    func gradientsMatchFiniteDifferences(_ check: OpCheckCase) {
        let report = check.check(order: 2)
        #expect(report.passed, "\(check.name):\n\(report)")
    }

    @Test func catalogNamesAreUniqueAndInputsAreFloat64() {
        let names = OpCatalog.cases.map(\.name)
        #expect(Set(names).count == names.count, "duplicate names: \(Dictionary(grouping: names) { $0 }.filter { $1.count > 1 }.keys)")
        for check in OpCatalog.cases {
            #expect(check.inputs.allSatisfy { $0.dtype == .float64 }, "\(check.name)")
            #expect(check.tolerance == 1e-6 || check.note != nil, "\(check.name): a looser tolerance needs a note")
        }
    }

    @Test func catalogInputsAreDeterministic() {
        // The catalog is a static table; rebuilding a case's inputs must give the same point.
        let first = OpCatalog.cases(matching: "matmul [3,4]×[4,5]")
        #expect(first.count == 1)
        #expect(first[0].inputs[0].scalars(as: Double.self).count == 12)
        let again = OpCatalog.cases.first { $0.name == "matmul [3,4]×[4,5]" }!
        #expect(first[0].inputs[0].scalars(as: Double.self) == again.inputs[0].scalars(as: Double.self))
    }

    /// The checker would pass anything if it could not see a wrong gradient: a gradient
    /// reversal has the identity's value and the opposite gradient, so it must fail.
    @Test func checkerRejectsAWrongGradient() {
        let x = Tensor([0.3, -1.2, 0.7] as [Double])
        let report = checkGradients(of: { gradientReversal($0[0], scale: 1) }, at: [x], order: 1)
        #expect(!report.passed, "\(report)")
        #expect(report.maxError > 0.5)
    }

    /// A hand-written pullback that is right (d eˣ = eˣ, written with the output) passes
    /// to second order: the pullback is differentiated on the outer tape.
    @Test func customGradientWithCorrectPullbackPassesToSecondOrder() {
        let x = Tensor([0.3, -1.2, 0.7, 1.1] as [Double], shape: [2, 2])
        let viaOutput = checkGradients(
            of: { withCustomGradient($0[0], forward: { $0.exp() }, pullback: { _, y, g in g * y }) }, at: [x])
        #expect(viaOutput.passed, "\(viaOutput)")
        let viaInput = checkGradients(
            of: { withCustomGradient($0[0], forward: { $0.sin() }, pullback: { x, _, g in g * x.cos() }) }, at: [x])
        #expect(viaInput.passed, "\(viaInput)")
    }

    @Test func gradientReversalNegatesAndScales() throws {
        let x = Tensor([1, -2, 3] as [Double])
        let tape = GradientTape()
        tape.watch(x)
        let y = tape.record { (gradientReversal(x, scale: 0.5) * x).sum() }  // value Σx², gradient x − 0.5x
        #expect(y.scalar(as: Double.self) == 14)
        let g = try tape.gradient(of: y, wrt: x)
        #expect(g?.scalars(as: Double.self) == [0.5, -1, 1.5])
    }

    @Test func stopGradientBlocksOnlyItsPath() throws {
        let x = Tensor([1.5, -2] as [Double])
        let tape = GradientTape()
        tape.watch(x)
        let y = tape.record { (x * x + stopGradient(x)).sum() }
        #expect(y.scalar(as: Double.self) == 2.25 + 4 + 1.5 - 2)
        let g = try tape.gradient(of: y, wrt: x)
        #expect(g?.scalars(as: Double.self) == [3, -4])  // 2x, no +1 through stopGradient
    }
}

// MARK: - Subgradient conventions (the table in DerivativeRules.swift)

@Suite struct SubgradientConventionTests {
    private func gradient(_ x: Tensor, _ f: (Tensor) -> Tensor) throws -> [Double] {
        let tape = GradientTape()
        tape.watch(x)
        let y = tape.record { f(x).sum() }
        return try tape.gradient(of: y, wrt: x, unconnected: .zero)!.scalars(as: Double.self)
    }

    @Test func reluAndAbsHaveZeroGradientAtZero() throws {
        #expect(try gradient(Tensor([-1, 0, 2] as [Double])) { $0.relu() } == [0, 0, 1])
        #expect(try gradient(Tensor([-1, 0, 2] as [Double])) { $0.abs() } == [-1, 0, 1])
    }

    @Test func maxReductionSplitsTiesEvenly() throws {
        #expect(try gradient(Tensor([1, 3, 3] as [Double])) { $0.max() } == [0, 0.5, 0.5])
    }

    @Test func clipPassesTheGradientAtItsBounds() throws {
        #expect(try gradient(Tensor([-2, -1, 0.5, 1, 2] as [Double])) { $0.clipped(to: -1...1) } == [0, 1, 1, 1, 0])
    }

    @Test func maximumTieGoesToTheReceiver() throws {
        let a = Tensor([2, 1] as [Double]), b = Tensor([2, 3] as [Double])
        let tape = GradientTape(persistent: true)
        tape.watch(a)
        tape.watch(b)
        let y = tape.record { a.maximum(b).sum() }
        #expect(try tape.gradient(of: y, wrt: a)?.scalars(as: Double.self) == [1, 0])
        #expect(try tape.gradient(of: y, wrt: b)?.scalars(as: Double.self) == [0, 1])
    }

    @Test func normHasZeroGradientAtZero() throws {
        let g = try gradient(Tensor.zeros(shape: [3], dtype: .float64)) { $0.norm() }
        #expect(g == [0, 0, 0])
    }

    @Test func softplusStaysFiniteFarOut() throws {
        let x = Tensor([-1000, -30, 30, 1000] as [Double])
        let value = x.softplus().scalars(as: Double.self)
        #expect(value.allSatisfy { $0.isFinite })
        #expect(value[0] == 0 && value[3] == 1000)
        #expect(Swift.abs(value[1] - Foundation.exp(-30)) < 1e-15)  // log(1 + e⁻³⁰) ≈ e⁻³⁰ ≈ 9.4e-14
        #expect(Swift.abs(value[2] - 30) < 1e-12)
        let g = try gradient(x) { $0.softplus() }  // sigmoid(x)
        #expect(g.allSatisfy { $0.isFinite })
        #expect(g[0] == 0 && g[3] == 1)
    }
}

// MARK: - Forward values, worked out by hand

@Suite struct OpValueTests {
    private func doubles(_ values: [Double], _ shape: Shape) -> Tensor { Tensor(values, shape: shape) }

    private func expectClose(
        _ actual: Tensor, _ expected: [Double], shape: Shape, tolerance: Double = 1e-12,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(actual.shape == shape, sourceLocation: sourceLocation)
        let values = actual.scalars(as: Double.self)
        #expect(values.count == expected.count, sourceLocation: sourceLocation)
        for (a, e) in zip(values, expected) {
            #expect(Swift.abs(a - e) <= tolerance, "\(values) ≠ \(expected)", sourceLocation: sourceLocation)
        }
    }

    @Test func softmaxOfZeroAndLogTwo() {
        let x = doubles([0, Foundation.log(2)], [2])
        expectClose(x.softmax(), [1.0 / 3, 2.0 / 3], shape: [2])
        expectClose(x.logSoftmax(), [-Foundation.log(3), Foundation.log(2) - Foundation.log(3)], shape: [2])
        expectClose(x.logSumExp(), [Foundation.log(3)], shape: [])
        // Along axis 0 of a matrix: each column is its own distribution.
        let m = doubles([0, 5, Foundation.log(2), 5], [2, 2])
        expectClose(m.softmax(axis: 0), [1.0 / 3, 0.5, 2.0 / 3, 0.5], shape: [2, 2])
    }

    @Test func logSumExpDoesNotOverflow() {
        let x = doubles([1000, 1000, 0, 0], [2, 2])
        expectClose(x.logSumExp(axes: [1]), [1000 + Foundation.log(2), Foundation.log(2)], shape: [2])
        expectClose(x.logSumExp(axes: [1], keepingDimensions: true), [1000 + Foundation.log(2), Foundation.log(2)], shape: [2, 1])
        expectClose(doubles([1000, 1000], [2]).softmax(), [0.5, 0.5], shape: [2])
    }

    @Test func meanAndVariance() {
        let x = doubles([1, 2, 3, 4], [4])
        expectClose(x.mean(), [2.5], shape: [])
        expectClose(x.variance(), [1.25], shape: [])
        let m = doubles([1, 2, 3, 4, 2, 2, 2, 2], [2, 4])
        expectClose(m.variance(axes: [1]), [1.25, 0], shape: [2])
        expectClose(m.variance(axes: [0], keepingDimensions: true), [0.25, 0, 0.25, 1], shape: [1, 4])
        expectClose(m.mean(axes: [0]), [1.5, 2, 2.5, 3], shape: [4])
    }

    @Test func sumMaxMinOverAxes() {
        let x = doubles([1, 5, 3, 4, 2, 6], [2, 3])
        expectClose(x.sum(axes: [0]), [5, 7, 9], shape: [3])
        expectClose(x.sum(axes: [1], keepingDimensions: true), [9, 12], shape: [2, 1])
        expectClose(x.sum(), [21], shape: [])
        expectClose(x.max(axes: [1]), [5, 6], shape: [2])
        expectClose(x.min(axes: [-1]), [1, 2], shape: [2])
        expectClose(x.max(axes: [0], keepingDimensions: true), [4, 5, 6], shape: [1, 3])
        // Rank 3: x[i][j][k] = 4·(3i + j) + k, 0…23.
        let cube = doubles((0..<24).map(Double.init), [2, 3, 4])
        expectClose(cube.sum(axes: [0, 2]), [0 + 1 + 2 + 3 + 12 + 13 + 14 + 15, 4 + 5 + 6 + 7 + 16 + 17 + 18 + 19, 8 + 9 + 10 + 11 + 20 + 21 + 22 + 23], shape: [3])
        expectClose(cube.max(axes: [1, 2]), [11, 23], shape: [2])
    }

    @Test func normOfThreeFour() {
        expectClose(doubles([3, 4], [2]).norm(), [5], shape: [])
        expectClose(doubles([3, 4, 6, 8], [2, 2]).norm(axes: [1], keepingDimensions: true), [5, 10], shape: [2, 1])
    }

    @Test func matmulOfSmallIntegerMatrices() {
        let a = doubles([1, 2, 3, 4], [2, 2]), b = doubles([5, 6, 7, 8], [2, 2])
        expectClose(a.matmul(b), [19, 22, 43, 50], shape: [2, 2])
        expectClose(a.matmul(b, transposingA: true), [26, 30, 38, 44], shape: [2, 2])
        expectClose(a.matmul(b, transposingB: true), [17, 23, 39, 53], shape: [2, 2])
        expectClose(a.matmul(b, transposingA: true, transposingB: true), [23, 31, 34, 46], shape: [2, 2])
        // [1, 3] × [3, 2]
        expectClose(doubles([1, 2, 3], [1, 3]).matmul(doubles([1, 0, 0, 1, 1, 1], [3, 2])), [4, 5], shape: [1, 2])
    }

    /// Products big enough for the blocked kernel (or BLAS), against the textbook triple
    /// loop on small integers, which both compute exactly.
    @Test(arguments: [(13, 17, 19, false, false), (13, 17, 19, true, true), (7, 300, 5, false, true), (40, 33, 50, true, false)])
    func largerMatmulMatchesTheTripleLoop(_ m: Int, _ k: Int, _ n: Int, _ transposingA: Bool, _ transposingB: Bool) {
        func a(_ i: Int, _ p: Int) -> Double { Double((i * 7 + p * 3) % 11 - 5) }
        func b(_ p: Int, _ j: Int) -> Double { Double((p * 5 + j * 2) % 9 - 4) }
        let aValues = transposingA ? (0..<k).flatMap { p in (0..<m).map { a($0, p) } } : (0..<m).flatMap { i in (0..<k).map { a(i, $0) } }
        let bValues = transposingB ? (0..<n).flatMap { j in (0..<k).map { b($0, j) } } : (0..<k).flatMap { p in (0..<n).map { b(p, $0) } }
        let lhs = doubles(aValues, transposingA ? [k, m] : [m, k]), rhs = doubles(bValues, transposingB ? [n, k] : [k, n])
        let expected = (0..<m).flatMap { i in (0..<n).map { j in (0..<k).reduce(0.0) { $0 + a(i, $1) * b($1, j) } } }
        expectClose(lhs.matmul(rhs, transposingA: transposingA, transposingB: transposingB), expected, shape: [m, n], tolerance: 0)
        let single = lhs.cast(to: .float32).matmul(rhs.cast(to: .float32), transposingA: transposingA, transposingB: transposingB)
        expectClose(single.cast(to: .float64), expected, shape: [m, n], tolerance: 0)
    }

    @Test func batchedMatmulBroadcastsBatchDimensions() {
        // [2, 1, 2] × [2, 1]: each batch row times a column of ones.
        expectClose(doubles([1, 2, 3, 4], [2, 1, 2]).matmul(doubles([1, 1], [2, 1])), [3, 7], shape: [2, 1, 1])
        // [1, 2, 2] × [2, 2, 1]: one matrix times the unit columns e₀ and e₁ picks its columns.
        let a = doubles([1, 2, 3, 4], [1, 2, 2]), units = doubles([1, 0, 0, 1], [2, 2, 1])
        expectClose(a.matmul(units), [1, 3, 2, 4], shape: [2, 2, 1])
    }

    @Test func broadcastingArithmetic() {
        let m = doubles([1, 2, 3, 4, 5, 6], [2, 3])
        expectClose(m + doubles([10, 20, 30], [3]), [11, 22, 33, 14, 25, 36], shape: [2, 3])
        expectClose(doubles([1, 2], [2, 1]) * doubles([1, 2, 3], [1, 3]), [1, 2, 3, 2, 4, 6], shape: [2, 3])
        expectClose(m - Tensor(Double(1)), [0, 1, 2, 3, 4, 5], shape: [2, 3])
        expectClose(m / doubles([1, 2], [2, 1]), [1, 2, 3, 2, 2.5, 3], shape: [2, 3])
        let d = doubles([0, 10, 20, 30], [4, 1, 1]) - doubles([1, 2], [2, 1])
        #expect(d.shape == [4, 2, 1])
        expectClose(d, [-1, -2, 9, 8, 19, 18, 29, 28], shape: [4, 2, 1])
        expectClose(2 - m, [1, 0, -1, -2, -3, -4], shape: [2, 3])
        expectClose(3 / doubles([2, 4], [2]), [1.5, 0.75], shape: [2])
        expectClose(m / 4, [0.25, 0.5, 0.75, 1, 1.25, 1.5], shape: [2, 3])
    }

    @Test func elementwiseFunctions() {
        expectClose(doubles([0, Foundation.log(2)], [2]).exp(), [1, 2], shape: [2])
        expectClose(doubles([1, M_E], [2]).log(), [0, 1], shape: [2])
        expectClose(doubles([9, 0.25], [2]).sqrt(), [3, 0.5], shape: [2])
        expectClose(doubles([2, 4, -3], [3]).pow(doubles([3, 0.5, 2], [3])), [8, 2, 9], shape: [3])
        expectClose(doubles([2, 3], [2]).pow(-1), [0.5, 1.0 / 3], shape: [2])
        expectClose(doubles([-3, 0.5], [2]).square(), [9, 0.25], shape: [2])
        expectClose(doubles([0, Double.pi / 2], [2]).sin(), [0, 1], shape: [2])
        expectClose(doubles([0, Double.pi], [2]).cos(), [1, -1], shape: [2])
        expectClose(doubles([0, -1000, 1000], [3]).tanh(), [0, -1, 1], shape: [3])
        expectClose(doubles([0, -1000, 1000], [3]).sigmoid(), [0.5, 0, 1], shape: [3])
        expectClose(doubles([0], [1]).softplus(), [Foundation.log(2)], shape: [1])
        expectClose(doubles([-1, 0, 2], [3]).relu(), [0, 0, 2], shape: [3])
        expectClose(doubles([-2, 3], [2]).leakyRelu(slope: 0.5), [-1, 3], shape: [2])
        expectClose(doubles([-1.5, 0, 2], [3]).abs(), [1.5, 0, 2], shape: [3])
        expectClose(doubles([-2, 0.5, 3], [3]).clipped(to: -1...1), [-1, 0.5, 1], shape: [3])
        expectClose(doubles([2, 4], [2]).reciprocal(), [0.5, 0.25], shape: [2])
        expectClose(-doubles([2, -4], [2]), [-2, 4], shape: [2])
    }

    @Test func maximumMinimumAndSelect() {
        let a = doubles([1, 5, -2], [3]), b = doubles([3, 2, -2], [3])
        expectClose(a.maximum(b), [3, 5, -2], shape: [3])
        expectClose(a.minimum(b), [1, 2, -2], shape: [3])
        expectClose(a.maximum(0), [1, 5, 0], shape: [3])
        let condition = Tensor([true, false, true], shape: [3])
        expectClose(select(condition, a, b), [1, 2, -2], shape: [3])
        expectClose(select(condition, a, 7), [1, 7, -2], shape: [3])
    }

    @Test func castRoundTripsThroughFloat32() {
        let x = doubles([0.1, 0.5], [2])
        let there = x.cast(to: .float32)
        #expect(there.dtype == .float32)
        #expect(there.scalars(as: Float.self) == [0.1, 0.5])
        #expect(there.cast(to: .float64).scalars(as: Double.self) == [Double(Float(0.1)), 0.5])
    }

    @Test func reshapeTransposeAndPermute() {
        let x = doubles([0, 1, 2, 3, 4, 5], [2, 3])
        expectClose(x.reshaped(to: [-1, 2]), [0, 1, 2, 3, 4, 5], shape: [3, 2])
        expectClose(x.transposed(), [0, 3, 1, 4, 2, 5], shape: [3, 2])
        // y[k][0][i] = x[0][i][k] = 3i + k
        expectClose(doubles([0, 1, 2, 3, 4, 5], [1, 2, 3]).permuted([2, 0, 1]), [0, 3, 1, 4, 2, 5], shape: [3, 1, 2])
        expectClose(doubles([1, 2, 3], [3, 1]).expanded(to: [2, 3, 2]), [1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3], shape: [2, 3, 2])
    }

    @Test func sliceAndPad() {
        let x = doubles((0..<12).map(Double.init), [3, 4])
        expectClose(x.slice(lowerBounds: [1, 1], sizes: [2, 2]), [5, 6, 9, 10], shape: [2, 2])
        expectClose(x.slice(1..<3, axis: 1), [1, 2, 5, 6, 9, 10], shape: [3, 2])
        expectClose(x.slice(2..<3), [8, 9, 10, 11], shape: [1, 4])
        expectClose(doubles([1, 2], [1, 2]).padded(before: [1, 0], after: [0, 1]), [0, 0, 0, 1, 2, 0], shape: [2, 3])
    }

    @Test func gatherRepeatsAndPicksAlongAnAxis() {
        let x = doubles([10, 11, 20, 21, 30, 31], [3, 2])
        expectClose(x.gather(indices: [2, 0, 2]), [30, 31, 10, 11, 30, 31], shape: [3, 2])
        expectClose(x.gather(indices: [1, 1, 0], axis: 1), [11, 11, 10, 21, 21, 20, 31, 31, 30], shape: [3, 3])
        let grid = Tensor([0, 2, 1, 1] as [Int32], shape: [2, 2])
        expectClose(x.gather(indices: grid, axis: 0), [10, 11, 30, 31, 20, 21, 20, 21], shape: [2, 2, 2])
    }

    @Test func gatherGradientAddsRepeatedIndices() throws {
        let x = doubles([1, 2, 3], [3])
        let tape = GradientTape()
        tape.watch(x)
        let y = tape.record { x.gather(indices: [2, 0, 2, 2]).sum() }
        #expect(try tape.gradient(of: y, wrt: x)?.scalars(as: Double.self) == [1, 0, 3])
    }

    @Test func concatAndStack() {
        let top = doubles([1, 2], [1, 2]), rest = doubles([3, 4, 5, 6], [2, 2])
        expectClose(concat([top, rest], axis: 0), [1, 2, 3, 4, 5, 6], shape: [3, 2])
        expectClose(concat([doubles([1, 2], [2, 1]), rest], axis: 1), [1, 3, 4, 2, 5, 6], shape: [2, 3])
        expectClose(
            concat([doubles([1], [1, 1]), doubles([2, 3], [1, 2]), doubles([4, 5, 6], [1, 3])], axis: -1),
            [1, 2, 3, 4, 5, 6], shape: [1, 6])
        let a = doubles([1, 2], [2]), b = doubles([3, 4], [2])
        expectClose(stack([a, b]), [1, 2, 3, 4], shape: [2, 2])
        expectClose(stack([a, b], axis: 1), [1, 3, 2, 4], shape: [2, 2])
    }

    @Test func float32FollowsTheSameRules() {
        let a = Tensor([1, 2, 3, 4] as [Float], shape: [2, 2])
        #expect((a * 2).dtype == .float32)
        #expect(a.matmul(a).scalars(as: Float.self) == [7, 10, 15, 22])
        #expect(a.sum(axes: [0]).scalars(as: Float.self) == [4, 6])
    }
}

// MARK: - Shape errors stop the program with the op and the shapes

@Suite struct OpShapeErrorTests {
    private func text(_ result: ExitTest.Result?) -> String {
        String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    }

    @Test func matmulInnerDimensionMismatch() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros(shape: [1, 10]).matmul(Tensor.zeros(shape: [2, 1]))
        }
        let message = text(result)
        #expect(message.contains("matmul") && message.contains("[1, 10]") && message.contains("[2, 1]"), "\(message)")
    }

    @Test func addShapesThatDoNotBroadcast() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros(shape: [2, 3]) + Tensor.zeros(shape: [4])
        }
        let message = text(result)
        #expect(message.contains("add") && message.contains("[2, 3]") && message.contains("[4]"), "\(message)")
    }

    @Test func reshapeToAWrongCount() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros(shape: [2, 3]).reshaped(to: [4])
        }
        let message = text(result)
        #expect(message.contains("reshape") && message.contains("[2, 3]") && message.contains("[4]"), "\(message)")
    }

    @Test func concatShapesThatDisagreeOffTheAxis() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = concat([Tensor.zeros(shape: [2, 3]), Tensor.zeros(shape: [2, 4])], axis: 0)
        }
        let message = text(result)
        #expect(message.contains("concat") && message.contains("[2, 3]") && message.contains("[2, 4]"), "\(message)")
    }

    @Test func gatherIndexOutOfRange() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros(shape: [3, 2]).gather(indices: [0, 5])
        }
        let message = text(result)
        #expect(message.contains("gather") && message.contains("5") && message.contains("[3, 2]"), "\(message)")
    }

    @Test func float32PlusFloat64() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros(shape: [2], dtype: .float32) + Tensor.zeros(shape: [2], dtype: .float64)
        }
        let message = text(result)
        #expect(message.contains("add") && message.contains("float32") && message.contains("float64"), "\(message)")
    }
}
