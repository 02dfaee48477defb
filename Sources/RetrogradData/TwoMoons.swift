import Foundation

/// The two inter-twinning half circles of scikit-learn's `make_moons`: the toy problem of
/// the DANN paper (Ganin et al., 2016, §5.1.1).
///
/// Class 0 is the upper moon, `(cos t, sin t)`; class 1 is the lower moon,
/// `(1 − cos t, 0.5 − sin t)`. Like scikit-learn, `t` is evenly spaced over `[0, π]`
/// (both ends included) within each moon, the upper moon gets `count / 2` points and the
/// lower one the rest, and Gaussian noise of standard deviation `noise` is added to both
/// coordinates. The random numbers come from `SeededGenerator`, so the points match
/// scikit-learn's construction but not its exact noise draws.
public enum TwoMoons {
    /// Makes `count` labelled points on the two moons.
    ///
    /// - Parameters:
    ///   - count: The number of points; labels 0 and 1 get `count / 2` and `count - count / 2`.
    ///   - noise: The standard deviation of the Gaussian noise added to each coordinate.
    ///   - seed: Fixes the shuffle and the noise: the same seed gives the same dataset.
    ///   - shuffle: Whether to shuffle the rows (scikit-learn's default); otherwise the
    ///     upper moon comes first, each moon in order of increasing `t`.
    ///   - dtype: The features' element type, float32 or float64.
    /// - Returns: A dataset with features `[count, 2]` and int32 labels `[count]`.
    public static func make(
        count: Int, noise: Double = 0, seed: UInt64 = 0, shuffle: Bool = true, dtype: DType = .float32
    ) -> Dataset {
        checkPrecondition(count >= 0, "TwoMoons.make: count \(count) is negative")
        checkPrecondition(noise >= 0, "TwoMoons.make: noise \(noise) is negative")
        checkPrecondition(dtype.isFloatingPoint, "TwoMoons.make: dtype must be float32 or float64, got \(dtype)")
        let upperCount = count / 2, lowerCount = count - upperCount
        var points = [Double]()
        points.reserveCapacity(2 * count)
        var labels = [Int32]()
        labels.reserveCapacity(count)
        for i in 0..<upperCount {
            let t = evenlySpaced(i, of: upperCount)
            points += [cos(t), sin(t)]
            labels.append(0)
        }
        for i in 0..<lowerCount {
            let t = evenlySpaced(i, of: lowerCount)
            points += [1 - cos(t), 0.5 - sin(t)]
            labels.append(1)
        }
        var generator = SeededGenerator(seed: seed)
        if shuffle {
            let order = Dataset.permutation(count: count, using: &generator)
            points = order.flatMap { [points[2 * $0], points[2 * $0 + 1]] }
            labels = order.map { labels[$0] }
        }
        if noise > 0 {
            let draws = Tensor.randomNormal(
                shape: [2 * count], standardDeviation: noise, dtype: .float64, using: &generator
            ).scalars(as: Double.self)
            for i in points.indices { points[i] += draws[i] }
        }
        let features = Tensor(points, shape: [count, 2]).cast(to: dtype)
        return Dataset(checkedFeatures: features, labels: Tensor(labels, shape: [count]))
    }

    /// The `i`-th of `n` evenly spaced values over `[0, π]`, like `numpy.linspace(0, π, n)`.
    static func evenlySpaced(_ i: Int, of n: Int) -> Double {
        n == 1 ? 0 : Double.pi * Double(i) / Double(n - 1)
    }
}
