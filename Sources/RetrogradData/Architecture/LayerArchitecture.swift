import Foundation
import RetrogradNN

/// A layer's architecture: its kind and its configuration, with its children's
/// architectures inside, stored as JSON in a whole-model checkpoint.
///
/// ```json
/// {"configuration":{"layers":[{"configuration":{"activation":"tanh","dtype":"float32","inputSize":2,"outputSize":8,"useBias":true},"kind":"Dense"},
///                             {"configuration":{"activation":"identity","dtype":"float32","inputSize":8,"outputSize":2,"useBias":true},"kind":"Dense"}]},
///  "kind":"Sequential"}
/// ```
public struct LayerArchitecture: Codable, Equatable, Sendable, CustomStringConvertible {
    /// The layer's ``DescribableLayer/kind``, such as "Dense".
    public let kind: String
    /// The layer's configuration, as JSON.
    let configurationJSON: JSONValue

    private enum CodingKeys: String, CodingKey {
        case kind
        case configurationJSON = "configuration"
    }

    /// The architecture of `layer`, found under `component` in the layer describing it
    /// (for the paths in errors; empty for the root).
    ///
    /// - Throws: ``CheckpointError/undescribableLayer(path:type:)`` when `layer`, or a layer
    ///   inside it, is not a ``DescribableLayer``.
    public init(describing layer: any Layer, at component: String = "") throws(CheckpointError) {
        guard let described = layer as? any DescribableLayer else {
            throw .undescribableLayer(path: component, type: "\(type(of: layer))")
        }
        func configuration<Described: DescribableLayer>(of layer: Described) throws(CheckpointError) -> JSONValue {
            let value: Described.Configuration
            do {
                value = try layer.configuration
            } catch {
                throw error.inside(component)
            }
            do {
                return try JSONValue(encoding: value)
            } catch {
                throw .invalidArchitecture(path: component, reason: "the configuration does not encode: \(error)", file: nil)
            }
        }
        self.kind = type(of: described).kind
        self.configurationJSON = try configuration(of: described)
    }

    /// Reads an architecture from its JSON text.
    ///
    /// - Throws: ``CheckpointError/invalidArchitecture(path:reason:file:)``.
    init(json text: String, file: String?) throws(CheckpointError) {
        do {
            self = try jsonDecoder().decode(LayerArchitecture.self, from: Data(text.utf8))
        } catch {
            throw .invalidArchitecture(path: "", reason: "the architecture is not readable JSON: \(error)", file: file)
        }
    }

    /// The architecture as compact JSON text with sorted keys.
    public var description: String { jsonText(self) }

    /// The first difference between this architecture (the model's) and `other` (a
    /// file's), as a path and the two values there; nil when they are equal.
    func firstDifference(from other: LayerArchitecture) -> (path: String, mine: String, theirs: String)? {
        Self.difference(JSONValue.object(["kind": .string(kind), "configuration": configurationJSON]),
                        JSONValue.object(["kind": .string(other.kind), "configuration": other.configurationJSON]), path: "")
    }

    /// The first difference between two JSON values at `path`, looking through the
    /// `{"kind", "configuration"}` wrapper of nested architectures so that paths read
    /// like layer paths ("layers.1.outputSize").
    private static func difference(_ a: JSONValue, _ b: JSONValue, path: String) -> (path: String, mine: String, theirs: String)? {
        switch (a, b) {
        case let (.object(x), .object(y)):
            if let kindA = x["kind"], let kindB = y["kind"], x.count == 2, y.count == 2,
                let configA = x["configuration"], let configB = y["configuration"]
            {
                if kindA != kindB { return (pathOrRoot(path, "kind"), kindA.text, kindB.text) }
                return difference(configA, configB, path: path)
            }
            for key in Set(x.keys).union(y.keys).sorted() {
                let here = pathJoined(path, key)
                guard let valueA = x[key] else { return (here, "nothing", y[key]!.text) }
                guard let valueB = y[key] else { return (here, valueA.text, "nothing") }
                if let found = difference(valueA, valueB, path: here) { return found }
            }
            return nil
        case let (.array(x), .array(y)):
            if x.count != y.count { return (pathOrRoot(path, "count"), "\(x.count) elements", "\(y.count) elements") }
            for (index, (valueA, valueB)) in zip(x, y).enumerated() {
                if let found = difference(valueA, valueB, path: pathJoined(path, String(index))) { return found }
            }
            return nil
        default:
            return a == b ? nil : (path, a.text, b.text)
        }
    }

    /// `path`, or `fallback` for the root.
    private static func pathOrRoot(_ path: String, _ fallback: String) -> String {
        path.isEmpty ? fallback : "\(path) (\(fallback))"
    }
}
