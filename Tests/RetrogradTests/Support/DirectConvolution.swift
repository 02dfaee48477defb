import Retrograd

// Direct nested-loop references for the convolution and pooling tests, in float64 and
// written from the definitions (no im2col, no GEMM), so they share no code with the ops.

/// The padding of one axis and the output size along it, from TensorFlow's definitions.
struct AxisWindows {
    let before: Int, output: Int

    /// `mode` is "valid", "same" or "explicit" (then `explicit` gives the two amounts).
    init(size: Int, window: Int, stride: Int, dilation: Int, mode: String, explicit: (Int, Int) = (0, 0)) {
        let extent = (window - 1) * dilation + 1
        switch mode {
        case "valid":
            before = 0
            output = (size - extent) / stride + 1
        case "same":
            output = (size + stride - 1) / stride
            before = max((output - 1) * stride + extent - size, 0) / 2
        default:
            before = explicit.0
            output = (size + explicit.0 + explicit.1 - extent) / stride + 1
        }
    }
}

/// A padding as the tests write it down: "valid", "same" or "explicit" with its amounts,
/// turned into the op's ``Padding`` and, independently, into each axis's windows.
struct PaddingSpec: Sendable, CustomStringConvertible {
    var mode = "valid"
    var explicit: (top: Int, bottom: Int, left: Int, right: Int) = (0, 0, 0, 0)

    var padding: Padding {
        switch mode {
        case "valid": .valid
        case "same": .same
        default: .explicit(top: explicit.top, bottom: explicit.bottom, left: explicit.left, right: explicit.right)
        }
    }

    /// The windows along the height and the width of an image of `size`.
    func windows(size: (Int, Int), window: (Int, Int), strides: (Int, Int), dilations: (Int, Int) = (1, 1))
        -> (AxisWindows, AxisWindows)
    {
        (AxisWindows(size: size.0, window: window.0, stride: strides.0, dilation: dilations.0, mode: mode,
                     explicit: (explicit.top, explicit.bottom)),
         AxisWindows(size: size.1, window: window.1, stride: strides.1, dilation: dilations.1, mode: mode,
                     explicit: (explicit.left, explicit.right)))
    }

    var description: String { mode == "explicit" ? "explicit\(explicit)" : mode }
}

/// An NHWC float64 image held as a flat array.
struct Image {
    var n: Int, h: Int, w: Int, c: Int
    var values: [Double]

    init(_ n: Int, _ h: Int, _ w: Int, _ c: Int, values: [Double]? = nil) {
        (self.n, self.h, self.w, self.c) = (n, h, w, c)
        self.values = values ?? [Double](repeating: 0, count: n * h * w * c)
    }

    /// The value at (b, y, x, ch), or nil outside the image.
    func at(_ b: Int, _ y: Int, _ x: Int, _ ch: Int) -> Double? {
        guard y >= 0, y < h, x >= 0, x < w else { return nil }
        return values[((b * h + y) * w + x) * c + ch]
    }

    mutating func add(_ value: Double, _ b: Int, _ y: Int, _ x: Int, _ ch: Int) {
        values[((b * h + y) * w + x) * c + ch] += value
    }
}

/// y[b, i, j, o] = Σ_{a, e, k} x[b, i·sh + a·dh − top, j·sw + e·dw − left, g·cg + k] · f[a, e, k, o],
/// with f `[fh, fw, cg, outChannels]` flat and g = o / (outChannels / groups).
func directConv2D(
    _ x: Image, filter f: [Double], _ fh: Int, _ fw: Int, outChannels: Int, groups: Int,
    strides: (Int, Int), dilations: (Int, Int), rows: AxisWindows, columns: AxisWindows
) -> Image {
    let cg = x.c / groups, og = outChannels / groups
    var y = Image(x.n, rows.output, columns.output, outChannels)
    for b in 0..<x.n {
        for i in 0..<rows.output {
            for j in 0..<columns.output {
                for o in 0..<outChannels {
                    var total = 0.0
                    for a in 0..<fh {
                        for e in 0..<fw {
                            for k in 0..<cg {
                                let yy = i * strides.0 + a * dilations.0 - rows.before
                                let xx = j * strides.1 + e * dilations.1 - columns.before
                                guard let v = x.at(b, yy, xx, (o / og) * cg + k) else { continue }
                                total += v * f[((a * fw + e) * cg + k) * outChannels + o]
                            }
                        }
                    }
                    y.add(total, b, i, j, o)
                }
            }
        }
    }
    return y
}

/// The transposed convolution by scattering: every input pixel adds filter-weighted copies
/// of itself into the output window it would have been computed from. f is `[fh, fw,
/// outChannels, inChannels]` flat.
func directConv2DTranspose(
    _ x: Image, filter f: [Double], _ fh: Int, _ fw: Int, outChannels: Int, outputSize: (Int, Int),
    strides: (Int, Int), dilations: (Int, Int), rows: AxisWindows, columns: AxisWindows
) -> Image {
    var y = Image(x.n, outputSize.0, outputSize.1, outChannels)
    for b in 0..<x.n {
        for i in 0..<x.h {
            for j in 0..<x.w {
                for a in 0..<fh {
                    for e in 0..<fw {
                        let yy = i * strides.0 + a * dilations.0 - rows.before
                        let xx = j * strides.1 + e * dilations.1 - columns.before
                        guard yy >= 0, yy < y.h, xx >= 0, xx < y.w else { continue }
                        for o in 0..<outChannels {
                            for k in 0..<x.c {
                                y.add(x.at(b, i, j, k)! * f[((a * fw + e) * outChannels + o) * x.c + k], b, yy, xx, o)
                            }
                        }
                    }
                }
            }
        }
    }
    return y
}

/// Max or mean of each window over the cells inside the image (padding never counts).
func directPool2D(
    _ x: Image, window: (Int, Int), strides: (Int, Int), rows: AxisWindows, columns: AxisWindows, max takesMax: Bool
) -> Image {
    var y = Image(x.n, rows.output, columns.output, x.c)
    for b in 0..<x.n {
        for i in 0..<rows.output {
            for j in 0..<columns.output {
                for ch in 0..<x.c {
                    var cells: [Double] = []
                    for a in 0..<window.0 {
                        for e in 0..<window.1 {
                            let v = x.at(b, i * strides.0 + a - rows.before, j * strides.1 + e - columns.before, ch)
                            if let v { cells.append(v) }
                        }
                    }
                    y.add(takesMax ? cells.max()! : cells.reduce(0, +) / Double(cells.count), b, i, j, ch)
                }
            }
        }
    }
    return y
}

/// A pooling case as the pooling tests write it down: an NHWC image size, a window, its
/// strides and a padding.
struct PoolingSetting: CustomStringConvertible, Sendable {
    var image: (Int, Int, Int, Int)
    var window: (Int, Int)
    var strides: (Int, Int)
    var pad = PaddingSpec()

    var description: String { "\(image) \(window) s\(strides) \(pad)" }
}
