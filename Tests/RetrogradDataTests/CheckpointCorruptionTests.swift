import Foundation
import Testing
@testable import RetrogradData

/// Writes `bytes` as `name`, loads it, and returns the CheckpointError with the file's
/// path, checking that the message names the file and, when given, the entry.
private func loadError(
    _ bytes: [UInt8], name: String = "broken.safetensors", entry: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> (CheckpointError?, String) {
    let dir = try ScratchDirectory()
    defer { dir.cleanUp() }
    let url = try dir.write(bytes: bytes, to: name)
    let error = thrownError(CheckpointError.self, sourceLocation: sourceLocation) { _ = try Checkpoint.load(from: url) }
    let message = error?.description ?? ""
    #expect(message.contains(name), "\(message)", sourceLocation: sourceLocation)
    if let entry { #expect(message.contains("'\(entry)'"), "\(message)", sourceLocation: sourceLocation) }
    return (error, url.path)
}

/// Eight bytes of float32 data: [1, 2].
private let twoFloats = littleEndianBytes(Float(1).bitPattern) + littleEndianBytes(Float(2).bitPattern)

@Suite struct CheckpointCorruptionTests {
    @Test func missingFile() {
        let url = URL(fileURLWithPath: "/nonexistent/dir/none.safetensors")
        let error = thrownError(CheckpointError.self) { _ = try Checkpoint.load(from: url) }
        #expect(error == .fileNotFound(file: url.path))
        #expect(error?.description.contains("none.safetensors") == true)
    }

    @Test func truncatedLength() throws {
        let (empty, emptyPath) = try loadError([], name: "empty.safetensors")
        #expect(empty == .truncated(file: emptyPath, expected: 8, found: 0))
        let (short, shortPath) = try loadError([16, 0, 0, 0, 0], name: "short.safetensors")
        #expect(short == .truncated(file: shortPath, expected: 8, found: 5))
    }

    @Test func lengthPastTheEndOfTheFile() throws {
        let full = handBuiltSafetensors(header: #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: twoFloats)
        let (error, path) = try loadError(Array(full[0..<30]), name: "cut.safetensors")
        guard case .corruptHeader(let file, let reason)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(file == path)
        #expect(reason.contains("runs past the end"))
        let huge = littleEndianBytes(UInt64.max) + Array("{}".utf8)
        guard case .corruptHeader? = try loadError(huge, name: "huge.safetensors").0 else { Issue.record("huge length"); return }
    }

    @Test(arguments: [
        #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}"#,  // never closed
        #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8],}}"#,  // trailing comma
        #"{'w':{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#,  // single quotes
        "not json at all",
        "",
    ])
    func invalidJSON(header: String) throws {
        let (error, path) = try loadError(handBuiltSafetensors(header: header, data: twoFloats), name: "json.safetensors")
        guard case .corruptHeader(let file, let reason)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(file == path)
        #expect(reason.contains("invalid JSON"))
    }

    @Test(arguments: [
        (#"[1, 2]"#, "not a JSON object"),
        (#"{"w":{"dtype":"F32","shape":[2]}}"#, "data_offsets"),
        (#"{"w":{"shape":[2],"data_offsets":[0,8]}}"#, "dtype"),
        (#"{"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, "shape"),
        (#"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8.5]}}"#, "data_offsets"),
        (#"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, "needs 12 bytes"),
        (#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, "belong to no entry"),
        (#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, "belong to no entry"),
        (#"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, "twice"),
        (#"{"__metadata__":{"epoch":12},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, "not a string"),
    ])
    func malformedHeaders(header: String, reason expected: String) throws {
        let (error, path) = try loadError(handBuiltSafetensors(header: header, data: twoFloats), name: "fields.safetensors")
        guard case .corruptHeader(let file, let reason)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(file == path)
        #expect(reason.contains(expected), "\(reason)")
    }

    @Test func offsetsOutOfRange() throws {
        let past = #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        let (error, path) = try loadError(handBuiltSafetensors(header: past, data: twoFloats), entry: "w")
        #expect(error == .offsetsOutOfRange(file: path, entry: "w", begin: 4, end: 12, dataSize: 8))
        let reversed = #"{"w":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}"#
        let (backwards, _) = try loadError(handBuiltSafetensors(header: reversed, data: twoFloats), entry: "w")
        guard case .offsetsOutOfRange(_, "w", 8, 0, 8)? = backwards else { Issue.record("\(String(describing: backwards))"); return }
    }

    @Test func overlappingOffsets() throws {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        let (error, path) = try loadError(handBuiltSafetensors(header: header, data: twoFloats + twoFloats[0..<4]), entry: "b")
        #expect(error == .overlappingOffsets(file: path, entry: "b", other: "a"))
        #expect(error?.description.contains("'a'") == true)
    }

    @Test(arguments: ["F16", "BF16", "I64", "U8", "float32"])
    func unknownDType(dtype: String) throws {
        let header = #"{"w":{"dtype":"\#(dtype)","shape":[2],"data_offsets":[0,8]}}"#
        let (error, path) = try loadError(handBuiltSafetensors(header: header, data: twoFloats), entry: "w")
        #expect(error == .unsupportedDType(file: path, entry: "w", dtype: dtype))
    }
}
