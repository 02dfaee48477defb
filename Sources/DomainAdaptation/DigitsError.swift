import Foundation

/// Why the digits resource (`digits.bin`, shipped inside the DomainAdaptation library)
/// could not be read.
///
/// The file is part of the package, so every case means a broken build or a damaged
/// checkout; the full sentence, ``description``, says what was found and how to restore it.
public enum DigitsError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// The library's resource bundle has no `Resources/digits.bin`.
    case resourceMissing
    /// The file exists but could not be read.
    case unreadable(file: String, reason: String)
    /// The file has the wrong number of bytes (truncated, or with extra bytes).
    case wrongSize(expected: Int, found: Int)
    /// The file does not start with the magic bytes `RGDIGITS`.
    case notDigitsFile
    /// A header field (format version, image rows or columns, largest pixel value, image
    /// count) differs from the only value this library reads.
    case unsupportedHeader(field: String, expected: Int, found: Int)
    /// A pixel count lies outside `0...16`. `image` and `pixel` count from 0; `pixel` is
    /// `row * 8 + column`.
    case pixelOutOfRange(image: Int, pixel: Int, value: Int)
    /// A label lies outside `0...9`. `image` counts from 0.
    case labelOutOfRange(image: Int, value: Int)
    /// The bytes do not match the hash stored in the header.
    case checksumMismatch(expected: UInt32, found: UInt32)

    /// What to do about any of these errors: the file ships with the package.
    static let remedy = "Restore Sources/DomainAdaptation/Resources/digits.bin "
        + "(git checkout -- Sources/DomainAdaptation/Resources/digits.bin, or rebuild it with "
        + "scripts/make-digits-resource.py) and build again."

    /// A sentence that says what went wrong and what to do.
    public var description: String {
        let what: String
        switch self {
        case .resourceMissing:
            return "digits.bin: the DomainAdaptation resource bundle (\(ResourceBundle.fileNames[0]) on Linux, "
                + "\(ResourceBundle.fileNames[1]) on Apple platforms) with Resources/digits.bin is not next to the program. "
                + "Build with SwiftPM (swift build) so the resources are copied, and run the program "
                + "from where SwiftPM put it, or copy the bundle next to it; if the file is missing from the sources, " + Self.remedy
        case let .unreadable(file, reason):
            return "\(file): cannot read the digits resource (\(reason)). Check that it is a readable "
                + "regular file; otherwise " + Self.remedy
        case let .wrongSize(expected, found):
            what = "the file has \(found) bytes, expected \(expected); it is truncated or damaged."
        case .notDigitsFile:
            what = "the file does not start with the magic bytes RGDIGITS; it is not the digits resource."
        case let .unsupportedHeader(field, expected, found):
            what = "the header gives \(field) \(found), expected \(expected); this file was made for a different format."
        case let .pixelOutOfRange(image, pixel, value):
            what = "image \(image), pixel \(pixel) (row \(pixel / 8), column \(pixel % 8)) is \(value), "
                + "outside 0...16; the file is damaged."
        case let .labelOutOfRange(image, value):
            what = "image \(image) has label \(value), outside 0...9; the file is damaged."
        case let .checksumMismatch(expected, found):
            what = "the bytes hash to \(hex(found)) but the header says \(hex(expected)); the file is damaged."
        }
        return "digits.bin: \(what) " + Self.remedy
    }

    /// The same sentence as ``description``, for `localizedDescription`.
    public var errorDescription: String? { description }
}

/// `0x` and eight hex digits.
private func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
}
