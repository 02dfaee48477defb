// A small JSON reader and string writer for safetensors headers: the reader keeps object
// keys in file order (so duplicates can be reported) and numbers as their text (so 64-bit
// offsets are read exactly).

/// A parsed JSON value.
enum JSONValue {
    case string(String)
    /// A number, as written.
    case number(String)
    case boolean(Bool)
    case null
    case array([JSONValue])
    /// An object's members in file order; keys may repeat.
    case object([(key: String, value: JSONValue)])

    /// The value as a non-negative integer, when it is one written without fraction or exponent.
    var nonNegativeInteger: Int? {
        guard case .number(let text) = self, text.utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
        return Int(text)
    }

    /// A short description of the kind of value, for error messages.
    var kind: String {
        switch self {
        case .string: return "a string"
        case .number(let text): return "the number \(text)"
        case .boolean(let b): return b ? "true" : "false"
        case .null: return "null"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

/// Why JSON text could not be parsed.
struct JSONParseFailure: Error {
    var reason: String
}

/// Parses JSON text (RFC 8259), allowing white space around the value.
struct JSONParser {
    private let bytes: ArraySlice<UInt8>
    private var position: Int

    /// Parses `bytes` as one JSON value.
    static func parse(_ bytes: ArraySlice<UInt8>) throws(JSONParseFailure) -> JSONValue {
        var parser = JSONParser(bytes: bytes, position: bytes.startIndex)
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.position == bytes.endIndex else { throw parser.failure("unexpected text after the JSON value") }
        return value
    }

    private init(bytes: ArraySlice<UInt8>, position: Int) {
        self.bytes = bytes
        self.position = position
    }

    private func failure(_ what: String) -> JSONParseFailure {
        JSONParseFailure(reason: "\(what) at byte \(position - bytes.startIndex) of the header")
    }

    private var current: UInt8? { position < bytes.endIndex ? bytes[position] : nil }

    private mutating func skipSpace() {
        while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { position += 1 }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(JSONParseFailure) {
        skipSpace()
        guard current == byte else { throw failure("expected \(what)") }
        position += 1
    }

    private mutating func value(depth: Int) throws(JSONParseFailure) -> JSONValue {
        guard depth < 64 else { throw failure("values are nested too deeply") }
        skipSpace()
        guard let byte = current else { throw failure("the text ends where a value should be") }
        switch byte {
        case UInt8(ascii: "{"):
            position += 1
            var members = [(key: String, value: JSONValue)]()
            skipSpace()
            if current == UInt8(ascii: "}") { position += 1; return .object(members) }
            repeat {
                skipSpace()
                guard current == UInt8(ascii: "\"") else { throw failure("expected a string key") }
                let key = try string()
                try expect(UInt8(ascii: ":"), "':' after a key")
                members.append((key, try value(depth: depth + 1)))
                skipSpace()
            } while try separator(closing: UInt8(ascii: "}"))
            return .object(members)
        case UInt8(ascii: "["):
            position += 1
            var items = [JSONValue]()
            skipSpace()
            if current == UInt8(ascii: "]") { position += 1; return .array(items) }
            repeat {
                items.append(try value(depth: depth + 1))
                skipSpace()
            } while try separator(closing: UInt8(ascii: "]"))
            return .array(items)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default:
            for (word, literal) in [("true", JSONValue.boolean(true)), ("false", .boolean(false)), ("null", .null)]
            where bytes[position...].starts(with: word.utf8) {
                position += word.utf8.count
                return literal
            }
            throw failure("unexpected character '\(Character(Unicode.Scalar(byte)))'")
        }
    }

    /// Consumes ',' (more to come: true) or the closing bracket (done: false).
    private mutating func separator(closing: UInt8) throws(JSONParseFailure) -> Bool {
        if current == UInt8(ascii: ",") { position += 1; return true }
        if current == closing { position += 1; return false }
        throw failure("expected ',' or '\(Character(Unicode.Scalar(closing)))'")
    }

    private mutating func number() throws(JSONParseFailure) -> String {
        let start = position
        func digits() -> Int {
            let from = position
            while let byte = current, (48...57).contains(byte) { position += 1 }
            return position - from
        }
        if current == UInt8(ascii: "-") { position += 1 }
        let integerStart = position
        let integerDigits = digits()
        guard integerDigits > 0, !(integerDigits > 1 && bytes[integerStart] == UInt8(ascii: "0")) else {
            throw failure("malformed number")
        }
        if current == UInt8(ascii: ".") {
            position += 1
            guard digits() > 0 else { throw failure("malformed number") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard digits() > 0 else { throw failure("malformed number") }
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private mutating func string() throws(JSONParseFailure) -> String {
        position += 1  // the opening quote
        var scalars = String.UnicodeScalarView()
        var run = [UInt8]()  // raw UTF-8 since the last escape
        let invalid = failure("invalid UTF-8 in a string")
        func flush() throws(JSONParseFailure) {
            guard let text = String(validating: run, as: UTF8.self) else { throw invalid }
            scalars.append(contentsOf: text.unicodeScalars)
            run.removeAll(keepingCapacity: true)
        }
        while let byte = current {
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                try flush()
                return String(scalars)
            case UInt8(ascii: "\\"):
                try flush()
                guard let escape = current else { break }
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(Unicode.Scalar(escape))
                case UInt8(ascii: "b"): scalars.append("\u{8}")
                case UInt8(ascii: "f"): scalars.append("\u{C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800..<0xDC00).contains(code), bytes[position...].starts(with: "\\u".utf8) {
                        position += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw failure("unpaired surrogate in \\u escape") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw failure("unpaired surrogate in \\u escape") }
                    scalars.append(scalar)
                default: throw failure("unknown escape '\\\(Character(Unicode.Scalar(escape)))'")
                }
            case 0..<0x20: throw failure("control character in a string")
            default: run.append(byte)
            }
        }
        throw failure("a string is never closed")
    }

    private mutating func hex4() throws(JSONParseFailure) -> UInt32 {
        guard position + 4 <= bytes.endIndex,
            let code = UInt32(String(decoding: bytes[position..<(position + 4)], as: UTF8.self), radix: 16)
        else { throw failure("malformed \\u escape") }
        position += 4
        return code
    }
}

/// `text` as a JSON string literal, quotes included.
func jsonQuoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20:
            let hex = String(scalar.value, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
