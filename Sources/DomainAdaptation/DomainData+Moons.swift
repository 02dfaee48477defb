extension DomainData {
    /// The two-moons problem of the DANN paper (Ganin et al., 2016, §5.1.1): a labelled
    /// source of two inter-twinning moons, and a target domain of the same moons turned by
    /// `angle` degrees counterclockwise.
    ///
    /// All four splits are independent draws of `TwoMoons` with Gaussian noise `noise`.
    /// Both target splits are rotated about the same point, the mean of the source training
    /// points, so the target is the source distribution turned in place. The target keeps
    /// its labels for evaluation only.
    ///
    /// - Parameters:
    ///   - count: Points in each training set (the paper: 300).
    ///   - testCount: Points in each test set.
    ///   - noise: The standard deviation of the noise on each coordinate.
    ///   - angle: The rotation of the target domain, in degrees (the paper: 35).
    ///   - seed: Fixes all four draws.
    public static func moons(count: Int = 300, testCount: Int = 1000, noise: Double = 0.1, angle: Double = 35, seed: UInt64 = 0) -> DomainData {
        let sourceTrain = TwoMoons.make(count: count, noise: noise, seed: derivedSeed(seed, stream: 10, index: 0))
        let targetDraw = TwoMoons.make(count: count, noise: noise, seed: derivedSeed(seed, stream: 10, index: 1))
        let sourceTest = TwoMoons.make(count: testCount, noise: noise, seed: derivedSeed(seed, stream: 10, index: 2))
        let targetTestDraw = TwoMoons.make(count: testCount, noise: noise, seed: derivedSeed(seed, stream: 10, index: 3))
        let means = sourceTrain.featureMeans
        let pivot = SIMD2(means[0], means[1])
        return DomainData(
            name: "moons", sourceTrain: sourceTrain, targetTrain: targetDraw.rotated(byDegrees: angle, about: pivot),
            sourceTest: sourceTest, targetTest: targetTestDraw.rotated(byDegrees: angle, about: pivot), classCount: 2)
    }
}
