import DomainAdaptation
import Foundation
import RetrogradTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite struct InterruptedRunTests {
    /// `retrograd dann` killed (SIGKILL) at a seeded random moment while it trains and
    /// writes a checkpoint and report.json after every epoch: whatever it was doing, the
    /// directory still holds a readable run.json, report.json and checkpoints, and the run
    /// can be resumed from them.
    @Test(arguments: [UInt64(1), 2])
    func aRunKilledAtARandomMomentCanBeResumed(seed: UInt64) throws {
        let scratch = try ScratchDirectory(label: "cli")
        defer { scratch.cleanUp() }
        let out = scratch.file("run")
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = ["dann", "--data", "moons", "--epochs", "200", "--hidden", "32", "--out", out.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait for the first epoch's checkpoint, then kill at a random moment of the next epochs.
        let first = out.appendingPathComponent(DANNExperiment.checkpointName(.sourceOnly))
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: first.path) && Date() < deadline && process.isRunning { usleep(5000) }
        var generator = SeededGenerator(seed: seed)
        usleep(UInt32.random(in: 0...400_000, using: &generator))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the run ended before it was killed")

        let report = try DANNReport.read(from: out)
        let experiment = try DANNExperiment.resume(from: out)
        let trainer = try #require(experiment.trainers.first)
        #expect(trainer.completedEpochs >= 1)
        // The report is written after the checkpoint, so it may lag it by one epoch.
        #expect([trainer.completedEpochs - 1, trainer.completedEpochs].contains(report.models[0].epochsCompleted))
    }

    /// A `retrograd` copied away from its resource bundle cannot load the digits: it says
    /// so on one line instead of stopping with a fatal error in `Bundle.module`.
    @Test func aMissingResourceBundleIsATypedError() throws {
        let scratch = try ScratchDirectory(label: "cli")
        defer { scratch.cleanUp() }
        let copy = scratch.file("retrograd")
        try FileManager.default.copyItem(at: CLI.executable, to: copy)
        let out = scratch.file("run")
        let result = try CLI.run(["dann", "--data", "digits", "--out", out.path], executable: copy)
        expectOneLineError(result, status: 1, mentions: ["digits.bin", "Retrograd_DomainAdaptation.resources", "resource bundle"])
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}
