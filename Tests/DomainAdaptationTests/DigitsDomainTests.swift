import Foundation
import Testing
@testable import DomainAdaptation

/// The `digits` domain-adaptation problem: the split, determinism and the size of the shift.
///
/// The split and the seeded backgrounds of `digits(seed: 7)` were computed once by an
/// independent Python re-implementation of the documented recipe (xoshiro256** with
/// SplitMix64 seeding, Fisher–Yates with Lemire's bounded draws, the background formula
/// with `numpy.interp` for the bilinear texture), reading the images from the original
/// scikit-learn CSV.
@Suite struct DigitsDomainTests {
    @Test func splitsAreDisjointHalvesWithTheRequestedTestShare() {
        // 1797 = 898 source + 899 target; round(898 × 0.2) = round(179.6) = 180 and
        // round(899 × 0.2) = round(179.8) = 180. With 0.5: 449 of 898, and 449.5 rounds to 450.
        let cases: [(Double, [Int])] = [(0.2, [718, 180, 719, 180]), (0.5, [449, 449, 449, 450]), (0, [898, 0, 899, 0])]
        for (fraction, sizes) in cases {
            let split = DigitsSplit(count: 1797, seed: 3, testFraction: fraction)
            let parts = [split.sourceTrain, split.sourceTest, split.targetTrain, split.targetTest]
            #expect(parts.map(\.count) == sizes)
            #expect(Set(parts.joined()) == Set(0..<1797))
            #expect(Set(split.sourceTrain + split.sourceTest).isDisjoint(with: split.targetTrain + split.targetTest))
        }
    }

    @Test func theProblemIsBuiltFromTheSplit() throws {
        let data = try DomainData.digits(seed: 7)
        #expect(data.name == "digits" && data.classCount == 10 && data.featureCount == 192)
        let images = try Digits.load()
        let labels = try #require(images.labelScalars)
        let split = DigitsSplit(count: 1797, seed: 7, testFraction: 0.2)
        let pairs = [
            (data.sourceTrain, split.sourceTrain), (data.sourceTest, split.sourceTest),
            (data.targetTrain, split.targetTrain), (data.targetTest, split.targetTest),
        ]
        for (dataset, indices) in pairs {
            #expect(dataset.featureCount == 192 && dataset.features.dtype == .float32)
            #expect(dataset.labelScalars == indices.map { labels[$0] })
            #expect(dataset.features.scalars(as: Float.self).allSatisfy { (0...1).contains($0) })
        }
        let source = Digits.sourceRendering(of: images.rows(split.sourceTrain))
        #expect(data.sourceTrain.features.scalars(as: Float.self) == source.features.scalars(as: Float.self))
    }

    @Test func seedSevenMatchesTheIndependentReimplementation() throws {
        let data = try DomainData.digits(seed: 7)
        let split = DigitsSplit(count: 1797, seed: 7, testFraction: 0.2)
        #expect(Array(split.sourceTest.prefix(3)) == [1183, 476, 1605])
        #expect(Array(split.sourceTrain.prefix(3)) == [1010, 414, 1078])
        #expect(Array(split.targetTest.prefix(3)) == [685, 173, 1286])
        #expect(Array(split.targetTrain.prefix(3)) == [1102, 1408, 495])
        #expect(data.sourceTest.labelScalars?.prefix(3) == [6, 1, 3])
        #expect(data.targetTrain.labelScalars?.prefix(3) == [2, 4, 5])
        let targetTest = data.targetTest.features.scalars(as: Float.self)
        let targetTrain = data.targetTrain.features.scalars(as: Float.self)
        let expected: [([Float], Int, [Double])] = [
            (targetTest, 0, [0.3601685494380592, 0.2958383991430295, 0.25908948859730546,
                             0.4386873358734983, 0.35021840430819323, 0.25745456535237987]),
            (targetTest, 100, [0.290690472726534, 0.04420750108929575, 0.30175240802941,
                               0.312275883091511, 0.5315944545566825, 0.24009355755906492]),
            (targetTrain, 0, [0.42655610264930355, 0.14007871574431616, 0.37325184986326615,
                              0.4655391442340965, 0.1970660131002534, 0.3867069443864781]),
            (targetTrain, 718 * 192 + 189, [0.069529575645747, 0.40675461118128725, 0.00612369098364891]),
        ]
        for (features, start, values) in expected {
            for (offset, value) in values.enumerated() {
                #expect(abs(Double(features[start + offset]) - value) < 1e-6, "feature \(start + offset)")
            }
        }
    }

    @Test func theSameSeedGivesTheSameProblemAndAnotherSeedAnotherOne() throws {
        let first = try DomainData.digits(seed: 7), again = try DomainData.digits(seed: 7)
        let other = try DomainData.digits(seed: 8)
        func splits(_ data: DomainData) -> [Dataset] { [data.sourceTrain, data.sourceTest, data.targetTrain, data.targetTest] }
        for (a, b) in zip(splits(first), splits(again)) {
            #expect(a.features.scalars(as: Float.self) == b.features.scalars(as: Float.self))
            #expect(a.labelScalars == b.labelScalars)
        }
        #expect(first.sourceTrain.labelScalars != other.sourceTrain.labelScalars)
        #expect(first.targetTest.features.scalars(as: Float.self) != other.targetTest.features.scalars(as: Float.self))
    }

    @Test func aSourceOnlyNearestCentroidClassifierLosesAccuracyOnTheTarget() throws {
        // The independent Python run of the same classifier gives 0.906 on the source test
        // split and 0.800 on the target test split for seed 7 (180 images each, so one image
        // is 0.0056). A source-trained MLP falls further, from about 0.96 to about 0.75.
        let data = try DomainData.digits(seed: 7)
        let features = data.sourceTrain.features.scalars(as: Float.self)
        let labels = try #require(data.sourceTrain.labelScalars)
        var centroids = [[Double]](repeating: [Double](repeating: 0, count: 192), count: 10)
        for (row, label) in labels.enumerated() {
            for feature in 0..<192 { centroids[Int(label)][feature] += Double(features[row * 192 + feature]) }
        }
        for digit in 0..<10 {
            let count = Double(labels.count { $0 == Int32(digit) })
            centroids[digit] = centroids[digit].map { $0 / count }
        }
        func accuracy(_ dataset: Dataset) throws -> Double {
            let x = dataset.features.scalars(as: Float.self), y = try #require(dataset.labelScalars)
            let correct = (0..<dataset.count).count { row in
                let distances = centroids.map { centroid in
                    var sum = 0.0
                    for feature in 0..<192 {
                        let difference = Double(x[row * 192 + feature]) - centroid[feature]
                        sum += difference * difference
                    }
                    return sum
                }
                return distances.indices.min { distances[$0] < distances[$1] } == Int(y[row])
            }
            return Double(correct) / Double(dataset.count)
        }
        #expect(try abs(accuracy(data.sourceTest) - 0.906) < 0.005)
        #expect(try abs(accuracy(data.targetTest) - 0.800) < 0.005)
    }
}
