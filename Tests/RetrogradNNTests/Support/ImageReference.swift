import RetrogradNN

// Nested-loop references for the convolution and pooling layer tests, written here from
// the definitions in float64: no patches, no matrix products, nothing shared with the ops.

/// An NHWC image batch as a flat float64 array.
struct Grid {
    let batch: Int, height: Int, width: Int, channels: Int
    var cells: [Double]

    init(_ batch: Int, _ height: Int, _ width: Int, _ channels: Int, cells: [Double]? = nil) {
        (self.batch, self.height, self.width, self.channels) = (batch, height, width, channels)
        self.cells = cells ?? Array(repeating: 0, count: batch * height * width * channels)
    }

    /// A batch filled with a fixed, irregular pattern of values in about −1…1.
    static func pattern(_ batch: Int, _ height: Int, _ width: Int, _ channels: Int, phase: Double = 0) -> Grid {
        let count = batch * height * width * channels
        return Grid(batch, height, width, channels, cells: (0..<count).map { (i: Int) -> Double in
            let t = Double(i) + phase
            return 0.8 * (t * 0.731).truncatingRemainder(dividingBy: 2.0) - 0.8 + 0.05 * Double(i % 3)
        })
    }

    func index(_ n: Int, _ y: Int, _ x: Int, _ c: Int) -> Int { ((n * height + y) * width + x) * channels + c }

    /// The cell, or nil outside the image (padding).
    func at(_ n: Int, _ y: Int, _ x: Int, _ c: Int) -> Double? {
        (0..<height).contains(y) && (0..<width).contains(x) ? cells[index(n, y, x, c)] : nil
    }

    var tensor: Tensor { Tensor(cells, shape: [batch, height, width, channels], dtype: .float64) }
}

/// The zeros before one axis and the output length along it, for TensorFlow's padding
/// rules: "valid", "same" (half the total before, the odd one after), or given amounts.
func axisLayout(length n: Int, window k: Int, stride s: Int, dilation d: Int, padding: Padding, vertical: Bool) -> (before: Int, count: Int) {
    let extent = d * (k - 1) + 1
    switch padding {
    case .valid:
        return (0, (n - extent) / s + 1)
    case .same:
        let count = (n + s - 1) / s
        let total = max((count - 1) * s + extent - n, 0)
        return (total / 2, count)
    case let .explicit(top, bottom, left, right):
        let (before, after) = vertical ? (top, bottom) : (left, right)
        return (before, (n + before + after - extent) / s + 1)
    }
}

/// y[n, i, j, o] = b[o] + Σ x[n, i·sh + a·dh − top, j·sw + e·dw − left, g·cg + c] · w[a, e, c, o]
/// over the window and the channels of output o's group g; `w` is HWIO, flat.
func referenceConvolution(
    _ x: Grid, filter w: [Double], kernel: (Int, Int), outChannels: Int, bias: [Double]? = nil, strides: (Int, Int) = (1, 1),
    padding: Padding = .valid, dilations: (Int, Int) = (1, 1), groups: Int = 1
) -> Grid {
    let rows = axisLayout(length: x.height, window: kernel.0, stride: strides.0, dilation: dilations.0, padding: padding, vertical: true)
    let cols = axisLayout(length: x.width, window: kernel.1, stride: strides.1, dilation: dilations.1, padding: padding, vertical: false)
    let perGroupIn = x.channels / groups, perGroupOut = outChannels / groups
    var y = Grid(x.batch, rows.count, cols.count, outChannels)
    for n in 0..<x.batch {
        for i in 0..<rows.count {
            for j in 0..<cols.count {
                for o in 0..<outChannels {
                    var total = bias?[o] ?? 0
                    let group = o / perGroupOut
                    for a in 0..<kernel.0 {
                        for e in 0..<kernel.1 {
                            for c in 0..<perGroupIn {
                                let yy = i * strides.0 + a * dilations.0 - rows.before
                                let xx = j * strides.1 + e * dilations.1 - cols.before
                                guard let value = x.at(n, yy, xx, group * perGroupIn + c) else { continue }
                                total += value * w[((a * kernel.1 + e) * perGroupIn + c) * outChannels + o]
                            }
                        }
                    }
                    y.cells[y.index(n, i, j, o)] = total
                }
            }
        }
    }
    return y
}

/// The transposed convolution by scattering: each input pixel (i, j) adds x[i, j, c]·w[a, e, f, c]
/// at output (i·sh + a·dh − top, j·sw + e·dw − left, f); `w` is [kh, kw, outChannels, inChannels].
func referenceTransposedConvolution(
    _ x: Grid, filter w: [Double], kernel: (Int, Int), outChannels: Int, outputSize: (Int, Int), strides: (Int, Int),
    padding: Padding, dilations: (Int, Int) = (1, 1)
) -> Grid {
    let top = axisLayout(length: outputSize.0, window: kernel.0, stride: strides.0, dilation: dilations.0, padding: padding, vertical: true).before
    let left = axisLayout(length: outputSize.1, window: kernel.1, stride: strides.1, dilation: dilations.1, padding: padding, vertical: false).before
    var y = Grid(x.batch, outputSize.0, outputSize.1, outChannels)
    for n in 0..<x.batch {
        for i in 0..<x.height {
            for j in 0..<x.width {
                for c in 0..<x.channels {
                    for a in 0..<kernel.0 {
                        for e in 0..<kernel.1 {
                            let (yy, xx) = (i * strides.0 + a * dilations.0 - top, j * strides.1 + e * dilations.1 - left)
                            guard (0..<outputSize.0).contains(yy), (0..<outputSize.1).contains(xx) else { continue }
                            for f in 0..<outChannels {
                                y.cells[y.index(n, yy, xx, f)] += x.cells[x.index(n, i, j, c)] * w[((a * kernel.1 + e) * outChannels + f) * x.channels + c]
                            }
                        }
                    }
                }
            }
        }
    }
    return y
}

/// The maximum (or the mean over the cells inside the image) of each window.
func referencePooling(_ x: Grid, window: (Int, Int), strides: (Int, Int), padding: Padding, mean: Bool) -> Grid {
    let rows = axisLayout(length: x.height, window: window.0, stride: strides.0, dilation: 1, padding: padding, vertical: true)
    let cols = axisLayout(length: x.width, window: window.1, stride: strides.1, dilation: 1, padding: padding, vertical: false)
    var y = Grid(x.batch, rows.count, cols.count, x.channels)
    for n in 0..<x.batch {
        for i in 0..<rows.count {
            for j in 0..<cols.count {
                for c in 0..<x.channels {
                    var inside = [Double]()
                    for a in 0..<window.0 {
                        for e in 0..<window.1 {
                            if let v = x.at(n, i * strides.0 + a - rows.before, j * strides.1 + e - cols.before, c) { inside.append(v) }
                        }
                    }
                    y.cells[y.index(n, i, j, c)] = mean ? inside.reduce(0, +) / Double(inside.count) : inside.max()!
                }
            }
        }
    }
    return y
}
