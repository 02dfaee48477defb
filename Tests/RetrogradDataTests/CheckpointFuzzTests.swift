import Foundation
import Testing
@testable import RetrogradData

/// A small checkpoint with one tensor of each dtype; its data bytes are written out by hand
/// below, in name order, so that the expected values after damage come from the bytes, not
/// from the reader.
private enum Fixture {
    static let floats: [Float] = [1, -2, 0.5, 3.25, -0.0, 7]
    static let doubles: [Double] = [0.1, -1e300]
    static let ints: [Int32] = [-5, 0, 123_456]
    static let bools = [true, false]

    static let tensors: [String: Tensor] = [
        "a": Tensor(floats, shape: [2, 3]), "b": Tensor(doubles, shape: [2]),
        "c": Tensor(ints, shape: [3]), "d": Tensor(bools, shape: [2]),
    ]

    /// The data section as the format lays it out: a, b, c, d, little-endian.
    static let data: [UInt8] = floats.flatMap { LittleEndian.bytes($0.bitPattern) } + doubles.flatMap { LittleEndian.bytes($0.bitPattern) }
        + ints.flatMap { LittleEndian.bytes(UInt32(bitPattern: $0)) } + bools.map { $0 ? 1 : 0 }

    /// Name, element size, element count and where the entry starts in `data`.
    static let layout: [(name: String, size: Int, count: Int, offset: Int)] = [("a", 4, 6, 0), ("b", 8, 2, 24), ("c", 4, 3, 40), ("d", 1, 2, 52)]

    static let file = try! Checkpoint.encode(tensors, metadata: ["epoch": "3"])
    /// Where the data start: after the 8-byte length and the header it gives.
    static let dataStart = 8 + Int(LittleEndian.unsigned(file, at: 0, width: 8))

    /// The bit patterns the reader must return for each entry when the data are `bytes`.
    static func expectedBits(data bytes: [UInt8]) -> [String: [UInt64]] {
        var result = [String: [UInt64]]()
        for entry in layout {
            result[entry.name] = (0..<entry.count).map { index in
                let value = LittleEndian.unsigned(bytes, at: entry.offset + index * entry.size, width: entry.size)
                return entry.size == 1 ? (value != 0 ? 1 : 0) : value
            }
        }
        return result
    }
}

/// Decodes `mutation` and returns the checkpoint, or nil after checking that the failure is
/// a `CheckpointError` naming the file. Any other outcome is recorded as an issue.
private func decodeOrTypedError(_ mutation: Mutation, sourceLocation: SourceLocation = #_sourceLocation) -> Checkpoint? {
    do {
        return try Checkpoint.decode(mutation.bytes, file: "fuzz.safetensors")
    } catch {
        #expect(error.description.contains("fuzz.safetensors"), "\(mutation): \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

@Suite struct CheckpointFuzzTests {
    @Test func theFixtureIsLaidOutAsWrittenByHand() throws {
        #expect(Array(Fixture.file[Fixture.dataStart...]) == Fixture.data)
        let checkpoint = try Checkpoint.decode(Fixture.file, file: "fixture")
        #expect(checkpoint.tensors.mapValues(bitPatterns) == Fixture.expectedBits(data: Fixture.data))
    }

    @Test func everyTruncationIsATypedError() {
        for mutation in Mutations.truncations(of: Fixture.file) {
            #expect(decodeOrTypedError(mutation) == nil, "\(mutation) was accepted")
        }
    }

    @Test func trailingBytesAreATypedError() {
        for extra in [[0], [0x20], Array(repeating: 0xFF, count: 9)] as [[UInt8]] {
            #expect(decodeOrTypedError(Mutation(description: "\(extra.count) bytes appended", bytes: Fixture.file + extra)) == nil)
        }
    }

    /// A flip in the data changes exactly the element holding that byte; a flip in the length
    /// or header either leaves a readable checkpoint or is a typed error.
    @Test func flippedBytesGiveTheFlippedDataOrATypedError() {
        let mutations = Mutations.singleFlips(of: Fixture.file, count: 400, seed: 7)
            + Mutations.bitFlips(of: Fixture.file)
        var dataFlips = 0
        for mutation in mutations {
            let (position, _) = mutation.flipped!
            let checkpoint = decodeOrTypedError(mutation)
            guard position >= Fixture.dataStart else {
                if let checkpoint { checkConsistent(checkpoint, dataSize: Fixture.data.count, mutation) }
                continue
            }
            dataFlips += 1
            let expected = Fixture.expectedBits(data: Array(mutation.bytes[Fixture.dataStart...]))
            #expect(checkpoint?.tensors.mapValues(bitPatterns) == expected, "\(mutation)")
            #expect(checkpoint?.metadata == ["epoch": "3"], "\(mutation)")
        }
        #expect(dataFlips > 100)
    }

    @Test func severalFlippedBytesAreReadOrATypedError() {
        for mutation in Mutations.multipleFlips(of: Fixture.file, count: 400, seed: 11) {
            if let checkpoint = decodeOrTypedError(mutation) {
                checkConsistent(checkpoint, dataSize: mutation.bytes.count - 8 - Int(LittleEndian.unsigned(mutation.bytes, at: 0, width: 8)), mutation)
            }
        }
    }

    /// What a file that was read must satisfy whatever its header says: its tensors fill the
    /// data section exactly.
    private func checkConsistent(_ checkpoint: Checkpoint, dataSize: Int, _ mutation: Mutation) {
        let bytes = checkpoint.tensors.values.reduce(0) { $0 + $1.elementCount * $1.dtype.byteSize }
        #expect(bytes == dataSize, "\(mutation)")
    }

    /// Headers a hostile or broken writer could produce, each of which once risked a trap:
    /// lengths and sizes near the integer limits.
    @Test(arguments: [
        #"{"w":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,8]}}"#,  // shape product overflows
        #"{"w":{"dtype":"F64","shape":[2305843009213693952],"data_offsets":[0,8]}}"#,  // bytes overflow
        #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,99999999999999999999999]}}"#,  // offset beyond Int
        #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[9223372036854775807,9223372036854775807]}}"#,
        #"{"w":{"dtype":"F32","shape":[1e3],"data_offsets":[0,8]}}"#,
        #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"x":"\ud800"}"#,  // lone surrogate
        #"{"w\u0000":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#,
    ])
    func extremeHeaderValuesAreTypedErrors(header: String) {
        let file = handBuiltSafetensors(header: header, data: Fixture.data[0..<8].map { $0 })
        let checkpoint = decodeOrTypedError(Mutation(description: header, bytes: file))
        if let checkpoint { checkConsistent(checkpoint, dataSize: 8, Mutation(description: header, bytes: file)) }
    }

    @Test func deeplyNestedHeaderIsATypedError() {
        let header = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(decodeOrTypedError(Mutation(description: "nested", bytes: handBuiltSafetensors(header: header, data: []))) == nil)
    }

    @Test func invalidUTF8InNamesIsATypedError() {
        var file = handBuiltSafetensors(header: #"{"w?":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: Array(Fixture.data[0..<8]))
        file[8 + 3] = 0xC3  // a lead byte followed by '"': not UTF-8
        #expect(decodeOrTypedError(Mutation(description: "bad UTF-8", bytes: file)) == nil)
    }
}
