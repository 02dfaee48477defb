import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Fetches the bytes at a URL: `file://` URLs from the disk, `http://` and `https://` with
/// `URLSession`. Downloads are held in memory (MNIST's largest file is 9.9 MB) and written
/// to their destination only after their checksum is verified.
enum Download {
    /// How long a request may wait for the server before it fails, in seconds.
    static let timeout: TimeInterval = 30

    /// The bytes at `url`, or why they could not be had (a phrase such as "HTTP status 404").
    static func bytes(at url: URL) -> Result<[UInt8], DownloadFailure> {
        if url.isFileURL {
            do {
                return .success(try readFileBytes(url))
            } catch {
                switch error {
                case .notFound: return .failure(DownloadFailure("no such file"))
                case .unreadable(_, let reason): return .failure(DownloadFailure(reason))
                }
            }
        }
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            return .failure(DownloadFailure("the URL scheme is not file, http or https"))
        }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        session.dataTask(with: url) { data, response, error in
            if let error {
                box.result = .failure(DownloadFailure(error.localizedDescription))
            } else if let status = (response as? HTTPURLResponse)?.statusCode, status != 200 {
                box.result = .failure(DownloadFailure("HTTP status \(status)"))
            } else {
                box.result = .success([UInt8](data ?? Data()))
            }
            done.signal()
        }.resume()
        done.wait()
        return box.result ?? .failure(DownloadFailure("the request ended without an answer"))
    }

    /// The outcome of a request, handed from `URLSession`'s queue to the waiting caller
    /// (the semaphore orders the write before the read).
    private final class ResultBox: @unchecked Sendable {
        var result: Result<[UInt8], DownloadFailure>?
    }
}

/// Why one download attempt failed, as a phrase.
struct DownloadFailure: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
