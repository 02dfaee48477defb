import Foundation

/// Which data a run trains on, written into the run so `--resume` can load it again.
public struct DANNDataSpec: Codable, Sendable, Equatable {
    /// The kind of data.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// ``DomainData/moons(count:testCount:noise:angle:seed:)``.
        case moons
        /// ``DomainData/digits(seed:testFraction:)``.
        case digits
        /// ``DomainData/files(source:target:labelColumn:header:testFraction:seed:)``.
        case files
        /// ``DomainData/mnist(from:backgrounds:limit:files:seed:log:)``.
        case mnist

        /// The shape of one image, `[height, width, channels]`, for image data (digits,
        /// MNIST); nil for rows of features (moons, files).
        public var imageShape: [Int]? {
            switch self {
            case .digits: [Digits.side, Digits.side, 3]
            case .mnist: [28, 28, 3]  // MNIST's digits, in three channels
            case .moons, .files: nil
            }
        }

        /// The model a run trains unless told otherwise: the CNN on data whose loader gives
        /// images (MNIST), the MLP on rows (moons, files, and the digits, which are
        /// 8×8 images but stored as rows of 192 features: on them the MLP measured better and
        /// about 8 times cheaper, see the README).
        public var defaultModel: DANNArchitecture { self == .mnist ? .cnn : .mlp }
    }

    /// The kind of data.
    public var kind: Kind
    /// The moons' rotation in degrees (moons only).
    public var angle: Double?
    /// The standard deviation of the moons' Gaussian noise (moons only); `nil` means
    /// ``defaultMoonsNoise``, the value of runs written before the field existed.
    public var noise: Double?
    /// The source file's path (files only).
    public var source: String?
    /// The target file's path (files only).
    public var target: String?
    /// The label column, as given on the command line: a name or a 0-based index (files only).
    public var labelColumn: String?
    /// Whether the CSV files' first rows are headers, as `--header` or `--no-header` said;
    /// `nil` lets each file decide (files only; see `CSVFile.Header.auto`).
    public var header: Bool?
    /// The directory MNIST's files are read from, without downloading (mnist only).
    public var dataDirectory: String?
    /// The download cache of MNIST (mnist only); `nil` means `MNIST.defaultCacheDirectory`
    /// of the machine that loads the data.
    public var cacheDirectory: String?
    /// Base URLs to download MNIST from instead of `MNIST.mirrors` (mnist only).
    public var mirrors: [String]?
    /// The directory of MNIST-M's background photographs; `nil` means generated textures (mnist only).
    public var backgrounds: String?
    /// At most this many images in each training and test split (mnist only); `nil` means all.
    public var limit: Int?

    /// The moons' noise unless a spec says otherwise.
    public static let defaultMoonsNoise = 0.1

    /// The moons rotated by `angle` degrees, with Gaussian noise of standard deviation
    /// `noise` on each coordinate (`nil`: ``defaultMoonsNoise``).
    public static func moons(angle: Double = 35, noise: Double? = nil) -> DANNDataSpec {
        DANNDataSpec(kind: .moons, angle: angle, noise: noise)
    }
    /// The digits and their shifted copy.
    public static let digits = DANNDataSpec(kind: .digits)
    /// A source and a target file.
    public static func files(source: String, target: String, labelColumn: String? = nil, header: Bool? = nil) -> DANNDataSpec {
        DANNDataSpec(kind: .files, source: source, target: target, labelColumn: labelColumn, header: header)
    }

    /// MNIST → MNIST-M: read from `dataDirectory` when given, else downloaded into the
    /// cache (`cacheDirectory`, default `MNIST.defaultCacheDirectory`) from `mirrors`
    /// (default `MNIST.mirrors`); backgrounds from the `backgrounds` directory, or
    /// generated; at most `limit` images per split.
    public static func mnist(
        dataDirectory: String? = nil, cacheDirectory: String? = nil, mirrors: [String]? = nil, backgrounds: String? = nil, limit: Int? = nil
    ) -> DANNDataSpec {
        DANNDataSpec(
            kind: .mnist, dataDirectory: dataDirectory, cacheDirectory: cacheDirectory, mirrors: mirrors, backgrounds: backgrounds, limit: limit)
    }

    /// Where MNIST's files are found (mnist only).
    public var mnistLocation: RemoteFile.Location {
        if let dataDirectory { return .directory(URL(fileURLWithPath: dataDirectory, isDirectory: true)) }
        return .cache(cacheDirectory.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? MNIST.defaultCacheDirectory)
    }

    /// MNIST's files, from `mirrors` when given (mnist only).
    public var mnistFiles: MNIST.Files {
        guard let mirrors else { return .published }
        let urls = mirrors.compactMap { URL(string: $0.hasSuffix("/") ? $0 : $0 + "/") }
        var files = MNIST.Files.published
        for path in [\MNIST.Files.trainImages, \.trainLabels, \.testImages, \.testLabels] { files[keyPath: path].mirrors = urls }
        return files
    }

    /// Loads the data shaped for `model`: rows for the MLP, `[height, width, channels]`
    /// images for the CNN; `seed` fixes draws and splits.
    ///
    /// - Throws: ``DANNError/notImages(shape:)`` for the CNN on data that are not images,
    ///   and the data's own loading errors.
    public func load(seed: UInt64, model: DANNArchitecture = .mlp) throws -> DomainData {
        let data = try loadAsGiven(seed: seed)
        guard model == .cnn else { return data.flattened() }
        guard let imageShape = kind.imageShape else { throw DANNError.notImages(shape: data.sourceTrain.exampleShape.dimensions) }
        return data.reshaped(exampleShape: Shape(imageShape))
    }

    /// Loads the data as their loader gives them (the digits as rows, MNIST as images).
    private func loadAsGiven(seed: UInt64) throws -> DomainData {
        switch kind {
        case .moons:
            return DomainData.moons(noise: noise ?? Self.defaultMoonsNoise, angle: angle ?? 35, seed: seed)
        case .digits:
            return try DomainData.digits(seed: seed)
        case .files:
            guard let source, let target else {
                throw DANNError.unusableData(reason: "a file run needs both a source and a target file. Pass --source and --target.")
            }
            let column = labelColumn.map { Int($0).map(CSVFile.LabelColumn.index) ?? .name($0) }
            return try DomainData.files(
                source: URL(fileURLWithPath: source), target: URL(fileURLWithPath: target), labelColumn: column,
                header: header.map { $0 ? .present : .absent } ?? .auto, seed: seed)
        case .mnist:
            return try DomainData.mnist(
                from: mnistLocation, backgrounds: backgrounds.map { .directory(URL(fileURLWithPath: $0, isDirectory: true)) } ?? .generated,
                limit: limit, files: mnistFiles, seed: seed)
        }
    }
}

/// What a run is: the data, the configuration and the modes, as `run.json` in the output
/// directory records it before the first step.
public struct DANNRunDescription: Codable, Sendable, Equatable {
    /// The data.
    public var data: DANNDataSpec
    /// The training configuration, shared by every mode.
    public var configuration: DANNConfiguration
    /// The modes to train, in order.
    public var modes: [DANNMode]

    /// Creates a description.
    public init(data: DANNDataSpec, configuration: DANNConfiguration, modes: [DANNMode]) {
        self.data = data
        self.configuration = configuration
        self.modes = modes
    }

    /// The file name of the description inside a run directory.
    public static let fileName = "run.json"

    /// Reads the description of the run in `directory`.
    ///
    /// - Throws: ``DANNError/noRunToResume(directory:)`` when there is none,
    ///   ``DANNError/damagedRun(file:reason:)`` when it cannot be read.
    public static func read(from directory: URL) throws(DANNError) -> DANNRunDescription {
        let url = directory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { throw .noRunToResume(directory: directory.path) }
        let bytes: Data
        do {
            bytes = try Data(contentsOf: url)
        } catch {
            throw .damagedRun(file: url.path, reason: "cannot read it: \(error.localizedDescription)")
        }
        let description: DANNRunDescription
        do {
            description = try jsonDecoder().decode(DANNRunDescription.self, from: bytes)
        } catch {
            throw .damagedRun(file: url.path, reason: "not a run description: \(error)")
        }
        guard !description.modes.isEmpty else { throw .damagedRun(file: url.path, reason: "it lists no modes") }
        if let angle = description.data.angle, !angle.isFinite {
            throw .damagedRun(file: url.path, reason: "the moons' angle \(angle) is not a finite number")
        }
        if let noise = description.data.noise, !(noise >= 0 && noise.isFinite) {
            throw .damagedRun(file: url.path, reason: "the moons' noise \(noise) is not a finite number ≥ 0")
        }
        if let limit = description.data.limit, limit < 1 {
            throw .damagedRun(file: url.path, reason: "the image limit \(limit) is not a whole number ≥ 1")
        }
        do {
            try description.configuration.validate()
        } catch {
            throw .damagedRun(file: url.path, reason: error.description)
        }
        return description
    }

    /// Writes the description into `directory`, atomically.
    public func write(to directory: URL) throws(DANNError) {
        try writeAtomically(Data(jsonText(self, pretty: true).utf8), to: directory.appendingPathComponent(Self.fileName))
    }
}

/// Writes `data` to `url` through a temporary file that is synced and renamed, the way
/// checkpoints are written, so readers see the old file or the new one, never half of one,
/// and a failed write leaves no temporary file behind.
func writeAtomically(_ data: Data, to url: URL) throws(DANNError) {
    do {
        try writeFileAtomically([UInt8](data), to: url)
    } catch let failure as FileWriteFailure {
        throw .writeFailed(path: failure.path, reason: failure.reason)
    } catch {
        throw .writeFailed(path: url.path, reason: "\(error)")
    }
}
