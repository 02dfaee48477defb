/// How a convolution or pooling window treats the image's borders.
///
/// For an axis of `n` cells, a window of `k` cells dilated by `d` spans `(k − 1)·d + 1`
/// cells (its *extent*); with stride `s`:
///
/// | padding | output size | zeros added |
/// |---|---|---|
/// | ``valid`` | `⌊(n − extent) / s⌋ + 1` | none: every window lies inside the image |
/// | ``same`` | `⌈n / s⌉` | `max((out − 1)·s + extent − n, 0)` in all, half before and the rest (the odd one) after |
/// | ``explicit(top:bottom:left:right:)`` | `⌊(n + before + after − extent) / s⌋ + 1` | as given |
///
/// ``same`` is TensorFlow's definition (`padding="SAME"`): with an odd total the extra
/// zero goes after (bottom, right). PyTorch's `padding="same"` (stride 1 only) agrees.
///
/// ```swift
/// let y = conv2d(images, filter: w, padding: .same)  // same height and width as images
/// ```
public enum Padding: Hashable, Sendable, Codable {
    /// No padding: windows never leave the image, and the output shrinks.
    case valid
    /// TensorFlow's "SAME": the output has `⌈n / stride⌉` cells along each axis.
    case same
    /// The given number of zero rows above and below and zero columns left and right.
    case explicit(top: Int, bottom: Int, left: Int, right: Int)

    /// The zeros before and after the height axis (`vertical`) or the width axis, and the
    /// output size along it, or nil when the window does not fit in the padded axis.
    func resolve(
        vertical: Bool, size: Int, window: Int, stride: Int, dilation: Int
    ) -> (before: Int, after: Int, output: Int)? {
        let extent = (window - 1) * dilation + 1
        let (before, after): (Int, Int)
        switch self {
        case .valid:
            (before, after) = (0, 0)
        case .same:
            let output = (size + stride - 1) / stride
            let total = Swift.max((output - 1) * stride + extent - size, 0)
            (before, after) = (total / 2, total - total / 2)
        case let .explicit(top, bottom, left, right):
            (before, after) = vertical ? (top, bottom) : (left, right)
        }
        let padded = size + before + after
        guard padded >= extent else { return nil }
        return (before, after, (padded - extent) / stride + 1)
    }

    /// Whether an explicit amount is negative.
    var hasNegativeAmount: Bool {
        if case let .explicit(top, bottom, left, right) = self { return Swift.min(top, bottom, left, right) < 0 }
        return false
    }
}
