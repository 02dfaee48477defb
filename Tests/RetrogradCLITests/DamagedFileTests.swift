import DomainAdaptation
import Foundation
import RetrogradTestSupport
import Testing

/// A damaged data file, given as the source (with a valid target), and what the error line
/// must mention besides the file's name.
struct DamagedData: CustomStringConvertible, Sendable {
    var description: String
    var fileName: String
    var bytes: [UInt8]
    var mentions: [String]

    static let csv = Array(Fixtures.sourceCSV.utf8)
    static let npy = NPY.encode(Tensor((0..<60).map { Float($0 % 2) }, shape: [20, 3]))

    static let all: [DamagedData] = [
        DamagedData(description: "CSV cut inside a row", fileName: "cut.csv", bytes: Array("a,b,label\n0.1,2,1\n0.3,4".utf8),
                    mentions: ["line 3", "columns"]),
        DamagedData(description: "CSV with a byte flipped into a letter", fileName: "letter.csv",
                    bytes: Array("a,b,label\n0.1,x2,1\n".utf8), mentions: ["line 2", "column 2", "'x2'"]),
        DamagedData(description: "CSV that is not UTF-8", fileName: "latin1.csv", bytes: Array(csv[0..<20]) + [0xE9] + Array(csv[20...]),
                    mentions: ["UTF-8"]),
        DamagedData(description: "CSV saved as UTF-16", fileName: "utf16.csv",
                    bytes: Array(Fixtures.sourceCSV.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }, mentions: ["UTF-8"]),
        DamagedData(description: "CSV with an unclosed quote", fileName: "quote.csv", bytes: Array("a,b,label\n\"0.1,2,1\n".utf8),
                    mentions: ["never closed"]),
        DamagedData(description: "empty CSV", fileName: "empty.csv", bytes: [], mentions: ["no rows"]),
        DamagedData(description: ".npy cut inside the data", fileName: "cut.npy", bytes: Array(npy.dropLast(5)), mentions: ["ends inside"]),
        DamagedData(description: ".npy cut inside the header", fileName: "header.npy", bytes: Array(npy[0..<30]), mentions: ["header"]),
        DamagedData(description: ".npy with a damaged magic", fileName: "magic.npy", bytes: [0x94] + Array(npy.dropFirst()), mentions: ["not a .npy"]),
        DamagedData(description: ".npy with a hostile nested header", fileName: "nested.npy",
                    bytes: [0x93] + Array("NUMPY".utf8) + [2, 0] + LittleEndianBytes.of(UInt32(50_001)) + Array(("{" + String(repeating: "(", count: 50_000)).utf8),
                    mentions: ["nested"]),
        DamagedData(description: ".npy with an overflowing shape", fileName: "shape.npy",
                    bytes: NPYHeader.file("{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4), }"), mentions: ["too large"]),
    ]
}

/// Builds `.npy` bytes from a header dictionary, with the header length as NumPy writes it.
enum NPYHeader {
    static func file(_ dict: String) -> [UInt8] {
        var header = Array(dict.utf8) + [0x0A]
        while (10 + header.count) % 64 != 0 { header.insert(0x20, at: header.count - 1) }
        return [0x93] + Array("NUMPY".utf8) + [1, 0] + LittleEndianBytes.of(UInt16(header.count)) + header
    }
}

enum LittleEndianBytes {
    static func of<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        (0..<(T.bitWidth / 8)).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }
}

/// Damaged user files and run directories through the command line: one error line naming
/// the file, a failure status, and nothing trained or written.
@Suite struct DamagedFileTests {
    @Test(arguments: DamagedData.all)
    func damagedSourceFile(_ damaged: DamagedData) throws {
        try expectSourceFileRefused(damaged.bytes, named: damaged.fileName, mentions: damaged.mentions, damaged.description)
    }

    /// A run directory whose checkpoint or description is damaged: `--resume` refuses it
    /// with one line naming the file, and changes nothing in the directory.
    @Test(arguments: RunDamage.allCases)
    func damagedRunIsRefusedOnResume(_ damage: RunDamage) throws {
        let scratch = try ScratchDirectory(label: "cli")
        defer { scratch.cleanUp() }
        let checkpoints = try Fixtures.makeRun(in: scratch.url)
        let (file, mentions) = try damage.apply(to: scratch.url, checkpoints: checkpoints)
        let before = try snapshot(scratch.url)
        let result = try CLI.run(["dann", "--resume", scratch.url.path])
        expectOneLineError(result, status: 1, mentions: [file] + mentions, "\(damage)")
        #expect(try snapshot(scratch.url) == before, "\(damage): the run directory changed")
    }

    private func snapshot(_ directory: URL) throws -> [String: Data] {
        var files = [String: Data]()
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            var isDirectory: ObjCBool = false
            let path = directory.appendingPathComponent(name).path
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            files[name] = isDirectory.boolValue ? Data("directory".utf8) : try Data(contentsOf: URL(fileURLWithPath: path))
        }
        return files
    }
}

/// Ways a run directory can be damaged.
enum RunDamage: String, CaseIterable, Sendable {
    case checkpointTruncated, checkpointHeaderLength, checkpointHeaderByte, checkpointDTypeChanged, checkpointOfAnotherMode
    case checkpointOfAnotherConfiguration, checkpointIsADirectory, runDescriptionTruncated, runDescriptionNotJSON
    case checkpointWithAnExtraEntry, checkpointMissingAnEntry

    /// Damages the run in `directory`; returns the damaged file's name and what else the
    /// error must mention.
    func apply(to directory: URL, checkpoints: [DANNMode: URL]) throws -> (String, [String]) {
        let dann = checkpoints[.dann]!, sourceOnly = checkpoints[.sourceOnly]!
        var bytes = [UInt8](try Data(contentsOf: dann))
        let headerLength = Int(bytes[0]) | Int(bytes[1]) << 8 | Int(bytes[2]) << 16
        let runFile = directory.appendingPathComponent("run.json")
        switch self {
        case .checkpointTruncated:
            try Data(bytes.dropLast(3)).write(to: dann)  // inside the last tensor's data
            return ("dann.safetensors", ["data_offsets"])
        case .checkpointHeaderLength:
            bytes[7] = 0x7F  // a header longer than any file
            try Data(bytes).write(to: dann)
            return ("dann.safetensors", ["header length"])
        case .checkpointHeaderByte:
            bytes[8] = UInt8(ascii: "[")  // the header's opening brace
            try Data(bytes).write(to: dann)
            return ("dann.safetensors", ["header is corrupt"])
        case .checkpointDTypeChanged:
            let header = String(decoding: bytes[8..<(8 + headerLength)], as: UTF8.self).replacingOccurrences(of: "\"F32\"", with: "\"F16\"")
            try Data(bytes[0..<8] + Array(header.utf8) + bytes[(8 + headerLength)...]).write(to: dann)
            return ("dann.safetensors", ["F16"])
        case .checkpointOfAnotherMode:
            try FileManager.default.removeItem(at: dann)
            try FileManager.default.copyItem(at: sourceOnly, to: dann)
            return ("dann.safetensors", ["mode 'source-only'"])
        case .checkpointOfAnotherConfiguration:
            let header = String(decoding: bytes[8..<(8 + headerLength)], as: UTF8.self)
                .replacingOccurrences(of: #"\"learningRate\":0.1"#, with: #"\"learningRate\":0.2"#)
            #expect(header.utf8.count == headerLength)
            try Data(bytes[0..<8] + Array(header.utf8) + bytes[(8 + headerLength)...]).write(to: dann)
            return ("dann.safetensors", ["configuration"])
        case .checkpointIsADirectory:
            try FileManager.default.removeItem(at: dann)
            try FileManager.default.createDirectory(at: dann, withIntermediateDirectories: false)
            return ("dann.safetensors", ["directory"])
        case .runDescriptionTruncated:
            let text = try Data(contentsOf: runFile)
            try text.prefix(text.count / 2).write(to: runFile)
            return ("run.json", ["damaged"])
        case .runDescriptionNotJSON:
            try Data([0xFF, 0xFE, 0x00, 0x7B]).write(to: runFile)
            return ("run.json", ["damaged"])
        case .checkpointWithAnExtraEntry:
            var checkpoint = try Checkpoint.load(from: dann)
            checkpoint.tensors["classifier.extra"] = Tensor([1] as [Float])
            try checkpoint.save(to: dann)
            return ("dann.safetensors", ["'classifier.extra'", "does not fit", "--out"])
        case .checkpointMissingAnEntry:
            var checkpoint = try Checkpoint.load(from: dann)
            let weight = try #require(Set(checkpoint.tensors.keys).subtracting(checkpoint.extra.keys).sorted().first)
            checkpoint.tensors[weight] = nil
            try checkpoint.save(to: dann)
            return ("dann.safetensors", ["'\(weight)'", "does not fit", "--out"])
        }
    }
}

/// Runs `retrograd dann` with `bytes` as the source file (named `fileName`, with the fixture
/// target) and `arguments`, and checks that it stops with one error line naming the file
/// and every one of `mentions`, before creating the run directory. Returns the run.
@discardableResult
func expectSourceFileRefused(
    _ bytes: [UInt8], named fileName: String, arguments: [String] = [], mentions: [String], _ comment: String,
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> CLIResult {
    let scratch = try ScratchDirectory(label: "cli")
    defer { scratch.cleanUp() }
    let source = try scratch.write(bytes: bytes, to: fileName)
    let out = scratch.file("run")
    let result = try CLI.run(["dann", "--source", source.path, "--target", Fixtures.path("target.csv"), "--out", out.path] + arguments)
    expectOneLineError(result, status: 1, mentions: [fileName] + mentions, comment, sourceLocation: sourceLocation)
    #expect(!FileManager.default.fileExists(atPath: out.path), "\(comment): the run directory was created", sourceLocation: sourceLocation)
    return result
}
