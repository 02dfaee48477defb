import Foundation
import RetrogradNN

/// An error in saving, loading or restoring a ``Checkpoint``.
///
/// Every case names the entry and the file where there is one, and the message
/// (``description``) says what was expected, what was found and what to do.
public enum CheckpointError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// There is no file at the path.
    case fileNotFound(file: String)
    /// The file exists but could not be read.
    case unreadable(file: String, reason: String)
    /// The file is too short to hold the 8-byte header length.
    case truncated(file: String, expected: Int, found: Int)
    /// The header is not valid: its length runs past the end of the file, it is not JSON,
    /// an entry lacks a field, or the data are not laid out as the format requires.
    case corruptHeader(file: String, reason: String)
    /// An entry's `data_offsets` are reversed or reach past the end of the data.
    case offsetsOutOfRange(file: String, entry: String, begin: Int, end: Int, dataSize: Int)
    /// Two entries' `data_offsets` overlap.
    case overlappingOffsets(file: String, entry: String, other: String)
    /// An entry's dtype is not `F32`, `F64`, `I32` or `BOOL`.
    case unsupportedDType(file: String, entry: String, dtype: String)
    /// A variable has no entry in the checkpoint.
    case missingEntry(name: String, file: String?)
    /// The checkpoint has an entry that no variable takes (with `strict` restoring).
    case unexpectedEntry(name: String, file: String?)
    /// An entry's shape differs from its variable's.
    case shapeMismatch(name: String, expected: Shape, found: Shape, file: String?)
    /// An entry's element type differs from its variable's.
    case dtypeMismatch(name: String, expected: DType, found: DType, file: String?)
    /// Two variables (or a variable and an extra tensor) have the same name.
    case duplicateName(name: String)
    /// A name is reserved by the format (`__metadata__`) or by Retrograd.
    case reservedName(name: String)
    /// The file could not be written; any previous file at the path is unchanged.
    case writeFailed(file: String, reason: String)
    /// A model was asked of a checkpoint that holds no architecture (one saved from a list
    /// of variables).
    case missingArchitecture(file: String?)
    /// The layer at `path` of a model being saved is not a ``DescribableLayer``.
    case undescribableLayer(path: String, type: String)
    /// The architecture names a kind of layer that no type given to the builder has.
    case unknownLayerKind(path: String, kind: String, file: String?)
    /// The architecture, or the configuration of the layer at `path`, cannot be read or
    /// built.
    case invalidArchitecture(path: String, reason: String, file: String?)
    /// The model differs from the checkpoint's architecture at `path` (a layer kind, a
    /// size, an activation, an element type): the model has `expected`, the file `found`.
    case architectureMismatch(path: String, expected: String, found: String, file: String?)

    /// A sentence that says what went wrong, where, and what to do.
    public var description: String {
        func source(_ file: String?) -> String { file.map { "checkpoint \($0)" } ?? "checkpoint" }
        func place(_ path: String) -> String { path.isEmpty ? "at the root" : "at '\(path)'" }
        switch self {
        case let .fileNotFound(file):
            return "\(file): no such checkpoint file. Check the path; save one with Checkpoint.save first."
        case let .unreadable(file, reason):
            return "\(file): cannot read the checkpoint (\(reason)). Check that it is a readable regular file."
        case let .truncated(file, expected, found):
            return "\(file): the file is truncated (\(found) bytes; a safetensors file needs at least \(expected)). "
                + "It was cut short or is not a checkpoint; save it again."
        case let .corruptHeader(file, reason):
            return "\(file): the safetensors header is corrupt: \(reason). The file is damaged or not a safetensors "
                + "checkpoint; restore it from a copy or save it again."
        case let .offsetsOutOfRange(file, entry, begin, end, dataSize):
            return "\(file): entry '\(entry)' has data_offsets [\(begin), \(end)], outside the \(dataSize) bytes of data. "
                + "The file is truncated or its header is corrupt; save it again."
        case let .overlappingOffsets(file, entry, other):
            return "\(file): the data of entries '\(entry)' and '\(other)' overlap. "
                + "The header is corrupt; save the checkpoint again."
        case let .unsupportedDType(file, entry, dtype):
            return "\(file): entry '\(entry)' has dtype \(dtype), which Retrograd cannot hold (F32, F64, I32 and BOOL can). "
                + "Convert the tensor before saving it."
        case let .missingEntry(name, file):
            return "\(source(file)) has no entry '\(name)'. Check that the model is built the same way as when it was "
                + "saved (variable names come from the layer structure)."
        case let .unexpectedEntry(name, file):
            return "\(source(file)) has an entry '\(name)' that no variable takes. The model differs from the saved one; "
                + "pass strict: false to restore the variables that match and ignore the rest."
        case let .shapeMismatch(name, expected, found, file):
            return "\(source(file)): entry '\(name)' has shape \(found), but the variable has shape \(expected). "
                + "Build the model with the sizes it was saved with."
        case let .dtypeMismatch(name, expected, found, file):
            return "\(source(file)): entry '\(name)' holds \(found), but the variable holds \(expected). "
                + "Build the model with the element type it was saved with."
        case let .duplicateName(name):
            return "checkpoint: the name '\(name)' is used twice. Give each variable and extra tensor a unique name; "
                + "the variables of two models listed together (a.variables + b.variables) repeat names such as "
                + "'1.weight', so hold both parts in one layer (a property each, or a Sequential), which names them by path."
        case let .reservedName(name):
            return "checkpoint: the name '\(name)' is reserved. Rename the tensor or metadata key."
        case let .writeFailed(file, reason):
            return "\(file): the checkpoint could not be written (\(reason)); any previous file there is unchanged. "
                + "Check that the directory exists, is writable and has space."
        case let .missingArchitecture(file):
            return "\(source(file)) has no architecture (it was saved from a list of variables). Build the model in "
                + "code and restore(into:) it, or save checkpoints with Checkpoint(model:) to rebuild models from them."
        case let .undescribableLayer(path, type):
            return "checkpoint: the layer \(place(path)) (\(type)) cannot describe its architecture. Conform \(type) to "
                + "DescribableLayer, or save the model's variables alone with Checkpoint.save(variables:)."
        case let .unknownLayerKind(path, kind, file):
            return "\(source(file)): the layer \(place(path)) is of kind '\(kind)', which this program does not know. "
                + "Pass its type to makeModel(customTypes:)."
        case let .invalidArchitecture(path, reason, file):
            return "\(source(file)): the architecture of the layer \(place(path)) is invalid: \(reason). "
                + "The file is damaged or was written by an incompatible program; save the model again."
        case let .architectureMismatch(path, expected, found, file):
            return "\(source(file)): the model differs from the saved architecture at '\(path)': the model has \(expected), "
                + "the file has \(found). Build the model as it was saved, or rebuild it from the file with makeModel()."
        }
    }

    /// The same error for a container holding the layer it names under `component`.
    func inside(_ component: String) -> CheckpointError {
        switch self {
        case let .undescribableLayer(path, type): .undescribableLayer(path: pathJoined(component, path), type: type)
        case let .unknownLayerKind(path, kind, file): .unknownLayerKind(path: pathJoined(component, path), kind: kind, file: file)
        case let .invalidArchitecture(path, reason, file):
            .invalidArchitecture(path: pathJoined(component, path), reason: reason, file: file)
        default: self
        }
    }

    /// The same sentence as ``description``, for `localizedDescription`.
    public var errorDescription: String? { description }
}
