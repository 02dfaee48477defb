import Foundation
import Testing
@testable import DomainAdaptation

/// Grey digits `[count, side, side, 1]` with the given pixel values, labels 0, 1, 2, …
private func digits(_ values: [Float], count: Int, side: Int) throws -> Dataset {
    try Dataset(features: Tensor(values, shape: [count, side, side, 1]), labels: (0..<count).map { Int32($0) })
}

/// A `height`×`width` background whose pixel (r, c), channel k is (100 r + 10 c + k) / 1000.
private func positionBackground(height: Int, width: Int, name: String = "grid") -> MNISTM.Background {
    var pixels = [Float]()
    for r in 0..<height { for c in 0..<width { for k in 0..<3 { pixels.append(Float(100 * r + 10 * c + k) / 1000) } } }
    return MNISTM.Background(name: name, height: height, width: width, pixels: pixels)
}

@Suite struct MNISTMBlendTests {
    @Test func blendsEachPixelAsTheAbsoluteDifference() throws {
        // One 2×2 background as large as the digits: the patch is the whole background.
        let background = MNISTM.Background(name: "b", height: 2, width: 2, pixels: [
            0.1, 0.5, 0.9, 0.2, 0.2, 0.2,
            1.0, 0.0, 0.5, 0.3, 0.6, 0.9,
        ])
        let data = try digits([0, 1, 0.25, 0.5], count: 1, side: 2)
        let blended = MNISTM.blend(data, with: [background], seed: 7)
        #expect(blended.features.shape == [1, 2, 2, 3])
        #expect(blended.labelScalars == [0])
        // |0.1−0| |0.5−0| |0.9−0|, |0.2−1|…, |1−0.25| |0−0.25| |0.5−0.25|, |0.3−0.5| |0.6−0.5| |0.9−0.5|
        let expected: [Float] = [0.1, 0.5, 0.9, 0.8, 0.8, 0.8, 0.75, 0.25, 0.25, 0.2, 0.1, 0.4]
        #expect(zip(blended.features.scalars(as: Float.self), expected).allSatisfy { abs($0 - $1) < 1e-6 })
    }

    @Test func patchesAreWholeWindowsAtRandomPlacesOfRandomBackgrounds() throws {
        // Blank digits leave the patch itself; read back which window of which background each is.
        let count = 200
        let data = try digits([Float](repeating: 0, count: count * 4), count: count, side: 2)
        let first = positionBackground(height: 3, width: 4, name: "first")
        var second = positionBackground(height: 3, width: 4, name: "second")
        second.pixels = second.pixels.map { $0 + 0.5 }
        let values = MNISTM.blend(data, with: [first, second], seed: 3).features.scalars(as: Float.self)
        var windows = Set<[Int]>()
        for image in 0..<count {
            let patch = Array(values[(image * 12)..<(image * 12 + 12)])
            let offset: Float = patch[0] >= 0.5 ? 0.5 : 0
            let top = Int(((patch[0] - offset) * 10).rounded()), left = Int(((patch[0] - offset) * 100).rounded()) % 10
            #expect((0...1).contains(top) && (0...2).contains(left))
            // The window's other pixels are its neighbours in the background.
            for (slot, (dr, dc, k)) in [(0, 0, 0), (0, 0, 1), (0, 0, 2), (0, 1, 0), (0, 1, 1), (0, 1, 2),
                                         (1, 0, 0), (1, 0, 1), (1, 0, 2), (1, 1, 0), (1, 1, 1), (1, 1, 2)].enumerated() {
                let expected = Float(100 * (top + dr) + 10 * (left + dc) + k) / 1000 + offset
                #expect(abs(patch[slot] - expected) < 1e-6)
            }
            windows.insert([offset == 0 ? 0 : 1, top, left])
        }
        // 2 backgrounds × 2 rows × 3 columns of windows, all drawn in 200 tries.
        #expect(windows.count == 12)
    }

    @Test func theSameSeedGivesTheSameImagesAndAnotherSeedOthers() throws {
        let data = try digits((0..<(10 * 16)).map { Float($0 % 7) / 7 }, count: 10, side: 4)
        let backgrounds = MNISTM.generatedBackgrounds(count: 5, side: 8, seed: 1)
        let a = MNISTM.blend(data, with: backgrounds, seed: 11).features.scalars(as: Float.self)
        #expect(MNISTM.blend(data, with: backgrounds, seed: 11).features.scalars(as: Float.self) == a)
        #expect(MNISTM.blend(data, with: backgrounds, seed: 12).features.scalars(as: Float.self) != a)
    }

    @Test func greyInColourCopiesTheGreyValueIntoEachChannel() throws {
        let colour = MNISTM.greyInColour(try digits([0, 0.25, 0.5, 1], count: 1, side: 2))
        #expect(colour.features.shape == [1, 2, 2, 3])
        #expect(colour.features.scalars(as: Float.self) == [0, 0, 0, 0.25, 0.25, 0.25, 0.5, 0.5, 0.5, 1, 1, 1])
    }

    @Test func generatedTexturesAreSeededColourfulAndInRange() {
        let textures = MNISTM.generatedBackgrounds(count: 6, side: 32, seed: 5)
        #expect(textures.count == 6)
        #expect(textures.allSatisfy { $0.height == 32 && $0.width == 32 && $0.pixels.allSatisfy { (0...1).contains($0) } })
        #expect(MNISTM.generatedBackgrounds(count: 6, side: 32, seed: 5) == textures)
        #expect(MNISTM.generatedBackgrounds(count: 6, side: 32, seed: 6) != textures)
        #expect(Set(textures.map(\.pixels)).count == 6)
        // Colour: on average the channels of a pixel differ (grey would have them equal).
        let spread = textures.map { texture in
            stride(from: 0, to: texture.pixels.count, by: 3).map { i in
                let rgb = texture.pixels[i..<(i + 3)]
                return Double(rgb.max()! - rgb.min()!)
            }.reduce(0, +) / Double(texture.pixels.count / 3)
        }
        #expect(spread.reduce(0, +) / 6 > 0.1)
        // Texture: pixels vary across each image.
        #expect(textures.allSatisfy { Set($0.pixels.map { ($0 * 20).rounded() }).count > 5 })
    }
}

@Suite struct MNISTMBackgroundFileTests {
    @Test func readsBinaryAndTextPPMAndNPYBackgroundsInNameOrder() throws {
        let scratch = try ScratchDirectory(label: "backgrounds")
        defer { scratch.cleanUp() }
        // 2×2 P6 with maximum value 255; P3 with a comment and maximum 4; P6 with 16-bit samples.
        let p6 = Array("P6\n2 2\n255\n".utf8) + [0, 51, 255, 102, 0, 0, 255, 255, 255, 0, 0, 0]
        try scratch.write(bytes: p6, to: "a.ppm")
        try scratch.write("P3 # a comment\n2 2 4\n0 1 2 3 4 0\n4 4 4 0 0 0\n", to: "b.pnm")
        try scratch.write(bytes: Array("P6 2 2 65535\n".utf8) + [0xFF, 0xFF, 0, 0, 0x80, 0x00] + [UInt8](repeating: 0, count: 18), to: "c.ppm")
        _ = try scratch.write(Tensor([Float](repeating: 0.5, count: 12), shape: [2, 2, 3]), to: "d.npy")
        _ = try scratch.write(Tensor([Int32](repeating: 51, count: 12), shape: [2, 2, 3]), to: "e.npy")
        // uint8, as numpy.save writes an image: a header padded to 64 bytes, then the bytes.
        var header = Array("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 2, 3), }".utf8)
        header += [UInt8](repeating: 0x20, count: 63 - (10 + header.count) % 64) + [0x0A]
        let u1 = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.count % 256), UInt8(header.count / 256)] + header
            + [0, 51, 102, 153, 204, 255, 0, 0, 0, 255, 255, 255]
        try scratch.write(bytes: u1, to: "f.npy")
        try scratch.write("not an image", to: "notes.txt")
        let backgrounds = try MNISTM.backgrounds(in: scratch.url, minimumSize: 2)
        #expect(backgrounds.map(\.name) == ["a.ppm", "b.pnm", "c.ppm", "d.npy", "e.npy", "f.npy"])
        #expect(backgrounds[0].pixels == [0, 0.2, 1, 0.4, 0, 0, 1, 1, 1, 0, 0, 0])
        #expect(backgrounds[1].pixels == [0, 0.25, 0.5, 0.75, 1, 0, 1, 1, 1, 0, 0, 0])
        #expect(backgrounds[2].pixels[0] == 1 && backgrounds[2].pixels[1] == 0 && abs(backgrounds[2].pixels[2] - 32768 / 65535) < 1e-7)
        #expect(backgrounds[3].pixels == [Float](repeating: 0.5, count: 12))
        #expect(backgrounds[4].pixels == [Float](repeating: 0.2, count: 12))
        #expect(backgrounds[5].pixels == [0, 0.2, 0.4, 0.6, 0.8, 1, 0, 0, 0, 1, 1, 1])
    }

    @Test func badBackgroundsNameTheFileAndTheProblem() throws {
        let scratch = try ScratchDirectory(label: "bad-backgrounds")
        defer { scratch.cleanUp() }
        try scratch.write("x", to: "readme.txt")
        #expect(throws: MNISTMError.noBackgrounds(directory: scratch.url.path, fileCount: 1)) {
            try MNISTM.backgrounds(in: scratch.url)
        }
        let missing = scratch.file("nowhere")
        let unlisted = thrownError(MNISTMError.self) { _ = try MNISTM.backgrounds(in: missing) }
        #expect(unlisted?.description.contains("Cannot list the background directory \(missing.path)") == true)

        func error(_ bytes: [UInt8], name: String = "x.ppm", minimum: Int = 2) throws -> String {
            let directory = scratch.file(UUID().uuidString)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(bytes).write(to: directory.appendingPathComponent(name))
            return thrownError(MNISTMError.self) { _ = try MNISTM.backgrounds(in: directory, minimumSize: minimum) }?.description ?? ""
        }
        #expect(try error(Array("P5\n2 2\n255\n".utf8) + [0, 0, 0, 0]).contains("starts with 'P5', not P6 or P3"))
        #expect(try error(Array("P6\n2 2\n255\n".utf8) + [1, 2, 3]).contains("truncated: 12 bytes of pixels expected, 3 found"))
        #expect(try error(Array("P6\n2\n".utf8)).contains("the header does not give a width"))
        #expect(try error(Array("P3 1 1 9 1 2 10".utf8)).contains("sample 2 is missing or not a whole number in 0...9"))
        #expect(try error(Array("P6 3 2 255\n".utf8) + [UInt8](repeating: 9, count: 18), minimum: 28)
            .contains("the image is 2×3 pixels, smaller than the 28×28 digits"))
        #expect(try error(NPY.encode(Tensor([Float](repeating: 0, count: 4), shape: [2, 2])), name: "x.npy")
            .contains("expected [height, width, 3]"))
        #expect(try error(NPY.encode(Tensor([Float](repeating: 2, count: 12), shape: [2, 2, 3])), name: "x.npy")
            .contains("value 2.0 at element 0 is outside [0, 1]"))
    }
}

@Suite struct MNISTDomainDataTests {
    /// A directory with a small MNIST: 24 training and 6 test images of 28×28.
    private func smallMNIST(_ scratch: ScratchDirectory) throws -> URL {
        let directory = scratch.file("mnist")
        try MNISTFixture.write(into: directory, trainCount: 24, testCount: 6, compressed: false)
        return directory
    }

    @Test func buildsMNISTToMNISTMFromAnOfflineDirectory() throws {
        let scratch = try ScratchDirectory(label: "mnist-domain")
        defer { scratch.cleanUp() }
        let data = try DomainData.mnist(from: .directory(smallMNIST(scratch)), seed: 4)
        // 24 training images: the first 24 / 12 = 2 are held out as validation.
        #expect(data.sourceTrain.features.shape == [22, 28, 28, 3])
        #expect(data.targetTrain.features.shape == [22, 28, 28, 3])
        #expect(data.sourceTest.features.shape == [6, 28, 28, 3] && data.targetTest.features.shape == [6, 28, 28, 3])
        #expect(data.sourceTrain.labelScalars == (2..<24).map { Int32($0 % 10) })
        #expect(data.targetTrain.labelScalars == data.sourceTrain.labelScalars)
        #expect(data.sourceTest.labelScalars == (0..<6).map { Int32($0 % 10) })
        #expect(data.classCount == 10 && data.featureCount == 2352)
        #expect(data.details?.contains("200 generated colour textures (no background photographs given)") == true)
        #expect(data.details?.contains("MNIST training images 2…23") == true)

        // Source: image 2 in grey: ink (1) in column 1 + 2 = 3, rows 1…26, in every channel.
        let source = data.sourceTrain.features.scalars(as: Float.self)
        #expect(source[(5 * 28 + 3) * 3 + 1] == 1 && source[(5 * 28 + 4) * 3] == 0)
        // Target: where the digit has ink the blend is 1 − background, elsewhere the background,
        // so ink and background pixels sum to 1 only by chance; check the range and the colour.
        let target = Array(data.targetTrain.features.scalars(as: Float.self)[0..<2352])
        #expect(target.allSatisfy { (0...1).contains($0) })
        #expect(target != Array(source[0..<2352]))

        #expect(try DomainData.mnist(from: .directory(smallMNIST(scratch)), seed: 4).targetTest.features.scalars(as: Float.self)
            == data.targetTest.features.scalars(as: Float.self))
        let flat = data.flattened()
        #expect(flat.sourceTrain.features.shape == [22, 2352] && flat.targetTest.features.shape == [6, 2352])
    }

    @Test func limitKeepsTheFirstImagesOfEachSplit() throws {
        let scratch = try ScratchDirectory(label: "mnist-limit")
        defer { scratch.cleanUp() }
        let data = try DomainData.mnist(from: .directory(smallMNIST(scratch)), limit: 5, seed: 0)
        #expect([data.sourceTrain, data.targetTrain, data.sourceTest, data.targetTest].map(\.count) == [5, 5, 5, 5])
        #expect(data.sourceTrain.labelScalars == [2, 3, 4, 5, 6])
    }

    @Test func usesBackgroundPhotographsFromADirectory() throws {
        let scratch = try ScratchDirectory(label: "mnist-photos")
        defer { scratch.cleanUp() }
        let photos = scratch.file("photos")
        try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
        // One plain 30×30 photograph of colour (0.2, 0.4, 0.6) (P6, values 51, 102, 153).
        let ppm = Array("P6 30 30 255\n".utf8) + (0..<900).flatMap { _ in [UInt8(51), 102, 153] }
        try Data(ppm).write(to: photos.appendingPathComponent("plain.ppm"))
        let data = try DomainData.mnist(from: .directory(smallMNIST(scratch)), backgrounds: .directory(photos), seed: 1)
        #expect(data.details?.contains("1 image from \(photos.path)") == true)
        // Background pixels keep the colour; ink (1) becomes 1 − colour.
        let target = data.targetTrain.features.scalars(as: Float.self)
        let ink = (5 * 28 + 3) * 3, paper = (5 * 28 + 10) * 3
        #expect(abs(target[ink] - 0.8) < 1e-6 && abs(target[ink + 1] - 0.6) < 1e-6 && abs(target[ink + 2] - 0.4) < 1e-6)
        #expect(abs(target[paper] - 0.2) < 1e-6 && abs(target[paper + 2] - 0.6) < 1e-6)

        let empty = scratch.file("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let error = thrownError(DomainDataError.self) {
            _ = try DomainData.mnist(from: .directory(smallMNIST(scratch)), backgrounds: .directory(empty), seed: 1)
        }
        #expect(error == .mnistM(.noBackgrounds(directory: empty.path, fileCount: 0)))
    }

    @Test func aMissingMNISTSaysWhatToDownload() throws {
        let scratch = try ScratchDirectory(label: "mnist-missing")
        defer { scratch.cleanUp() }
        let error = thrownError(DomainDataError.self) { _ = try DomainData.mnist(from: .directory(scratch.url), seed: 0) }
        #expect(error?.description.contains("has neither train-images-idx3-ubyte.gz nor train-images-idx3-ubyte") == true)
        #expect(error?.description.contains("https://ossci-datasets.s3.amazonaws.com/mnist/train-images-idx3-ubyte.gz") == true)
    }
}
