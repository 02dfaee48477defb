import DomainAdaptation
import Foundation
import RetrogradTestSupport

/// Files the command-line cases point at, made once per test process in a fresh
/// directory: valid and broken data files, a plain file, a directory, a run directory.
enum Fixtures {
    /// The directory; `@/name` in a case's arguments stands for a path inside it.
    static let directory: URL = make()

    /// A path inside the fixture directory.
    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// `arguments` with every `@/` replaced by the fixture directory's path and a slash.
    static func expand(_ arguments: [String]) -> [String] {
        arguments.map { $0.replacingOccurrences(of: "@/", with: directory.path + "/") }
    }

    /// Two features and a label, 20 rows, labels 0 and 1.
    static let sourceCSV = "a,b,label\n" + (0..<20).map { "\(Double($0) / 10),\(Double($0 % 5)),\($0 % 2)" }.joined(separator: "\n") + "\n"
    /// Two features, unlabelled, 20 rows.
    static let targetCSV = "a,b\n" + (0..<20).map { "\(Double($0) / 7),\(Double($0 % 3))" }.joined(separator: "\n") + "\n"

    /// A small run configuration; runs built from it are never trained by the tests.
    static let configuration = DANNConfiguration(epochs: 2, batchSize: 8, hidden: [4], learningRate: 0.1, seed: 1)

    private static func make() -> URL {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("retrograd-cli-tests-\(UUID().uuidString)", isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: directory.appendingPathComponent("a-directory"), withIntermediateDirectories: true)
            try Data(sourceCSV.utf8).write(to: directory.appendingPathComponent("source.csv"))
            try Data(targetCSV.utf8).write(to: directory.appendingPathComponent("target.csv"))
            try Data("just text\n".utf8).write(to: directory.appendingPathComponent("a-file"))
            try Data(sourceCSV.utf8).write(to: directory.appendingPathComponent("data.json"))
            try FileManager.default.createDirectory(at: directory.appendingPathComponent("dir.csv"), withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: directory.appendingPathComponent("not-a-run"), withIntermediateDirectories: true)
            _ = try makeRun(in: directory.appendingPathComponent("existing-run"))
            try MNISTFixture.write(into: directory.appendingPathComponent("mnist"), trainCount: 24, testCount: 6, compressed: false)
            let broken = directory.appendingPathComponent("broken-mnist")
            try MNISTFixture.write(into: broken, trainCount: 24, testCount: 6, compressed: false)
            try Data(MNISTFixture.labelsFile(count: 6).dropLast(2)).write(to: broken.appendingPathComponent("t10k-labels-idx1-ubyte"))
        } catch {
            fatalError("cannot make the CLI test fixtures in \(directory.path): \(error)")
        }
        fixtureDirectoryToRemove = directory.path
        atexit { fixtureDirectoryToRemove.map { try? FileManager.default.removeItem(atPath: $0) } }
        return directory
    }

    /// A run directory as `retrograd dann --out` leaves it after starting: run.json,
    /// report.json and a checkpoint per mode (from before the first epoch). Returns the
    /// checkpoint URLs by mode.
    @discardableResult
    static func makeRun(in directory: URL) throws -> [DANNMode: URL] {
        let description = DANNRunDescription(data: .moons(angle: 35), configuration: configuration, modes: [.sourceOnly, .dann])
        let experiment = try DANNExperiment.start(description, in: directory)
        var checkpoints = [DANNMode: URL]()
        for trainer in experiment.trainers {
            let url = directory.appendingPathComponent(DANNExperiment.checkpointName(trainer.mode))
            try trainer.saveCheckpoint(to: url)
            checkpoints[trainer.mode] = url
        }
        return checkpoints
    }
}

/// The fixture directory, removed when the test process exits.
nonisolated(unsafe) private var fixtureDirectoryToRemove: String?
