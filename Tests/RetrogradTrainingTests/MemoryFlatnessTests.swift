import Foundation
import Testing
@testable import Retrograd
import RetrogradNN
import RetrogradOptimizers

/// A long training run in which nothing may pile up: not tapes, records or saved tensors,
/// not the per-thread cache of 0-d constants, not the pool of recycled tape buffers, not
/// optimizer state.
enum MemoryProbe {
    static let steps = 10_000
    /// The step after which the resident set is first read: by then every code path has
    /// run, every buffer has reached its working size and the caches are full.
    static let warmUpSteps = 500

    /// Anonymous resident memory in bytes (RssAnon, falling back to VmRSS) from
    /// /proc/self/status; nil where there is no such file.
    static func residentBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for key in ["RssAnon:", "VmRSS:"] {
            if let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key) }),
                let kilobytes = Int(line.dropFirst(key.count).trimmingCharacters(in: .whitespaces).split(separator: " ")[0])
            {
                return kilobytes * 1024
            }
        }
        return nil
    }

    /// Trains a 2 → 16 → 16 → 2 tanh network with Adam, a fresh tape per step and, every
    /// 50th step, a gradient penalty taken through a nested tape; returns the resident
    /// bytes after the warm-up and at the end.
    static func run() throws -> (warm: Int, end: Int) {
        let model = Sequential(
            Dense(inputSize: 2, outputSize: 16, activation: .tanh, seed: 1),
            Dense(inputSize: 16, outputSize: 16, activation: .tanh, seed: 2),
            Dense(inputSize: 16, outputSize: 2, seed: 3))
        let optimizer = Adam(learningRate: 1e-3)
        let points = Tensor([0.5, -1, 1, 0.25, -0.75, 0.5, 0, 1] as [Float], shape: [4, 2])
        let labels = [0, 1, 1, 0]
        let penaltyWeight = 0.1
        // Reading the file once first, so that what the reading itself keeps (Foundation's
        // buffers and caches) is not counted as growth.
        var warm = residentBytes() ?? 0
        for step in 0..<steps {
            // 100 different scales: more distinct constants than the constant cache holds.
            let x = points * (1 + Double(step % 100) / 1000)
            let tape = GradientTape()
            let loss = try tape.record { () throws -> Tensor in
                let fit = softmaxCrossEntropy(logits: model(x), labels: labels)
                guard step % 50 == 0 else { return fit }
                return try fit + penaltyWeight * gradientPenalty(of: { model($0).sum(axes: [1]) }, at: x)
            }
            let gradients = try tape.gradient(of: loss, wrt: model.trainableVariables)
            optimizer.apply(gradients: gradients, to: model.trainableVariables)
            if step + 1 == warmUpSteps { warm = residentBytes() ?? 0 }
        }
        return (warm, residentBytes() ?? 0)
    }
}

@Suite struct MemoryFlatnessTests {
    /// The growth allowed between the warm-up and the end: 256 KiB, 64 pages. A run that
    /// frees everything it makes has nothing new to fault in after the warm-up (Retrograd
    /// keeps freed heap memory in the process, so pages once touched stay resident and are
    /// reused); the margin covers allocator bookkeeping and a page or two of thread stacks
    /// or runner state, with room for another machine's allocator. Measured on Linux
    /// x86-64: no growth at all over 10,000 steps, and one page over 30,000; a leak of 27
    /// bytes a step would already exceed it.
    static let tolerance = 256 * 1024

    @Test(.enabled(if: MemoryProbe.residentBytes() != nil, "reads /proc/self/status (Linux)"))
    func residentMemoryStaysFlatOverTenThousandTrainingSteps() async throws {
        // In a child process, so that no other test allocates while this one measures.
        let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) {
            let (warm, end) = try MemoryProbe.run()
            print("memory-probe warm=\(warm) end=\(end)")
        }
        let output = String(decoding: result?.standardOutputContent ?? [], as: UTF8.self)
        let line = try #require(output.split(separator: "\n").first { $0.hasPrefix("memory-probe") }, "\(output)")
        let numbers = line.split(separator: " ").dropFirst().compactMap { Int($0.split(separator: "=")[1]) }
        try #require(numbers.count == 2 && numbers[0] > 0, "\(line)")
        let (warm, end) = (numbers[0], numbers[1])
        #expect(end - warm <= Self.tolerance, "resident memory grew by \(end - warm) bytes after the warm-up: \(line)")

        // The test can fail: a leak of one record a step over the measured steps keeps at
        // least this many bytes (1.2 MB for 128-byte records), before counting the tensors
        // a record saves; 28 bytes a step (266 KB) would exceed the tolerance.
        let leak = (MemoryProbe.steps - MemoryProbe.warmUpSteps) * MemoryLayout<Record>.stride
        #expect(leak > 2 * Self.tolerance, "a leak of one \(MemoryLayout<Record>.stride)-byte record a step is \(leak) bytes")
    }
}
