import ArgumentParser
import Foundation

/// Why an option's value could not be read: thrown by the ``ArgumentValue`` readers.
/// ArgumentParser prints the description after "The value 'x' is invalid for
/// '--flag <flag>':", so it says what the option accepts.
enum ArgumentValueError: Error, CustomStringConvertible {
    /// The value is not a whole number.
    case notWholeNumber
    /// The value is a whole number beyond `Int.max` (or below `Int.min`).
    case wholeNumberOutOfRange
    /// The value is not a decimal number.
    case notNumber
    /// The value is not a whole number from 0 to `UInt64.max`.
    case notSeed
    /// The value of a path option is empty or only spaces.
    case emptyPath
    /// The value of a text option is empty.
    case emptyText

    var description: String {
        switch self {
        case .notWholeNumber: "expected a whole number such as 10"
        case .wholeNumberOutOfRange: "the number is too large; whole numbers go up to \(Int.max)"
        case .notNumber: "expected a number such as 0.05, 6 or 1e-3"
        case .notSeed: "expected a whole number from 0 to \(UInt64.max)"
        case .emptyPath: "expected a path, not an empty string"
        case .emptyText: "expected some text, not an empty string"
        }
    }
}

/// Readers for option values, used as `@Option(transform:)` so that a value of the wrong
/// kind is reported with what the option accepts, rather than only "is invalid".
enum ArgumentValue {
    /// A whole number such as `150` or `-3` (range checks are the command's).
    static func wholeNumber(_ text: String) throws(ArgumentValueError) -> Int {
        if let value = Int(text) { return value }
        throw isDigits(text) ? .wholeNumberOutOfRange : .notWholeNumber
    }

    /// A decimal number such as `0.05`, `6` or `1e-3` (range checks are the command's).
    static func number(_ text: String) throws(ArgumentValueError) -> Double {
        guard let value = Double(text) else { throw .notNumber }
        return value
    }

    /// A seed: a whole number from 0 to `UInt64.max`.
    static func seed(_ text: String) throws(ArgumentValueError) -> UInt64 {
        guard let value = UInt64(text) else { throw .notSeed }
        return value
    }

    /// A path; the empty string is refused, since it would silently mean the current directory.
    static func path(_ text: String) throws(ArgumentValueError) -> String {
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw .emptyPath }
        return text
    }

    /// Any text but the empty string.
    static func text(_ text: String) throws(ArgumentValueError) -> String {
        guard !text.isEmpty else { throw .emptyText }
        return text
    }

    /// Whether `text` is an optional sign followed by one or more ASCII digits.
    private static func isDigits(_ text: String) -> Bool {
        let body = text.first == "-" || text.first == "+" ? text.dropFirst() : Substring(text)
        return !body.isEmpty && body.utf8.allSatisfy { (48...57).contains($0) }
    }
}

/// Checks of output locations made before any work starts, so that a run does not train
/// for minutes and then fail to save.
enum OutputLocation {
    /// Checks that a file can be created at `path` (its directory exists and takes new
    /// files, and the path is not a directory).
    static func checkFile(_ path: String, flag: String) throws {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw ValidationError("\(flag) \(path) is a directory; give a file path.")
        }
        let parent = url.deletingLastPathComponent()
        guard FileManager.default.fileExists(atPath: parent.path, isDirectory: &isDirectory) else {
            throw ValidationError("\(flag) \(path): the directory \(parent.path) does not exist; create it first.")
        }
        guard isDirectory.boolValue else { throw ValidationError("\(flag) \(path): \(parent.path) is not a directory.") }
        try probe(parent, flag: flag, path: path)
    }

    /// Checks that `path` is a directory that takes new files, or can be created as one
    /// (its nearest existing ancestor is a directory that takes new files).
    static func checkDirectory(_ path: String, flag: String) throws {
        var url = URL(fileURLWithPath: path).standardizedFileURL
        var isDirectory: ObjCBool = false
        while !FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            let parent = url.deletingLastPathComponent()
            if parent.path == url.path { break }
            url = parent
        }
        guard isDirectory.boolValue else {
            throw ValidationError("\(flag) \(path): \(url.path) is a file, not a directory; choose another \(flag).")
        }
        try probe(url, flag: flag, path: path)
    }

    /// Checks that `path` is an existing directory.
    static func checkExistingDirectory(_ path: String, flag: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ValidationError("\(flag) \(path): no such directory; give the --out directory of an earlier run.")
        }
        guard isDirectory.boolValue else {
            throw ValidationError("\(flag) \(path) is a file; give the --out directory of an earlier run.")
        }
    }

    /// Creates and removes an empty file in `directory`: the only test of writability that
    /// also holds for root, read-only mounts and special file systems.
    private static func probe(_ directory: URL, flag: String, path: String) throws {
        let probe = directory.appendingPathComponent(".retrograd-probe-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        let descriptor = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw ValidationError("\(flag) \(path): cannot create files in \(directory.path) (\(reason)); choose a writable location.")
        }
        close(descriptor)
        unlink(probe)
    }
}
