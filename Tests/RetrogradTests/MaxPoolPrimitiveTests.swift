import Testing
import Retrograd
import RetrogradTestSupport

/// Max pooling's own primitive pair against plain loops in float64: the values, the cell
/// that wins each window (the first largest in row-major window order), the gradient that
/// lands there, its second derivatives (a gradient penalty worked out by hand and against
/// finite differences) and its tangents in forward mode, over paddings and strides that
/// differ from the window (overlapping windows and gaps between them).
@Suite struct MaxPoolPrimitiveTests {
    typealias Setting = PoolingSetting

    static let settings: [Setting] = [
        // Windows tiling the image (the spread's fast path), with 37 channels: two blocks of
        // the kernel's channel loop and a remainder.
        Setting(image: (2, 4, 6, 37), window: (2, 2), strides: (2, 2)),
        Setting(image: (2, 4, 6, 3), window: (2, 3), strides: (2, 3)),
        // Overlapping windows with "same" padding (odd totals: the extra zero after).
        Setting(image: (1, 7, 5, 2), window: (3, 3), strides: (2, 2), pad: PaddingSpec(mode: "same")),
        Setting(image: (2, 5, 6, 1), window: (2, 3), strides: (1, 2), pad: PaddingSpec(mode: "same")),
        // Uneven explicit padding, stride 1.
        Setting(image: (1, 5, 5, 2), window: (3, 2), strides: (1, 1), pad: PaddingSpec(mode: "explicit", explicit: (2, 1, 0, 1))),
        // Strides larger than the window: cells between windows get no gradient.
        Setting(image: (2, 7, 8, 3), window: (2, 2), strides: (3, 3)),
        // A 2×2 pool of a 5×5 image: the last row and column are in no window.
        Setting(image: (1, 5, 5, 2), window: (2, 2), strides: (2, 2)),
    ]

    /// Images big enough for the kernels to split the work across the cores (by output rows
    /// for the pooling and the pick, by images for the spread), tiling and overlapping.
    static let largeSettings: [Setting] = [
        Setting(image: (4, 64, 64, 16), window: (2, 2), strides: (2, 2)),
        Setting(image: (3, 45, 47, 20), window: (3, 3), strides: (2, 2), pad: PaddingSpec(mode: "same")),
    ]

    /// For each output (b, i, j, ch), in row-major order, the flat index in the image of
    /// the cell that wins its window: the first largest, visiting the window's rows then
    /// columns, padding excluded.
    static func winners(_ x: Image, _ s: Setting) -> (rows: AxisWindows, columns: AxisWindows, cells: [Int]) {
        let (rows, columns) = s.pad.windows(size: (x.h, x.w), window: s.window, strides: s.strides)
        var cells: [Int] = []
        for b in 0..<x.n {
            for i in 0..<rows.output {
                for j in 0..<columns.output {
                    for ch in 0..<x.c {
                        var best: (value: Double, index: Int)?
                        for a in 0..<s.window.0 {
                            for e in 0..<s.window.1 {
                                let y = i * s.strides.0 + a - rows.before, xx = j * s.strides.1 + e - columns.before
                                guard let v = x.at(b, y, xx, ch) else { continue }
                                if best == nil || v > best!.value { best = (v, ((b * x.h + y) * x.w + xx) * x.c + ch) }
                            }
                        }
                        cells.append(best!.index)
                    }
                }
            }
        }
        return (rows, columns, cells)
    }

    @Test(arguments: settings + largeSettings) func valuesAndGradientsGoToTheFirstLargestCell(_ s: Setting) throws {
        let (n, h, w, c) = s.image
        let xs = ConvolutionTests.values(n * h * w * c, seed: 21)
        let (rows, columns, cells) = Self.winners(Image(n, h, w, c, values: xs), s)
        let gs = ConvolutionTests.values(cells.count, seed: 22)
        var expectedGradient = [Double](repeating: 0, count: xs.count)
        for (output, cell) in cells.enumerated() { expectedGradient[cell] += gs[output] }

        for dtype in [DType.float64, .float32] {
            let x = Tensor(xs, shape: [n, h, w, c]).cast(to: dtype)
            let tape = GradientTape()
            let y = tape.record { () -> Tensor in
                tape.watch(x)
                return maxPool2D(x, windowSize: s.window, strides: s.strides, padding: s.pad.padding)
            }
            #expect(y.shape == [n, rows.output, columns.output, c] && y.dtype == dtype)
            // The values are the inputs at the winners, exactly (float32: the inputs rounded).
            let inputs = x.scalars(as: Double.self)
            #expect(y.scalars(as: Double.self) == cells.map { inputs[$0] })
            let g = Tensor(gs, shape: y.shape).cast(to: dtype)
            let dx = try #require(try tape.gradient(of: y, wrt: x, outputGradient: g))
            #expect(dx.shape == x.shape && dx.dtype == dtype)
            #expect(allClose(dx.scalars(as: Double.self), expectedGradient, tolerance: dtype == .float64 ? 1e-15 : 1e-6))
        }
    }

    @Test func tiedMaximaGiveTheWholeGradientToTheFirst() throws {
        // Rows [3, 3, 1, 2] and [3, 1, 0, 5] in 2×2 windows: the left window holds three
        // tied 3s and the first (top left) takes all; the right one sends it to the 5.
        // With stride 1 the middle window {3, 1, 1, 0} has one 3 at the top left too.
        let x = Tensor([3, 3, 1, 2, 3, 1, 0, 5] as [Double], shape: [1, 2, 4, 1])
        for (strides, expected) in [((2, 2), [1.0, 0, 0, 0, 0, 0, 0, 1]), ((1, 1), [1.0, 1, 0, 0, 0, 0, 0, 1])] {
            let tape = GradientTape()
            let y = tape.record { () -> Tensor in
                tape.watch(x)
                return maxPool2D(x, windowSize: (2, 2), strides: strides).sum()
            }
            #expect(values(try tape.gradient(of: y, wrt: x)) == expected, "strides \(strides)")
        }
    }

    @Test func aNaNInAWindowWinsIt() {
        let x = Tensor([1, .nan, 2, 3, 4, 5, 6, 7] as [Double], shape: [1, 2, 4, 1])
        let y = maxPool2D(x, windowSize: (2, 2)).scalars(as: Double.self)
        #expect(y[0].isNaN && y[1] == 7)
    }

    @Test func aGradientPenaltyIsWorkedOutByHand() throws {
        // Tiling windows, L = Σ maxPool(x)³ / 3: ∂L/∂x is y² at each winner (0 elsewhere), so
        // P = ‖∂L/∂x‖² = Σ y⁴ and ∂P/∂x is 4y³ at each winner. The outer gradient runs the
        // rule of the spread the inner one recorded, the pick.
        let s = Setting(image: (2, 4, 6, 3), window: (2, 2), strides: (2, 2))
        let (n, h, w, c) = s.image
        let xs = ConvolutionTests.values(n * h * w * c, seed: 23)
        let cells = Self.winners(Image(n, h, w, c, values: xs), s).cells
        var expected = [Double](repeating: 0, count: xs.count)
        for cell in cells { expected[cell] = 4 * xs[cell] * xs[cell] * xs[cell] }
        let x = Tensor(xs, shape: [n, h, w, c])
        let outer = GradientTape()
        let penalty = try outer.record { () throws -> Tensor in
            outer.watch(x)
            let inner = GradientTape()
            let loss = inner.record { () -> Tensor in
                inner.watch(x)
                let y = maxPool2D(x, windowSize: (2, 2))
                return (y * y * y).sum() / 3
            }
            let dx = try #require(try inner.gradient(of: loss, wrt: x))
            return (dx * dx).sum()
        }
        #expect(isClose(penalty.scalar(as: Double.self), cells.map { xs[$0] * xs[$0] * xs[$0] * xs[$0] }.reduce(0, +), tolerance: 1e-14))
        #expect(allClose(values(try outer.gradient(of: penalty, wrt: x)), expected, tolerance: 1e-14))
    }

    @Test(arguments: settings.dropFirst(2)) func aGradientPenaltyMatchesFiniteDifferences(_ s: Setting) {
        // P(x, f) = ‖∂L/∂x‖² for L = Σ (maxPool(x) · f)², f a weight per output: second order
        // through both primitives (and, with order 2, third derivatives of the pooling).
        let (n, h, w, c) = s.image
        func penalty(_ inputs: [Tensor]) -> Tensor {
            let inner = GradientTape()
            inner.watch(inputs[0])
            let loss = inner.record {
                (maxPool2D(inputs[0], windowSize: s.window, strides: s.strides, padding: s.pad.padding) * inputs[1]).square().sum()
            }
            let dx = try! inner.gradient(of: loss, wrt: inputs[0])!
            return (dx * dx).sum()
        }
        let x = Tensor(ConvolutionTests.values(n * h * w * c, seed: 24), shape: [n, h, w, c])
        let outputs = maxPool2D(x, windowSize: s.window, strides: s.strides, padding: s.pad.padding).shape
        let f = Tensor(ConvolutionTests.values(outputs.elementCount, seed: 25), shape: outputs)
        let report = checkGradients(of: penalty, at: [x, f], order: 2)
        #expect(report.passed, "\(report)")
    }

    @Test(arguments: settings + largeSettings) func tangentsAreTheInputTangentsAtTheWinners(_ s: Setting) throws {
        // Forward mode: the tangent of y = maxPool(x) is ẋ at each winner; the tangent of
        // the gradient of L = Σ y²/2 (which is y spread to the winners) is ẋ at each winner
        // spread back to the winners: ẋ at the winning cells (summed where a cell wins
        // several windows), 0 elsewhere.
        let (n, h, w, c) = s.image
        let xs = ConvolutionTests.values(n * h * w * c, seed: 26), ts = ConvolutionTests.values(xs.count, seed: 27)
        let cells = Self.winners(Image(n, h, w, c, values: xs), s).cells
        var expectedGradientTangent = [Double](repeating: 0, count: xs.count)
        for cell in cells { expectedGradientTangent[cell] += ts[cell] }
        let x = Tensor(xs, shape: [n, h, w, c])
        let accumulator = try ForwardAccumulator(primals: [x], tangents: [Tensor(ts, shape: [n, h, w, c])])
        let (y, dx) = try accumulator.record { () throws -> (Tensor, Tensor) in
            let tape = GradientTape()
            let (y, loss) = tape.record { () -> (Tensor, Tensor) in
                tape.watch(x)
                let y = maxPool2D(x, windowSize: s.window, strides: s.strides, padding: s.pad.padding)
                return (y, (y * y).sum() / 2)
            }
            return (y, try #require(try tape.gradient(of: loss, wrt: x)))
        }
        #expect(values(try accumulator.jvp(y)) == cells.map { ts[$0] })
        #expect(allClose(values(try accumulator.jvp(dx)), expectedGradientTangent, tolerance: 1e-15))
    }
}
