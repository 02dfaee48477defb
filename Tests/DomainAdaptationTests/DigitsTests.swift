import Foundation
import Testing
@testable import DomainAdaptation

/// The digits resource: loading, the values it holds, and the errors for damaged bytes.
///
/// Expected values come from the original CSV (scikit-learn 1.9.1's
/// `sklearn/datasets/data/digits.csv.gz`), read once with numpy:
/// `d = np.loadtxt(gzip.open(path), delimiter=",").astype(int)`.
@Suite struct DigitsTests {
    /// The resource's bytes, read directly (not through `Digits.load()`).
    static func resourceBytes() throws -> [UInt8] {
        let url = try #require(Digits.resourceURL, "the DomainAdaptation bundle has no Resources/digits.bin")
        return [UInt8](try Data(contentsOf: url))
    }

    @Test func loadsAll1797ImagesAs64PixelsInTheUnitInterval() throws {
        let images = try Digits.load()
        #expect(images.count == 1797 && images.featureCount == 64)
        #expect(images.features.dtype == .float32)
        let pixels = images.features.scalars(as: Float.self)
        #expect(pixels.allSatisfy { (0...1).contains($0) })
        // Pixel counts are integers 0...16, so every value is a multiple of 1/16.
        #expect(pixels.allSatisfy { ($0 * 16).rounded() == $0 * 16 })
        #expect(pixels.contains(0) && pixels.contains(1))
    }

    @Test func classCountsMatchTheOriginalCSV() throws {
        // np.bincount(d[:, 64]) on the CSV.
        let expected = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
        let labels = try #require(try Digits.load().labelScalars)
        let counts = (0..<10).map { digit in labels.count { $0 == Int32(digit) } }
        #expect(counts == expected)
        #expect(expected.reduce(0, +) == 1797)
    }

    @Test func firstAndLastImagesMatchTheOriginalCSV() throws {
        let images = try Digits.load()
        let pixels = images.features.scalars(as: Float.self)
        let labels = try #require(images.labelScalars)
        // CSV row 1 starts "0,0,5,13,9,1,0,0,0,0,13,15,10,15,5,0" and ends with label 0.
        let firstRows: [Float] = [0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0]
        #expect(Array(pixels[0..<16]) == firstRows.map { $0 / 16 })
        #expect(pixels[3] == 0.8125)      // 13 / 16
        #expect(labels[0] == 0)
        // CSV row 1797: pixel 10 (row 1, column 2) is 16, pixel 63 is 0, label 8.
        let last = 1796 * 64
        #expect(pixels[last + 10] == 1)
        #expect(pixels[last + 2] == 0.625)  // 10 / 16
        #expect(pixels[last + 63] == 0)
        #expect(labels[1796] == 8)
    }

    @Test func resourceHasTheDocumentedLayout() throws {
        let bytes = try Self.resourceBytes()
        // 20 header bytes + 1797 records of 65 bytes; hash printed by the Python converter.
        #expect(bytes.count == 20 + 1797 * 65)
        #expect(Array(bytes[0..<8]) == Array("RGDIGITS".utf8))
        #expect(Array(bytes[8..<12]) == [1, 8, 8, 16])
        #expect(Array(bytes[12..<16]) == [0x05, 0x07, 0, 0])  // 1797 = 0x0705
        #expect(Array(bytes[16..<20]) == [0x87, 0x28, 0xB6, 0xBF])  // 0xBFB62887
    }

    @Test func fnv1aMatchesTheReferenceVectors() {
        // Test vectors of the FNV-1a 32-bit hash (Fowler, Noll, Vo).
        #expect(Digits.fnv1a32([UInt8]()) == 0x811C_9DC5)
        #expect(Digits.fnv1a32(Array("a".utf8)) == 0xE40C_292C)
        #expect(Digits.fnv1a32(Array("foobar".utf8)) == 0xBF9C_F968)
    }

    /// One way to damage the resource, and the error it must give.
    struct Damage: Sendable, CustomTestStringConvertible {
        var name: String
        var apply: @Sendable (inout [UInt8]) -> Void
        var expected: DigitsError
        var testDescription: String { name }
    }

    static let damages: [Damage] = [
        Damage(name: "empty", apply: { $0 = [] }, expected: .wrongSize(expected: 116_825, found: 0)),
        Damage(name: "header cut short", apply: { $0 = Array($0[0..<12]) }, expected: .wrongSize(expected: 116_825, found: 12)),
        Damage(name: "last byte missing", apply: { $0.removeLast() }, expected: .wrongSize(expected: 116_825, found: 116_824)),
        Damage(name: "extra byte", apply: { $0.append(0) }, expected: .wrongSize(expected: 116_825, found: 116_826)),
        Damage(name: "wrong magic", apply: { $0[0] = UInt8(ascii: "X") }, expected: .notDigitsFile),
        Damage(name: "version 2", apply: { $0[8] = 2 }, expected: .unsupportedHeader(field: "format version", expected: 1, found: 2)),
        Damage(name: "28 columns", apply: { $0[10] = 28 }, expected: .unsupportedHeader(field: "image columns", expected: 8, found: 28)),
        Damage(
            name: "1000 images", apply: { $0[12] = 0xE8; $0[13] = 0x03 },
            expected: .unsupportedHeader(field: "image count", expected: 1797, found: 1000)),
        // Image 3 starts at 20 + 3 × 65; its pixel 10 is the 11th byte of the record.
        Damage(name: "pixel 17", apply: { $0[20 + 3 * 65 + 10] = 17 }, expected: .pixelOutOfRange(image: 3, pixel: 10, value: 17)),
        // The label of image 5 is the 65th byte of its record.
        Damage(name: "label 10", apply: { $0[20 + 5 * 65 + 64] = 10 }, expected: .labelOutOfRange(image: 5, value: 10)),
    ]

    @Test(arguments: damages) func damagedBytesGiveTheTypedError(damage: Damage) throws {
        var bytes = try Self.resourceBytes()
        damage.apply(&bytes)
        #expect(throws: damage.expected) { try Digits.decode(bytes) }
    }

    @Test func aChangedPixelWithinRangeFailsTheHash() throws {
        var bytes = try Self.resourceBytes()
        // Image 0, pixel 2 is 5 in the CSV; 6 is still a valid count, so only the hash can tell.
        #expect(bytes[20 + 2] == 5)
        bytes[20 + 2] = 6
        let error = try #require(throws: DigitsError.self) { try Digits.decode(bytes) }
        guard case let .checksumMismatch(expected, found) = error else {
            Issue.record("expected a checksum mismatch, got \(error)")
            return
        }
        #expect(expected == 0xBFB6_2887 && found != expected)
    }

    @Test func errorMessagesSayWhatWasFoundAndHowToRestoreTheFile() {
        let errors: [DigitsError] = [
            .resourceMissing, .unreadable(file: "/x/digits.bin", reason: "Permission denied"),
            .wrongSize(expected: 116_825, found: 12), .notDigitsFile,
            .unsupportedHeader(field: "format version", expected: 1, found: 2),
            .pixelOutOfRange(image: 3, pixel: 10, value: 17), .labelOutOfRange(image: 5, value: 10),
            .checksumMismatch(expected: 0xBFB6_2887, found: 0x1234),
        ]
        for error in errors {
            #expect(error.description.contains("digits.bin"))
            #expect(error.description.contains("scripts/make-digits-resource.py"))
            #expect(error.localizedDescription == error.description)
        }
        #expect(DigitsError.wrongSize(expected: 116_825, found: 12).description.contains("12 bytes, expected 116825"))
        #expect(DigitsError.pixelOutOfRange(image: 3, pixel: 10, value: 17).description.contains("row 1, column 2) is 17"))
        #expect(DigitsError.checksumMismatch(expected: 0xBFB6_2887, found: 0x1234).description.contains("0x00001234"))
    }
}
