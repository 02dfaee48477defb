import Foundation

/// An error in finding or downloading published data files (``RemoteFile``). The message
/// (``description``) names the files and directories, says what happened and what to do;
/// when nothing could be downloaded it lists the URLs to fetch by hand. The advice names
/// the `retrograd` options; in code, `--data-dir` is ``RemoteFile/Location/directory(_:)``
/// and `--cache-dir` is ``RemoteFile/Location/cache(_:)``.
public enum DownloadError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// The cache directory cannot be created or written.
    case cacheUnwritable(directory: String, reason: String)
    /// A file in a hand-filled directory is not the published file.
    case checksumMismatch(file: String, expected: String, found: String)
    /// A hand-filled directory lacks a file.
    case missingFromDirectory(file: RemoteFile, directory: String)
    /// Every mirror failed for `file`; `attempts` says how, one "URL: reason" each, and
    /// `missing` lists the files (this one and the later ones) the cache still lacks.
    case downloadFailed(file: String, attempts: [String], missing: [RemoteFile], cacheDirectory: String)

    /// A sentence that says what went wrong, where, and what to do.
    public var description: String {
        switch self {
        case let .cacheUnwritable(directory, reason):
            return "Cannot write the download cache \(directory) (\(reason)). Choose another directory with --cache-dir, "
                + "or make this one writable."
        case let .checksumMismatch(file, expected, found):
            return "\(file) is not the published file: its SHA-256 is \(found), expected \(expected). "
                + "Download it again (an interrupted download or an HTML error page is the usual cause), or put the "
                + "decompressed file there instead (the name without .gz)."
        case let .missingFromDirectory(file, directory):
            return "\(directory) has neither \(file.name) nor \(file.decompressedName). Download it into that directory: "
                + file.urls.map(\.absoluteString).joined(separator: " or ") + "."
        case let .downloadFailed(file, attempts, missing, cacheDirectory):
            let tried = attempts.isEmpty ? "it has no mirrors" : attempts.joined(separator: "; ")
            let commands = missing.map { "curl -fLO " + ($0.urls.first?.absoluteString ?? $0.name) }.joined(separator: "; ")
            return "Could not download \(file) (\(tried)). No network? Download "
                + (missing.count == 1 ? "this file" : "these \(missing.count) files")
                + " into a directory DIR by hand (cd DIR; \(commands)) and pass --data-dir DIR, "
                + "or copy them into the cache \(cacheDirectory)."
        }
    }

    /// The same sentence as ``description``, for `localizedDescription`.
    public var errorDescription: String? { description }
}
