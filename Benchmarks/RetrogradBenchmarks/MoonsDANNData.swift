import Foundation

/// W8's data: 300 source and 300 target points of the two-moons problem of Ganin et al.
/// (JMLR 2016, §5.1.1), made without random numbers so that every framework trains on the
/// very same floats.
///
/// Source point i has label i mod 2 and lies at t = π·⌊i/2⌋/149 on its moon, (cos t, sin t)
/// for label 0 and (1 − cos t, 0.5 − sin t) for label 1, plus a jitter of
/// 0.05·sin(0.37·(2i + j) + 1) on coordinate j. Target point i is the same moon point with
/// the jitter 0.05·cos(0.37·(2i + j) + 1), rotated by 35° counter-clockwise about the mean
/// of the source points. Step s of a training takes source point s mod 300 and target
/// point ``targetIndex(_:)`` of s mod 300.
///
/// Everything is computed in `Double`, in the same order as the Python peers
/// (`Benchmarks/peers/moons_protocol.py`), and rounded to the tensors' element type last.
public struct MoonsDANNData: Sendable {
    /// The number of source points, and of target points: one epoch is this many steps.
    public static let exampleCount = 300
    /// The angle the target domain is rotated by, in degrees.
    public static let rotationDegrees = 35.0
    /// The amplitude of the deterministic jitter added to each coordinate.
    public static let jitter = 0.05

    /// The source points, `[x, y]` each, in `Double`.
    public let source: [[Double]]
    /// The source labels, i mod 2.
    public let labels: [Int]
    /// The target points, `[x, y]` each, in `Double`, in their own order (not the steps').
    public let target: [[Double]]
    /// The mean of the source points, the centre of the rotation.
    public let sourceMean: [Double]

    /// Computes the points.
    public init() {
        let count = Self.exampleCount
        source = (0..<count).map { i in
            let (point, offset) = (Self.moon(i), Self.jitter(i, sin))
            return [point.x + offset.x, point.y + offset.y]
        }
        var meanX = 0.0, meanY = 0.0
        for point in source {
            meanX += point[0]
            meanY += point[1]
        }
        meanX /= Double(count)
        meanY /= Double(count)
        let angle = Self.rotationDegrees * Double.pi / 180
        let (c, s) = (cos(angle), sin(angle))
        target = (0..<count).map { [meanX, meanY] i in
            let (point, offset) = (Self.moon(i), Self.jitter(i, cos))
            let (u, v) = (point.x + offset.x - meanX, point.y + offset.y - meanY)
            return [c * u - s * v + meanX, s * u + c * v + meanY]
        }
        sourceMean = [meanX, meanY]
        labels = (0..<count).map { $0 % 2 }
    }

    /// The target point that step s trains on, for i = s mod 300: (113·i + 29) mod 300, a
    /// fixed permutation (113 and 300 are coprime).
    public static func targetIndex(_ i: Int) -> Int {
        (113 * i + 29) % exampleCount
    }

    /// A `[rows, columns]` weight in Glorot's range, filled without random numbers:
    /// w[i, j] = b·f(0.37·(i·columns + j) + 1) with b = √(6 / (rows + columns)), row-major.
    public static func glorotRangeWeight(rows: Int, columns: Int, _ f: (Double) -> Double) -> [Double] {
        let bound = (6 / Double(rows + columns)).squareRoot()
        return (0..<(rows * columns)).map { bound * f(0.37 * Double($0) + 1) }
    }

    /// Point i of the noiseless moons.
    private static func moon(_ i: Int) -> (x: Double, y: Double) {
        let t = Double.pi * Double(i / 2) / Double(exampleCount / 2 - 1)
        return i % 2 == 0 ? (cos(t), sin(t)) : (1 - cos(t), 0.5 - sin(t))
    }

    /// The jitter of point i: 0.05·f(0.37·(2i + j) + 1) for j = 0, 1.
    private static func jitter(_ i: Int, _ f: (Double) -> Double) -> (x: Double, y: Double) {
        (jitter * f(0.37 * Double(2 * i) + 1), jitter * f(0.37 * Double(2 * i + 1) + 1))
    }
}
