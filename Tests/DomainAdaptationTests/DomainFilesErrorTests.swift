import Foundation
import Testing
@testable import DomainAdaptation

/// Loads `source` and `target` and returns the error, checking that its message names
/// `mentioning` (a file name, by default the source's).
private func loadError(
    source: URL, target: URL, labelColumn: CSVFile.LabelColumn? = nil, testFraction: Double = 0.2,
    mentioning names: [String]? = nil, sourceLocation: SourceLocation = #_sourceLocation
) -> DomainDataError? {
    let error = thrownError(DomainDataError.self, sourceLocation: sourceLocation) {
        _ = try DomainData.files(source: source, target: target, labelColumn: labelColumn, testFraction: testFraction, seed: 5)
    }
    let message = error?.description ?? ""
    for name in names ?? [source.lastPathComponent] {
        #expect(message.contains(name), "\(message)", sourceLocation: sourceLocation)
    }
    #expect(error?.errorDescription == error?.description, sourceLocation: sourceLocation)
    return error
}

@Suite struct DomainFilesErrorTests {
    @Test func unsupportedExtension() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let good = try dir.write("1,2,0\n3,4,1\n5,6,0\n", to: "good.csv")
        let json = try dir.write("[]", to: "data.json")
        #expect(loadError(source: json, target: good) == .unsupportedFormat(file: json.path, extension: "json"))
        let bare = try dir.write("1,2\n", to: "README")
        #expect(loadError(source: good, target: bare, mentioning: ["README"]) == .unsupportedFormat(file: bare.path, extension: ""))
        // Upper-case extensions are accepted.
        let upper = try dir.write("1,2,0\n3,4,1\n5,6,0\n", to: "UPPER.CSV")
        #expect(try DomainData.files(source: upper, target: good, seed: 0).classCount == 2)
    }

    @Test func featureCountMismatchNamesBothFilesAndCounts() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let source = try dir.write("x1,x2,label\n1,2,0\n3,4,1\n5,6,1\n", to: "two-features.csv")
        let wide = try dir.write("1,2,3,4\n5,6,7,8\n9,10,11,12\n", to: "four-columns.csv")
        let error = loadError(source: source, target: wide, mentioning: ["two-features.csv", "four-columns.csv", "4 columns", "2 features"])
        #expect(error == .featureCountMismatch(sourceFile: source.path, sourceFeatures: 2, targetFile: wide.path, targetColumns: 4))
        let narrow = try dir.write(Tensor([Float](repeating: 1, count: 3), shape: [3, 1]), to: "one-column.npy")
        #expect(loadError(source: source, target: narrow, mentioning: ["one-column.npy"])
            == .featureCountMismatch(sourceFile: source.path, sourceFeatures: 2, targetFile: narrow.path, targetColumns: 1))
        // A 'label' header column does not excuse a wrong number of features.
        let namedWide = try dir.write("a,b,c,label\n1,2,3,0\n4,5,6,1\n7,8,9,0\n", to: "named-wide.csv")
        #expect(loadError(source: source, target: namedWide, mentioning: ["named-wide.csv"])
            == .featureCountMismatch(sourceFile: source.path, sourceFeatures: 2, targetFile: namedWide.path, targetColumns: 4))
    }

    @Test func sourceWithoutLabels() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let target = try dir.write("1\n2\n3\n", to: "t.csv")
        let oneColumn = try dir.write(Tensor([1, 2, 3] as [Float], shape: [3, 1]), to: "one.npy")
        #expect(loadError(source: oneColumn, target: target) == .missingLabels(file: oneColumn.path, columns: 1))
        let oneCSV = try dir.write("x\n1\n2\n3\n", to: "one.csv")
        #expect(loadError(source: oneCSV, target: target) == .missingLabels(file: oneCSV.path, columns: 1))
        // Empty label cells: the CSV reader's error, with line and column, comes through.
        let empty = try dir.write("x1,x2,label\n1,2,0\n3,4,\n5,6,1\n", to: "holes.csv")
        let error = loadError(source: empty, target: target, mentioning: ["holes.csv", "line 3", "column 3"])
        #expect(error == .data(.missingLabel(file: empty.path, line: 3, column: 3)))
        // A label column named but absent from the source.
        let unnamed = try dir.write("a,b\n1,0\n2,1\n3,0\n", to: "unnamed.csv")
        let absent = loadError(source: unnamed, target: target, labelColumn: "y")
        #expect(absent == .data(.labelColumnNotFound(file: unnamed.path, column: "named 'y'", available: ["a", "b"])))
        let outside = loadError(source: unnamed, target: target, labelColumn: 5)
        #expect(outside == .data(.labelColumnNotFound(file: unnamed.path, column: "at index 5 (the file has 2 columns)", available: ["a", "b"])))
    }

    @Test func nonNumericCellsPassThroughWithLineAndColumn() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let source = try dir.write("1,2,0\n3,4,1\n5,6,0\n", to: "s.csv")
        let target = try dir.write("x1,x2\n1,2\n3,abc\n", to: "words.csv")
        let error = loadError(source: source, target: target, mentioning: ["words.csv", "line 3", "column 2", "'abc'"])
        #expect(error == .data(.nonNumericCell(file: target.path, line: 3, column: 2, text: "abc")))
        // A word in the source's label column is a label that is not an integer.
        let wordLabel = try dir.write("1,2,0\n3,4,cat\n5,6,1\n", to: "cat.csv")
        #expect(loadError(source: wordLabel, target: target) == .data(.labelNotInteger(file: wordLabel.path, line: 2, column: 3, text: "cat")))
    }

    @Test func labelValues() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let source = try dir.write("1,2,0\n3,4,2\n5,6,1\n", to: "three-classes.csv")
        // Target row 2 has label 3, but the source's classes are 0, 1, 2.
        let target = try dir.write("1,2,1\n3,4,3\n5,6,0\n", to: "bad-target.csv")
        let outOfRange = loadError(source: source, target: target, mentioning: ["bad-target.csv", "three-classes.csv", "row 2"])
        #expect(outOfRange == .targetLabelOutOfRange(file: target.path, row: 2, label: 3, classCount: 3, sourceFile: source.path))

        let negative = try dir.write("1,2,0\n3,4,1\n5,6,-1\n", to: "negative.csv")
        #expect(loadError(source: negative, target: source) == .negativeLabel(file: negative.path, row: 3, label: -1))
        #expect(loadError(source: source, target: negative, mentioning: ["negative.csv"]) == .negativeLabel(file: negative.path, row: 3, label: -1))

        let fraction = try dir.write(Tensor([1, 2, 0, 3, 4, 1.5, 5, 6, 1] as [Double], shape: [3, 3]), to: "fraction.npy")
        #expect(loadError(source: fraction, target: source) == .labelNotWholeNumber(file: fraction.path, row: 2, value: "1.5"))
        let huge = try dir.write(Tensor([1, 2, 0, 3, 4, 3e9] as [Double], shape: [2, 3]), to: "huge.npy")
        #expect(loadError(source: huge, target: source) == .labelNotWholeNumber(file: huge.path, row: 2, value: "3000000000.0"))

        let oneClass = try dir.write("1,2,4\n3,4,4\n5,6,4\n", to: "one-class.csv")
        #expect(loadError(source: oneClass, target: source) == .singleClass(file: oneClass.path, label: 4))
    }

    @Test func nonFiniteFeatures() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let good = try dir.write("1,2,0\n3,4,1\n5,6,0\n", to: "good.csv")
        // The label comes first, so the second feature is file column 3.
        let nan = try dir.write("label,a,b\n0,1,2\n1,3,nan\n0,5,6\n", to: "nan.csv")
        #expect(loadError(source: nan, target: good) == .nonFiniteFeature(file: nan.path, row: 2, column: 3, value: "nan"))
        // A float64 too large for float32.
        let large = try dir.write(Tensor([1, 2, 3, 1e300] as [Double], shape: [2, 2]), to: "large.npy")
        #expect(loadError(source: good, target: large, mentioning: ["large.npy"])
            == .nonFiniteFeature(file: large.path, row: 2, column: 2, value: "inf"))
    }

    @Test func rowCountsAndTestFraction() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let source = try dir.write("1,2,0\n3,4,1\n5,6,0\n", to: "three.csv")
        let two = try dir.write("1,2\n3,4\n", to: "two.csv")
        // Two rows with test fraction 0.2: round(1.6) = 2 train rows and none to test.
        #expect(loadError(source: source, target: two, mentioning: ["two.csv", "at least 3"])
            == .tooFewRows(file: two.path, rows: 2, needed: 3, testFraction: 0.2))
        #expect(try DomainData.files(source: source, target: two, testFraction: 0.5, seed: 0).targetTest.count == 1)
        for fraction in [0.0, 1.0, -0.5, .nan] {
            let error = thrownError(DomainDataError.self) { _ = try DomainData.files(source: source, target: two, testFraction: fraction, seed: 0) }
            #expect(error?.description.contains("test fraction") == true)
            if case .invalidTestFraction? = error {} else { Issue.record("expected invalidTestFraction, got \(String(describing: error))") }
        }
    }

    @Test func npyShapeAndElementType() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let good = try dir.write("1,2,0\n3,4,1\n5,6,0\n", to: "good.csv")
        let vector = try dir.write(Tensor([1, 2, 3] as [Float], shape: [3]), to: "vector.npy")
        #expect(loadError(source: vector, target: good) == .notAMatrix(file: vector.path, shape: [3]))
        let flags = try dir.write(Tensor([true, false, true, true, false, false] as [Bool], shape: [3, 2]), to: "flags.npy")
        #expect(loadError(source: good, target: flags, mentioning: ["flags.npy"]) == .unsupportedElementType(file: flags.path, dtype: .bool))
        let matrix = try dir.write(Tensor([1, 2, 0, 3, 4, 1, 5, 6, 0] as [Float], shape: [3, 3]), to: "matrix.npy")
        #expect(loadError(source: matrix, target: good, labelColumn: "label") == .namedLabelColumnInNPY(file: matrix.path, name: "label"))
    }

    @Test func missingAndBrokenFilesPassThrough() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let good = try dir.write("1,2,0\n3,4,1\n5,6,0\n", to: "good.csv")
        let absentCSV = dir.file("absent.csv")
        #expect(loadError(source: absentCSV, target: good) == .data(.fileNotFound(file: absentCSV.path)))
        let absentNPY = dir.file("absent.npy")
        #expect(loadError(source: good, target: absentNPY, mentioning: ["absent.npy"]) == .npy(.fileNotFound(file: absentNPY.path)))
        let notNPY = try dir.write("1,2\n", to: "text.npy")
        #expect(loadError(source: good, target: notNPY, mentioning: ["text.npy"]) == .npy(.badMagic(file: notNPY.path)))
    }
}
