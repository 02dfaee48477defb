import Foundation

/// A data file published on the web: its name, its SHA-256 digest and the mirrors that
/// serve it.
///
/// ``locate(_:in:log:)`` finds files in a cache directory (downloading the ones missing
/// there) or in a directory filled by hand:
///
/// ```swift
/// let urls = try RemoteFile.locate(MNIST.files.all, in: .cache(MNIST.defaultCacheDirectory))
/// ```
public struct RemoteFile: Sendable, Equatable {
    /// The file name, the same on every mirror and in the cache.
    public var name: String
    /// The SHA-256 digest of the file as published, 64 lowercase hexadecimal digits.
    public var sha256: String
    /// Base URLs, tried in order; the file is at `mirror/name`.
    public var mirrors: [URL]

    /// Creates a description of a published file.
    public init(name: String, sha256: String, mirrors: [URL]) {
        self.name = name
        self.sha256 = sha256.lowercased()
        self.mirrors = mirrors
    }

    /// The file's URLs, one per mirror.
    public var urls: [URL] { mirrors.map { $0.appendingPathComponent(name) } }

    /// The name without a `.gz` ending: how a file is called once decompressed by hand.
    public var decompressedName: String { name.hasSuffix(".gz") ? String(name.dropLast(3)) : name }

    /// Where files are found.
    public enum Location: Sendable, Equatable {
        /// A cache directory, created if needed: a file found there with the right digest
        /// is used as it is; a missing or damaged one is downloaded from the mirrors in
        /// turn, verified, and only then put in place (atomically, so the cache never holds
        /// a partial or unverified file under the file's name).
        case cache(URL)
        /// A directory the user filled, for machines without network: nothing is
        /// downloaded. A file under its published name must have the published digest; a
        /// decompressed copy (the name without `.gz`) is accepted too, and checked only by
        /// the reader of its format.
        case directory(URL)
    }

    /// The local paths of `files`, in order, from `location`.
    ///
    /// - Parameters:
    ///   - files: The files to find, each with its published name, digest and mirrors.
    ///   - location: A cache to download into, or a directory the user filled.
    ///   - log: Told of every download and of damaged cache files replaced.
    /// - Throws: a ``DownloadError`` that names the files still missing and how to get them.
    public static func locate(_ files: [RemoteFile], in location: Location, log: (String) -> Void = { _ in }) throws(DownloadError) -> [URL] {
        switch location {
        case .directory(let directory):
            return try files.map { file throws(DownloadError) in try file.find(in: directory) }
        case .cache(let directory):
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            } catch {
                throw .cacheUnwritable(directory: directory.path, reason: error.localizedDescription)
            }
            var found = [URL]()
            for (index, file) in files.enumerated() {
                do {
                    found.append(try file.fetch(into: directory, log: log))
                } catch let .downloadFailed(name, attempts, _, cache) {
                    let missing = files[index...].filter { !$0.isCached(in: directory) }
                    throw .downloadFailed(file: name, attempts: attempts, missing: missing, cacheDirectory: cache)
                } catch {
                    throw error
                }
            }
            return found
        }
    }

    /// Whether the cache holds this file with the published digest.
    func isCached(in directory: URL) -> Bool {
        (try? readFileBytes(directory.appendingPathComponent(name))).map { SHA256.hexDigest($0) == sha256 } ?? false
    }

    /// The file in a hand-filled directory.
    private func find(in directory: URL) throws(DownloadError) -> URL {
        let published = directory.appendingPathComponent(name)
        if let bytes = try? readFileBytes(published) {
            let digest = SHA256.hexDigest(bytes)
            guard digest == sha256 else { throw .checksumMismatch(file: published.path, expected: sha256, found: digest) }
            return published
        }
        let decompressed = directory.appendingPathComponent(decompressedName)
        if FileManager.default.fileExists(atPath: decompressed.path) { return decompressed }
        throw .missingFromDirectory(file: self, directory: directory.path)
    }

    /// The file in the cache, downloaded first when missing or damaged.
    private func fetch(into directory: URL, log: (String) -> Void) throws(DownloadError) -> URL {
        let destination = directory.appendingPathComponent(name)
        if let bytes = try? readFileBytes(destination) {
            let digest = SHA256.hexDigest(bytes)
            if digest == sha256 { return destination }
            log("\(destination.path) is damaged (SHA-256 \(digest), expected \(sha256)); downloading it again")
        }
        var attempts = [String]()
        for url in urls {
            log("Downloading \(url.absoluteString)")
            switch Download.bytes(at: url) {
            case .failure(let failure):
                attempts.append("\(url.absoluteString): \(failure.reason)")
            case .success(let bytes):
                let digest = SHA256.hexDigest(bytes)
                guard digest == sha256 else {
                    attempts.append("\(url.absoluteString): SHA-256 \(digest) instead of \(sha256) (\(bytes.count) bytes)")
                    continue
                }
                do {
                    try writeFileAtomically(bytes, to: destination)
                } catch {
                    throw .cacheUnwritable(directory: directory.path, reason: (error as? FileWriteFailure)?.reason ?? "\(error)")
                }
                return destination
            }
        }
        throw .downloadFailed(file: name, attempts: attempts, missing: [self], cacheDirectory: directory.path)
    }
}
