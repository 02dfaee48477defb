import Foundation
import Testing
@testable import RetrogradData

/// The CSV every case starts from: a header naming the label column, and three rows.
private let original = "x,y,label\n0.5,1.25,0\n-3,4e-2,1\n7,8,2\n"
private let originalFeatures: [Float] = [0.5, 1.25, -3, 0.04, 7, 8]
private let originalLabels: [Int32] = [0, 1, 2]

/// What reading text with `labelColumn: "label"` must give, worked out by a deliberately
/// plain reader of the simple dialect: lines split at LF, cells at commas, spaces and tabs
/// trimmed, blank lines skipped, the first row a header. It does not know quotes or CR,
/// so it answers `nil` (no opinion) for text that has them.
private enum Reference {
    enum Outcome: Equatable {
        case rows(features: [UInt32], labels: [Int32])
        case failure
    }

    static func read(_ bytes: [UInt8]) -> Outcome? {
        // A NUL byte makes a file binary (or UTF-16), not text.
        guard !bytes.contains(0), var text = String(validating: bytes, as: UTF8.self) else { return .failure }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        guard !text.contains("\"") && !text.contains("\r") else { return nil }
        let rows = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: " \t")) } }
            .filter { !($0.count == 1 && $0[0].isEmpty) }
        guard let header = rows.first, let labelIndex = header.firstIndex(of: "label"), rows.count > 1 else { return .failure }
        var features = [UInt32](), labels = [Int32]()
        for row in rows.dropFirst() {
            guard row.count == header.count else { return .failure }
            for (column, cell) in row.enumerated() {
                let trimmed = cell.trimmingCharacters(in: .whitespaces)
                if column == labelIndex {
                    if let label = Int32(trimmed) {
                        labels.append(label)
                    } else if let value = Double(trimmed), value.rounded() == value, let label = Int32(exactly: value) {
                        labels.append(label)
                    } else {
                        return .failure
                    }
                } else {
                    guard let value = Float(trimmed) else { return .failure }
                    features.append(value.bitPattern)
                }
            }
        }
        return .rows(features: features, labels: labels)
    }
}

/// Parses `bytes` as the loader does, as an outcome of the same kind as the reference's;
/// a thrown error must be a `DataError` naming the file.
private func load(_ bytes: [UInt8]) -> Reference.Outcome {
    do {
        let data = try CSVFile.parse(bytes: bytes, file: "fuzz.csv", labelColumn: .name("label"), header: .auto, delimiter: ",")
        return .rows(features: data.features.scalars(as: Float.self).map(\.bitPattern), labels: data.labels?.scalars(as: Int32.self) ?? [])
    } catch {
        #expect(error.description.contains("fuzz.csv"), "\(error)")
        return .failure
    }
}

@Suite struct CSVFuzzTests {
    private let bytes = Array(original.utf8)

    @Test func theReferenceReadsTheOriginal() {
        let expected = Reference.Outcome.rows(features: originalFeatures.map(\.bitPattern), labels: originalLabels)
        #expect(Reference.read(bytes) == expected)
        #expect(load(bytes) == expected)
    }

    /// A cut at a line end gives the rows before it; a cut inside a number gives a shorter
    /// number (the reference decides which is right); a cut in the header is an error.
    @Test func everyTruncationReadsLikeTheReference() {
        for mutation in Mutations.truncations(of: bytes) {
            #expect(load(mutation.bytes) == Reference.read(mutation.bytes), "\(mutation)")
        }
    }

    @Test func flippedBytesReadLikeTheReferenceOrFailTyped() {
        let mutations = Mutations.singleFlips(of: bytes, count: 600, seed: 9) + Mutations.bitFlips(of: bytes)
            + Mutations.multipleFlips(of: bytes, count: 300, seed: 10)
        var judged = 0
        for mutation in mutations {
            let outcome = load(mutation.bytes)
            guard let expected = Reference.read(mutation.bytes) else { continue }
            judged += 1
            #expect(outcome == expected, "\(mutation): \(String(decoding: mutation.bytes, as: UTF8.self).debugDescription)")
        }
        #expect(judged > 1000)
    }

    /// Changes that do not alter the data must not alter what is read.
    @Test(arguments: [
        original + "   \n\n \t \n",  // trailing white space and blank lines
        String(original.dropLast()),  // no final line break
        original.replacingOccurrences(of: "\n", with: "\r\n"),  // CRLF
        original.replacingOccurrences(of: "\n", with: "\r"),  // old Mac line ends
        "\u{FEFF}" + original,  // byte-order mark
        original.replacingOccurrences(of: ",", with: " ,\t"),  // spaces around cells
        "\n\n" + original.replacingOccurrences(of: "\n", with: "\n\n"),  // blank lines everywhere
        original.replacingOccurrences(of: "0.5,", with: "\"0.5\","),  // a quoted number
    ])
    func benignChangesReadTheSameData(text: String) {
        let expected = Reference.Outcome.rows(features: originalFeatures.map(\.bitPattern), labels: originalLabels)
        #expect(load(Array(text.utf8)) == expected, "\(text.debugDescription)")
    }

    /// A NUL inside "0.5" once read as 0: the C parser behind `Float(_:)` stops at it.
    @Test func invalidUTF8AndNULBytesAreNotText() {
        for bad in [[0xFF], [0xC3], [0xED, 0xA0, 0x80], [0x00]] as [[UInt8]] {
            var damaged = bytes
            damaged.insert(contentsOf: bad, at: 12)
            #expect(throws: DataError.notText(file: "fuzz.csv"), "\(bad)") {
                _ = try CSVFile.parse(bytes: damaged, file: "fuzz.csv", labelColumn: .name("label"), header: .auto, delimiter: ",")
            }
        }
        let utf16 = Array(original.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        #expect(throws: DataError.notText(file: "fuzz.csv")) {
            _ = try CSVFile.columns(bytes: utf16, file: "fuzz.csv", header: .auto, delimiter: ",")
        }
    }
}
