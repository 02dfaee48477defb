import Foundation

/// A JSON value of any shape: how a layer's configuration is kept inside a
/// ``LayerArchitecture`` before the type that reads it is known.
enum JSONValue: Codable, Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Reads any JSON value.
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Writes the value.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case let .bool(value): try container.encode(value)
        case let .number(value): try container.encode(value)
        case let .string(value): try container.encode(value)
        case let .array(value): try container.encode(value)
        case let .object(value): try container.encode(value)
        }
    }

    /// The JSON form of `value`, through Retrograd's JSON encoder.
    init<Value: Encodable>(encoding value: Value) throws {
        self = try jsonDecoder().decode(JSONValue.self, from: jsonEncoder().encode(value))
    }

    /// The value decoded as `Value`, through Retrograd's JSON decoder.
    func decoded<Value: Decodable>(as type: Value.Type) throws -> Value {
        try jsonDecoder().decode(Value.self, from: jsonEncoder().encode(self))
    }

    /// Compact JSON text for messages: `8`, `"tanh"`, `{"rate":0.5}`.
    var text: String {
        if case let .number(value) = self, value.rounded() == value, abs(value) < 1e15 { return String(Int(value)) }
        return jsonText(self)
    }
}
