import Foundation
import Testing
@testable import DomainAdaptation

/// CSV text of `count` rows where row `i` has features `i` and `10 + i` and label `i % 3`,
/// with the label in column `labelAt` (or no label when `nil`).
private func csvRows(_ count: Int, labelAt: Int? = 2, header: String? = nil) -> String {
    var lines = header.map { [$0] } ?? []
    for i in 0..<count {
        var cells = ["\(i)", "\(10 + i)"]
        if let labelAt { cells.insert("\(i % 3)", at: labelAt) }
        lines.append(cells.joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
}

/// The rows of the train and test parts together, as (features, label) sorted by the first feature.
private func allRows(_ parts: Dataset...) -> [([Float], Int32?)] {
    var result = [([Float], Int32?)]()
    for part in parts {
        let values = part.features.scalars(as: Float.self)
        let labels = part.labelScalars
        for row in 0..<part.count {
            result.append((Array(values[(row * part.featureCount)..<((row + 1) * part.featureCount)]), labels?[row]))
        }
    }
    return result.sorted { $0.0[0] < $1.0[0] }
}

/// Checks that `parts` hold exactly the rows of `csvRows(count)`: features `i`, `10 + i`,
/// label `i % 3` (or no labels when `labelled` is false).
private func expectGeneratedRows(
    _ count: Int, labelled: Bool = true, in parts: Dataset..., sourceLocation: SourceLocation = #_sourceLocation
) {
    let rows = parts.flatMap { part in allRows(part) }.sorted { $0.0[0] < $1.0[0] }
    let expectedFeatures: [[Float]] = (0..<count).map { [Float($0), Float(10 + $0)] }
    #expect(rows.map(\.0) == expectedFeatures, sourceLocation: sourceLocation)
    let expectedLabels: [Int32?] = (0..<count).map { labelled ? Int32($0 % 3) : nil }
    #expect(rows.map(\.1) == expectedLabels, sourceLocation: sourceLocation)
    for part in parts { #expect(part.features.dtype == .float32, sourceLocation: sourceLocation) }
}

@Suite struct DomainFilesTests {
    @Test func csvWithLabelHeaderAndUnlabelledTarget() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let source = try dir.write(csvRows(10, header: "x1,x2,label"), to: "lab.csv")
        let target = try dir.write(csvRows(5, labelAt: nil), to: "field.csv")
        let data = try DomainData.files(source: source, target: target, seed: 1)
        #expect(data.name == "lab.csv → field.csv")
        #expect(data.classCount == 3 && data.featureCount == 2)
        // 80 % of 10 rows and of 5 rows train, the rest test.
        let counts: [Int] = [data.sourceTrain.count, data.sourceTest.count, data.targetTrain.count, data.targetTest.count]
        #expect(counts == [8, 2, 4, 1])
        expectGeneratedRows(10, in: data.sourceTrain, data.sourceTest)
        expectGeneratedRows(5, labelled: false, in: data.targetTrain, data.targetTest)
    }

    @Test func labelColumnFoundByNameAnywhereInTheHeader() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let source = try dir.write(csvRows(6, labelAt: 0, header: "label,a,b"), to: "first.csv")
        // The target has its label column by name in the middle; the source's came first.
        let target = try dir.write(csvRows(4, labelAt: 1, header: "a,label,b"), to: "middle.csv")
        let data = try DomainData.files(source: source, target: target, testFraction: 0.5, seed: 3)
        expectGeneratedRows(6, in: data.sourceTrain, data.sourceTest)
        expectGeneratedRows(4, in: data.targetTrain, data.targetTest)
        #expect(data.targetTest.count == 2)
    }

    @Test func csvWithoutHeaderTakesTheLastColumnAsLabel() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let source = try dir.write(csvRows(7), to: "plain.csv")
        // The target has one column more than the source has features: labelled, last column.
        let target = try dir.write(csvRows(5), to: "plain-target.txt")
        let data = try DomainData.files(source: source, target: target, seed: 9)
        #expect(data.classCount == 3)
        expectGeneratedRows(7, in: data.sourceTrain, data.sourceTest)
        expectGeneratedRows(5, in: data.targetTrain, data.targetTest)
        // A header without a 'label' column also leaves the label in the last column.
        let named = try dir.write(csvRows(7, header: "p,q,class"), to: "named.csv")
        let fromNamed = try DomainData.files(source: named, target: target, seed: 9)
        expectGeneratedRows(7, in: fromNamed.sourceTrain, fromNamed.sourceTest)
    }

    @Test func explicitLabelColumnByIndexAndByName() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let source = try dir.write(csvRows(6, labelAt: 0), to: "s.csv")
        let target = try dir.write(csvRows(6, labelAt: 0), to: "t.csv")
        let byIndex = try DomainData.files(source: source, target: target, labelColumn: 0, seed: 2)
        expectGeneratedRows(6, in: byIndex.sourceTrain, byIndex.sourceTest)
        expectGeneratedRows(6, in: byIndex.targetTrain, byIndex.targetTest)
        let namedSource = try dir.write(csvRows(6, labelAt: 1, header: "a,y,b"), to: "ny.csv")
        let unlabelled = try dir.write(csvRows(3, labelAt: nil, header: "a,b"), to: "nt.csv")
        let byName = try DomainData.files(source: namedSource, target: unlabelled, labelColumn: "y", testFraction: 1.0 / 3, seed: 2)
        expectGeneratedRows(6, in: byName.sourceTrain, byName.sourceTest)
        expectGeneratedRows(3, labelled: false, in: byName.targetTrain, byName.targetTest)
        #expect(byName.targetTrain.count == 2)
    }

    @Test func npySourceAndTargetInEitherFormat() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        // float64 features with the label, as 0.0 / 1.0 / 2.0, in the last column.
        let sourceValues: [Double] = (0..<8).flatMap { i -> [Double] in [Double(i), Double(10 + i), Double(i % 3)] }
        let source = try dir.write(Tensor(sourceValues, shape: [8, 3]), to: "source.npy")
        // An int32 target without labels.
        let targetValues: [Int32] = (0..<5).flatMap { i -> [Int32] in [Int32(i), Int32(10 + i)] }
        let target = try dir.write(Tensor(targetValues, shape: [5, 2]), to: "target.npy")
        let data = try DomainData.files(source: source, target: target, seed: 4)
        #expect(data.name == "source.npy → target.npy" && data.classCount == 3)
        expectGeneratedRows(8, in: data.sourceTrain, data.sourceTest)
        expectGeneratedRows(5, labelled: false, in: data.targetTrain, data.targetTest)
        // A labelled CSV target for an .npy source, and the other way round.
        let csvTarget = try dir.write(csvRows(5, header: "x1,x2,label"), to: "target.csv")
        let mixed = try DomainData.files(source: source, target: csvTarget, seed: 4)
        expectGeneratedRows(5, in: mixed.targetTrain, mixed.targetTest)
        let csvSource = try dir.write(csvRows(8), to: "source.csv")
        let reversed = try DomainData.files(source: csvSource, target: target, seed: 4)
        expectGeneratedRows(8, in: reversed.sourceTrain, reversed.sourceTest)
        // An index label column applies to .npy files too.
        let firstColumn: [Float] = (0..<4).flatMap { i -> [Float] in [Float(i % 3), Float(i), Float(10 + i)] }
        let labelFirst = try dir.write(Tensor(firstColumn, shape: [4, 3]), to: "first.npy")
        let indexed = try DomainData.files(source: labelFirst, target: target, labelColumn: 0, testFraction: 0.25, seed: 4)
        expectGeneratedRows(4, in: indexed.sourceTrain, indexed.sourceTest)
    }

    @Test func splitsAreFixedBySeed() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let source = try dir.write(csvRows(20), to: "s.csv")
        let target = try dir.write(csvRows(20, labelAt: nil), to: "t.csv")
        let first = try DomainData.files(source: source, target: target, testFraction: 0.25, seed: 11)
        let again = try DomainData.files(source: source, target: target, testFraction: 0.25, seed: 11)
        let other = try DomainData.files(source: source, target: target, testFraction: 0.25, seed: 12)
        func firstFeatures(_ part: Dataset) -> [Float] {
            stride(from: 0, to: part.count * 2, by: 2).map { part.features.scalars(as: Float.self)[$0] }
        }
        #expect(first.sourceTrain.count == 15 && first.sourceTest.count == 5)
        #expect(firstFeatures(first.sourceTrain) == firstFeatures(again.sourceTrain))
        #expect(firstFeatures(first.targetTest) == firstFeatures(again.targetTest))
        #expect(firstFeatures(first.sourceTrain) != firstFeatures(other.sourceTrain))
        // The documented seeds: the source is split with `seed`, the target with `seed &+ 1`.
        let rows = try Dataset(
            features: Tensor((0..<20).flatMap { i -> [Float] in [Float(i), Float(10 + i)] }, shape: [20, 2]),
            labels: (0..<20).map { Int32($0 % 3) })
        #expect(firstFeatures(first.sourceTest) == firstFeatures(rows.split(fraction: 0.75, seed: 11).test))
        #expect(firstFeatures(first.targetTest) == firstFeatures(rows.split(fraction: 0.75, seed: 12).test))
        // Training and test rows never overlap and together are all the rows.
        #expect(Set(firstFeatures(first.sourceTrain) + firstFeatures(first.sourceTest)) == Set((0..<20).map(Float.init)))
    }

    @Test func rowsNeededForBothSplits() {
        // By hand: with test fraction 0.2, two rows give round(1.6) = 2 training rows and no
        // test row; three give round(2.4) = 2 and 1.
        #expect(DomainFile.rowsNeeded(testFraction: 0.2) == 3)
        #expect(DomainFile.rowsNeeded(testFraction: 0.25) == 3)  // round(1.5) = 2 of 2 rows
        #expect(DomainFile.rowsNeeded(testFraction: 0.5) == 2)
        #expect(DomainFile.rowsNeeded(testFraction: 0.75) == 2)  // round(0.5) = 1 of 2 rows
        #expect(DomainFile.rowsNeeded(testFraction: 0.1) == 6)   // 5 rows: round(4.5) = 5, no test row
        #expect(DomainFile.rowsNeeded(testFraction: 1e-20) > 1_000_000_000_000)
    }
}
