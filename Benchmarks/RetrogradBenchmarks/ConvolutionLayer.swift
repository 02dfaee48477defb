@_spi(Benchmarking) import Retrograd

/// W9.conv: the forward and backward pass of one 5×5 convolution layer at the size of the
/// paper's MNIST network (64 images of 28×28 with 32 channels to 48, float32, "same"
/// padding), against the three matrix products it amounts to, timed alone.
///
/// A convolution through image patches is one GEMM forward, `[N·28·28, 5·5·32] ·
/// [5·5·32, 48]`, and two backward: the filter's gradient `patchesᵀ · g` and the patches'
/// gradient `g · filterᵀ`, which col2im adds back into the image. "W9.conv" is those
/// products' floating-point operations (3 · 2·M·K·N) over the time of the whole layer
/// through the tape: im2col, the GEMMs, col2im, allocation and recording. "W9.conv.gemm"
/// is the same operations over the time of the three GEMMs alone on raw buffers: the
/// machine's GEMM rate at these shapes, the ceiling of W9.conv.
///
/// The image is ``BenchmarkData/sineInputs(rows:columns:dtype:)`` reshaped to NHWC, the
/// filter ``BenchmarkData/cosineInputs(rows:columns:dtype:)`` scaled by 1/√800 and the output
/// gradient the sine inputs again.
public final class ConvolutionLayer {
    /// The input images, `[batch, 28, 28, 32]`.
    public let images: Tensor
    /// The HWIO filter, `[5, 5, 32, 48]`.
    public let filter: Tensor
    /// The gradient arriving at the output, `[batch, 28, 28, 48]`.
    public let outputGradient: Tensor
    /// The GEMM dimensions: M output pixels, K = 5·5·32 patch values, N = 48 channels.
    public let m: Int, k: Int, n: Int
    private let patchBuffer: [Float], filterBuffer: [Float], gradientBuffer: [Float]
    private var outputBuffer: [Float], filterGradientBuffer: [Float], patchGradientBuffer: [Float]

    /// What the last ``products()`` computed: the output `[M, N]`, the filter's gradient
    /// `[K, N]` and the patches' gradient `[M, K]`, row-major.
    public var productResults: (output: [Float], filterGradient: [Float], patchGradient: [Float]) {
        (outputBuffer, filterGradientBuffer, patchGradientBuffer)
    }

    /// The layer for `batch` images (64 for W9).
    public init(batch: Int = 64, size: Int = 28, channels: Int = 32, outChannels: Int = 48, window: Int = 5) {
        let pixels = batch * size * size
        images = BenchmarkData.sineInputs(rows: pixels, columns: channels).reshaped(to: [batch, size, size, channels])
        let depth = window * window * channels
        filter = BenchmarkData.cosineInputs(rows: depth, columns: outChannels)
            .reshaped(to: [window, window, channels, outChannels]) * Double(1 / Float(depth).squareRoot())
        outputGradient = BenchmarkData.sineInputs(rows: pixels, columns: outChannels).reshaped(to: [batch, size, size, outChannels])
        (m, k, n) = (pixels, depth, outChannels)
        // The raw products' operands: the real patches, so the GEMMs see the same numbers.
        patchBuffer = extractPatches(images, windowSize: (window, window), padding: .same).scalars(as: Float.self)
        filterBuffer = filter.scalars(as: Float.self)
        gradientBuffer = outputGradient.scalars(as: Float.self)
        outputBuffer = [Float](repeating: 0, count: m * n)
        filterGradientBuffer = [Float](repeating: 0, count: k * n)
        patchGradientBuffer = [Float](repeating: 0, count: m * k)
    }

    /// The floating-point operations of the three products: 3 · 2·M·K·N.
    public var flops: Double { 6 * Double(m) * Double(k) * Double(n) }

    /// "W9.conv": the layer's output and the gradients of the images and the filter.
    public func forwardAndBackward() throws -> [Tensor?] {
        let tape = GradientTape()
        let output = tape.record {
            tape.watch(images)
            tape.watch(filter)
            return conv2d(images, filter: filter, padding: .same)
        }
        return try tape.gradient(of: output, wrt: [images, filter], outputGradient: outputGradient)
    }

    /// "W9.conv.gemm": the three products alone, through the GEMM `matmul` uses, into
    /// reused buffers.
    public func products() {
        patchBuffer.withUnsafeBufferPointer { patches in
            filterBuffer.withUnsafeBufferPointer { filter in
                gradientBuffer.withUnsafeBufferPointer { gradient in
                    let (p, f, g) = (patches.baseAddress!, filter.baseAddress!, gradient.baseAddress!)
                    outputBuffer.withUnsafeMutableBufferPointer { y in
                        MatrixKernels.multiply(m: m, n: n, k: k, p, f, into: y.baseAddress!)
                    }
                    filterGradientBuffer.withUnsafeMutableBufferPointer { df in
                        MatrixKernels.multiply(m: k, n: n, k: m, p, g, into: df.baseAddress!, transposingA: true)
                    }
                    patchGradientBuffer.withUnsafeMutableBufferPointer { dp in
                        MatrixKernels.multiply(m: m, n: k, k: n, g, f, into: dp.baseAddress!, transposingB: true)
                    }
                }
            }
        }
    }
}
