/// The two renderings of the digits: grey (the source domain) and MNIST-M-like colour
/// (the target domain).
///
/// Both turn a `[n, 64]` greyscale dataset with pixels in `[0, 1]` (what ``Digits/load()``
/// returns, or rows of it) into a `[n, 192]` float32 colour dataset with the same labels.
/// A rendered row is an 8×8×3 image stored channel-last: feature
/// `(row * 8 + column) * 3 + channel`, channels red, green, blue, so that reshaping the
/// features to `[n, 8, 8, 3]` gives the images.
extension Digits {
    /// The source-domain rendering: each image in grey, its pixel value copied into the
    /// three channels.
    ///
    /// - Parameter images: Greyscale images, features `[n, 64]` with values in `[0, 1]`.
    /// - Returns: Features `[n, 192]` (channel-last, see above) and the same labels.
    public static func sourceRendering(of images: Dataset) -> Dataset {
        let grey = greyPixels(of: images, caller: "sourceRendering(of:)")
        var features = [Float](repeating: 0, count: grey.count * channelCount)
        for (index, value) in grey.enumerated() {
            for channel in 0..<channelCount { features[index * channelCount + channel] = value }
        }
        return rendered(features, labels: images.labels)
    }

    /// The target-domain rendering, in the spirit of MNIST-M (Ganin et al., 2016): each
    /// digit blended with its own random dark colour background and texture.
    ///
    /// For each image, channel `c` of the background is a random base colour plus a smooth
    /// random texture, clamped to `[0, 1]`:
    ///
    ///     background_c(r, k) = clamp(colour_c + texture_c(r, k), 0, 1)
    ///     output_c(r, k)     = |background_c(r, k) − digit(r, k)|
    ///
    /// which is MNIST-M's blend: the background lifts the dark pixels and, where ink is
    /// fainter than the background, the blend flips it.
    /// - `colour_c` is uniform on `[0, 0.5)`: the background is darker than full ink, so the
    ///   digit stays brighter than its background and keeps a contrast of more than 0.5
    ///   before the texture. (Backgrounds brighter than 0.5 invert the digit channel by
    ///   channel, a shift that an 8×8 MLP could not undo without target labels: DANN lost
    ///   accuracy on it.)
    /// - `texture_c` is a 3×3 grid of values uniform on `[−0.2, 0.2)` placed on the
    ///   corners, edge midpoints and centre of the image (grid node `(i, j)` at pixel
    ///   `(3.5 i, 3.5 j)`) and interpolated bilinearly in between.
    ///
    /// The random numbers come from a `SeededGenerator` made from `seed`, 30 per image in
    /// the order of the rows of `images`: the three base colours (red, green, blue), then the
    /// nine grid values of red row by row, then green's, then blue's; each number is
    /// `Double(next() >> 11) / 2⁵³`, uniform on `[0, 1)`, and a colour draw `u` becomes
    /// `0.5 u`. The same images and seed always
    /// give the same rendering.
    ///
    /// - Parameters:
    ///   - images: Greyscale images, features `[n, 64]` with values in `[0, 1]`.
    ///   - seed: Fixes the backgrounds.
    /// - Returns: Features `[n, 192]` in `[0, 1]` (channel-last, see above) and the same labels.
    public static func targetRendering(of images: Dataset, seed: UInt64) -> Dataset {
        var generator = SeededGenerator(seed: seed)
        let backgrounds = (0..<images.count).map { _ in DigitBackground.random(using: &generator) }
        return targetRendering(of: images, backgrounds: backgrounds)
    }

    /// The target rendering with given backgrounds, one per image.
    static func targetRendering(of images: Dataset, backgrounds: [DigitBackground]) -> Dataset {
        let grey = greyPixels(of: images, caller: "targetRendering(of:seed:)")
        checkPrecondition(backgrounds.count == images.count, "Digits.targetRendering: \(backgrounds.count) backgrounds for \(images.count) images")
        var features = [Float](repeating: 0, count: grey.count * channelCount)
        for (image, background) in backgrounds.enumerated() {
            let values = background.values()
            for pixel in 0..<pixelCount {
                let digit = Double(grey[image * pixelCount + pixel])
                for channel in 0..<channelCount {
                    let offset = pixel * channelCount + channel
                    features[image * renderedFeatureCount + offset] = Float(abs(values[offset] - digit))
                }
            }
        }
        return rendered(features, labels: images.labels)
    }

    /// The pixels of `images` as float32, after checking that each row is an 8×8 image.
    private static func greyPixels(of images: Dataset, caller: String) -> [Float] {
        checkPrecondition(
            images.featureCount == pixelCount,
            "Digits.\(caller): images have \(images.featureCount) features, expected \(pixelCount) (8×8 greyscale)")
        return images.features.scalars(as: Float.self)
    }

    /// A dataset of rendered rows.
    private static func rendered(_ features: [Float], labels: Tensor?) -> Dataset {
        // Cannot fail: a [n, 192] float32 matrix, and labels taken from a valid dataset of n rows.
        try! Dataset(features: Tensor(features, shape: [features.count / renderedFeatureCount, renderedFeatureCount]), labels: labels)
    }
}

/// The random background of one target-domain digit: a base colour per channel plus a
/// 3×3 texture grid per channel (see ``Digits/targetRendering(of:seed:)``).
struct DigitBackground: Equatable {
    /// Half the width of the range of the texture values.
    static let textureAmplitude = 0.2
    /// The largest base colour (exclusive): backgrounds stay darker than mid-grey.
    static let colourLimit = 0.5

    /// The base colour, one value per channel (red, green, blue).
    var colour: [Double]
    /// The texture grid: 27 values, channel by channel, each channel's 3×3 grid row by row.
    var texture: [Double]

    /// Draws a background: 3 colour numbers, then the 27 texture numbers.
    static func random(using generator: inout SeededGenerator) -> DigitBackground {
        func unit() -> Double { Double(generator.next() >> 11) * 0x1.0p-53 }
        let colour = (0..<Digits.channelCount).map { _ in colourLimit * unit() }
        let texture = (0..<(Digits.channelCount * 9)).map { _ in (2 * unit() - 1) * textureAmplitude }
        return DigitBackground(colour: colour, texture: texture)
    }

    /// For each of the 8 pixel positions along an axis: the grid cell it falls in (0 or 1)
    /// and its fractional position inside the cell (grid node `i` is at pixel `3.5 i`).
    private static let cells: [(index: Int, fraction: Double)] = (0..<Digits.side).map { pixel in
        let position = Double(pixel) * 2 / Double(Digits.side - 1)
        let index = min(Int(position), 1)
        return (index, position - Double(index))
    }

    /// The background's 192 values in `[0, 1]`, channel-last like a rendered image.
    func values() -> [Double] {
        var values = [Double](repeating: 0, count: Digits.renderedFeatureCount)
        for row in 0..<Digits.side {
            let (i, v) = Self.cells[row]
            for column in 0..<Digits.side {
                let (j, u) = Self.cells[column]
                for channel in 0..<Digits.channelCount {
                    func node(_ r: Int, _ c: Int) -> Double { texture[channel * 9 + r * 3 + c] }
                    let top = node(i, j) * (1 - u) + node(i, j + 1) * u
                    let bottom = node(i + 1, j) * (1 - u) + node(i + 1, j + 1) * u
                    let value = colour[channel] + top * (1 - v) + bottom * v
                    values[(row * Digits.side + column) * Digits.channelCount + channel] = min(max(value, 0), 1)
                }
            }
        }
        return values
    }
}
