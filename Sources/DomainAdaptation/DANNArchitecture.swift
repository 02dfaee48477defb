/// Which feature extractor a ``DANNModel`` has: dense layers on rows, or the convolutional
/// network of the paper's image experiments on NHWC images.
public enum DANNArchitecture: String, Codable, Sendable, CaseIterable {
    /// A multilayer perceptron: one `Dense` layer per width of
    /// ``DANNConfiguration/hidden``, on examples flattened to rows. Any data.
    case mlp
    /// The MNIST network of Ganin et al. (2016), scaled to the image size: per width of
    /// ``DANNConfiguration/hidden`` (the paper's 32, 48) a block of a 5×5 convolution with
    /// that many filters, the activation and a 2×2 max pooling, then a flattening. The
    /// convolutions are 'valid' as in the paper when every block fits in the image that
    /// way, else 'same' (see ``DANNConvolutionPlan``). Images only: `[count, height, width, channels]`.
    case cnn

    /// The name used on the command line (`--model`), in reports and checkpoints.
    public var name: String { rawValue }
}

/// How the convolution blocks of a ``DANNArchitecture/cnn`` feature extractor fit an image
/// size: their padding and the size of the features they give.
///
/// Each block is a `kernelSize`×`kernelSize` convolution, stride 1, then a 2×2 max pooling
/// (stride 2, sizes rounded down). The rule, the same for any image of at least
/// ``minimumSide(blocks:)`` pixels a side:
/// - **valid** (no padding, the paper's choice) when every block fits that way: each
///   convolution shrinks a side by `kernelSize − 1` and must leave at least 2 pixels for
///   the pooling. On MNIST's 28×28 with two blocks: 28 → 24 → 12 → 8 → 4, so 4·4·48 = 768
///   features, as in the paper. Two blocks need 16 pixels a side.
/// - **same** otherwise: the convolutions keep the size and only the poolings halve it.
///   On the 8×8 digits: 8 → 4 → 2, so 2·2·48 = 192 features. The paper's 5×5 kernels
///   are kept (they see the whole 4×4 map of the second block, zeros around it) rather than
///   shrunk, so both image sizes train the same layers.
///
/// Below the minimum even 'same' blocks would pool a side to nothing, and the model
/// refuses the images with ``DANNError/imageTooSmall(height:width:minimum:)``.
public struct DANNConvolutionPlan: Sendable, Equatable {
    /// The side of every convolution window: the paper's 5.
    public static let kernelSize = 5
    /// The side and stride of every pooling window.
    public static let poolSize = 2

    /// The padding of every convolution.
    public var padding: Padding
    /// The height of the last block's output.
    public var outputHeight: Int
    /// The width of the last block's output.
    public var outputWidth: Int
    /// The channels of the last block's output: its filters.
    public var outputChannels: Int

    /// The features after flattening: `outputHeight · outputWidth · outputChannels`.
    public var featureCount: Int { outputHeight * outputWidth * outputChannels }

    /// The smallest side an image may have for `blocks` blocks: `2^blocks` ('same' padding).
    public static func minimumSide(blocks: Int) -> Int { 1 << Swift.min(blocks, 30) }

    /// The plan for `filters` (one block per entry) on `height`×`width` images.
    ///
    /// - Throws: ``DANNError/imageTooSmall(height:width:minimum:)`` when a side is below
    ///   ``minimumSide(blocks:)``.
    public init(height: Int, width: Int, filters: [Int]) throws(DANNError) {
        let minimum = Self.minimumSide(blocks: filters.count)
        guard height >= minimum, width >= minimum else { throw .imageTooSmall(height: height, width: width, minimum: minimum) }
        let channels = filters.last ?? 0
        if let valid = Self.validSize(height, blocks: filters.count), let validWidth = Self.validSize(width, blocks: filters.count) {
            self.init(padding: .valid, outputHeight: valid, outputWidth: validWidth, outputChannels: channels)
        } else {
            let shrink = 1 << filters.count
            self.init(padding: .same, outputHeight: height / shrink, outputWidth: width / shrink, outputChannels: channels)
        }
    }

    private init(padding: Padding, outputHeight: Int, outputWidth: Int, outputChannels: Int) {
        self.padding = padding
        self.outputHeight = outputHeight
        self.outputWidth = outputWidth
        self.outputChannels = outputChannels
    }

    /// The side after `blocks` valid blocks, or nil when one does not fit.
    private static func validSize(_ side: Int, blocks: Int) -> Int? {
        var size = side
        for _ in 0..<blocks {
            size -= kernelSize - 1
            guard size >= poolSize else { return nil }
            size /= poolSize
        }
        return size
    }
}
