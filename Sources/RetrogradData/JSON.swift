import Foundation

// Retrograd's JSON, for every file it writes or reads (checkpoint headers, run and report
// files): Foundation's coders, set up once here. Keys are sorted, so the same value always
// gives the same text; slashes are left unescaped; numbers that JSON cannot hold are
// written as the strings "inf", "-inf" and "nan" and read back from them.

/// The non-finite number spellings of ``jsonText(_:pretty:)``.
private let nonFiniteStrings = (positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")

/// A decoder for what ``jsonText(_:pretty:)`` writes.
package func jsonDecoder() -> JSONDecoder {
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
        positiveInfinity: nonFiniteStrings.positiveInfinity, negativeInfinity: nonFiniteStrings.negativeInfinity,
        nan: nonFiniteStrings.nan)
    return decoder
}

/// An encoder with sorted keys and unescaped slashes that writes non-finite numbers as
/// strings rather than refusing them; indented when `pretty`.
package func jsonEncoder(pretty: Bool = false) -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
        positiveInfinity: nonFiniteStrings.positiveInfinity, negativeInfinity: nonFiniteStrings.negativeInfinity,
        nan: nonFiniteStrings.nan)
    return encoder
}

/// The JSON text of `value`: compact, or indented when `pretty`; "null" for a value whose
/// own `encode(to:)` throws.
package func jsonText<Value: Encodable>(_ value: Value, pretty: Bool = false) -> String {
    (try? jsonEncoder(pretty: pretty).encode(value)).flatMap { String(data: $0, encoding: .utf8) } ?? "null"
}
