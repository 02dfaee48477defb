import Foundation
import Testing
@testable import RetrogradData

/// MNIST's four files as a test serves them: small generated IDX files, gzip-compressed,
/// described with their own digests and the given mirrors.
private func fixtureFiles(mirrors: [URL], trainCount: Int = 12, testCount: Int = 5) -> (MNIST.Files, [[UInt8]]) {
    let contents = MNISTFixture.files(trainCount: trainCount, testCount: testCount, side: 6)
    let remote = zip(MNISTFixture.names, contents).map { RemoteFile(name: $0, sha256: SHA256.hexDigest($1), mirrors: mirrors) }
    return (MNIST.Files(trainImages: remote[0], trainLabels: remote[1], testImages: remote[2], testLabels: remote[3]), contents)
}

/// A directory serving the fixture files as a `file://` mirror, and the files' descriptions.
private func fileMirror(in scratch: ScratchDirectory) throws -> (URL, MNIST.Files, [[UInt8]]) {
    let mirror = scratch.file("mirror")
    let (files, contents) = fixtureFiles(mirrors: [mirror])
    try FileManager.default.createDirectory(at: mirror, withIntermediateDirectories: true)
    for (file, bytes) in zip(files.all, contents) { try Data(bytes).write(to: mirror.appendingPathComponent(file.name)) }
    return (mirror, files, contents)
}

/// Checks the loaded splits against the fixture's definition.
private func expectFixture(_ data: (train: Dataset, test: Dataset), trainCount: Int = 12, testCount: Int = 5) {
    #expect(data.train.features.shape == [trainCount, 6, 6, 1])
    #expect(data.test.features.shape == [testCount, 6, 6, 1])
    #expect(data.train.labelScalars == (0..<trainCount).map { Int32($0 % 10) })
    // Image 7 (label 7): ink in column 1 + 7 % 5 = 3, rows 1…4; its corner pixel is 7/255.
    let image = Array(data.train.features.scalars(as: Float.self)[(7 * 36)..<(8 * 36)])
    #expect(image[0] == Float(7) / 255)
    #expect(image[1 * 6 + 3] == 1 && image[4 * 6 + 3] == 1 && image[5 * 6 + 3] == 0 && image[1 * 6 + 2] == 0)
}

@Suite(.serialized) struct DownloadTests {
    @Test func downloadsFromAFileMirrorVerifiesAndReusesTheCache() throws {
        let scratch = try ScratchDirectory(label: "mnist-download")
        defer { scratch.cleanUp() }
        let (mirror, files, _) = try fileMirror(in: scratch)

        let cache = scratch.file("cache/mnist")
        var log = [String]()
        expectFixture(try MNIST.load(files: files, from: .cache(cache)) { log.append($0) })
        #expect(log.count == 4 && log.allSatisfy { $0.hasPrefix("Downloading file://") })
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.path).sorted() == MNISTFixture.names.sorted())

        // With the mirror gone, the verified cache is all it takes.
        try FileManager.default.removeItem(at: mirror)
        log.removeAll()
        expectFixture(try MNIST.load(files: files, from: .cache(cache)) { log.append($0) })
        #expect(log.isEmpty)
    }

    @Test func downloadsOverHTTPTryingMirrorsInTurn() throws {
        let scratch = try ScratchDirectory(label: "mnist-http")
        defer { scratch.cleanUp() }
        let (unplaced, contents) = fixtureFiles(mirrors: [])
        let server = try LocalHTTPServer(files: Dictionary(uniqueKeysWithValues: zip(unplaced.all, contents).map { ("/mnist/\($0.name)", $1) }))
        defer { server.stop() }
        let mirrors = [LocalHTTPServer.unreachableURL(), server.baseURL.appendingPathComponent("elsewhere"), server.baseURL.appendingPathComponent("mnist")]
        let (files, _) = fixtureFiles(mirrors: mirrors)
        expectFixture(try MNIST.load(files: files, from: .cache(scratch.file("cache"))))
        // Each file: a 404 from the wrong path, then the file.
        #expect(server.requestedPaths == MNISTFixture.names.flatMap { ["/elsewhere/\($0)", "/mnist/\($0)"] })
    }

    @Test func aFileWithTheWrongDigestIsNeverCached() throws {
        let scratch = try ScratchDirectory(label: "mnist-checksum")
        defer { scratch.cleanUp() }
        let (unplaced, contents) = fixtureFiles(mirrors: [])
        var served = Dictionary(uniqueKeysWithValues: zip(unplaced.all, contents).map { ("/good/\($0.name)", $1) })
        var tampered = contents[1]
        tampered[tampered.count - 9] ^= 0x01
        served["/bad/\(unplaced.trainLabels.name)"] = tampered
        let server = try LocalHTTPServer(files: served)
        defer { server.stop() }

        // A bad copy on the first mirror: the second one's good copy is used.
        let (files, _) = fixtureFiles(mirrors: [server.baseURL.appendingPathComponent("bad"), server.baseURL.appendingPathComponent("good")])
        expectFixture(try MNIST.load(files: files, from: .cache(scratch.file("cache-1"))))

        // Only the bad copy: a typed error, and nothing under the file's name in the cache.
        let (badOnly, _) = fixtureFiles(mirrors: [server.baseURL.appendingPathComponent("bad")])
        let cache = scratch.file("cache-2")
        let error = thrownError(DownloadError.self) {
            _ = try RemoteFile.locate([badOnly.trainLabels], in: .cache(cache))
        }
        guard case let .downloadFailed(file, attempts, missing, _)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(file == "train-labels-idx1-ubyte.gz")
        #expect(attempts.count == 1 && attempts[0].contains("SHA-256 \(SHA256.hexDigest(tampered)) instead of \(badOnly.trainLabels.sha256)"))
        #expect(missing == [badOnly.trainLabels])
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.path).isEmpty)
    }

    @Test func aDamagedCacheFileIsDownloadedAgain() throws {
        let scratch = try ScratchDirectory(label: "mnist-damaged-cache")
        defer { scratch.cleanUp() }
        let (_, files, contents) = try fileMirror(in: scratch)
        let cache = scratch.file("cache")
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        try Data(contents[0].prefix(40)).write(to: cache.appendingPathComponent(files.trainImages.name))
        var log = [String]()
        expectFixture(try MNIST.load(files: files, from: .cache(cache)) { log.append($0) })
        #expect(log.first?.contains("train-images-idx3-ubyte.gz is damaged") == true)
        #expect(try Data(contentsOf: cache.appendingPathComponent(files.trainImages.name)) == Data(contents[0]))
    }

    @Test func withoutNetworkTheErrorListsTheFilesToFetchByHand() throws {
        let scratch = try ScratchDirectory(label: "mnist-offline-error")
        defer { scratch.cleanUp() }
        let cache = scratch.file("cache")
        let error = thrownError(MNISTError.self) {
            _ = try MNIST.load(files: fixtureFiles(mirrors: [LocalHTTPServer.unreachableURL()]).0, from: .cache(cache))
        }
        let message = error?.description ?? ""
        #expect(message.contains("Could not download train-images-idx3-ubyte.gz"))
        #expect(message.contains("No network? Download these 4 files into a directory DIR by hand"))
        #expect(message.contains("--data-dir DIR"))
        #expect(message.contains(cache.path))
        for name in MNISTFixture.names { #expect(message.contains("curl -fLO http://127.0.0.1:") && message.contains(name)) }
        // The published list names the real mirrors.
        guard case let .downloadFailed(_, _, missing, _) = DownloadError.downloadFailed(file: "", attempts: [], missing: MNIST.Files.published.all, cacheDirectory: "") else { return }
        #expect(DownloadError.downloadFailed(file: "x", attempts: [], missing: missing, cacheDirectory: "c").description
            .contains("curl -fLO https://ossci-datasets.s3.amazonaws.com/mnist/t10k-labels-idx1-ubyte.gz"))
    }

    @Test func anOfflineDirectoryIsReadWithoutDownloading() throws {
        let scratch = try ScratchDirectory(label: "mnist-data-dir")
        defer { scratch.cleanUp() }
        let server = try LocalHTTPServer(files: [:])
        defer { server.stop() }
        let (files, _) = fixtureFiles(mirrors: [server.baseURL])
        // As published (.gz, digests checked), and decompressed by hand (names without .gz).
        let compressed = scratch.file("gz"), plain = scratch.file("plain")
        try MNISTFixture.write(into: compressed, trainCount: 12, testCount: 5, side: 6)
        try MNISTFixture.write(into: plain, trainCount: 12, testCount: 5, side: 6, compressed: false)
        expectFixture(try MNIST.load(files: files, from: .directory(compressed)))
        expectFixture(try MNIST.load(files: files, from: .directory(plain)))
        #expect(server.requestedPaths.isEmpty)

        try FileManager.default.removeItem(at: plain.appendingPathComponent("t10k-labels-idx1-ubyte"))
        let missing = thrownError(MNISTError.self) { _ = try MNIST.load(files: files, from: .directory(plain)) }
        #expect(missing == .download(.missingFromDirectory(file: files.testLabels, directory: plain.path)))
        #expect(missing?.description.contains("has neither t10k-labels-idx1-ubyte.gz nor t10k-labels-idx1-ubyte") == true)

        let other = fixtureFiles(mirrors: [], trainCount: 13).0.trainImages
        let wrong = thrownError(DownloadError.self) { _ = try RemoteFile.locate([other], in: .directory(compressed)) }
        #expect(wrong == .checksumMismatch(file: compressed.appendingPathComponent(other.name).path, expected: other.sha256,
                                           found: SHA256.hexDigest(MNISTFixture.files(trainCount: 12, testCount: 5, side: 6)[0])))
    }

    @Test func anUnwritableCacheIsReported() throws {
        let scratch = try ScratchDirectory(label: "mnist-cache-file")
        defer { scratch.cleanUp() }
        let notADirectory = try scratch.write("x", to: "cache")
        let error = thrownError(DownloadError.self) { _ = try RemoteFile.locate(fixtureFiles(mirrors: []).0.all, in: .cache(notADirectory)) }
        guard case .cacheUnwritable(let directory, _)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(directory == notADirectory.path)
        #expect(error?.description.contains("--cache-dir") == true)
    }

    @Test func theDefaultCacheFollowsXDG() {
        #expect(MNIST.defaultCacheDirectory.path.hasSuffix("/retrograd/mnist"))
    }
}
