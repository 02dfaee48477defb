import Foundation
import Testing
import RetrogradData
import RetrogradNN
import RetrogradTestSupport

// Whole-model checkpoints: architecture and weights in one safetensors file, rebuilt into
// a fresh model, and the errors that say what differs.

/// A layer of its own that scales its input by a learned vector, describable.
private final class Scale: Layer, DescribableLayer {
    let factor: Variable
    var isTraining = true

    init(width: Int) { factor = Variable(Tensor.ones(shape: [width])) }

    func callAsFunction(_ input: Tensor) -> Tensor { input * factor.value }

    static let kind = "Scale"
    struct Configuration: Codable { var width: Int }
    var configuration: Configuration { Configuration(width: factor.shape[0]) }
    convenience init(configuration: Configuration, builder: LayerBuilder) throws {
        guard configuration.width > 0 else { throw ArchitectureProblem("width must be positive, found \(configuration.width)") }
        self.init(width: configuration.width)
    }
}

/// A container of its own: input + body(input), describing its child.
private final class Residual: Layer, DescribableLayer {
    let body: any Layer
    var isTraining = true

    init(_ body: any Layer) { self.body = body }

    func callAsFunction(_ input: Tensor) -> Tensor { input + body(input) }

    static let kind = "Residual"
    struct Configuration: Codable { var body: LayerArchitecture }
    var configuration: Configuration {
        get throws(CheckpointError) { Configuration(body: try LayerArchitecture(describing: body, at: "body")) }
    }
    convenience init(configuration: Configuration, builder: LayerBuilder) throws {
        self.init(try builder.makeLayer(configuration.body, at: "body"))
    }
}

/// A layer that cannot describe itself.
private final class Opaque: Layer {
    var isTraining = true
    func callAsFunction(_ input: Tensor) -> Tensor { input }
}

private func model(width: Int = 8, dtype: DType = .float32, middle: any Layer = Dropout(rate: 0.25, seed: 1)) -> Sequential {
    Sequential(
        Dense(inputSize: 2, outputSize: width, activation: .tanh, dtype: dtype, seed: 1), middle,
        Dense(inputSize: width, outputSize: 3, activation: .gelu(approximate: true), dtype: dtype, seed: 2))
}

@Suite struct ModelCheckpointTests {
    @Test func aSavedModelIsRebuiltFromTheFileAlone() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let url = dir.file("model.safetensors")
        let original = model()
        try Checkpoint.save(model: original, metadata: ["epoch": "3"], to: url)
        let checkpoint = try Checkpoint.load(from: url)
        let rebuilt = try checkpoint.makeModel(as: Sequential.self)
        #expect(checkpoint.metadata["epoch"] == "3")
        #expect(rebuilt.variables.map(\.name) == ["0.weight", "0.bias", "2.weight", "2.bias"])
        for (a, b) in zip(original.variables, rebuilt.variables) {
            #expect(a.value.scalars(as: Float.self) == b.value.scalars(as: Float.self), "\(a.name)")
        }
        #expect((rebuilt[1] as? Dropout)?.rate == 0.25)
        original.isTraining = false
        rebuilt.isTraining = false
        let x = Tensor([0.5, -1, 2, 0.25] as [Float], shape: [2, 2])
        #expect(rebuilt(x).scalars(as: Float.self) == original(x).scalars(as: Float.self))
    }

    @Test func theArchitectureIsJSONInTheMetadata() throws {
        let small = Sequential(Dense(inputSize: 2, outputSize: 1, useBias: false, seed: 1), ActivationLayer(.elu(alpha: 0.5)))
        let checkpoint = try Checkpoint(model: small)
        #expect(
            checkpoint.metadata[Checkpoint.architectureKey]
                == #"{"configuration":{"layers":[{"configuration":{"activation":"identity","dtype":"float32","inputSize":2,"#
                + #""outputSize":1,"useBias":false},"kind":"Dense"},{"configuration":{"activation":"elu(0.5)"},"kind":"Activation"}]},"#
                + #""kind":"Sequential"}"#)
        #expect(Set(checkpoint.tensors.keys) == ["0.weight"])
    }

    @Test func optimizerStateTravelsAsExtraTensors() throws {
        let state = ["0.weight/momentum": Tensor.zeros(shape: [2, 8])]
        let checkpoint = try Checkpoint(model: model(), extra: state)
        #expect(checkpoint.extra.keys.sorted() == ["0.weight/momentum"])
        _ = try checkpoint.makeModel()
    }

    @Test func restoringIntoAModelBuiltDifferentlySaysWhatDiffers() throws {
        let checkpoint = try Checkpoint(model: model())
        let cases: [(Sequential, CheckpointError)] = [
            (model(width: 16), .architectureMismatch(path: "layers.0.outputSize", expected: "16", found: "8", file: nil)),
            (model(dtype: .float64), .architectureMismatch(path: "layers.0.dtype", expected: "\"float64\"", found: "\"float32\"", file: nil)),
            (model(middle: ActivationLayer(.relu)), .architectureMismatch(path: "layers.1 (kind)", expected: "\"Activation\"", found: "\"Dropout\"", file: nil)),
            (model(middle: Dropout(rate: 0.5)), .architectureMismatch(path: "layers.1.rate", expected: "0.5", found: "0.25", file: nil)),
            (Sequential(Dense(inputSize: 2, outputSize: 8, seed: 1)), .architectureMismatch(path: "layers (count)", expected: "1 elements", found: "3 elements", file: nil)),
        ]
        for (other, expected) in cases {
            let before = other.variables.map { $0.value.scalars(as: Double.self) }
            let error = thrownError(CheckpointError.self) { try checkpoint.restore(into: other) }
            #expect(error == expected)
            #expect(other.variables.map { $0.value.scalars(as: Double.self) } == before, "nothing may change")
        }
        let wider = thrownError(CheckpointError.self) { try checkpoint.restore(into: model(width: 16)) }
        #expect(
            wider?.description
                == "checkpoint: the model differs from the saved architecture at 'layers.0.outputSize': the model has 16, "
                + "the file has 8. Build the model as it was saved, or rebuild it from the file with makeModel().")
    }

    @Test func restoringIntoTheSameArchitectureSetsTheWeights() throws {
        let source = model(), target = model(middle: Dropout(rate: 0.25, seed: 9))
        for variable in target.variables { variable.assign(Tensor.zeros(shape: variable.shape)) }
        try Checkpoint(model: source).restore(into: target)
        #expect(target.variables.map { $0.value.scalars(as: Float.self) } == source.variables.map { $0.value.scalars(as: Float.self) })
    }

    @Test func customLayersAreBuiltFromTheTypesGiven() throws {
        let original = Sequential(Scale(width: 2), Residual(Dense(inputSize: 2, outputSize: 2, seed: 3)))
        original.variables[0].assign(Tensor([2, -1] as [Float]))
        let checkpoint = try Checkpoint(model: original)
        let unknown = thrownError(CheckpointError.self) { _ = try checkpoint.makeModel() }
        #expect(unknown == .unknownLayerKind(path: "0", kind: "Scale", file: nil))
        #expect(unknown?.description.contains("Pass its type to makeModel(customTypes:)") == true)
        let rebuilt = try checkpoint.makeModel(as: Sequential.self, customTypes: [Scale.self, Residual.self])
        #expect(rebuilt.variables.map(\.name) == ["0.factor", "1.body.weight", "1.body.bias"])
        let x = Tensor([1, 3] as [Float], shape: [1, 2])
        #expect(rebuilt(x).scalars(as: Float.self) == original(x).scalars(as: Float.self))
    }

    @Test func aLayerThatCannotDescribeItselfIsNamedWhenSaving() {
        let error = thrownError(CheckpointError.self) { _ = try Checkpoint(model: Sequential(Dense(inputSize: 1, outputSize: 1, seed: 1), Residual(Opaque()))) }
        #expect(error == .undescribableLayer(path: "1.body", type: "Opaque"))
        #expect(error?.description.contains("Conform Opaque to DescribableLayer") == true)
    }

    @Test func aCheckpointOfVariablesHasNoModelToMake() throws {
        let checkpoint = try Checkpoint(variables: model().variables)
        #expect(thrownError(CheckpointError.self) { _ = try checkpoint.makeModel() } == .missingArchitecture(file: nil))
        // Restoring into a model by path still works without an architecture.
        try checkpoint.restore(into: model())
    }

    @Test func anotherKindOfModelThanAskedIsAMismatch() throws {
        let checkpoint = try Checkpoint(model: model())
        let error = thrownError(CheckpointError.self) { _ = try checkpoint.makeModel(as: Dense.self) }
        #expect(error == .architectureMismatch(path: "kind", expected: "Dense", found: "Sequential", file: nil))
    }

    @Test func aDamagedArchitectureIsInvalid() throws {
        var checkpoint = try Checkpoint(model: Sequential(Scale(width: 2)))
        checkpoint.metadata[Checkpoint.architectureKey] = "{\"kind\": 3"
        let unreadable = thrownError(CheckpointError.self) { _ = try checkpoint.makeModel(customTypes: [Scale.self]) }
        guard case .invalidArchitecture(path: "", _, file: nil)? = unreadable else {
            Issue.record("expected an unreadable architecture, got \(String(describing: unreadable))")
            return
        }
        checkpoint.metadata[Checkpoint.architectureKey] =
            #"{"kind":"Sequential","configuration":{"layers":[{"kind":"Scale","configuration":{"width":0}}]}}"#
        let refused = thrownError(CheckpointError.self) { _ = try checkpoint.makeModel(customTypes: [Scale.self]) }
        #expect(refused == .invalidArchitecture(path: "0", reason: "width must be positive, found 0", file: nil))
        checkpoint.metadata[Checkpoint.architectureKey] =
            #"{"kind":"Sequential","configuration":{"layers":[{"kind":"Dense","configuration":{"inputSize":2}}]}}"#
        let incomplete = thrownError(CheckpointError.self) { _ = try checkpoint.makeModel() }
        guard case .invalidArchitecture(path: "0", let reason, file: nil)? = incomplete else {
            Issue.record("expected an incomplete configuration, got \(String(describing: incomplete))")
            return
        }
        #expect(reason.hasPrefix("the Dense configuration does not read"))
    }

    @Test func weightsThatDoNotFitTheArchitectureAreRefusedWhole() throws {
        var checkpoint = try Checkpoint(model: model())
        checkpoint.tensors["2.bias"] = Tensor.zeros(shape: [4])
        let error = thrownError(CheckpointError.self) { _ = try checkpoint.makeModel() }
        #expect(error == .shapeMismatch(name: "2.bias", expected: [3], found: [4], file: nil))
    }
}
