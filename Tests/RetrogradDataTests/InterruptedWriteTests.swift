import Foundation
import Testing
@testable import RetrogradData

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checkpoints numbered by generation: every element of the tensor and the "generation"
/// metadata hold the number, so a file mixing two writes cannot pass for either.
private enum Generation {
    static func save(_ generation: Int, elements: Int, to path: String, hook: ((AtomicWriteStage) throws -> Void)? = nil) throws {
        let tensor = Tensor([Float](repeating: Float(generation), count: elements), shape: [elements])
        try Checkpoint.save(["w": tensor], metadata: ["generation": "\(generation)"], to: URL(fileURLWithPath: path), hook: hook)
    }

    /// The generation of the file at `path`, after checking that it is whole and uniform.
    static func read(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Int {
        let checkpoint = try Checkpoint.load(from: URL(fileURLWithPath: path))
        let generation = try #require(checkpoint.metadata["generation"].flatMap { Int($0) }, sourceLocation: sourceLocation)
        let values = try #require(checkpoint.tensors["w"], sourceLocation: sourceLocation).scalars(as: Float.self)
        #expect(values.allSatisfy { $0 == Float(generation) }, "a mixed file", sourceLocation: sourceLocation)
        return generation
    }
}

/// The names in a directory, hidden ones included, sorted.
private func names(in directory: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
}

@Suite struct InterruptedWriteTests {
    /// A process killed (SIGKILL: no clean-up runs) at each stage of writing generation 2
    /// leaves generation 1 in place; its temporary file is removed by the next write.
    @Test(arguments: 0..<3)
    func aKilledWriterLeavesTheLastGoodFile(stageIndex: Int) async throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let path = dir.file("model.safetensors").path
        await #expect(processExitsWith: .signal(SIGKILL)) { [path = path as String, stageIndex = stageIndex as Int] in
            let stage = [AtomicWriteStage.partiallyWritten, .beforeSync, .beforeRename][stageIndex]
            try Generation.save(1, elements: 100_000, to: path)
            try Generation.save(2, elements: 100_000, to: path) { reached in
                if reached == stage { kill(getpid(), SIGKILL) }
            }
        }
        #expect(try Generation.read(path) == 1)
        #expect(try names(in: dir.url.path).count == 2, "the killed write's temporary file is still there")
        try Generation.save(3, elements: 10, to: path)
        #expect(try Generation.read(path) == 3)
        #expect(try names(in: dir.url.path) == ["model.safetensors"])
    }

    /// A process writing 4 MB checkpoints in a loop, killed at a seeded random moment,
    /// leaves a whole checkpoint of some generation behind.
    @Test(arguments: [UInt64(1), 2, 3])
    func aWriterKilledAtARandomMomentLeavesAWholeFile(seed: UInt64) async throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let path = dir.file("model.safetensors").path
        var generator = SeededGenerator(seed: seed)
        let delay = UInt32.random(in: 100_000...400_000, using: &generator)
        await #expect(processExitsWith: .signal(SIGKILL)) { [path = path as String, delay = delay as UInt32] in
            try Generation.save(1, elements: 1_000_000, to: path)
            Thread.detachNewThread {
                usleep(delay)
                kill(getpid(), SIGKILL)
            }
            for generation in 2... { try Generation.save(generation, elements: 1_000_000, to: path) }
        }
        #expect(try Generation.read(path) >= 1)
    }

    /// A real write error (the file-size limit, as a full disk would) leaves the previous
    /// file and no temporary file: the child process checks what it can, the parent the rest.
    @Test func aFailedWriteLeavesThePreviousFileAndNoTemporaryFile() async throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let path = dir.file("model.safetensors").path
        try Generation.save(1, elements: 1000, to: path)
        await #expect(processExitsWith: .success) { [path = path as String] in
            signal(SIGXFSZ, SIG_IGN)  // a write past the limit fails with EFBIG instead of killing
            var limit = rlimit()
            guard getrlimit(Int32(RLIMIT_FSIZE.rawValue), &limit) == 0 else { exit(3) }
            limit.rlim_cur = 64 * 1024
            guard setrlimit(Int32(RLIMIT_FSIZE.rawValue), &limit) == 0 else { exit(3) }
            do {
                try Generation.save(2, elements: 1_000_000, to: path)
                exit(4)  // the write should have failed
            } catch {
                guard case .writeFailed(let file, let reason)? = error as? CheckpointError, file == path, reason.contains("writing failed") else { exit(5) }
            }
            exit(0)
        }
        #expect(try Generation.read(path) == 1)
        #expect(try names(in: dir.url.path) == ["model.safetensors"])
    }

    /// Temporary files of processes that no longer run are removed by the next write to the
    /// same destination; those of running processes (possibly writing now) are kept.
    @Test func abandonedTemporaryFilesOfDeadProcessesAreRemoved() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/sh")
        finished.arguments = ["-c", "exit 0"]
        try finished.run()
        finished.waitUntilExit()
        let dead = finished.processIdentifier
        let abandoned = ".model.safetensors.tmp-\(dead)-1f"
        let running = [".model.safetensors.tmp-1-2e", ".model.safetensors.tmp-\(getpid())-3d", ".other.safetensors.tmp-\(dead)-4c"]
        for name in [abandoned] + running { _ = try dir.write(bytes: [1, 2, 3], to: name) }
        try Generation.save(1, elements: 10, to: dir.file("model.safetensors").path)
        #expect(try names(in: dir.url.path) == (running + ["model.safetensors"]).sorted())
    }
}
