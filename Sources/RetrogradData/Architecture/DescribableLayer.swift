import RetrogradNN

/// A layer that can describe its architecture and be built again from the description:
/// what a whole-model checkpoint needs to rebuild a model before it restores the weights.
///
/// The built-in layers (`Dense`, `Sequential`, `ActivationLayer`, `Dropout`,
/// `GradientReversal`, `BatchNorm`, `LayerNorm`, `Embedding`, `Flatten`, `Conv2D`,
/// `Conv2DTranspose`, `MaxPool2D`, `AvgPool2D`, the global poolings) conform. Conform your own layer by giving it a name, a `Codable`
/// configuration with what its initializer needs (not its weights: they are restored
/// afterwards), and an initializer from that configuration; a container describes its
/// children with ``LayerArchitecture/init(describing:at:)`` and builds them with
/// ``LayerBuilder/makeLayer(_:at:)``:
///
/// ```swift
/// final class Residual: Layer, DescribableLayer {
///     let body: any Layer
///     var isTraining = true
///     init(_ body: any Layer) { self.body = body }
///     func callAsFunction(_ input: Tensor) -> Tensor { input + body(input) }
///
///     static let kind = "Residual"
///     struct Configuration: Codable { var body: LayerArchitecture }
///     var configuration: Configuration { get throws(CheckpointError) { Configuration(body: try LayerArchitecture(describing: body, at: "body")) } }
///     convenience init(configuration: Configuration, builder: LayerBuilder) throws {
///         self.init(try builder.makeLayer(configuration.body, at: "body"))
///     }
/// }
/// let model = try Checkpoint.load(from: url).makeModel(customTypes: [Residual.self])
/// ```
public protocol DescribableLayer: Layer {
    /// The settings that build the layer again, with fresh weights.
    associatedtype Configuration: Codable

    /// The name this kind of layer is stored under, such as "Dense"; unique among the
    /// types a ``LayerBuilder`` knows.
    static var kind: String { get }

    /// The layer's settings now.
    ///
    /// - Throws: ``CheckpointError/undescribableLayer(path:type:)`` from a child that
    ///   cannot describe itself.
    var configuration: Configuration { get throws(CheckpointError) }

    /// Builds a layer from its settings; its variables are then set from the checkpoint.
    ///
    /// Throw for settings the layer cannot take (the builder reports the error with the
    /// layer's path); build children with `builder`.
    init(configuration: Configuration, builder: LayerBuilder) throws
}

/// Builds layers from their ``LayerArchitecture``, knowing the built-in layer types and the
/// custom ones it is given.
public struct LayerBuilder {
    /// The types by ``DescribableLayer/kind``.
    private let types: [String: any DescribableLayer.Type]
    /// The path of the layer being built, for error messages.
    private let path: String
    /// The file the architecture came from, for error messages.
    private let file: String?

    /// The built-in describable layers.
    public static var builtInTypes: [any DescribableLayer.Type] {
        [
            Dense.self, Sequential.self, ActivationLayer.self, Dropout.self, GradientReversal.self,
            BatchNorm.self, LayerNorm.self, Embedding.self, Flatten.self, GlobalAveragePooling2D.self, GlobalMaxPooling2D.self,
            Conv2D.self, Conv2DTranspose.self, MaxPool2D.self, AvgPool2D.self,
        ]
    }

    /// Creates a builder that knows the built-in layers and `customTypes`.
    ///
    /// Two types with one ``DescribableLayer/kind`` stop the program: a checkpoint could
    /// not say which it holds.
    public init(customTypes: [any DescribableLayer.Type] = []) {
        self.init(customTypes: customTypes, path: "", file: nil)
    }

    init(customTypes: [any DescribableLayer.Type], path: String, file: String?) {
        var types = [String: any DescribableLayer.Type]()
        for type in LayerBuilder.builtInTypes + customTypes {
            if let other = types.updateValue(type, forKey: type.kind) {
                preconditionFailed(
                    "LayerBuilder: \(other) and \(type) both have the kind '\(type.kind)'; give each layer type its own kind")
            }
        }
        self.types = types
        self.path = path
        self.file = file
    }

    private init(types: [String: any DescribableLayer.Type], path: String, file: String?) {
        self.types = types
        self.path = path
        self.file = file
    }

    /// Builds the layer `architecture` describes, found under `component` in the layer
    /// being built (its position or property name; empty for the root).
    ///
    /// - Throws: ``CheckpointError/unknownLayerKind(path:kind:file:)`` for a kind the
    ///   builder does not know, ``CheckpointError/invalidArchitecture(path:reason:file:)``
    ///   for a configuration that does not decode or that the layer refuses.
    public func makeLayer(_ architecture: LayerArchitecture, at component: String = "") throws(CheckpointError) -> any Layer {
        let path = pathJoined(self.path, component)
        guard let type = types[architecture.kind] else {
            throw .unknownLayerKind(path: path, kind: architecture.kind, file: file)
        }
        let inner = LayerBuilder(types: types, path: path, file: file)
        func make<Described: DescribableLayer>(_ type: Described.Type) throws(CheckpointError) -> any Layer {
            let configuration: Described.Configuration
            do {
                configuration = try architecture.configurationJSON.decoded(as: Described.Configuration.self)
            } catch {
                throw .invalidArchitecture(path: path, reason: "the \(architecture.kind) configuration does not read: \(error)", file: file)
            }
            do {
                return try Described(configuration: configuration, builder: inner)
            } catch let error as CheckpointError {
                throw error
            } catch {
                throw .invalidArchitecture(path: path, reason: "\(error)", file: file)
            }
        }
        return try make(type)
    }
}
