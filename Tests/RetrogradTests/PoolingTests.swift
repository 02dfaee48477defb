import Testing
import Retrograd
import RetrogradTestSupport

/// `maxPool2D`, `avgPool2D` and `extractPatches` against direct loops over the windows
/// (Support/DirectConvolution.swift) and hand-worked cases of padding. (Max pooling's
/// winners, tie rule, gradients and tangents: MaxPoolPrimitiveTests; gradients to second
/// order: the op catalog.)
@Suite struct PoolingTests {
    typealias Setting = PoolingSetting

    static let settings: [Setting] = [
        Setting(image: (2, 6, 6, 3), window: (2, 2), strides: (2, 2)),
        Setting(image: (1, 7, 5, 2), window: (3, 3), strides: (2, 2), pad: PaddingSpec(mode: "same")),
        Setting(image: (2, 5, 6, 1), window: (2, 3), strides: (1, 2), pad: PaddingSpec(mode: "same")),
        Setting(image: (1, 5, 5, 2), window: (3, 2), strides: (1, 1), pad: PaddingSpec(mode: "explicit", explicit: (2, 1, 0, 1))),
    ]

    @Test(arguments: settings, [true, false]) func poolingMatchesTheDirectLoops(_ s: Setting, max: Bool) {
        let (n, h, w, c) = s.image
        let x = ConvolutionTests.values(n * h * w * c, seed: 11)
        let (rows, columns) = s.pad.windows(size: (h, w), window: s.window, strides: s.strides)
        let expected = directPool2D(
            Image(n, h, w, c, values: x), window: s.window, strides: s.strides, rows: rows, columns: columns, max: max)
        let input = Tensor(x, shape: [n, h, w, c])
        let y = max
            ? maxPool2D(input, windowSize: s.window, strides: s.strides, padding: s.pad.padding)
            : avgPool2D(input, windowSize: s.window, strides: s.strides, padding: s.pad.padding)
        #expect(y.shape == [n, rows.output, columns.output, c])
        #expect(allClose(y.scalars(as: Double.self), expected.values, tolerance: 1e-14))
    }

    @Test func paddedCellsNeitherWinNorCount() {
        // A row of negatives, 2-wide windows at stride 2 with "same" padding: the last
        // window holds −5 and one zero of padding, which must not win the max nor halve the mean.
        let row = Tensor([-1, -2, -3, -4, -5] as [Double], shape: [1, 1, 5, 1])
        #expect(maxPool2D(row, windowSize: (1, 2), padding: .same).scalars(as: Double.self) == [-1, -3, -5])
        #expect(avgPool2D(row, windowSize: (1, 2), padding: .same).scalars(as: Double.self) == [-1.5, -3.5, -5])
    }

    @Test func stridesDefaultToTheWindow() {
        let x = Tensor((0..<16).map(Double.init), shape: [1, 4, 4, 1])
        // Windows tile the 4×4 image: the largest of each 2×2 block is its bottom-right cell.
        #expect(maxPool2D(x, windowSize: (2, 2)).scalars(as: Double.self) == [5, 7, 13, 15])
        #expect(avgPool2D(x, windowSize: (2, 2)).scalars(as: Double.self) == [2.5, 4.5, 10.5, 12.5])
    }

    @Test func patchesOrderEachWindowByRowColumnChannel() {
        // Two channels (c, 10c); a 2×2 window at stride 2 over a 2×4 image.
        let x = Tensor([1, 10, 2, 20, 3, 30, 4, 40, 5, 50, 6, 60, 7, 70, 8, 80] as [Double], shape: [1, 2, 4, 2])
        let patches = extractPatches(x, windowSize: (2, 2), strides: (2, 2))
        #expect(patches.shape == [1, 1, 2, 8])
        #expect(patches.scalars(as: Double.self) == [1, 10, 2, 20, 5, 50, 6, 60, 3, 30, 4, 40, 7, 70, 8, 80])
        // Dilation 2 with "same" padding on a 1×3 row: a window spans 3 cells, so 2 zeros,
        // one on each side; the windows read cells (−1, 1), (0, 2) and (1, 3).
        let row = Tensor([1, 2, 3] as [Double], shape: [1, 1, 3, 1])
        #expect(extractPatches(row, windowSize: (1, 2), padding: .same, dilations: (1, 2)).scalars(as: Double.self)
                == [0, 2, 1, 3, 2, 0])
    }
}
