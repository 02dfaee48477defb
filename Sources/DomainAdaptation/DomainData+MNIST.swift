import Foundation

extension DomainData {
    /// The backgrounds of MNIST-M: photographs from a directory, or generated textures.
    public enum MNISTMBackgrounds: Sendable, Equatable {
        /// The colour images in a directory (see ``MNISTM/backgrounds(in:minimumSize:)``).
        case directory(URL)
        /// ``MNISTM/generatedBackgrounds(count:side:seed:)``: 200 textures of 64×64 pixels.
        case generated
    }

    /// The images in each training split of ``mnist(from:backgrounds:limit:files:seed:log:)``:
    /// 55,000, as in the paper (MNIST's 60,000 training images less 5,000 for validation).
    public static let mnistTrainCount = 55_000
    /// MNIST's first 5,000 training images, held out for validation and not used here.
    public static let mnistValidationCount = 5_000

    /// MNIST → MNIST-M, the image experiment of Ganin et al. (2016): grey handwritten digits
    /// as the labelled source, the same digits blended with colour backgrounds as the target.
    ///
    /// MNIST comes from `location` (`MNIST.load(files:from:log:)` in RetrogradData: downloaded on first use
    /// into a cache, or read from a directory). The splits follow the paper's use of
    /// TensorFlow's MNIST split, 55,000 / 5,000 / 10,000:
    /// - source training: MNIST training images 5,000…59,999 (the first 5,000 are the
    ///   validation set, which no split here uses), in grey in three channels
    ///   (``MNISTM/greyInColour(_:)``), so both domains have the same shape;
    /// - target training: MNIST-M of the same 55,000 digits, as MNIST-M is made from
    ///   MNIST's training set (its labels are never used for training);
    /// - source test: MNIST's 10,000 test images, in three channels;
    /// - target test: MNIST-M of those 10,000.
    ///
    /// `files` says which files to fetch and from where (`MNIST.Files.published` unless
    /// another mirror is wanted). `limit` keeps the first `limit` images of each training and each test split, for
    /// quick runs. Images are float32 `[count, 28, 28, 3]`, NHWC, in `[0, 1]`; labels 0...9.
    /// MNIST-M is ``MNISTM/blend(_:with:seed:)`` with seeds derived from `seed` (one for the
    /// training digits, one for the test digits, one for generated textures), so the same
    /// seed always gives the same images. ``details`` names the backgrounds used.
    ///
    /// Memory: the full problem holds 130,000 colour images, about 1.2 GB of float32 (a
    /// `retrograd dann --data mnist` run peaks at about 1.7 GB resident).
    ///
    /// - Throws: ``DomainDataError/mnist(_:)`` when MNIST cannot be found, downloaded or
    ///   read; ``DomainDataError/mnistM(_:)`` when the backgrounds cannot be read.
    public static func mnist(
        from location: RemoteFile.Location, backgrounds: MNISTMBackgrounds = .generated, limit: Int? = nil,
        files: MNIST.Files = .published, seed: UInt64, log: (String) -> Void = { _ in }
    ) throws(DomainDataError) -> DomainData {
        checkPrecondition((limit ?? 1) >= 1, "DomainData.mnist: limit \(limit ?? 0) must be at least 1")
        let photos: [MNISTM.Background]
        let backgroundText: String
        switch backgrounds {
        case .directory(let directory):
            do { photos = try MNISTM.backgrounds(in: directory) } catch { throw .mnistM(error) }
            backgroundText = "\(photos.count) image\(photos.count == 1 ? "" : "s") from \(directory.path)"
        case .generated:
            photos = MNISTM.generatedBackgrounds(seed: derivedSeed(seed, stream: 20, index: 2))
            backgroundText = "\(photos.count) generated colour textures (no background photographs given)"
        }
        let mnist: (train: Dataset, test: Dataset)
        do { mnist = try MNIST.load(files: files, from: location, log: log) } catch { throw .mnist(error) }
        // Files with fewer images (tests, partial copies) keep the same proportions.
        let validation = min(mnistValidationCount, mnist.train.count / 12)
        let trainEnd = min(mnist.train.count, validation + (limit ?? Int.max - validation))
        let train = mnist.train.rows(Array(validation..<trainEnd))
        let test = mnist.test.rows(Array(0..<min(mnist.test.count, limit ?? Int.max)))
        let details = "MNIST → MNIST-M (|background − digit| with a random background patch per digit); backgrounds: \(backgroundText); "
            + "source and target training: MNIST training images \(validation)…\(trainEnd - 1) (the first \(validation) are the "
            + "validation set, unused); test: MNIST's first \(test.count) test images"
        return DomainData(
            name: "mnist", sourceTrain: MNISTM.greyInColour(train),
            targetTrain: MNISTM.blend(train, with: photos, seed: derivedSeed(seed, stream: 20, index: 0)),
            sourceTest: MNISTM.greyInColour(test), targetTest: MNISTM.blend(test, with: photos, seed: derivedSeed(seed, stream: 20, index: 1)),
            classCount: 10, details: details)
    }
}
