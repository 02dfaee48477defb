import Foundation

/// The non-finite number spellings of ``jsonText(_:)``.
private let nonFiniteStrings = (positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")

/// A decoder for what ``jsonText(_:)`` and the report writer produce.
func jsonDecoder() -> JSONDecoder {
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
        positiveInfinity: nonFiniteStrings.positiveInfinity, negativeInfinity: nonFiniteStrings.negativeInfinity,
        nan: nonFiniteStrings.nan)
    return decoder
}

/// An encoder with sorted keys that writes non-finite numbers as strings rather than
/// refusing them.
func jsonEncoder(pretty: Bool = false) -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
        positiveInfinity: nonFiniteStrings.positiveInfinity, negativeInfinity: nonFiniteStrings.negativeInfinity,
        nan: nonFiniteStrings.nan)
    return encoder
}

/// JSON text of an encodable value with sorted keys (deterministic): compact, or indented
/// when `pretty`.
func jsonText<Value: Encodable>(_ value: Value, pretty: Bool = false) -> String {
    // Plain numbers, strings and arrays always encode.
    (try? jsonEncoder(pretty: pretty).encode(value)).flatMap { String(data: $0, encoding: .utf8) } ?? "null"
}
