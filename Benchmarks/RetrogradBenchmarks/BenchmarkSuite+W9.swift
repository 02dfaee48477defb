import Foundation

/// The length of the MNIST → MNIST-M run that "W9.run-estimate" prices.
///
/// Ganin et al. (ICML 2015, JMLR 2016) give the network, the batches (64 source + 64
/// target images), the schedules and the optimizer for MNIST → MNIST-M, but no iteration
/// count that could be found; the estimate assumes the run of `retrograd dann`'s
/// `mnistCNN` preset instead: 10 epochs of the 55,000 training images in batches of 64,
/// 8,600 steps.
public enum DANNConvolutionRun {
    /// The steps of the run the estimate assumes.
    public static let steps = 8_600
}

extension BenchmarkSuite {
    /// "W9" (ms per step of ``DANNConvolutionTraining``), "W9.memory" when W9 runs alone
    /// (the process's peak resident memory, read before the convolution layer's large
    /// buffers exist), and "W9.run-estimate" (``DANNConvolutionRun/steps`` × each sample).
    func measureDANNConvolution() throws -> [BenchmarkResult] {
        let training = DANNConvolutionTraining()
        // The first step starts from the initial weights: its loss can be compared with the
        // peers' (about ln 10 + ln 2 with small logits).
        let firstLoss = try training.step().scalar(as: Double.self)
        let milliseconds = try measureSeconds(plan) { consume(try training.step()) }.map { $0 * 1e3 }
        var results = [
            BenchmarkResult(
                id: "W9", unit: .milliseconds, samples: milliseconds,
                note: String(format: "loss at step 0 (initial weights): %.6f", firstLoss))
        ]
        if reportsMemory {
            results.append(
                BenchmarkResult(
                    id: "W9.memory", unit: .megabytes, samples: [SystemInfo.peakResidentMegabytes],
                    note: "peak RSS of the process after the W9 steps, before W9.conv"))
        }
        let steps = Double(DANNConvolutionRun.steps)
        results.append(
            BenchmarkResult(
                id: "W9.run-estimate", unit: .seconds, samples: milliseconds.map { $0 * steps / 1e3 },
                note: "8,600 × the W9 samples (an assumed run length: 10 epochs of 55,000 images, 64 + 64 per step)"))
        return results
    }

    /// "W9.conv" and "W9.conv.gemm": one convolution layer's forward and backward against
    /// its three GEMMs alone (see ``ConvolutionLayer``).
    func measureConvolutionLayer() throws -> [BenchmarkResult] {
        let layer = ConvolutionLayer()
        let long = plan.forLongCalls
        let rate = { (seconds: [Double]) in seconds.map { layer.flops / $0 / 1e9 } }
        // Warm both up, then alternate one call of each per repeat, so that load from other
        // processes on the shared cores falls on the layer and its reference alike.
        for _ in 0..<long.warmupIterations {
            layer.products()
            consume(try layer.forwardAndBackward())
        }
        var gemm: [Double] = [], conv: [Double] = []
        for _ in 0..<long.repeats {
            gemm.append(elapsedSeconds { layer.products() })
            conv.append(try elapsedSeconds { consume(try layer.forwardAndBackward()) })
        }
        return [
            BenchmarkResult(id: "W9.conv", unit: .gigaflopsPerSecond, samples: rate(conv)),
            BenchmarkResult(id: "W9.conv.gemm", unit: .gigaflopsPerSecond, samples: rate(gemm)),
        ]
    }
}
