import Foundation
import Testing
@testable import DomainAdaptation

/// `header:` of `DomainData.files`, and the run description's record of it.
@Suite struct DomainFilesHeaderTests {
    /// Source rows `i, 10 + i, i % 2` for i < 10, under `header` (or none).
    private func sourceText(header: String?) -> String {
        (header.map { $0 + "\n" } ?? "") + (0..<10).map { "\($0),\(10 + $0),\($0 % 2)" }.joined(separator: "\n") + "\n"
    }

    private let targetText = (0..<5).map { "\($0),\(20 + $0)" }.joined(separator: "\n") + "\n"

    @Test func presentMakesAFirstRowWithANumberTheHeader() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let source = try dir.write(sourceText(header: "x,2019,label"), to: "year.csv")
        let target = try dir.write("x,2019\n" + targetText, to: "field.csv")
        // Left to decide, the first row has a number in it, so it is data, and 'x' is not a number.
        let error = thrownError(DomainDataError.self) { _ = try DomainData.files(source: source, target: target, seed: 1) }
        #expect(error == .data(.nonNumericCell(file: source.path, line: 1, column: 1, text: "x")))
        let data = try DomainData.files(source: source, target: target, header: .present, seed: 1)
        #expect(data.sourceTrain.count + data.sourceTest.count == 10)
        #expect(data.targetTrain.count + data.targetTest.count == 5)
        #expect(data.featureCount == 2 && data.classCount == 2)
        let firstFeatures = (data.sourceTrain.features.scalars(as: Float.self) + data.sourceTest.features.scalars(as: Float.self))
            .enumerated().filter { $0.offset % 2 == 0 }.map(\.element).sorted()
        #expect(firstFeatures == (0..<10).map(Float.init))
    }

    @Test func absentReadsEveryRowAsData() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let source = try dir.write(sourceText(header: nil), to: "plain.csv")
        let target = try dir.write(targetText, to: "field.csv")
        let decided = try DomainData.files(source: source, target: target, seed: 3)
        let absent = try DomainData.files(source: source, target: target, header: .absent, seed: 3)
        #expect(absent.sourceTrain.features.scalars(as: Float.self) == decided.sourceTrain.features.scalars(as: Float.self))
        #expect(absent.sourceTest.labelScalars == decided.sourceTest.labelScalars)
        // With no header there is no name to find the label column by.
        let error = thrownError(DomainDataError.self) {
            _ = try DomainData.files(source: source, target: target, labelColumn: "label", header: .absent, seed: 3)
        }
        #expect(error == .data(.labelColumnNotFound(file: source.path, column: "named 'label'", available: [])))
    }

    /// Runs started without `header` write the same run.json as before it existed, and
    /// such files still load; a recorded choice survives the round trip.
    @Test func theRunDescriptionRecordsTheChoiceOnlyWhenMade() throws {
        let undecided = DANNDataSpec.files(source: "a.csv", target: "b.csv")
        let text = String(decoding: try JSONEncoder().encode(undecided), as: UTF8.self)
        #expect(!text.contains("header"))
        let old = #"{"kind":"files","source":"a.csv","target":"b.csv","labelColumn":"y"}"#
        let decoded = try JSONDecoder().decode(DANNDataSpec.self, from: Data(old.utf8))
        #expect(decoded == .files(source: "a.csv", target: "b.csv", labelColumn: "y") && decoded.header == nil)
        let chosen = DANNDataSpec.files(source: "a.csv", target: "b.csv", header: false)
        #expect(try JSONDecoder().decode(DANNDataSpec.self, from: JSONEncoder().encode(chosen)) == chosen)
    }
}
