import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 server on 127.0.0.1 for download tests: it answers `GET /path` with
/// the bytes registered for the path (status 200) or 404, one connection at a time, closing
/// each connection after its answer. It runs on its own thread until ``stop()``.
public final class LocalHTTPServer: @unchecked Sendable {
    /// The port the server listens on (chosen by the system).
    public let port: UInt16
    private let listener: Int32
    private let files: [String: [UInt8]]
    private let lock = NSLock()
    private var paths = [String]()

    /// Starts serving `files`, keyed by path ("/mnist/a.gz").
    public init(files: [String: [UInt8]]) throws {
        self.files = files
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && listen(descriptor, 16) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard bound else {
            close(descriptor)
            throw POSIXError(.EADDRNOTAVAIL)
        }
        listener = descriptor
        port = UInt16(bigEndian: address.sin_port)
        Thread.detachNewThread { [self] in serve() }
    }

    /// The base URL of the server, `http://127.0.0.1:PORT/`.
    public var baseURL: URL { URL(string: "http://127.0.0.1:\(port)/")! }

    /// The paths requested so far, in order.
    public var requestedPaths: [String] { lock.withLock { paths } }

    /// Stops accepting connections.
    public func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func serve() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 { return }
            answer(client)
            close(client)
        }
    }

    private func answer(_ client: Int32) {
        var request = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while !request.containsHeaderEnd {
            let got = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            if got <= 0 { return }
            request += chunk[0..<got]
        }
        let line = String(decoding: request.prefix { $0 != 0x0D }, as: UTF8.self).split(separator: " ")
        let path = line.count >= 2 ? String(line[1]) : ""
        lock.withLock { paths.append(path) }
        let body = files[path]
        let status = body == nil ? "404 Not Found" : "200 OK"
        let payload = body ?? Array("not found".utf8)
        let head = "HTTP/1.1 \(status)\r\nContent-Length: \(payload.count)\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n"
        var response = Array(head.utf8) + payload
        var sent = 0
        while sent < response.count {
            let wrote = response.withUnsafeMutableBytes { send(client, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            if wrote <= 0 { return }
            sent += wrote
        }
    }

    /// A URL on 127.0.0.1 at a port nothing listens on: requests to it fail at once, as
    /// they do on a machine without network.
    public static func unreachableURL() -> URL {
        let probe = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(probe, $0, length) == 0 && getsockname(probe, $0, &length) == 0 }
        }
        close(probe)
        return URL(string: "http://127.0.0.1:\(UInt16(bigEndian: address.sin_port))/")!
    }
}

private extension Array where Element == UInt8 {
    var containsHeaderEnd: Bool {
        count >= 4 && (0...(count - 4)).contains { self[$0] == 0x0D && self[$0 + 1] == 0x0A && self[$0 + 2] == 0x0D && self[$0 + 3] == 0x0A }
    }
}
