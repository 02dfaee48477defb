import DomainAdaptation
import Foundation
import RetrogradTestSupport
import Testing

/// `retrograd dann --data mnist` on small generated MNIST files: offline, from a mirror
/// whose files are refused, without network, with photographs for MNIST-M, and resumed.
/// (The download that succeeds is tested in RetrogradDataTests, with files whose digests
/// the test knows.)
@Suite struct MNISTFlagTests {
    /// Runs `dann --data mnist` with a tiny network for one epoch and returns the report.
    private func run(_ arguments: [String], in scratch: ScratchDirectory, out: String = "run") throws -> (CLIResult, DANNReport) {
        let directory = scratch.file(out)
        let result = try CLI.run(["dann", "--data", "mnist", "--epochs", "1", "--hidden", "8", "--mode", "dann", "--out", directory.path] + arguments)
        #expect(result.status == 0 && !result.signaled, "\(result)")
        return (result, try DANNReport.read(from: directory))
    }

    @Test func trainsOnMNISTFromADataDirectoryWithGeneratedTextures() throws {
        let scratch = try ScratchDirectory(label: "cli-mnist")
        defer { scratch.cleanUp() }
        try MNISTFixture.write(into: scratch.file("mnist"), trainCount: 36, testCount: 8, compressed: false)
        let (result, report) = try run(["--data-dir", scratch.file("mnist").path, "--limit", "20"], in: scratch)
        #expect(report.data.name == "mnist" && report.data.featureCount == 28 * 28 * 3)
        let sizes: [Int] = [report.data.sourceTrain, report.data.targetTrain, report.data.sourceTest, report.data.targetTest]
        #expect(sizes == [20, 20, 8, 8])
        #expect(report.data.details?.contains("backgrounds: 200 generated colour textures") == true)
        #expect(result.standardOutput.contains("200 generated colour textures"))
        #expect(report.run.data == .mnist(dataDirectory: scratch.file("mnist").path, limit: 20))
        #expect(report.run.configuration.learningRate == DANNConfiguration.mnist().learningRate)
        // The CNN is the default on MNIST: one 'valid' block of 8 filters, 28 → 24 → 12.
        #expect(report.run.configuration.model == .cnn && report.run.configuration.labelHidden == [100, 100])
        #expect(result.standardOutput.contains("28×28×3 images"), "\(result.standardOutput)")
        let checkpoint = try Checkpoint.load(from: scratch.file("run/dann.safetensors"))
        #expect(checkpoint.tensors["features.0.filter"]?.shape == [5, 5, 3, 8])
        #expect(checkpoint.tensors["labelHidden.0.weight"]?.shape == [12 * 12 * 8, 100])
        let (_, mlp) = try run(["--data-dir", scratch.file("mnist").path, "--limit", "20", "--model", "mlp"], in: scratch, out: "mlp")
        #expect(mlp.run.configuration.model == .mlp && mlp.run.configuration.hidden == [8])
    }

    @Test func refusesMirrorFilesThatAreNotThePublishedOnes() throws {
        let scratch = try ScratchDirectory(label: "cli-mnist-cache")
        defer { scratch.cleanUp() }
        // The published digests are those of the real files, so a mirror serving small test
        // files is refused, file by file, and nothing enters the cache.
        let mirror = scratch.file("mirror")
        try MNISTFixture.write(into: mirror, trainCount: 12, testCount: 4)
        let cache = scratch.file("cache")
        let refused = try CLI.run(["dann", "--data", "mnist", "--cache-dir", cache.path, "--mirror", mirror.absoluteString,
                                   "--out", scratch.file("never").path])
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.standardError.contains("SHA-256"))
        #expect(refused.standardOutput.contains("Downloading \(mirror.absoluteString)"))
        #expect((try? FileManager.default.contentsOfDirectory(atPath: cache.path))?.isEmpty ?? true)
        #expect(!FileManager.default.fileExists(atPath: scratch.file("never").path))
    }

    @Test func withoutNetworkTheErrorSaysWhatToDownloadByHand() throws {
        let scratch = try ScratchDirectory(label: "cli-mnist-offline")
        defer { scratch.cleanUp() }
        let unreachable = LocalHTTPServer.unreachableURL()
        let result = try CLI.run(["dann", "--data", "mnist", "--cache-dir", scratch.file("cache").path, "--mirror", unreachable.absoluteString,
                                  "--out", scratch.file("never").path])
        expectOneLineError(result, status: 1, mentions: [
            "Could not download train-images-idx3-ubyte.gz", "No network? Download these 4 files into a directory DIR by hand",
            "curl -fLO \(unreachable.absoluteString)t10k-labels-idx1-ubyte.gz", "--data-dir DIR", scratch.file("cache").path,
        ], quietOutput: false)
        #expect(result.standardOutput.contains("Downloading \(unreachable.absoluteString)train-images-idx3-ubyte.gz"))
        #expect(!FileManager.default.fileExists(atPath: scratch.file("never").path))
    }

    @Test func blendsWithPhotographsFromBackgroundsAndResumes() throws {
        let scratch = try ScratchDirectory(label: "cli-mnist-photos")
        defer { scratch.cleanUp() }
        try MNISTFixture.write(into: scratch.file("mnist"), trainCount: 24, testCount: 6, compressed: false)
        let photos = scratch.file("photos")
        try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
        try Data(Array("P6 32 30 255\n".utf8) + (0..<(32 * 30 * 3)).map { UInt8($0 % 251) }).write(to: photos.appendingPathComponent("a.ppm"))
        let (_, report) = try run(["--data-dir", scratch.file("mnist").path, "--backgrounds", photos.path, "--epochs", "2"], in: scratch)
        #expect(report.data.details?.contains("backgrounds: 1 image from \(photos.path)") == true)
        // Resuming a finished run reloads the same data and keeps its numbers.
        let resumed = try CLI.run(["dann", "--resume", scratch.file("run").path])
        #expect(resumed.status == 0, "\(resumed)")
        let again = try DANNReport.read(from: scratch.file("run"))
        #expect(again.models[0].sameResults(as: report.models[0]))
    }
}
