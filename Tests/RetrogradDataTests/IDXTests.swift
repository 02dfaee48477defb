import Foundation
import Testing
@testable import RetrogradData

/// An IDX file written by hand from the format's description: 00 00, the type code, the
/// rank, each dimension as a big-endian UInt32, then `payload`.
func idxFile(type: UInt8, dimensions: [Int], payload: [UInt8]) -> [UInt8] {
    [0, 0, type, UInt8(dimensions.count)] + dimensions.flatMap { bigEndianBytes(UInt32($0)) } + payload
}

/// Big-endian bytes of an unsigned integer.
func bigEndianBytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    littleEndianBytes(value).reversed()
}

@Suite struct IDXTests {
    @Test func readsUnsignedByteImagesAsNHWCFloatsInTheUnitInterval() throws {
        let directory = try ScratchDirectory(label: "idx")
        defer { directory.cleanUp() }
        // Two 2×3 images: pixels 0, 51, 102, 153, 204, 255 and their reverse.
        let pixels: [UInt8] = [0, 51, 102, 153, 204, 255, 255, 204, 153, 102, 51, 0]
        let url = try directory.write(bytes: idxFile(type: 0x08, dimensions: [2, 2, 3], payload: pixels), to: "images-idx3-ubyte")
        let images = try IDX.readImages(url)
        #expect(images.shape == [2, 2, 3, 1])
        #expect(images.dtype == .float32)
        // k · 51 / 255 = k / 5.
        let expected: [Float] = [0, 0.2, 0.4, 0.6, 0.8, 1, 1, 0.8, 0.6, 0.4, 0.2, 0]
        #expect(zip(images.scalars(as: Float.self), expected).allSatisfy { abs($0 - $1) < 1e-7 })
    }

    @Test func readsEveryElementTypeBigEndian() throws {
        // int16 −2, 300; int32 −70000; float32 1.5, −0.25 (0x3FC00000, 0xBE800000);
        // float64 −3 (0xC008000000000000); int8 −1, 127.
        #expect(try IDX.decode(idxFile(type: 0x0B, dimensions: [2], payload: [0xFF, 0xFE, 0x01, 0x2C]), file: "a")
            .scalars(as: Int32.self) == [-2, 300])
        #expect(try IDX.decode(idxFile(type: 0x0C, dimensions: [1, 1], payload: [0xFF, 0xFE, 0xEE, 0x90]), file: "b")
            .scalars(as: Int32.self) == [-70_000])
        let floats = try IDX.decode(idxFile(type: 0x0D, dimensions: [2], payload: [0x3F, 0xC0, 0, 0, 0xBE, 0x80, 0, 0]), file: "c")
        #expect(floats.dtype == .float32 && floats.scalars(as: Float.self) == [1.5, -0.25])
        let doubles = try IDX.decode(idxFile(type: 0x0E, dimensions: [1], payload: [0xC0, 0x08, 0, 0, 0, 0, 0, 0]), file: "d")
        #expect(doubles.dtype == .float64 && doubles.scalars(as: Double.self) == [-3])
        #expect(try IDX.decode(idxFile(type: 0x09, dimensions: [2], payload: [0xFF, 0x7F]), file: "e").scalars(as: Int32.self) == [-1, 127])
        #expect(try IDX.decode(idxFile(type: 0x08, dimensions: [2], payload: [0xFF, 0x7F]), file: "f").scalars(as: Int32.self) == [255, 127])
    }

    @Test func readsGzipCompressedFilesWhateverTheirName() throws {
        let directory = try ScratchDirectory(label: "idx-gz")
        defer { directory.cleanUp() }
        let labels = try directory.write(bytes: storedGzip(idxFile(type: 0x08, dimensions: [4], payload: [7, 0, 9, 3])), to: "labels.gz")
        #expect(try IDX.readLabels(labels).scalars(as: Int32.self) == [7, 0, 9, 3])
        let renamed = try directory.write(bytes: storedGzip(idxFile(type: 0x08, dimensions: [1], payload: [5])), to: "labels-idx1-ubyte")
        #expect(try IDX.readLabels(renamed).scalars(as: Int32.self) == [5])
    }

    @Test func pairsImagesWithLabelsIntoADataset() throws {
        let directory = try ScratchDirectory(label: "idx-dataset")
        defer { directory.cleanUp() }
        let images = try directory.write(bytes: idxFile(type: 0x08, dimensions: [3, 1, 2], payload: [0, 255, 255, 0, 51, 51]), to: "i")
        let labels = try directory.write(bytes: idxFile(type: 0x08, dimensions: [3], payload: [1, 2, 3]), to: "l")
        let data = try IDX.dataset(images: images, labels: labels)
        #expect(data.features.shape == [3, 1, 2, 1])
        #expect(data.labelScalars == [1, 2, 3])
        #expect(data.features.scalars(as: Float.self) == [0, 1, 1, 0, 0.2, 0.2])

        let fewer = try directory.write(bytes: idxFile(type: 0x08, dimensions: [2], payload: [1, 2]), to: "l2")
        #expect(throws: IDXError.countMismatch(imagesFile: images.path, images: 3, labelsFile: fewer.path, labels: 2)) {
            try IDX.dataset(images: images, labels: fewer)
        }
        // Swapped files: labels where images belong.
        let swapped = thrownError(IDXError.self) { _ = try IDX.dataset(images: labels, labels: images) }
        #expect(swapped?.description.contains("expected images: unsigned bytes (type 0x08) of shape [count, height, width]") == true)
        #expect(swapped?.description.contains("found uint8 (type 0x08) of shape [3]") == true)
    }

    @Test func damagedFilesNameTheFileAndTheProblem() throws {
        func error(_ bytes: [UInt8]) -> IDXError? { thrownError(IDXError.self) { _ = try IDX.decode(bytes, file: "x.idx") } }
        #expect(error([0x3C, 0x68, 0x74, 0x6D, 0x6C]) == .badMagic(file: "x.idx", found: [0x3C, 0x68, 0x74, 0x6D]))
        #expect(error([0, 0, 0x07, 1, 0, 0, 0, 0]) == .unknownElementType(file: "x.idx", code: 7))
        #expect(error([0, 0, 0x08, 0]) == .unsupportedRank(file: "x.idx", rank: 0))
        #expect(error([0, 0, 0x08, 9]) == .unsupportedRank(file: "x.idx", rank: 9))
        #expect(error([0, 0]) == .truncated(file: "x.idx", expectedBytes: 4, foundBytes: 2))
        #expect(error([0, 0, 0x08, 3, 0, 0]) == .truncated(file: "x.idx", expectedBytes: 16, foundBytes: 6))
        // MNIST's training images: 60,000 × 28 × 28 bytes after a 16-byte header, 47,040,016
        // bytes in all (the size of the published uncompressed file).
        let header = idxFile(type: 0x08, dimensions: [60_000, 28, 28], payload: [1, 2, 3])
        #expect(error(header) == .truncated(file: "x.idx", expectedBytes: 47_040_016, foundBytes: 19))
        #expect(error(idxFile(type: 0x0C, dimensions: [1], payload: [0, 0, 0, 1, 9])) == .trailingBytes(file: "x.idx", expectedBytes: 12, foundBytes: 13))
        // Dimensions whose product overflows.
        let huge = idxFile(type: 0x0E, dimensions: [0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF], payload: [])
        #expect(error(huge) == .truncated(file: "x.idx", expectedBytes: Int.max, foundBytes: 16))
        #expect(error([0x1F, 0x8B, 8, 0, 0])?.description.contains("starts with 1f 8b 08 00") == true)
    }

    @Test func fileErrorsSayWhatToDo() throws {
        let directory = try ScratchDirectory(label: "idx-errors")
        defer { directory.cleanUp() }
        let missing = directory.file("train-images-idx3-ubyte.gz")
        #expect(throws: IDXError.fileNotFound(file: missing.path)) { try IDX.read(missing) }
        var damaged = storedGzip(idxFile(type: 0x08, dimensions: [2], payload: [1, 2]))
        damaged[damaged.count - 6] ^= 0xFF
        let url = try directory.write(bytes: damaged, to: "labels.gz")
        let error = thrownError(IDXError.self) { _ = try IDX.read(url) }
        guard case .damagedCompression(let file, let reason)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(file == url.path)
        #expect(reason.contains("CRC-32"))
        #expect(error?.description.contains("Download it again") == true)
        let cut = try directory.write(bytes: idxFile(type: 0x08, dimensions: [3, 2, 2], payload: [1, 2]), to: "cut")
        let truncation = thrownError(IDXError.self) { _ = try IDX.readImages(cut) }
        #expect(truncation?.description.contains("\(cut.path): the file is truncated: its header calls for 28 bytes, but it has 18") == true)
    }
}
