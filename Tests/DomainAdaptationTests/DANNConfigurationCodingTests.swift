import Foundation
import Testing
@testable import DomainAdaptation

/// The JSON form of a configuration, which run.json, report.json and checkpoints hold.
@Suite struct DANNConfigurationCodingTests {
    /// run.json as written before the activation was an enum (by the release build of that
    /// time, for `retrograd dann --data digits --seed 3`).
    static let earlierRunJSON = """
        {
          "configuration" : {
            "activation" : "tanh",
            "annealingAlpha" : 10,
            "annealingBeta" : 0.75,
            "batchSize" : 64,
            "domainHidden" : [
              32
            ],
            "epochs" : 150,
            "hidden" : [
              128,
              64
            ],
            "lambdaGamma" : 10,
            "learningRate" : 0.1,
            "maxLambda" : 0.3,
            "momentum" : 0.9,
            "seed" : 3
          },
          "data" : {
            "kind" : "digits"
          },
          "modes" : [
            "source-only",
            "dann"
          ]
        }
        """

    @Test func anEarlierRunDescriptionStillLoads() throws {
        let description = try jsonDecoder().decode(DANNRunDescription.self, from: Data(Self.earlierRunJSON.utf8))
        #expect(description.configuration == .digits(seed: 3))
        #expect(description.configuration.activation == .tanh)
        #expect(description.data == .digits && description.modes == [.sourceOnly, .dann])
    }

    @Test func anEarlierRunDescriptionKeepsTheDomainSettingsItRanWith() throws {
        // Written before the domain loss reduction, the domain head's initialisation and the
        // moons' noise were settings: they mean what runs did then.
        let moons = Self.earlierRunJSON.replacingOccurrences(of: "\"kind\" : \"digits\"", with: "\"angle\" : 35, \"kind\" : \"moons\"")
        let description = try jsonDecoder().decode(DANNRunDescription.self, from: Data(moons.utf8))
        #expect(description.configuration.domainLossReduction == .mean)
        #expect(description.configuration.domainHeadInitialization == .glorotUniform)
        #expect(description.data == .moons(angle: 35) && description.data.noise == nil)
        let data = try description.data.load(seed: 3)
        #expect(data.sourceTrain.features.scalars(as: Float.self) == DomainData.moons(noise: 0.1, seed: 3).sourceTrain.features.scalars(as: Float.self))
    }

    @Test func thePaperProtocolsSettingsRoundTripThroughRunJSON() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.cleanUp() }
        var configuration = DANNConfiguration.moonsPaper(seed: 2)
        configuration.lambdaGamma = 0
        let description = DANNRunDescription(data: DANNProtocol.paper.moons(angle: 30), configuration: configuration, modes: [.dann])
        try description.write(to: scratch.url)
        let text = try String(contentsOf: scratch.file(DANNRunDescription.fileName), encoding: .utf8)
        for field in ["\"domainLossReduction\" : \"sum\"", "\"domainHeadInitialization\" : \"zeros\"", "\"noise\" : 0.05"] {
            #expect(text.contains(field), "\(field) in \(text)")
        }
        #expect(try DANNRunDescription.read(from: scratch.url) == description)
        // And the other values of each setting.
        configuration.domainLossReduction = .mean
        configuration.domainHeadInitialization = .glorotUniform
        #expect(try jsonDecoder().decode(DANNConfiguration.self, from: Data(jsonText(configuration).utf8)) == configuration)
    }

    @Test(arguments: [("domainLossReduction", "\"sum\"", "\"median\""), ("domainHeadInitialization", "\"zeros\"", "\"ones\"")])
    func anUnknownDomainSettingIsADecodingError(key: String, written: String, replacement: String) {
        let text = jsonText(DANNConfiguration.moonsPaper()).replacingOccurrences(of: "\"\(key)\":\(written)", with: "\"\(key)\":\(replacement)")
        #expect(text.contains(replacement))
        let error = thrownError(DecodingError.self) { _ = try jsonDecoder().decode(DANNConfiguration.self, from: Data(text.utf8)) }
        guard case .dataCorrupted(let context)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(context.codingPath.map(\.stringValue) == [key])
    }

    @Test(arguments: ["-0.1", "-2"])
    func aRunDescriptionWithABadNoiseIsDamaged(noise: String) throws {
        let scratch = try ScratchDirectory()
        defer { scratch.cleanUp() }
        try DANNRunDescription(data: .moons(noise: 0.05), configuration: .moonsPaper(), modes: [.dann]).write(to: scratch.url)
        let url = scratch.file(DANNRunDescription.fileName)
        let text = try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: "\"noise\" : 0.05", with: "\"noise\" : \(noise)")
        try Data(text.utf8).write(to: url)
        let error = thrownError(DANNError.self) { _ = try DANNRunDescription.read(from: scratch.url) }
        guard case .damagedRun(_, let reason)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(reason.contains("noise"), "\(reason)")
    }

    @Test(arguments: [("sigmoid", Activation.sigmoid), ("relu", .relu), ("tanh", .tanh)])
    func theActivationIsWrittenByName(name: String, activation: Activation) throws {
        var configuration = DANNConfiguration.moons()
        configuration.activation = activation
        let text = jsonText(configuration)
        #expect(text.contains("\"activation\":\"\(name)\""), "\(text)")
        #expect(try jsonDecoder().decode(DANNConfiguration.self, from: Data(text.utf8)) == configuration)
    }

    @Test func anUnknownActivationNameIsADecodingErrorThatNamesTheChoices() {
        let text = jsonText(DANNConfiguration.moons()).replacingOccurrences(of: "\"sigmoid\"", with: "\"swish\"")
        let error = thrownError(DecodingError.self) { _ = try jsonDecoder().decode(DANNConfiguration.self, from: Data(text.utf8)) }
        guard case .dataCorrupted(let context)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(context.codingPath.map(\.stringValue) == ["activation"])
        #expect(context.debugDescription.contains("\"swish\"") && context.debugDescription.contains("tanh"))
    }

    @Test func anActivationWithAParameterRoundTrips() throws {
        var configuration = DANNConfiguration.moons()
        configuration.activation = .leakyRelu(slope: 0.2)
        let text = jsonText(configuration)
        #expect(text.contains("\"activation\":\"leakyRelu(0.2)\""), "\(text)")
        #expect(try jsonDecoder().decode(DANNConfiguration.self, from: Data(text.utf8)) == configuration)
    }
}
