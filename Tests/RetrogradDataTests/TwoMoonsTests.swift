import Foundation
import Testing
@testable import RetrogradData

/// Rows of a 2-feature dataset as (x, y) pairs.
private func points(_ data: Dataset) -> [(x: Double, y: Double)] {
    let v = data.features.scalars(as: Double.self)
    return (0..<data.count).map { (v[2 * $0], v[2 * $0 + 1]) }
}

@Suite struct TwoMoonsTests {
    @Test(arguments: [0, 1, 2, 7, 300])
    func shapeAndLabelCounts(count: Int) {
        let data = TwoMoons.make(count: count, noise: 0.1, seed: 1)
        #expect(data.features.shape == [count, 2])
        #expect(data.features.dtype == .float32)
        #expect(data.labels?.shape == [count])
        let labels = data.labelScalars ?? []
        // scikit-learn: n // 2 points on the upper moon (label 0), the rest on the lower one.
        #expect(labels.filter { $0 == 0 }.count == count / 2)
        #expect(labels.filter { $0 == 1 }.count == count - count / 2)
    }

    @Test func noiselessUnshuffledPointsFollowTheFormula() {
        // 5 + 5 points: t = 0, π/4, π/2, 3π/4, π on each moon.
        let data = TwoMoons.make(count: 10, noise: 0, seed: 0, shuffle: false, dtype: .float64)
        let p = points(data)
        let r = 0.5.squareRoot()
        let expected: [(Double, Double)] = [
            (1, 0), (r, r), (0, 1), (-r, r), (-1, 0),  // upper moon: (cos t, sin t)
            (0, 0.5), (1 - r, 0.5 - r), (1, -0.5), (1 + r, 0.5 - r), (2, 0.5),  // lower: (1 − cos t, 0.5 − sin t)
        ]
        for (got, want) in zip(p, expected) {
            #expect(abs(got.x - want.0) < 1e-12 && abs(got.y - want.1) < 1e-12, "\(got) vs \(want)")
        }
        #expect(data.labelScalars == [0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
    }

    @Test func noiselessPointsLieOnTheirMoons() {
        let data = TwoMoons.make(count: 301, noise: 0, seed: 4)
        for (point, label) in zip(points(data), data.labelScalars!) {
            if label == 0 {
                #expect(abs(point.x * point.x + point.y * point.y - 1) < 1e-5)
                #expect(point.y >= -1e-6)
            } else {
                let dx = point.x - 1, dy = point.y - 0.5
                #expect(abs(dx * dx + dy * dy - 1) < 1e-5)
                #expect(point.y <= 0.5 + 1e-6)
            }
            #expect((-1.000001...2.000001).contains(point.x))
            #expect((-0.500001...1.000001).contains(point.y))
        }
    }

    @Test func sameSeedSameDataDifferentSeedDiffers() {
        let a = TwoMoons.make(count: 200, noise: 0.1, seed: 7)
        let b = TwoMoons.make(count: 200, noise: 0.1, seed: 7)
        let c = TwoMoons.make(count: 200, noise: 0.1, seed: 8)
        #expect(a.features.scalars(as: Float.self) == b.features.scalars(as: Float.self))
        #expect(a.labelScalars == b.labelScalars)
        #expect(a.features.scalars(as: Float.self) != c.features.scalars(as: Float.self))
    }

    @Test func noiseIsGaussianWithTheGivenDeviation() {
        let clean = TwoMoons.make(count: 4000, noise: 0, seed: 3, shuffle: false, dtype: .float64)
        let noisy = TwoMoons.make(count: 4000, noise: 0.1, seed: 3, shuffle: false, dtype: .float64)
        let residuals = zip(noisy.features.scalars(as: Double.self), clean.features.scalars(as: Double.self)).map { $0 - $1 }
        let mean = residuals.reduce(0, +) / Double(residuals.count)
        let deviation = (residuals.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(residuals.count)).squareRoot()
        #expect(abs(mean) < 0.005)  // standard error 0.1 / √8000 ≈ 0.0011
        #expect(abs(deviation - 0.1) < 0.005)
        #expect(noisy.labelScalars == clean.labelScalars)
    }

    @Test func shuffleOnlyReordersThePoints() {
        let ordered = TwoMoons.make(count: 50, noise: 0, seed: 2, shuffle: false)
        let shuffled = TwoMoons.make(count: 50, noise: 0, seed: 2)
        #expect(shuffled.labelScalars != ordered.labelScalars)
        func keyed(_ d: Dataset) -> [String] {
            zip(points(d), d.labelScalars!).map { "\($0.0.x),\($0.0.y),\($0.1)" }.sorted()
        }
        #expect(keyed(shuffled) == keyed(ordered))
    }
}

@Suite struct RotationTests {
    private let pair = try! Dataset(features: Tensor([1, 0, 3, 2] as [Double], shape: [2, 2]), labels: [0, 1])

    @Test func ninetyDegreesAboutTheMean() {
        // Mean (2, 1). (1, 0) is (−1, −1) from it; a quarter turn counterclockwise takes
        // (u, v) to (−v, u) = (1, −1), i.e. (3, 0). (3, 2) is (1, 1) → (−1, 1), i.e. (1, 2).
        let turned = pair.rotated(byDegrees: 90)
        let v = turned.features.scalars(as: Double.self)
        for (got, want) in zip(v, [3, 0, 1, 2] as [Double]) { #expect(abs(got - want) < 1e-12) }
        #expect(turned.labelScalars == [0, 1])
        #expect(turned.features.dtype == .float64)
    }

    @Test func aboutAGivenCenter() {
        let v = pair.rotated(byDegrees: 90, about: [0, 0]).features.scalars(as: Double.self)
        for (got, want) in zip(v, [0, 1, -2, 3] as [Double]) { #expect(abs(got - want) < 1e-12) }
        let back = pair.rotated(byDegrees: 35).rotated(byDegrees: -35).features.scalars(as: Double.self)
        for (got, want) in zip(back, [1, 0, 3, 2] as [Double]) { #expect(abs(got - want) < 1e-12) }
    }

    @Test func rotationKeepsTheMeanAndDistances() {
        let moons = TwoMoons.make(count: 300, noise: 0.1, seed: 1)
        let target = moons.rotated(byDegrees: 35)
        #expect(target.features.dtype == .float32)
        for (a, b) in zip(moons.featureMeans, target.featureMeans) { #expect(abs(a - b) < 1e-5) }
        let p = points(moons), q = points(target)
        let d0 = hypot(p[0].x - p[1].x, p[0].y - p[1].y), d1 = hypot(q[0].x - q[1].x, q[0].y - q[1].y)
        #expect(abs(d0 - d1) < 1e-5)
        #expect(abs(p[0].x - q[0].x) + abs(p[0].y - q[0].y) > 1e-3)
    }
}
