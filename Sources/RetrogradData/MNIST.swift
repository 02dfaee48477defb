import Foundation

/// The MNIST handwritten digits (LeCun, Cortes and Burges): 60,000 training and 10,000
/// test images of 28×28 grey pixels, downloaded on first use into a cache with their
/// SHA-256 digests checked, or read from a directory filled by hand.
///
/// ```swift
/// let mnist = try MNIST.load(from: .cache(MNIST.defaultCacheDirectory))
/// // mnist.train.features: float32 [60000, 28, 28, 1] in [0, 1]; labels 0...9
/// let offline = try MNIST.load(from: .directory(URL(fileURLWithPath: "mnist")))
/// ```
public enum MNIST {
    /// The mirrors tried in order: PyTorch's copy on Amazon S3, the CVDF copy on Google
    /// Cloud Storage (TensorFlow's), and the original site (which often refuses scripts).
    public static let mirrors = [
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
        "http://yann.lecun.com/exdb/mnist/",
    ].map { URL(string: $0)! }

    /// The four files of the data set.
    public struct Files: Sendable, Equatable {
        /// `train-images-idx3-ubyte.gz`: 60,000 images.
        public var trainImages: RemoteFile
        /// `train-labels-idx1-ubyte.gz`: their labels.
        public var trainLabels: RemoteFile
        /// `t10k-images-idx3-ubyte.gz`: 10,000 test images.
        public var testImages: RemoteFile
        /// `t10k-labels-idx1-ubyte.gz`: their labels.
        public var testLabels: RemoteFile

        /// Creates a set of files (tests use files of their own with their own digests).
        public init(trainImages: RemoteFile, trainLabels: RemoteFile, testImages: RemoteFile, testLabels: RemoteFile) {
            self.trainImages = trainImages
            self.trainLabels = trainLabels
            self.testImages = testImages
            self.testLabels = testLabels
        }

        /// The four files in the order above.
        public var all: [RemoteFile] { [trainImages, trainLabels, testImages, testLabels] }

        /// The published files, with the SHA-256 digests of the compressed files as the
        /// mirrors serve them (9,912,422, 28,881, 1,648,877 and 4,542 bytes).
        public static let published = Files(
            trainImages: RemoteFile(
                name: "train-images-idx3-ubyte.gz", sha256: "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609", mirrors: mirrors),
            trainLabels: RemoteFile(
                name: "train-labels-idx1-ubyte.gz", sha256: "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c", mirrors: mirrors),
            testImages: RemoteFile(
                name: "t10k-images-idx3-ubyte.gz", sha256: "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6", mirrors: mirrors),
            testLabels: RemoteFile(
                name: "t10k-labels-idx1-ubyte.gz", sha256: "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6", mirrors: mirrors))
    }

    /// `$XDG_CACHE_HOME/retrograd/mnist`, or `~/.cache/retrograd/mnist` when
    /// `XDG_CACHE_HOME` is unset or not an absolute path (the XDG base directory rule).
    public static var defaultCacheDirectory: URL {
        let environment = ProcessInfo.processInfo.environment
        let base: URL
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            base = URL(fileURLWithPath: xdg, isDirectory: true)
        } else {
            base = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache", isDirectory: true)
        }
        return base.appendingPathComponent("retrograd/mnist", isDirectory: true)
    }

    /// The training and test sets: float32 images `[count, 28, 28, 1]` with pixels in
    /// `[0, 1]` (0 background, 1 ink) and int32 labels 0...9, in the files' order.
    ///
    /// - Parameters:
    ///   - files: Which files (the published ones unless a test says otherwise).
    ///   - location: A cache to download into, or a directory filled by hand.
    ///   - log: Told of each download.
    /// - Throws: ``MNISTError``: a download or a file that failed, with what to do.
    public static func load(
        files: Files = .published, from location: RemoteFile.Location, log: (String) -> Void = { _ in }
    ) throws(MNISTError) -> (train: Dataset, test: Dataset) {
        let urls: [URL]
        do {
            urls = try RemoteFile.locate(files.all, in: location, log: log)
        } catch {
            throw .download(error)
        }
        do {
            return (try IDX.dataset(images: urls[0], labels: urls[1]), try IDX.dataset(images: urls[2], labels: urls[3]))
        } catch {
            throw .file(error)
        }
    }
}

/// An error in loading MNIST: a file that could not be found or downloaded, or one that
/// is not a valid IDX file. The message is the wrapped error's.
public enum MNISTError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// A file is missing and could not be downloaded, or is not the published file.
    case download(DownloadError)
    /// A file could not be read as IDX images or labels.
    case file(IDXError)

    /// A sentence that says what went wrong, where, and what to do.
    public var description: String {
        switch self {
        case .download(let error): error.description
        case .file(let error): error.description
        }
    }

    /// The same sentence as ``description``, for `localizedDescription`.
    public var errorDescription: String? { description }
}
