@testable import Retrograd

// Convolution, its transpose and pooling in the fuzzer: the windows' geometry, how the
// generator derives an image's size from the output it must produce, shape inference
// (written from the definitions, not with the library's geometry), the max-pool kink
// check and the Swift spelling.

/// Strides, padding and dilations of a fuzzed convolution or pooling.
struct FuzzWindows {
    var strides: (Int, Int)
    var padding: Padding
    var dilations: (Int, Int) = (1, 1)

    /// The arguments as the public API spells them.
    var source: String {
        "strides: (\(strides.0), \(strides.1)), padding: .\(padding), dilations: (\(dilations.0), \(dilations.1))"
    }

    /// The zeros before and after along one axis and the output size, or nil when the
    /// window does not fit (TensorFlow's definitions; see `Padding`).
    func axis(_ vertical: Bool, size: Int, window: Int) -> (before: Int, after: Int, output: Int)? {
        let (stride, dilation) = vertical ? (strides.0, dilations.0) : (strides.1, dilations.1)
        let extent = (window - 1) * dilation + 1
        var before = 0, after = 0
        switch padding {
        case .valid: break
        case .same:
            let total = Swift.max(((size + stride - 1) / stride - 1) * stride + extent - size, 0)
            (before, after) = (total / 2, total - total / 2)
        case let .explicit(top, bottom, left, right):
            (before, after) = vertical ? (top, bottom) : (left, right)
        }
        guard before >= 0, after >= 0, size + before + after >= extent else { return nil }
        return (before, after, (size + before + after - extent) / stride + 1)
    }

    /// The output's height and width for an image of `size` under a `window`, or nil.
    /// With `pooling`, each window must hold a cell of the image (padding below the window).
    func output(_ size: (Int, Int), window: (Int, Int), pooling: Bool = false) -> (Int, Int)? {
        guard let rows = axis(true, size: size.0, window: window.0), let columns = axis(false, size: size.1, window: window.1)
        else { return nil }
        let emptyWindows = Swift.max(rows.before, rows.after) >= window.0 || Swift.max(columns.before, columns.after) >= window.1
        return pooling && emptyWindows ? nil : (rows.output, columns.output)
    }
}

extension FuzzGenerator {
    /// The most elements of an image a convolution or pooling reads: nested convolutions
    /// grow their operands, and the checker evaluates every case many times.
    static let maxImageElements = 600

    /// A convolution, transposed convolution or pooling whose output, reshaped if needed,
    /// has `shape` (rank at most 4; lower ranks get leading axes of 1).
    mutating func convolutionNode(_ shape: Shape, depth: Int) -> Int? {
        guard shape.rank <= 4 else { return nil }
        let target = Shape([Int](repeating: 1, count: 4 - shape.rank) + shape.dimensions)
        let (batch, height, width, channels) = (target[0], target[1], target[2], target[3])
        let kind = random.int(0...4)
        let pooling = kind >= 3
        let window = (random.int(1...3), random.int(1...3))
        var windows = FuzzWindows(strides: (random.int(1...2), random.int(1...2)), padding: .valid)
        if !pooling { windows.dilations = (random.int(1...2), random.int(1...2)) }
        switch random.int(0...2) {
        case 0: windows.padding = .valid
        case 1: windows.padding = .same
        default:
            func amount(_ window: Int) -> Int { random.int(0...(pooling ? window - 1 : 2)) }
            windows.padding = .explicit(top: amount(window.0), bottom: amount(window.0), left: amount(window.1), right: amount(window.1))
        }
        let node: Int?
        if kind == 2 {
            // The transpose maps the forward convolution's output size back to (height, width).
            guard let inner = windows.output((height, width), window: window) else { return nil }
            let inChannels = random.int(1...3)
            guard batch * inner.0 * inner.1 * inChannels <= Self.maxImageElements else { return nil }
            let input = expression([batch, inner.0, inner.1, inChannels], depth: depth + 1)
            let filter = expression([window.0, window.1, channels, inChannels], depth: depth + 1)
            node = append(.conv2dTranspose(windows, window: window, outputSize: (height, width)), [input, filter])
        } else {
            guard let size = imageSize(producing: (height, width), window: window, windows, pooling: pooling),
                batch * size.0 * size.1 * channels * (pooling ? 1 : 2) <= Self.maxImageElements
            else { return nil }
            if pooling {
                node = append(.pool(max: kind == 3, window: window, windows), [expression([batch, size.0, size.1, channels], depth: depth + 1)])
            } else {
                let groups = random.pick((1...3).filter { channels % $0 == 0 })
                let groupChannels = random.int(1...2)
                let image = expression([batch, size.0, size.1, groups * groupChannels], depth: depth + 1)
                let filter = expression([window.0, window.1, groupChannels, channels], depth: depth + 1)
                node = append(.conv2d(windows, groups: groups), [image, filter])
            }
        }
        guard let node, target != shape else { return node }
        return append(.reshape(shape, inferring: nil), [node])
    }

    /// A random image height and width whose windows give `output`, or nil when none does.
    private mutating func imageSize(
        producing output: (Int, Int), window: (Int, Int), _ windows: FuzzWindows, pooling: Bool
    ) -> (Int, Int)? {
        func size(_ vertical: Bool, _ out: Int, _ window: Int) -> Int {
            let (stride, dilation) = vertical ? (windows.strides.0, windows.dilations.0) : (windows.strides.1, windows.dilations.1)
            switch windows.padding {
            case .same: return random.int(((out - 1) * stride + 1)...(out * stride))
            default:
                var padded = (out - 1) * stride + (window - 1) * dilation + 1 + random.int(0...(stride - 1))
                if case let .explicit(top, bottom, left, right) = windows.padding { padded -= vertical ? top + bottom : left + right }
                return padded
            }
        }
        let candidate = (size(true, output.0, window.0), size(false, output.1, window.1))
        guard candidate.0 >= 1, candidate.1 >= 1,
            let produced = windows.output(candidate, window: window, pooling: pooling), produced == output
        else { return nil }
        return candidate
    }
}

extension FuzzOp {
    /// The shape a convolution or pooling node produces from `children`, or nil when the op
    /// would reject them.
    func windowedShape(children: [Shape]) -> Shape? {
        switch self {
        case let .conv2d(windows, groups):
            guard children.count == 2, children[0].rank == 4, children[1].rank == 4 else { return nil }
            let (image, filter) = (children[0], children[1])
            guard groups > 0, image[3] % groups == 0, filter[3] % groups == 0, filter[2] == image[3] / groups,
                let size = windows.output((image[1], image[2]), window: (filter[0], filter[1]))
            else { return nil }
            return [image[0], size.0, size.1, filter[3]]
        case let .conv2dTranspose(windows, window, outputSize):
            guard children.count == 2, children[0].rank == 4, children[1].rank == 4 else { return nil }
            let (input, filter) = (children[0], children[1])
            guard filter[0] == window.0, filter[1] == window.1, filter[3] == input[3], outputSize.0 > 0, outputSize.1 > 0,
                let inner = windows.output(outputSize, window: window), inner == (input[1], input[2])
            else { return nil }
            return [input[0], outputSize.0, outputSize.1, filter[2]]
        case let .pool(_, window, windows):
            guard children.count == 1, children[0].rank == 4,
                let size = windows.output((children[0][1], children[0][2]), window: window, pooling: true)
            else { return nil }
            return [children[0][0], size.0, size.1, children[0][3]]
        default:
            return nil
        }
    }

    /// The operands of a convolution or pooling node as the public API takes them.
    func windowedSource(_ operands: [String]) -> String? {
        switch self {
        case let .conv2d(windows, groups):
            return "conv2d(\(operands[0]), filter: \(operands[1]), \(windows.source), groups: \(groups))"
        case let .conv2dTranspose(windows, _, size):
            return "conv2dTranspose(\(operands[0]), filter: \(operands[1]), outputSize: (\(size.0), \(size.1)), \(windows.source))"
        case let .pool(max, window, windows):
            return "\(max ? "maxPool2D" : "avgPool2D")(\(operands[0]), windowSize: (\(window.0), \(window.1)), "
                + "strides: (\(windows.strides.0), \(windows.strides.1)), padding: .\(windows.padding))"
        default:
            return nil
        }
    }

    /// Applies a convolution or pooling node.
    func applyWindowed(_ operands: [Tensor]) -> Tensor? {
        switch self {
        case let .conv2d(w, groups):
            return Retrograd.conv2d(operands[0], filter: operands[1], strides: w.strides, padding: w.padding, dilations: w.dilations, groups: groups)
        case let .conv2dTranspose(w, _, size):
            return Retrograd.conv2dTranspose(
                operands[0], filter: operands[1], outputSize: size, strides: w.strides, padding: w.padding, dilations: w.dilations)
        case let .pool(max, window, w):
            return max
                ? maxPool2D(operands[0], windowSize: window, strides: w.strides, padding: w.padding)
                : avgPool2D(operands[0], windowSize: window, strides: w.strides, padding: w.padding)
        default:
            return nil
        }
    }
}

/// The smallest gap between the largest and second-largest image cell of any max-pool
/// window of `x` (padding excluded); infinity when every window holds one cell.
func poolTopGap(_ x: Tensor, window: (Int, Int), _ windows: FuzzWindows) -> Double {
    let shape = x.shape, values = x.scalars(as: Double.self)
    guard let rows = windows.axis(true, size: shape[1], window: window.0),
        let columns = windows.axis(false, size: shape[2], window: window.1)
    else { return .infinity }
    var smallest = Double.infinity
    for n in 0..<shape[0] {
        for i in 0..<rows.output {
            for j in 0..<columns.output {
                for c in 0..<shape[3] {
                    var cells: [Double] = []
                    for a in 0..<window.0 {
                        for b in 0..<window.1 {
                            let y = i * windows.strides.0 + a - rows.before, x = j * windows.strides.1 + b - columns.before
                            if (0..<shape[1]).contains(y) && (0..<shape[2]).contains(x) {
                                cells.append(values[((n * shape[1] + y) * shape[2] + x) * shape[3] + c])
                            }
                        }
                    }
                    let sorted = cells.sorted(by: >)
                    if sorted.count >= 2 { smallest = Swift.min(smallest, sorted[0] - sorted[1]) }
                }
            }
        }
    }
    return smallest
}
