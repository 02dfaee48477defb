import Foundation

extension Dataset {
    /// The mean of each feature over the rows (empty when there are no rows).
    public var featureMeans: [Double] {
        guard count > 0 else { return [] }
        let values = features.scalars(as: Double.self)
        var sums = [Double](repeating: 0, count: featureCount)
        for (offset, value) in values.enumerated() { sums[offset % featureCount] += value }
        return sums.map { $0 / Double(count) }
    }

    /// The same labelled points turned counterclockwise by `degrees` in the plane: the
    /// domain shift of the DANN two-moons experiment (target = source rotated by 35°).
    ///
    /// Only for 2-feature datasets. The features keep their element type; labels are kept.
    ///
    /// - Parameters:
    ///   - degrees: The angle; positive turns counterclockwise (from +x toward +y).
    ///   - center: The fixed point of the rotation; `nil` (the default) rotates about the
    ///     mean of the points, so the cloud turns in place.
    public func rotated(byDegrees degrees: Double, about center: SIMD2<Double>? = nil) -> Dataset {
        checkPrecondition(
            features.rank == 2 && featureCount == 2,
            "Dataset.rotated: needs [count, 2] features (points in the plane), found \(features.shape)")
        let pivot = center ?? (count > 0 ? SIMD2(featureMeans[0], featureMeans[1]) : .zero)
        let radians = degrees * .pi / 180
        let (c, s) = (cos(radians), sin(radians))
        let values = features.scalars(as: Double.self)
        var turned = [Double](repeating: 0, count: values.count)
        for row in 0..<count {
            let x = values[2 * row] - pivot.x, y = values[2 * row + 1] - pivot.y
            turned[2 * row] = pivot.x + c * x - s * y
            turned[2 * row + 1] = pivot.y + s * x + c * y
        }
        let rotatedFeatures = Tensor(turned, shape: features.shape).cast(to: features.dtype)
        return Dataset(checkedFeatures: rotatedFeatures, labels: labels)
    }
}
