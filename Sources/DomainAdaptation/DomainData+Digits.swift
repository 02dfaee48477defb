extension DomainData {
    /// The `digits` problem: real handwritten digits in grey as the source domain, other
    /// digits on random colour backgrounds as the target domain, in the spirit of
    /// MNIST → MNIST-M (Ganin et al., 2016).
    ///
    /// The 1,797 8×8 images of ``Digits/load()`` (UCI "Optical Recognition of Handwritten
    /// Digits", Alpaydin and Kaynak, CC BY 4.0, as shipped with scikit-learn, BSD-3-Clause)
    /// are shuffled by `Dataset.permutation(count: 1797, seed: seed)` and cut in two
    /// disjoint halves, so the target domain never holds an image the source domain has:
    /// the first 898 images of the permutation are the source half, the other 899 the
    /// target half. The first `round(n × testFraction)` images of each half (in permutation
    /// order) are its test split, the rest its training split; with the default 0.2 that
    /// is 718 source training, 180 source test, 719 target training and 180 target test
    /// images.
    ///
    /// The source half is drawn with ``Digits/sourceRendering(of:)`` (grey in three
    /// channels); the target half, in permutation order, with
    /// ``Digits/targetRendering(of:seed:)`` and the background seed
    /// `seed ^ 0x6469_6769_7473_2121` (ASCII "digits!!"), so the backgrounds do not
    /// reuse the shuffle's random numbers. Every split has 192 float32 features in
    /// `[0, 1]` (an 8×8×3 image, channel-last) and labels 0...9; the target labels are
    /// there for evaluation only. The same seed always gives the same problem; another seed
    /// gives another split and other backgrounds.
    ///
    /// - Parameters:
    ///   - seed: Fixes the split and the backgrounds.
    ///   - testFraction: The share of each half held out for testing, in `0..<1`.
    /// - Throws: ``DigitsError`` when the shipped digits resource is missing or damaged.
    public static func digits(seed: UInt64, testFraction: Double = 0.2) throws(DigitsError) -> DomainData {
        checkPrecondition(
            (0..<1).contains(testFraction),
            "DomainData.digits: testFraction \(testFraction) is not in 0..<1")
        let images = try Digits.load()
        let split = DigitsSplit(count: images.count, seed: seed, testFraction: testFraction)
        let source = Digits.sourceRendering(of: images.rows(split.sourceTest + split.sourceTrain))
        let target = Digits.targetRendering(
            of: images.rows(split.targetTest + split.targetTrain), seed: seed ^ DigitsSplit.backgroundSeedMask)
        func parts(_ data: Dataset, testCount: Int) -> (train: Dataset, test: Dataset) {
            (data.rows(Array(testCount..<data.count)), data.rows(Array(0..<testCount)))
        }
        let (sourceTrain, sourceTest) = parts(source, testCount: split.sourceTest.count)
        let (targetTrain, targetTest) = parts(target, testCount: split.targetTest.count)
        return DomainData(
            name: "digits", sourceTrain: sourceTrain, targetTrain: targetTrain,
            sourceTest: sourceTest, targetTest: targetTest, classCount: Digits.classCount)
    }
}

/// Which of the digit images (indices into ``Digits/load()``) go to which split of
/// ``DomainData/digits(seed:testFraction:)``, each list in permutation order.
struct DigitsSplit: Equatable {
    /// Mixed into the seed for the target backgrounds: ASCII "digits!!".
    static let backgroundSeedMask: UInt64 = 0x6469_6769_7473_2121

    var sourceTrain: [Int]
    var sourceTest: [Int]
    var targetTrain: [Int]
    var targetTest: [Int]

    /// Shuffles `0..<count` with `seed`, halves it (source first, `count / 2` images) and
    /// holds out the first `round(n × testFraction)` images of each half for testing.
    init(count: Int, seed: UInt64, testFraction: Double) {
        let order = Dataset.permutation(count: count, seed: seed)
        func parts(_ half: ArraySlice<Int>) -> (train: [Int], test: [Int]) {
            let testCount = Int((Double(half.count) * testFraction).rounded())
            return (Array(half.dropFirst(testCount)), Array(half.prefix(testCount)))
        }
        (sourceTrain, sourceTest) = parts(order[..<(count / 2)])
        (targetTrain, targetTest) = parts(order[(count / 2)...])
    }
}
