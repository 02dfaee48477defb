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

/// The header is read by Foundation, except for what Foundation lets through; these
/// headers pin down both sides.
@Suite struct CheckpointHeaderJSONTests {
    private static let entry = #"{"dtype":"F32","shape":[2],"data_offsets":[0,8]}"#

    private static let oneEntry = #"{"w":\#(entry)}"#

    /// Headers that Foundation parses without complaint but that are not valid safetensors
    /// headers. If the first expectation ever fails, Foundation has become strict about
    /// them and `Safetensors.laxity(in:)` can go.
    @Test(arguments: [
        (Array(#"{"w":\#(entry),"w":\#(entry)}"#.utf8), "'w' appears twice"),
        (Array(#"{"w":\#(entry),"\u0077":\#(entry)}"#.utf8), "'w' appears twice"),  // the same name, escaped
        (Array(#"{"w":\#(entry),}"#.utf8), "invalid JSON"),
        (Array(#"{"w":{"dtype":"F32","shape":[2,],"data_offsets":[0,8]}}"#.utf8), "invalid JSON"),
        (oneEntry.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }, "UTF-8"),  // UTF-16LE
        ([0xEF, 0xBB, 0xBF] + Array(oneEntry.utf8), "UTF-8"),  // a byte-order mark
    ])
    func foundationAloneWouldAcceptTheseHeaders(bytes: [UInt8], reason expected: String) throws {
        let header = String(decoding: bytes, as: UTF8.self)
        #expect((try? JSONSerialization.jsonObject(with: Data(bytes))) != nil, "Foundation now refuses \(header)")
        let file = littleEndianBytes(UInt64(bytes.count)) + bytes + twoFloats
        let error = thrownError(CheckpointError.self) { _ = try Checkpoint.decode(file, file: "lax.safetensors") }
        guard case .corruptHeader("lax.safetensors", let reason)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(reason.contains(expected), "\(reason)")
    }

    @Test func namesInsideStringsOrNestedObjectsAreNotRepeats() throws {
        let header = #"{"__metadata__":{"w":"w","dtype":"[\"w\",}"},"w":\#(Self.entry)}"#
        let checkpoint = try Checkpoint.decode(handBuiltSafetensors(header: header, data: twoFloats), file: "names.safetensors")
        #expect(checkpoint.metadata == ["w": "w", "dtype": #"["w",}"#])
        #expect(checkpoint.tensors["w"]?.scalars(as: Float.self) == [1, 2])
    }

    /// 2^53 + 1 is the first integer a Double cannot hold: read through a Double it would
    /// come back as 2^53.
    @Test func offsetsAbove2To53AreReadExactly() {
        let header = #"{"w":{"dtype":"F32","shape":[0],"data_offsets":[9007199254740993,9007199254740993]}}"#
        let error = thrownError(CheckpointError.self) {
            _ = try Checkpoint.decode(handBuiltSafetensors(header: header, data: []), file: "far.safetensors")
        }
        #expect(error == .offsetsOutOfRange(file: "far.safetensors", entry: "w", begin: 9_007_199_254_740_993, end: 9_007_199_254_740_993, dataSize: 0))
    }

    @Test(arguments: ["8.0", "8e0", "true", "\"8\"", "-8"])
    func anOffsetMustBeWrittenAsAWholeNumber(end: String) {
        let header = #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,\#(end)]}}"#
        let error = thrownError(CheckpointError.self) {
            _ = try Checkpoint.decode(handBuiltSafetensors(header: header, data: twoFloats), file: "offsets.safetensors")
        }
        guard case .corruptHeader(_, let reason)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(reason.contains("data_offsets that are not two non-negative integers"), "\(reason)")
    }

}
