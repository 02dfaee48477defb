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
