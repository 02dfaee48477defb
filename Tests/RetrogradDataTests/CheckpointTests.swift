import Foundation
import Testing
@testable import RetrogradData

/// Bit patterns, so NaN payloads, signed zeros and subnormals compare exactly.
func bitPatterns(_ t: Tensor) -> [UInt64] {
    switch t.dtype {
    case .float32: return t.scalars(as: Float.self).map { UInt64($0.bitPattern) }
    case .float64: return t.scalars(as: Double.self).map(\.bitPattern)
    case .int32: return t.scalars(as: Int32.self).map { UInt64(UInt32(bitPattern: $0)) }
    case .bool: return t.scalars(as: Bool.self).map { $0 ? 1 : 0 }
    }
}

/// A safetensors file built by hand from the format description: the header length as a
/// little-endian UInt64, the JSON header text, then the data bytes.
func handBuiltSafetensors(header: String, data: [UInt8]) -> [UInt8] {
    littleEndianBytes(UInt64(header.utf8.count)) + Array(header.utf8) + data
}

/// Tensors with every dtype and awkward values, keyed by names that do not sort like
/// their insertion order.
let awkwardCheckpoint: [String: Tensor] = [
    "z.float": Tensor(
        [Float(bitPattern: 0x7FC0_0001), Float(bitPattern: 0xFFA0_0000), -0.0, .leastNonzeroMagnitude, Float(bitPattern: 0x0000_0F00), -.infinity],
        shape: [2, 3]),
    "a.double": Tensor([Double(bitPattern: 0x7FF8_DEAD_BEEF_0001), -0.0, .leastNonzeroMagnitude, -.pi], shape: [4]),
    "m.int": Tensor([Int32.min, -1, 0, Int32.max], shape: [2, 1, 2]),
    "b.bool": Tensor([true, false, true], shape: [3]),
    "scalar": Tensor(Float(0.1)),
    "empty": Tensor([] as [Double], shape: [0, 3]),
    "ünïcode \"name\"": Tensor([Int32(5)]),
]

@Suite struct CheckpointFormatTests {
    @Test func roundTripIsBitExact() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let url = dir.file("model.safetensors")
        let metadata = ["epoch": "12", "note": "quotes \" backslash \\ newline \n tab \t ✓", "": "empty key"]
        try Checkpoint.save(awkwardCheckpoint, metadata: metadata, to: url)
        let loaded = try Checkpoint.load(from: url)
        #expect(loaded.metadata == metadata)
        #expect(loaded.file == url.path)
        #expect(Set(loaded.tensors.keys) == Set(awkwardCheckpoint.keys))
        for (name, tensor) in awkwardCheckpoint {
            let back = try #require(loaded.tensors[name])
            #expect(back.dtype == tensor.dtype, "\(name)")
            #expect(back.shape == tensor.shape, "\(name)")
            #expect(bitPatterns(back) == bitPatterns(tensor), "\(name)")
        }
        #expect(try dir.contents() == ["model.safetensors"])
    }

    @Test func sameInputsGiveSameBytes() throws {
        var reordered = [String: Tensor]()
        for name in awkwardCheckpoint.keys.sorted().reversed() { reordered[name] = awkwardCheckpoint[name] }
        let a = try Checkpoint.encode(awkwardCheckpoint, metadata: ["x": "1", "y": "2"])
        let b = try Checkpoint.encode(reordered, metadata: ["y": "2", "x": "1"])
        #expect(a == b)
        #expect(try Checkpoint.encode([:]) == littleEndianBytes(UInt64(8)) + Array("{}      ".utf8))
    }

    @Test func fileLayoutIsReadable() throws {
        let tensors: [String: Tensor] = [
            "beta": Tensor([true, false, true], shape: [3]),
            "alpha": Tensor([1, 2] as [Float], shape: [2]),
            "gamma": Tensor([0.5] as [Double], shape: [1, 1]),
        ]
        let bytes = try Checkpoint.encode(tensors, metadata: ["format": "retrograd"])
        let length = bytes[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect(length % 8 == 0)  // the data start 8-byte aligned
        #expect(bytes.count == 8 + length + 8 + 3 + 8)
        let headerText = String(decoding: bytes[8..<(8 + length)], as: UTF8.self)
        #expect(headerText.hasPrefix("{\"__metadata__\":{\"format\":\"retrograd\"},\"alpha\":"))
        let trimmed = headerText.replacingOccurrences(of: " +$", with: "", options: .regularExpression)
        #expect(trimmed.hasSuffix("}") && headerText.count - trimmed.count < 8)
        // Entries in name order, with their data in the same order and no gaps.
        let positions = ["\"alpha\"", "\"beta\"", "\"gamma\""].map { headerText.range(of: $0)!.lowerBound }
        #expect(positions == positions.sorted())
        // An independent JSON parser reads the header.
        let json = try #require(try JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + length)])) as? [String: Any])
        func entry(_ name: String) -> (String, [Int], [Int]) {
            let e = json[name] as! [String: Any]
            return (e["dtype"] as! String, e["shape"] as! [Int], e["data_offsets"] as! [Int])
        }
        #expect(entry("alpha") == ("F32", [2], [0, 8]))
        #expect(entry("beta") == ("BOOL", [3], [8, 11]))
        #expect(entry("gamma") == ("F64", [1, 1], [11, 19]))
        #expect(json["__metadata__"] as? [String: String] == ["format": "retrograd"])
        let data = Array(bytes[(8 + length)...])
        #expect(Array(data[0..<8]) == littleEndianBytes(Float(1).bitPattern) + littleEndianBytes(Float(2).bitPattern))
        #expect(Array(data[8..<11]) == [1, 0, 1])
        #expect(Array(data[11..<19]) == littleEndianBytes(Double(0.5).bitPattern))
    }

    @Test func handBuiltFileIsParsed() throws {
        // Entries out of order, metadata last, white space, an unpadded header, and a 0-d tensor.
        let header = """
            { "w": {"dtype": "F32", "shape": [2, 1], "data_offsets": [0, 8]},
              "flags": {"data_offsets": [20, 22], "shape": [2], "dtype": "BOOL"},
              "step": {"dtype": "I32", "shape": [], "data_offsets": [8, 12]},
              "mean": {"dtype": "F64", "shape": [1], "data_offsets": [12, 20]},
              "__metadata__": {"format": "pt", "escaped": "a\\u00e9\\n\\"b\\""} }
            """
        let data = littleEndianBytes(Float(1.5).bitPattern) + littleEndianBytes(Float(-2).bitPattern)
            + littleEndianBytes(UInt32(bitPattern: -7)) + littleEndianBytes(Double(0.25).bitPattern) + [0, 1]
        let checkpoint = try Checkpoint.decode(handBuiltSafetensors(header: header, data: data), file: "hand.safetensors")
        #expect(checkpoint.metadata == ["format": "pt", "escaped": "aé\n\"b\""])
        let w = try #require(checkpoint.tensors["w"])
        #expect(w.dtype == .float32 && w.shape == [2, 1] && w.scalars(as: Float.self) == [1.5, -2])
        let step = try #require(checkpoint.tensors["step"])
        #expect(step.dtype == .int32 && step.shape == [] && step.scalars(as: Int32.self) == [-7])
        let mean = try #require(checkpoint.tensors["mean"])
        #expect(mean.dtype == .float64 && mean.scalars(as: Double.self) == [0.25])
        #expect(checkpoint.tensors["flags"]?.scalars(as: Bool.self) == [false, true])
    }

    @Test func reservedTensorNameIsRejected() {
        #expect(throws: CheckpointError.reservedName(name: "__metadata__")) {
            try Checkpoint.encode(["__metadata__": Tensor(Float(1))])
        }
    }
}

@Suite struct CheckpointAtomicityTests {
    struct SimulatedCrash: Error {}

    @Test(arguments: [AtomicWriteStage.partiallyWritten, .beforeSync, .beforeRename])
    func failedSaveLeavesThePreviousFile(stage: AtomicWriteStage) throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let url = dir.file("model.safetensors")
        try Checkpoint.save(["w": Tensor([1, 2, 3] as [Float])], metadata: ["version": "1"], to: url)
        let before = try Data(contentsOf: url)
        var reached = [AtomicWriteStage]()
        let error = thrownError(CheckpointError.self) {
            try Checkpoint.save(["w": Tensor([9, 9, 9, 9] as [Float]), "b": Tensor(Float(4))], metadata: ["version": "2"], to: url) { current in
                reached.append(current)
                if current == stage { throw SimulatedCrash() }
            }
        }
        guard case .writeFailed(let file, _)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(file == url.path)
        #expect(reached.last == stage)
        #expect(try Data(contentsOf: url) == before)
        #expect(try dir.contents() == ["model.safetensors"])
        #expect(try Checkpoint.load(from: url).metadata["version"] == "1")
    }

    @Test func failedFirstSaveLeavesNothing() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let url = dir.file("new.safetensors")
        #expect(throws: CheckpointError.self) {
            try Checkpoint.save(["w": Tensor(Float(1))], metadata: [:], to: url) { _ in throw SimulatedCrash() }
        }
        #expect(try dir.contents() == [])
    }

    @Test func successfulSaveReplacesTheFile() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let url = dir.file("model.safetensors")
        try Checkpoint.save(["w": Tensor([1, 2, 3] as [Float])], to: url)
        var stages = [AtomicWriteStage]()
        try Checkpoint.save(["w": Tensor([4] as [Float])], metadata: [:], to: url) { stages.append($0) }
        #expect(stages == [.partiallyWritten, .beforeSync, .beforeRename])
        #expect(try Checkpoint.load(from: url).tensors["w"]?.scalars(as: Float.self) == [4])
        #expect(try dir.contents() == ["model.safetensors"])
    }

    @Test func saveIntoAMissingDirectoryFails() {
        let url = URL(fileURLWithPath: "/nonexistent/dir/model.safetensors")
        let error = thrownError(CheckpointError.self) { try Checkpoint.save(["w": Tensor(Float(1))], to: url) }
        guard case .writeFailed(let file, let reason)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(file == url.path)
        #expect(reason.contains("/nonexistent/dir"))
    }
}
