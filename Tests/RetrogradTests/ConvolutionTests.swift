import Testing
import Retrograd
import RetrogradTestSupport

/// `conv2d` and `conv2dTranspose` against direct nested-loop references written from the
/// definitions (Support/DirectConvolution.swift), over strides, paddings, dilations and
/// groups on odd sizes; padding "same" checked by hand on small cases; the transpose as
/// the adjoint of the convolution. (Gradients to second order: the op catalog.)
@Suite struct ConvolutionTests {
    /// Deterministic float64 values in [−1, 1).
    static func values(_ count: Int, seed: UInt64) -> [Double] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in 2 * generator.unitInterval() - 1 }
    }

    struct Setting: CustomStringConvertible, Sendable {
        var image: (Int, Int, Int, Int)
        var filter: (Int, Int, Int)  // height, width, out channels
        var strides = (1, 1), dilations = (1, 1), groups = 1
        var pad = PaddingSpec()

        var padding: Padding { pad.padding }

        var description: String { "\(image) \(filter) s\(strides) d\(dilations) g\(groups) \(pad)" }
    }

    static let settings: [Setting] = [
        Setting(image: (2, 7, 6, 3), filter: (3, 3, 4)),
        Setting(image: (1, 7, 6, 3), filter: (3, 2, 2), strides: (2, 2), pad: PaddingSpec(mode: "same")),
        Setting(image: (1, 8, 5, 2), filter: (4, 2, 3), strides: (3, 2), pad: PaddingSpec(mode: "same")),
        Setting(image: (2, 6, 7, 2), filter: (2, 3, 2), strides: (1, 2), dilations: (2, 1),
                pad: PaddingSpec(mode: "explicit", explicit: (1, 0, 2, 1))),
        Setting(image: (1, 9, 9, 4), filter: (3, 3, 6), dilations: (2, 3), groups: 2, pad: PaddingSpec(mode: "same")),
        Setting(image: (2, 5, 4, 3), filter: (2, 2, 6), strides: (2, 1), groups: 3, pad: PaddingSpec(mode: "same")),  // depthwise ×2
        Setting(image: (2, 3, 3, 3), filter: (1, 1, 2)),  // pointwise
        Setting(image: (1, 5, 5, 2), filter: (1, 1, 2), strides: (2, 2)),  // 1×1 with a stride
    ]

    static func windows(_ s: Setting) -> (AxisWindows, AxisWindows) {
        s.pad.windows(size: (s.image.1, s.image.2), window: (s.filter.0, s.filter.1), strides: s.strides, dilations: s.dilations)
    }

    @Test(arguments: settings) func conv2dMatchesTheDirectLoops(_ s: Setting) {
        let (n, h, w, c) = s.image
        let (fh, fw, o) = s.filter
        let x = Self.values(n * h * w * c, seed: 1), f = Self.values(fh * fw * (c / s.groups) * o, seed: 2)
        let (rows, columns) = Self.windows(s)
        let expected = directConv2D(
            Image(n, h, w, c, values: x), filter: f, fh, fw, outChannels: o, groups: s.groups, strides: s.strides,
            dilations: s.dilations, rows: rows, columns: columns)
        let y = conv2d(
            Tensor(x, shape: [n, h, w, c]), filter: Tensor(f, shape: [fh, fw, c / s.groups, o]), strides: s.strides,
            padding: s.padding, dilations: s.dilations, groups: s.groups)
        #expect(y.shape == [n, rows.output, columns.output, o])
        #expect(allClose(y.scalars(as: Double.self), expected.values, tolerance: 1e-12))
        // float32 runs the same kernels on 4-byte elements.
        let x32: [Float] = x.map { Float($0) }, f32: [Float] = f.map { Float($0) }
        let y32 = conv2d(
            Tensor(x32, shape: [n, h, w, c]), filter: Tensor(f32, shape: [fh, fw, c / s.groups, o]),
            strides: s.strides, padding: s.padding, dilations: s.dilations, groups: s.groups)
        let found32: [Double] = y32.scalars(as: Float.self).map { Double($0) }
        #expect(allClose(found32, expected.values, absolute: 1e-5))
    }

    @Test(arguments: settings.filter { $0.groups == 1 }) func conv2dTransposeMatchesTheScatterLoops(_ s: Setting) {
        // The transposed convolution from the forward convolution's output size back to its input's.
        let (n, h, w, c) = s.image
        let (fh, fw, o) = s.filter
        let (rows, columns) = Self.windows(s)
        let x = Self.values(n * rows.output * columns.output * o, seed: 3), f = Self.values(fh * fw * c * o, seed: 4)
        // conv2dTranspose's filter is [fh, fw, outChannels = c, inChannels = o]: the HWIO filter of the forward one.
        let expected = directConv2DTranspose(
            Image(n, rows.output, columns.output, o, values: x), filter: f, fh, fw, outChannels: c, outputSize: (h, w),
            strides: s.strides, dilations: s.dilations, rows: rows, columns: columns)
        let y = conv2dTranspose(
            Tensor(x, shape: [n, rows.output, columns.output, o]), filter: Tensor(f, shape: [fh, fw, c, o]),
            outputSize: (h, w), strides: s.strides, padding: s.padding, dilations: s.dilations)
        #expect(y.shape == [n, h, w, c])
        #expect(allClose(y.scalars(as: Double.self), expected.values, tolerance: 1e-12))
    }

    @Test(arguments: settings.filter { $0.groups == 1 }) func theTransposeIsTheAdjointOfTheConvolution(_ s: Setting) {
        // ⟨conv2d(x, f), u⟩ = ⟨x, conv2dTranspose(u, f)⟩ for every x and u.
        let (n, h, w, c) = s.image
        let (fh, fw, o) = s.filter
        let (rows, columns) = Self.windows(s)
        let x = Tensor(Self.values(n * h * w * c, seed: 5), shape: [n, h, w, c])
        let f = Tensor(Self.values(fh * fw * c * o, seed: 6), shape: [fh, fw, c, o])
        let u = Tensor(Self.values(n * rows.output * columns.output * o, seed: 7), shape: [n, rows.output, columns.output, o])
        let forward = (conv2d(x, filter: f, strides: s.strides, padding: s.padding, dilations: s.dilations) * u).sum()
        let back = conv2dTranspose(u, filter: f, outputSize: (h, w), strides: s.strides, padding: s.padding, dilations: s.dilations)
        #expect(isClose(forward.scalar(as: Double.self), (x * back).sum().scalar(as: Double.self), tolerance: 1e-12))
    }

    /// One row [1, 2, 3, 4, 5] (a 1×5 image with one channel) through a window of ones.
    static func rowSums(window: Int, stride: Int, padding: Padding) -> [Double] {
        let row = Tensor([1, 2, 3, 4, 5] as [Double], shape: [1, 1, 5, 1])
        return conv2d(row, filter: Tensor.ones(shape: [1, window, 1, 1], dtype: .float64), strides: (1, stride), padding: padding)
            .scalars(as: Double.self)
    }

    @Test func samePaddingPutsTheOddZeroAfter() {
        // Window 3, stride 1: one zero on each side: [0+1+2, 1+2+3, 2+3+4, 3+4+5, 4+5+0].
        #expect(Self.rowSums(window: 3, stride: 1, padding: .same) == [3, 6, 9, 12, 9])
        // Window 4, stride 1: three zeros, one before and two after (TensorFlow "SAME"; PyTorch's
        // padding="same" pads the same way): [0+1+2+3, 1+2+3+4, 2+3+4+5, 3+4+5+0, 4+5+0+0].
        #expect(Self.rowSums(window: 4, stride: 1, padding: .same) == [6, 10, 14, 12, 9])
        // Window 2, stride 2: ⌈5/2⌉ = 3 outputs, one zero after: [1+2, 3+4, 5+0].
        #expect(Self.rowSums(window: 2, stride: 2, padding: .same) == [3, 7, 5])
        // Valid: the windows that fit; explicit: as given.
        #expect(Self.rowSums(window: 2, stride: 2, padding: .valid) == [3, 7])
        #expect(Self.rowSums(window: 2, stride: 2, padding: .explicit(top: 0, bottom: 0, left: 1, right: 0)) == [1, 5, 9])
    }

    @Test func theTransposeSpreadsEachPixelOverItsWindow() {
        // Input [1, 2], filter [1, 10, 100], stride 2, valid: 1 lands at 0…2 and 2 at 2…4.
        let x = Tensor([1, 2] as [Double], shape: [1, 1, 2, 1])
        let f = Tensor([1, 10, 100] as [Double], shape: [1, 3, 1, 1])
        #expect(conv2dTranspose(x, filter: f, strides: (1, 2)).scalars(as: Double.self) == [1, 10, 102, 20, 200])
        // "same": the output is input·stride = 4 wide; the forward conv of 4 cells pads
        // (2 − 1)·2 + 3 − 4 = 1 zero, after, so 2's last copy (200) falls on it and is dropped.
        #expect(conv2dTranspose(x, filter: f, strides: (1, 2), padding: .same).scalars(as: Double.self) == [1, 10, 102, 20])
    }

    @Test func aDepthwiseConvolutionFiltersEachChannelAlone() {
        // Two channels, a 2×1 window of [1, 1] for channel 0 and [1, −1] for channel 1.
        let x = Tensor([1, 10, 2, 20, 4, 40] as [Double], shape: [1, 3, 1, 2])
        let f = Tensor([1, 1, 1, -1] as [Double], shape: [2, 1, 1, 2])
        #expect(conv2d(x, filter: f, groups: 2).scalars(as: Double.self) == [3, -10, 6, -20])
    }

    @Test func largeImagesSplitAcrossCoresGiveTheSameValues() {
        // Big enough for the patch kernels to split by rows: the same as the direct loops.
        let s = Setting(image: (4, 29, 31, 8), filter: (5, 5, 6), strides: (1, 2), pad: PaddingSpec(mode: "same"))
        let (n, h, w, c) = s.image
        let (fh, fw, o) = s.filter
        let x = Self.values(n * h * w * c, seed: 8), f = Self.values(fh * fw * c * o, seed: 9)
        let (rows, columns) = Self.windows(s)
        let expected = directConv2D(
            Image(n, h, w, c, values: x), filter: f, fh, fw, outChannels: o, groups: 1, strides: s.strides,
            dilations: s.dilations, rows: rows, columns: columns)
        let input = Tensor(x, shape: [n, h, w, c]), filter = Tensor(f, shape: [fh, fw, c, o])
        let y = conv2d(input, filter: filter, strides: s.strides, padding: .same)
        #expect(allClose(y.scalars(as: Double.self), expected.values, tolerance: 1e-12))
        let u = Tensor(Self.values(y.elementCount, seed: 10), shape: y.shape)
        let back = conv2dTranspose(u, filter: filter, outputSize: (h, w), strides: s.strides, padding: .same)
        #expect(isClose((y * u).sum().scalar(as: Double.self), (input * back).sum().scalar(as: Double.self), tolerance: 1e-10))
    }

    @Test func aGradientPenaltyThroughAConvNetMatchesFiniteDifferences() {
        // P(x, f₁, f₂) = ‖∂L/∂x‖² for L = Σ conv(maxPool(tanh(conv(x, f₁))), f₂)²: its gradient
        // differentiates the backward pass of both convolutions and the pooling.
        func penalty(_ inputs: [Tensor]) -> Tensor {
            let inner = GradientTape()
            inner.watch(inputs[0])
            let loss = inner.record { () -> Tensor in
                let hidden = maxPool2D(conv2d(inputs[0], filter: inputs[1], padding: .same).tanh(), windowSize: (2, 2))
                return conv2d(hidden, filter: inputs[2], strides: (1, 1), padding: .same).square().sum()
            }
            let dx = try! inner.gradient(of: loss, wrt: inputs[0])!
            return (dx * dx).sum()
        }
        let x = Tensor(Self.values(2 * 6 * 5 * 2, seed: 12), shape: [2, 6, 5, 2])
        let f1 = Tensor(Self.values(3 * 3 * 2 * 3, seed: 13), shape: [3, 3, 2, 3])
        let f2 = Tensor(Self.values(2 * 2 * 3 * 2, seed: 14), shape: [2, 2, 3, 2])
        let report = checkGradients(of: penalty, at: [x, f1, f2], order: 1)
        #expect(report.passed, "\(report)")
    }
}
