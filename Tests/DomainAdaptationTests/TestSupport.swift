import Foundation
import Testing
@testable import DomainAdaptation

/// A fresh directory under the system temporary directory, removed by `cleanUp()`.
struct ScratchDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("retrograd-domain-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// A path inside the directory.
    func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// Writes `text` (UTF-8) to a file in the directory and returns its URL.
    func write(_ text: String, to name: String) throws -> URL {
        let target = file(name)
        try Data(text.utf8).write(to: target)
        return target
    }

    /// Writes `tensor` as a `.npy` file in the directory and returns its URL.
    func write(_ tensor: Tensor, to name: String) throws -> URL {
        let target = file(name)
        try NPY.write(tensor, to: target)
        return target
    }

    func cleanUp() { try? FileManager.default.removeItem(at: url) }
}

/// Runs `body` and returns the error it throws, or records an issue when it does not throw.
func thrownError<E: Error>(
    _ type: E.Type, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) -> E? {
    do {
        try body()
        Issue.record("expected a \(E.self) to be thrown", sourceLocation: sourceLocation)
    } catch let error as E {
        return error
    } catch {
        Issue.record("expected a \(E.self), got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
