import DomainAdaptation
import Foundation
import RetrogradTestSupport
import Testing

/// `retrograd dann --protocol paper` writes the paper's settings into run.json, and other
/// options still override them.
@Suite struct ProtocolFlagTests {
    private func runDescription(_ arguments: [String]) throws -> DANNRunDescription {
        let scratch = try ScratchDirectory(label: "cli")
        defer { scratch.cleanUp() }
        let out = scratch.file("run").path
        let result = try CLI.run(["dann", "--mode", "dann", "--epochs", "1", "--out", out] + arguments)
        #expect(result.status == 0 && !result.signaled, "\(result)")
        return try DANNRunDescription.read(from: URL(fileURLWithPath: out))
    }

    @Test func thePaperProtocolSetsThePapersSettings() throws {
        let description = try runDescription(["--protocol", "paper", "--seed", "3"])
        var expected = DANNConfiguration.moonsPaper(seed: 3)
        expected.epochs = 1
        #expect(description.configuration == expected)
        #expect(description.data == .moons(angle: 35, noise: 0.05))
    }

    @Test func otherOptionsOverrideTheProtocol() throws {
        let description = try runDescription([
            "--protocol", "paper", "--lambda-gamma", "0", "--domain-loss", "mean", "--domain-head-init", "glorot-uniform",
            "--noise", "0.1", "--angle", "20",
        ])
        #expect(description.configuration.lambdaGamma == 0 && description.configuration.momentum == 0)
        #expect(description.configuration.domainLossReduction == .mean)
        #expect(description.configuration.domainHeadInitialization == .glorotUniform)
        #expect(description.data == .moons(angle: 20, noise: 0.1))
    }

    @Test func theDefaultProtocolIsTheDefaults() throws {
        let given = try runDescription(["--protocol", "default"]), omitted = try runDescription([])
        var expected = DANNConfiguration.moons(seed: 0)
        expected.epochs = 1
        #expect(given == omitted && given.configuration == expected && given.data == .moons(angle: 35))
    }
}
