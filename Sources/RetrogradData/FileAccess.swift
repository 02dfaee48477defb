import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a file could not be read, before any format is looked at. Each loader turns it
/// into its own typed error.
enum FileReadFailure: Error {
    /// No file at the path.
    case notFound(path: String)
    /// The file exists but could not be read (permissions, a directory, an I/O error).
    case unreadable(path: String, reason: String)
}

/// Why a file could not be written. Each writer turns it into its own typed error.
package struct FileWriteFailure: Error {
    /// The destination path.
    package var path: String
    /// What went wrong, from the operating system.
    package var reason: String
}

/// Where an atomic write stands when the test hook is called.
package enum AtomicWriteStage: Sendable, Equatable {
    /// About half of the bytes are in the temporary file.
    case partiallyWritten
    /// Every byte is in the temporary file; it has not been synced yet.
    case beforeSync
    /// The temporary file is synced and closed; it has not been renamed yet.
    case beforeRename
}

/// A loader's typed error that can say a file was missing or unreadable.
protocol FileReadReporting: Error {
    static func fileNotFound(file: String) -> Self
    static func unreadable(file: String, reason: String) -> Self
}

extension CheckpointError: FileReadReporting {}
extension DataError: FileReadReporting {}
extension NPYError: FileReadReporting {}

/// Reads a whole file into memory, reporting failure as the loader's own error type.
func readFileBytes<Failure: FileReadReporting>(_ url: URL, reportingAs: Failure.Type) throws(Failure) -> [UInt8] {
    do {
        return try readFileBytes(url)
    } catch {
        switch error {
        case .notFound(let path): throw Failure.fileNotFound(file: path)
        case .unreadable(let path, let reason): throw Failure.unreadable(file: path, reason: reason)
        }
    }
}

/// Reads a whole file into memory.
func readFileBytes(_ url: URL) throws(FileReadFailure) -> [UInt8] {
    let path = url.path
    let descriptor = open(path, O_RDONLY)
    if descriptor < 0 {
        let code = errno
        if code == ENOENT || code == ENOTDIR { throw .notFound(path: path) }
        throw .unreadable(path: path, reason: String(cString: strerror(code)))
    }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else {
        throw .unreadable(path: path, reason: String(cString: strerror(errno)))
    }
    if (status.st_mode & S_IFMT) == S_IFDIR { throw .unreadable(path: path, reason: "it is a directory") }
    var bytes = [UInt8]()
    bytes.reserveCapacity(Int(status.st_size))
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let got = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if got < 0 {
            if errno == EINTR { continue }
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        if got == 0 { break }
        bytes.append(contentsOf: chunk[0..<got])
    }
    return bytes
}

/// Replaces the file at `url` with `bytes` so that readers see either the old file or the
/// complete new one, never a mix: the bytes go to a temporary file in the same directory,
/// which is synced to disk and then renamed over the destination. On any error the
/// temporary file is removed and the destination is left as it was.
///
/// A process killed while writing cannot remove its temporary file; the next successful
/// write to the same destination removes the temporary files of processes that no longer
/// run.
///
/// `hook` is a test seam: it is called at each ``AtomicWriteStage`` and may throw to
/// simulate a failure (a full disk, a crash) at that point.
package func writeFileAtomically(
    _ bytes: [UInt8], to url: URL, hook: ((AtomicWriteStage) throws -> Void)? = nil
) throws {
    let path = url.path
    let directory = url.deletingLastPathComponent().path
    let temporaryPath = url.deletingLastPathComponent()
        .appendingPathComponent(temporaryPrefix(for: url) + "\(getpid())-\(String(UInt64.random(in: 0...UInt64.max), radix: 16))")
        .path
    let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL, 0o644)
    if descriptor < 0 {
        throw FileWriteFailure(
            path: path,
            reason: "cannot create a temporary file in \(directory): \(String(cString: strerror(errno)))")
    }
    var isOpen = true
    var renamed = false
    defer {
        if isOpen { close(descriptor) }
        if !renamed { unlink(temporaryPath) }
    }

    func fail(_ what: String) -> FileWriteFailure {
        FileWriteFailure(path: path, reason: "\(what): \(String(cString: strerror(errno)))")
    }
    func writeAll(_ range: Range<Int>) throws {
        var start = range.lowerBound
        while start < range.upperBound {
            let written = bytes.withUnsafeBytes { raw in
                write(descriptor, raw.baseAddress! + start, range.upperBound - start)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw fail("writing failed")
            }
            start += written
        }
    }

    let half = bytes.count / 2
    try writeAll(0..<half)
    try hook?(.partiallyWritten)
    try writeAll(half..<bytes.count)
    try hook?(.beforeSync)
    guard fsync(descriptor) == 0 else { throw fail("syncing to disk failed") }
    isOpen = false
    guard close(descriptor) == 0 else { throw fail("closing failed") }
    try hook?(.beforeRename)
    guard rename(temporaryPath, path) == 0 else { throw fail("renaming the temporary file failed") }
    renamed = true
    // Make the rename itself durable. Best effort: some file systems refuse to sync a directory.
    let directoryDescriptor = open(directory, O_RDONLY)
    if directoryDescriptor >= 0 {
        _ = fsync(directoryDescriptor)
        close(directoryDescriptor)
    }
    removeAbandonedTemporaryFiles(for: url)
}

/// The start of the name of every temporary file written on the way to `url`; the writing
/// process's id and a random suffix follow.
func temporaryPrefix(for url: URL) -> String {
    ".\(url.lastPathComponent).tmp-"
}

/// Removes the temporary files for `url` left by processes that no longer run (killed
/// mid-write). Files of running processes, this one included, are left alone: they may be
/// writes in progress.
func removeAbandonedTemporaryFiles(for url: URL) {
    let directory = url.deletingLastPathComponent()
    let prefix = temporaryPrefix(for: url)
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return }
    for name in names where name.hasPrefix(prefix) {
        guard let pidText = name.dropFirst(prefix.count).split(separator: "-").first, let pid = pid_t(pidText), pid > 0,
            pid != getpid(), kill(pid, 0) != 0, errno == ESRCH
        else { continue }
        unlink(directory.appendingPathComponent(name).path)
    }
}
