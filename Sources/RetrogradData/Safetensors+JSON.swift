import Foundation

// The JSON of a safetensors header, read and written with Foundation.

extension Safetensors {
    /// The header's members, parsed by Foundation's `JSONSerialization` and then checked
    /// by ``laxity(in:)`` for what Foundation lets through.
    ///
    /// - Throws: ``CheckpointError/corruptHeader(file:reason:)``.
    static func members(ofHeader header: ArraySlice<UInt8>, file: String) throws(CheckpointError) -> [String: Any] {
        func corrupt(_ reason: String) -> CheckpointError { .corruptHeader(file: file, reason: reason) }
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: Data(header), options: .fragmentsAllowed)
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            throw corrupt("invalid JSON: " + detail.prefix(1).lowercased() + detail.dropFirst().trimmingCharacters(in: ["."]))
        }
        guard let members = root as? [String: Any] else {
            throw corrupt("the header is \(kind(of: root)), not a JSON object")
        }
        if let problem = laxity(in: header) { throw corrupt(problem) }
        return members
    }

    /// What is wrong with `header`, a JSON object Foundation has parsed, that Foundation
    /// lets through: text that is not UTF-8, a name given twice, or a comma before a
    /// closing bracket; `nil` when there is none of these.
    ///
    /// This is the one place Retrograd reads JSON itself, because Foundation gets three
    /// things wrong for this format. Of `{"w": …, "w": …}`, `JSONSerialization` keeps the
    /// last value and `JSONDecoder` the first, without a word, so a damaged header could
    /// silently lose an entry; both accept `[1, 2,]` and `{"w": …,}`, which JSON
    /// (RFC 8259) and the reference safetensors reader refuse; and both decode UTF-16,
    /// UTF-32 and a byte-order mark, where the format says UTF-8. The cases of
    /// `CheckpointHeaderJSONTests.foundationAloneWouldAcceptTheseHeaders` show all three.
    /// Foundation reads everything else, offsets above 2^53 included, which it keeps
    /// exact. The scan only follows nesting and strings; names are unescaped by Foundation.
    static func laxity(in header: ArraySlice<UInt8>) -> String? {
        guard !header.contains(0), !header.starts(with: [0xEF, 0xBB, 0xBF]), String(validating: header, as: UTF8.self) != nil else {
            return "invalid JSON: the header is not UTF-8 text (it has invalid UTF-8, a NUL byte or a byte-order mark)"
        }
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\"), comma = UInt8(ascii: ",")
        var names = Set<String>()
        var depth = 0, inString = false, escaped = false, expectingName = false
        var nameStart: Int?, previous: UInt8 = 0  // the last byte outside strings and white space
        for index in header.indices {
            let byte = header[index]
            if inString {
                if escaped {
                    escaped = false
                } else if byte == backslash {
                    escaped = true
                } else if byte == quote {
                    (inString, previous) = (false, quote)
                    if let start = nameStart, let name = stringLiteral(header[start...index]), !names.insert(name).inserted {
                        return "'\(name)' appears twice"
                    }
                    nameStart = nil
                }
                continue
            }
            switch byte {
            case quote:
                inString = true
                if expectingName { nameStart = index }
                expectingName = false
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                expectingName = depth == 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if previous == comma {
                    return "invalid JSON: a ',' comes right before '\(Character(Unicode.Scalar(byte)))' at byte \(index - header.startIndex)"
                }
                depth -= 1
            case comma: expectingName = depth == 1
            default: break
            }
            if ![0x20, 0x09, 0x0A, 0x0D].contains(byte) { previous = byte }
        }
        return nil
    }

    /// The string a JSON string literal (quotes included) stands for.
    private static func stringLiteral(_ literal: ArraySlice<UInt8>) -> String? {
        try? JSONSerialization.jsonObject(with: Data(literal), options: .fragmentsAllowed) as? String
    }

    /// `value` as a size or an offset: a JSON integer from 0 to `Int.max`, written without
    /// fraction or exponent (Foundation keeps those as integers, exactly; `8.0`, `1e3` and
    /// `true` are not sizes).
    static func nonNegativeInteger(_ value: Any) -> Int? {
        guard let number = value as? NSNumber, integerTypeCodes.contains(number.objCType.pointee) else { return nil }
        guard let integer = Int(number.stringValue), integer >= 0 else { return nil }
        return integer
    }

    /// The `objCType` codes of Foundation's integer numbers (booleans are `c`, others `d`).
    private static let integerTypeCodes: Set<CChar> = Set("silqSILQ".utf8.map { CChar(bitPattern: $0) })

    /// A short description of a parsed JSON value, for error messages.
    static func kind(of value: Any) -> String {
        switch value {
        case is String: return "a string"
        case let number as NSNumber where number.objCType.pointee == CChar(bitPattern: UInt8(ascii: "c")):
            return number.boolValue ? "true" : "false"
        case let number as NSNumber: return "the number \(number)"
        case is [Any]: return "an array"
        case is [String: Any]: return "an object"
        default: return "null"
        }
    }
}
