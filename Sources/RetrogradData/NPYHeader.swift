/// A value of the small Python literal language `.npy` headers are written in.
enum PythonLiteral {
    case string(String)
    case integer(Int)
    case boolean(Bool)
    case none
    case sequence([PythonLiteral])  // a tuple or a list
    case dictionary([(String, PythonLiteral)])

    /// The literal as Python would print it, for error messages.
    var pythonText: String {
        switch self {
        case .string(let s): return "'\(s)'"
        case .integer(let i): return String(i)
        case .boolean(let b): return b ? "True" : "False"
        case .none: return "None"
        case .sequence(let items): return "[" + items.map(\.pythonText).joined(separator: ", ") + "]"
        case .dictionary(let pairs): return "{" + pairs.map { "'\($0.0)': \($0.1.pythonText)" }.joined(separator: ", ") + "}"
        }
    }
}

/// Parses the Python literals of `.npy` headers: strings, integers, `True`/`False`/`None`,
/// tuples, lists and dictionaries with string keys. Throws a reason on bad input.
struct PythonLiteralParser {
    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Parses one literal that fills the whole text (surrounding white space aside).
    static func parse(_ bytes: [UInt8]) throws(HeaderParseFailure) -> PythonLiteral {
        var parser = PythonLiteralParser(bytes)
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        if parser.position < bytes.count { throw parser.failure("unexpected text after the dictionary") }
        return value
    }

    private func failure(_ what: String) -> HeaderParseFailure {
        HeaderParseFailure(reason: "\(what) at byte \(position) of the header")
    }

    private mutating func skipSpace() {
        while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
    }

    /// The deepest nesting of tuples, lists and dictionaries accepted. A header needs 2
    /// (a shape tuple in the dictionary); the limit keeps a hostile header of thousands of
    /// open brackets from exhausting the stack.
    static let maximumDepth = 32

    private mutating func value(depth: Int) throws(HeaderParseFailure) -> PythonLiteral {
        guard depth <= Self.maximumDepth else { throw failure("values are nested more than \(Self.maximumDepth) deep") }
        skipSpace()
        guard position < bytes.count else { throw failure("the header ends where a value should be") }
        switch bytes[position] {
        case UInt8(ascii: "'"), UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "("): return .sequence(try items(closing: UInt8(ascii: ")"), depth: depth))
        case UInt8(ascii: "["): return .sequence(try items(closing: UInt8(ascii: "]"), depth: depth))
        case UInt8(ascii: "{"): return try dictionary(depth: depth)
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"): return .integer(try integer())
        default:
            for (word, literal) in [("True", PythonLiteral.boolean(true)), ("False", .boolean(false)), ("None", .none)]
            where bytes[position...].starts(with: word.utf8) {
                position += word.utf8.count
                return literal
            }
            throw failure("unexpected character '\(Character(Unicode.Scalar(bytes[position])))'")
        }
    }

    private mutating func string() throws(HeaderParseFailure) -> String {
        let quote = bytes[position]
        position += 1
        var text = [UInt8]()
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            if byte == quote { return String(decoding: text, as: UTF8.self) }
            if byte == UInt8(ascii: "\\"), position < bytes.count {
                text.append(bytes[position])
                position += 1
            } else {
                text.append(byte)
            }
        }
        throw failure("a string is never closed")
    }

    private mutating func integer() throws(HeaderParseFailure) -> Int {
        let start = position
        if bytes[position] == UInt8(ascii: "-") || bytes[position] == UInt8(ascii: "+") { position += 1 }
        while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) { position += 1 }
        guard let value = Int(String(decoding: bytes[start..<position], as: UTF8.self)) else {
            throw failure("'\(String(decoding: bytes[start..<position], as: UTF8.self))' is not a usable integer")
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "L") { position += 1 }  // Python 2 long
        return value
    }

    private mutating func items(closing: UInt8, depth: Int) throws(HeaderParseFailure) -> [PythonLiteral] {
        position += 1
        var result = [PythonLiteral]()
        while true {
            skipSpace()
            guard position < bytes.count else { throw failure("a tuple or list is never closed") }
            if bytes[position] == closing { position += 1; return result }
            result.append(try value(depth: depth + 1))
            skipSpace()
            guard position < bytes.count else { throw failure("a tuple or list is never closed") }
            if bytes[position] == UInt8(ascii: ",") { position += 1 } else if bytes[position] != closing {
                throw failure("expected ',' or '\(Character(Unicode.Scalar(closing)))'")
            }
        }
    }

    private mutating func dictionary(depth: Int) throws(HeaderParseFailure) -> PythonLiteral {
        position += 1
        var pairs = [(String, PythonLiteral)]()
        while true {
            skipSpace()
            guard position < bytes.count else { throw failure("the dictionary is never closed") }
            if bytes[position] == UInt8(ascii: "}") { position += 1; return .dictionary(pairs) }
            guard case .string(let key) = try value(depth: depth + 1) else { throw failure("a dictionary key is not a string") }
            skipSpace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw failure("expected ':' after '\(key)'") }
            position += 1
            pairs.append((key, try value(depth: depth + 1)))
            skipSpace()
            guard position < bytes.count else { throw failure("the dictionary is never closed") }
            if bytes[position] == UInt8(ascii: ",") { position += 1 } else if bytes[position] != UInt8(ascii: "}") {
                throw failure("expected ',' or '}'")
            }
        }
    }
}

/// Why a header could not be parsed; the reader adds the file name.
struct HeaderParseFailure: Error {
    var reason: String
}
