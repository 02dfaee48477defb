import Foundation

/// Named tensors and string metadata, stored in the safetensors format.
///
/// A checkpoint file holds an 8-byte little-endian header length, a JSON header naming
/// each tensor's dtype (`F32`, `F64`, `I32`, `BOOL`), shape and byte range, and then the
/// raw little-endian data. Files are readable by the `safetensors` Python and Rust
/// libraries, and identical inputs always give identical bytes (entries are sorted by name).
///
/// Saving is atomic: the bytes go to a temporary file in the same directory, which is
/// synced to disk and renamed over the destination, so a crash or a full disk leaves either
/// the old file or the new one, never a torn one.
///
/// ```swift
/// try Checkpoint.save(variables: model.variables, metadata: ["epoch": "12"], to: url)
/// try Checkpoint.load(from: url).restore(into: model.variables)
/// ```
public struct Checkpoint: Sendable {
    /// The tensors by name.
    public var tensors: [String: Tensor]
    /// Free-form string metadata (the header's `__metadata__`).
    public var metadata: [String: String]
    /// The path the checkpoint was loaded from, used in error messages; `nil` when it was
    /// made in memory.
    public var file: String?

    /// The metadata key under which ``save(variables:extra:metadata:to:)`` lists the names
    /// of the extra tensors (a JSON array of strings).
    public static let extraNamesKey = "retrograd.extra"

    /// Creates a checkpoint in memory.
    public init(tensors: [String: Tensor] = [:], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
        self.file = nil
    }

    /// Saves `tensors` and `metadata` to `url`, replacing any file there atomically.
    ///
    /// - Throws: ``CheckpointError/reservedName(name:)`` for a tensor named `__metadata__`,
    ///   ``CheckpointError/writeFailed(file:reason:)`` when the file cannot be written (the
    ///   previous file, if any, is then unchanged and no temporary file is left behind).
    public static func save(_ tensors: [String: Tensor], metadata: [String: String] = [:], to url: URL) throws(CheckpointError) {
        try save(tensors, metadata: metadata, to: url, hook: nil)
    }

    /// ``save(_:metadata:to:)`` with a test seam: `hook` is called at each stage of the
    /// atomic write and may throw to simulate a failure there.
    static func save(
        _ tensors: [String: Tensor], metadata: [String: String], to url: URL, hook: ((AtomicWriteStage) throws -> Void)?
    ) throws(CheckpointError) {
        let bytes = try encode(tensors, metadata: metadata)
        do {
            try writeFileAtomically(bytes, to: url, hook: hook)
        } catch let failure as FileWriteFailure {
            throw .writeFailed(file: failure.path, reason: failure.reason)
        } catch {
            throw .writeFailed(file: url.path, reason: "\(error)")
        }
    }

    /// Saves this checkpoint's tensors and metadata to `url` atomically.
    ///
    /// - Throws: the errors of ``save(_:metadata:to:)``.
    public func save(to url: URL) throws(CheckpointError) {
        try Checkpoint.save(tensors, metadata: metadata, to: url)
    }

    /// Loads a checkpoint file, checking its whole layout before reading any tensor.
    ///
    /// - Throws: a ``CheckpointError`` naming the file (and the entry, where there is one):
    ///   ``CheckpointError/fileNotFound(file:)``, ``CheckpointError/truncated(file:expected:found:)``,
    ///   ``CheckpointError/corruptHeader(file:reason:)``,
    ///   ``CheckpointError/offsetsOutOfRange(file:entry:begin:end:dataSize:)``,
    ///   ``CheckpointError/overlappingOffsets(file:entry:other:)``,
    ///   ``CheckpointError/unsupportedDType(file:entry:dtype:)``.
    public static func load(from url: URL) throws(CheckpointError) -> Checkpoint {
        let bytes = try readFileBytes(url, reportingAs: CheckpointError.self)
        return try decode(bytes, file: url.path)
    }

    /// The safetensors bytes of `tensors` and `metadata`.
    ///
    /// - Throws: ``CheckpointError/reservedName(name:)`` for a tensor named `__metadata__`.
    public static func encode(_ tensors: [String: Tensor], metadata: [String: String] = [:]) throws(CheckpointError) -> [UInt8] {
        if tensors["__metadata__"] != nil { throw .reservedName(name: "__metadata__") }
        return Safetensors.encode(tensors, metadata: metadata)
    }

    /// Reads a checkpoint from safetensors bytes; `file` names the source in errors.
    ///
    /// - Throws: the format errors of ``load(from:)``.
    public static func decode(_ bytes: [UInt8], file: String) throws(CheckpointError) -> Checkpoint {
        let (tensors, metadata) = try Safetensors.decode(bytes, file: file)
        var checkpoint = Checkpoint(tensors: tensors, metadata: metadata)
        checkpoint.file = file
        return checkpoint
    }
}
