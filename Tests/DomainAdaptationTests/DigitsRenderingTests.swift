import Foundation
import Testing
@testable import DomainAdaptation

/// The grey (source) and MNIST-M-like (target) renderings of the digits.
///
/// Background values are worked out by hand in the comments: bilinear interpolation
/// reproduces a linear function exactly, and pixel r of 8 sits at grid position 2r/7.
@Suite struct DigitsRenderingTests {
    /// `[1, 64]` greyscale image: ink 1 at row 3, column 5, 0.5 at row 7, column 7, else 0.
    static func twoDotImage() throws -> Dataset {
        var pixels = [Float](repeating: 0, count: 64)
        pixels[3 * 8 + 5] = 1
        pixels[7 * 8 + 7] = 0.5
        return try Dataset(features: Tensor(pixels, shape: [1, 64]), labels: [4])
    }

    /// The value of `channel` at `row`, `column` of rendered row `index`.
    static func value(_ data: Dataset, _ index: Int, row: Int, column: Int, channel: Int) -> Float {
        data.features.scalars(as: Float.self)[index * 192 + (row * 8 + column) * 3 + channel]
    }

    @Test func sourceRenderingCopiesTheGreyPixelIntoThreeChannels() throws {
        let images = try Digits.load()
        let source = Digits.sourceRendering(of: images)
        #expect(source.count == 1797 && source.featureCount == 192)
        #expect(source.labelScalars == images.labelScalars)
        // Image 0, row 0, column 3 is 13 in the CSV; row 1, column 2 is 13; row 0, column 0 is 0.
        for channel in 0..<3 {
            #expect(Self.value(source, 0, row: 0, column: 3, channel: channel) == 0.8125)
            #expect(Self.value(source, 0, row: 1, column: 2, channel: channel) == 0.8125)
            #expect(Self.value(source, 0, row: 0, column: 0, channel: channel) == 0)
        }
    }

    @Test func aLinearTextureGivesTheHandComputedBlend() throws {
        // Bilinear interpolation reproduces a linear function of the grid node (i, j), and
        // pixel r sits at grid position 2r/7. So red = 0.1 + (0.01·2r/7 + 0.1·2c/7 − 0.1)
        // = (0.02 r + 0.2 c)/7; green = 0.8; blue = 0.3 − 0.2·2r/7, clamped at 0 from row 6.
        let red: [Double] = [-0.1, 0.0, 0.1, -0.09, 0.01, 0.11, -0.08, 0.02, 0.12]  // 0.01 i + 0.1 j − 0.1
        let green = [Double](repeating: 0, count: 9)
        let blue: [Double] = [0, 0, 0, -0.2, -0.2, -0.2, -0.4, -0.4, -0.4]  // −0.2 i
        let background = DigitBackground(colour: [0.1, 0.8, 0.3], texture: red + green + blue)
        let target = Digits.targetRendering(of: try Self.twoDotImage(), backgrounds: [background])
        #expect(target.labelScalars == [4])
        let expected: [(row: Int, column: Int, values: [Double])] = [
            (0, 0, [0, 0.8, 0.3]),                             // no ink: the background itself
            (3, 5, [1 - 1.06 / 7, 0.2, 1 - 0.9 / 7]),          // ink 1: 1 − background
            (7, 7, [0.5 - 1.54 / 7, 0.3, 0.5]),                // ink 0.5, blue clamped to 0
            (5, 0, [0.1 / 7, 0.8, 0.1 / 7]),                   // blue 0.3 − 2/7
            (6, 1, [0.32 / 7, 0.8, 0]),                        // blue 0.3 − 2.4/7 < 0 → 0
        ]
        for (row, column, values) in expected {
            for channel in 0..<3 {
                let found = Double(Self.value(target, 0, row: row, column: column, channel: channel))
                #expect(abs(found - values[channel]) < 1e-6, "row \(row), column \(column), channel \(channel)")
            }
        }
    }

    @Test func aSingleBumpIsInterpolatedBilinearly() throws {
        // Red grid node (0, 0) is 0.14, every other node 0, colour 0.5. Pixel 1 is 2/7 of the
        // way from node 0 to node 1 (weight 5/7 on node 0); pixel 3 is 6/7 (weight 1/7);
        // pixel 4 lies between nodes 1 and 2, both 0.
        var texture = [Double](repeating: 0, count: 27)
        texture[0] = 0.14
        let background = DigitBackground(colour: [0.5, 0.5, 0.5], texture: texture)
        let blank = try Dataset(features: Tensor.zeros(shape: [1, 64]))
        let target = Digits.targetRendering(of: blank, backgrounds: [background])
        #expect(target.labels == nil)
        let expected: [(row: Int, column: Int, red: Double)] = [
            (0, 0, 0.64), (1, 0, 0.6), (0, 1, 0.6), (1, 1, 0.5 + 0.1 * 5 / 7), (3, 0, 0.52), (4, 0, 0.5), (7, 7, 0.5),
        ]
        for (row, column, red) in expected {
            #expect(abs(Double(Self.value(target, 0, row: row, column: column, channel: 0)) - red) < 1e-6)
            #expect(Self.value(target, 0, row: row, column: column, channel: 1) == 0.5)
        }
    }

    @Test func randomBackgroundsAreDarkAndKeepTheTextureSmall() {
        var generator = SeededGenerator(seed: 11)
        let backgrounds = (0..<2000).map { _ in DigitBackground.random(using: &generator) }
        let colours = backgrounds.flatMap(\.colour)
        let textures = backgrounds.flatMap(\.texture)
        #expect(colours.allSatisfy { (0..<0.5).contains($0) })
        #expect(textures.allSatisfy { (-0.2..<0.2).contains($0) })
        // Uniform on [0, 0.5): half the 6000 draws fall below 0.25 (binomial, standard deviation ≈ 39).
        let darker = colours.count { $0 < 0.25 }
        #expect(abs(darker - 3000) < 200)
        #expect(backgrounds.allSatisfy { $0.values().allSatisfy { (0...1).contains($0) } })
    }

    @Test func theShiftChangesTheImagesAndColoursThem() throws {
        let images = try Digits.load()
        let source = Digits.sourceRendering(of: images).features.scalars(as: Float.self)
        let target = Digits.targetRendering(of: images, seed: 5).features.scalars(as: Float.self)
        let totalDifference = zip(source, target).reduce(0.0) { (sum: Double, pair: (Float, Float)) in sum + Double(abs(pair.0 - pair.1)) }
        let meanDifference = totalDifference / Double(source.count)
        // The independent Python re-implementation gives a mean difference of about 0.23
        // for the target half of digits(seed: 7).
        #expect(meanDifference > 0.18)
        // Source pixels are grey (three equal channels); nearly all target pixels are coloured.
        let colouredPixels = stride(from: 0, to: target.count, by: 3).count { (start: Int) -> Bool in
            target[start] != target[start + 1] || target[start + 1] != target[start + 2]
        }
        #expect(Double(colouredPixels) > 0.95 * Double(target.count / 3))
    }

    @Test func backgroundsDependOnTheSeed() throws {
        let images = try Digits.load().rows(Array(0..<20))
        let first = Digits.targetRendering(of: images, seed: 1).features.scalars(as: Float.self)
        #expect(first == Digits.targetRendering(of: images, seed: 1).features.scalars(as: Float.self))
        #expect(first != Digits.targetRendering(of: images, seed: 2).features.scalars(as: Float.self))
    }
}
