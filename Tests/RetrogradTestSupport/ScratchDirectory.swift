import Foundation

/// A fresh directory under the system temporary directory for one test, removed by
/// `cleanUp()`. Shared by the test targets that read and write files.
public struct ScratchDirectory: Sendable {
    /// The directory.
    public let url: URL

    /// Makes the directory; `label` goes into its name, to tell test runs apart.
    public init(label: String = "tests") throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("retrograd-\(label)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// A path inside the directory.
    public func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// Writes `text` (UTF-8) to a file in the directory and returns its URL.
    @discardableResult
    public func write(_ text: String, to name: String) throws -> URL {
        try write(bytes: Array(text.utf8), to: name)
    }

    /// Writes raw bytes to a file in the directory and returns its URL.
    @discardableResult
    public func write(bytes: [UInt8], to name: String) throws -> URL {
        let target = file(name)
        try Data(bytes).write(to: target)
        return target
    }

    /// The names of the files in the directory, hidden ones included, sorted.
    public func contents() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
    }

    /// Removes the directory and everything in it.
    public func cleanUp() { try? FileManager.default.removeItem(at: url) }
}
