import Foundation

/// MNIST-M as Ganin et al. (2016) build it: each MNIST digit blended with a random patch of
/// a colour photograph, `output = |background − digit|` channel by channel.
///
/// ```swift
/// let digits = try MNIST.load(from: .cache(MNIST.defaultCacheDirectory)).test  // [n, 28, 28, 1]
/// let photos = try MNISTM.backgrounds(in: URL(fileURLWithPath: "bsds500-ppm"))
/// let mnistM = MNISTM.blend(digits, with: photos, seed: 1)                    // [n, 28, 28, 3]
/// let textures = MNISTM.generatedBackgrounds(seed: 1)                          // no photos at hand
/// ```
///
/// The paper takes its photographs from BSDS500; any colour photographs will do. Where
/// none are given, ``generatedBackgrounds(count:side:seed:)`` makes colour textures, which
/// give a similar shift (colour, texture and inverted contrast) but are not the paper's
/// data: reports say which backgrounds a run used.
public enum MNISTM {
    /// A colour image to cut background patches from: `height × width` RGB pixels in
    /// `[0, 1]`, row by row, channel-last.
    public struct Background: Sendable, Equatable {
        /// Where the image came from (a file name, or "texture 3").
        public var name: String
        /// Rows of pixels.
        public var height: Int
        /// Pixels per row.
        public var width: Int
        /// `height · width · 3` values in `[0, 1]`: pixel (r, c), channel k at `(r · width + c) · 3 + k`.
        public var pixels: [Float]

        /// Creates a background; `pixels` must hold `height · width · 3` values.
        public init(name: String, height: Int, width: Int, pixels: [Float]) {
            checkPrecondition(
                height > 0 && width > 0 && pixels.count == height * width * 3,
                "MNISTM.Background: \(pixels.count) values for a \(height)×\(width) RGB image (expected \(max(height * width * 3, 0)))")
            self.name = name
            self.height = height
            self.width = width
            self.pixels = pixels
        }
    }

    /// Blends each image of `digits` (grey, `[n, h, w, 1]` in `[0, 1]`) with a random
    /// patch of one of `backgrounds`, giving colour images `[n, h, w, 3]` with the same labels.
    ///
    /// For each digit in order, a `SeededGenerator` made from `seed` draws a background
    /// (uniformly among `backgrounds`), then the patch's top row (uniformly in
    /// `0...(height − h)`) and left column (`0...(width − w)`); pixel (r, c), channel k of
    /// the result is `|patch(r, c, k) − digit(r, c)|`. Each draw is `⌊u · n⌋` for
    /// `u = Double(next() >> 11) / 2⁵³`. The same digits, backgrounds and seed always give
    /// the same images. Every background must be at least `h × w`.
    public static func blend(_ digits: Dataset, with backgrounds: [Background], seed: UInt64) -> Dataset {
        let shape = digits.features.shape
        checkPrecondition(
            shape.rank == 4 && shape[3] == 1,
            "MNISTM.blend: digits must be grey images [count, height, width, 1], got \(shape)")
        checkPrecondition(!backgrounds.isEmpty, "MNISTM.blend: give at least one background")
        let (count, height, width) = (shape[0], shape[1], shape[2])
        for background in backgrounds {
            checkPrecondition(
                background.height >= height && background.width >= width,
                "MNISTM.blend: background \(background.name) is \(background.height)×\(background.width), smaller than the \(height)×\(width) digits")
        }
        var generator = SeededGenerator(seed: seed)
        func draw(_ n: Int) -> Int { min(Int(Double(generator.next() >> 11) * 0x1.0p-53 * Double(n)), n - 1) }
        let grey = digits.features.cast(to: .float32).scalars(as: Float.self)
        let blended = Tensor(shape: [count, height, width, 3], of: Float.self) { out in
            for image in 0..<count {
                let background = backgrounds[draw(backgrounds.count)]
                let top = draw(background.height - height + 1), left = draw(background.width - width + 1)
                background.pixels.withUnsafeBufferPointer { patch in
                    for row in 0..<height {
                        for column in 0..<width {
                            let digit = grey[(image * height + row) * width + column]
                            let source = ((top + row) * background.width + left + column) * 3
                            let target = ((image * height + row) * width + column) * 3
                            for channel in 0..<3 { out[target + channel] = abs(patch[source + channel] - digit) }
                        }
                    }
                }
            }
        }
        // Cannot fail: float32 images with the digits' labels.
        return try! Dataset(features: blended, labels: digits.labels)
    }

    /// Grey images `[n, h, w, 1]` as colour images `[n, h, w, 3]`, the grey value in all three
    /// channels: MNIST as the source domain of a network that takes MNIST-M's colour images.
    public static func greyInColour(_ digits: Dataset) -> Dataset {
        let shape = digits.features.shape
        checkPrecondition(shape.rank == 4 && shape[3] == 1, "MNISTM.greyInColour: digits must be [count, height, width, 1], got \(shape)")
        let grey = digits.features.cast(to: .float32).scalars(as: Float.self)
        let colour = Tensor(shape: [shape[0], shape[1], shape[2], 3], of: Float.self) { out in
            for (index, value) in grey.enumerated() { for channel in 0..<3 { out[index * 3 + channel] = value } }
        }
        // Cannot fail: float32 images with the digits' labels.
        return try! Dataset(features: colour, labels: digits.labels)
    }

    /// Colour textures to use as backgrounds when no photographs are given: `count` images
    /// of `side × side` pixels, the same for the same seed.
    ///
    /// Texture i mixes two random colours `a` and `b` (each channel uniform on `[0, 1)`)
    /// by `t = 0.6 s + 0.4 g`, where `s` is a smooth random field (a 5×5 grid of uniform
    /// values interpolated bilinearly across the image) and `g = (1 + sin(2π f (x cos θ +
    /// y sin θ) / side + φ)) / 2` a grating with f uniform on `[2, 8)` cycles per image,
    /// θ on `[0, π)` and φ on `[0, 2π)`; each pixel and channel then gets grain uniform on
    /// `[−0.05, 0.05)` and is clamped to `[0, 1]`. The draws of a texture come in this
    /// order: `a` (3), `b` (3), the grid (25, row by row), f, θ, φ, then the grain pixel by
    /// pixel, channel by channel; one `SeededGenerator` from `seed` serves all textures in turn.
    public static func generatedBackgrounds(count: Int = 200, side: Int = 64, seed: UInt64) -> [Background] {
        checkPrecondition(count > 0 && side >= 2, "MNISTM.generatedBackgrounds: count \(count) and side \(side) must be positive (side ≥ 2)")
        var generator = SeededGenerator(seed: seed)
        func unit() -> Float { Float(Double(generator.next() >> 11) * 0x1.0p-53) }
        return (0..<count).map { index in
            let a = (0..<3).map { _ in unit() }, b = (0..<3).map { _ in unit() }
            let grid = (0..<25).map { _ in unit() }
            let frequency = 2 + 6 * unit(), angle = Float.pi * unit(), phase = 2 * Float.pi * unit()
            var pixels = [Float](repeating: 0, count: side * side * 3)
            let scale = Float(4) / Float(side - 1)
            for y in 0..<side {
                let gy = Float(y) * scale, i = min(Int(gy), 3), v = gy - Float(i)
                for x in 0..<side {
                    let gx = Float(x) * scale, j = min(Int(gx), 3), u = gx - Float(j)
                    let top = grid[i * 5 + j] * (1 - u) + grid[i * 5 + j + 1] * u
                    let bottom = grid[(i + 1) * 5 + j] * (1 - u) + grid[(i + 1) * 5 + j + 1] * u
                    let smooth = top * (1 - v) + bottom * v
                    let along = (Float(x) * cos(angle) + Float(y) * sin(angle)) / Float(side)
                    let grating = (1 + sin(2 * Float.pi * frequency * along + phase)) / 2
                    let t = 0.6 * smooth + 0.4 * grating
                    for channel in 0..<3 {
                        let grain = (2 * unit() - 1) * 0.05
                        pixels[(y * side + x) * 3 + channel] = min(max(a[channel] * (1 - t) + b[channel] * t + grain, 0), 1)
                    }
                }
            }
            return Background(name: "texture \(index)", height: side, width: side, pixels: pixels)
        }
    }
}
