import Foundation

extension DomainData {
    /// Loads a domain-adaptation problem from a labelled source file and a target file,
    /// as `retrograd dann --source FILE --target FILE` does.
    ///
    /// ```swift
    /// let data = try DomainData.files(
    ///     source: URL(fileURLWithPath: "lab.csv"), target: URL(fileURLWithPath: "field.npy"), seed: 42)
    /// ```
    ///
    /// **Formats.** A file ending in `.csv` or `.txt` is comma-separated text read by
    /// `CSVFile`: every cell a number, and a header row when `header` says so or, with
    /// `CSVFile.Header.auto`, when the first row has no number in it or `labelColumn` is a
    /// name. A file ending in `.npy` holds one 2-D float or integer array, one row per example.
    /// The two files may be in different formats. Features become float32.
    ///
    /// **The source's labels.** The source must be labelled. Its label column is
    /// `labelColumn` when given (a name needs a CSV header; an index counts from 0, negative
    /// from the end), else the column named `label` in a CSV header, else the last column.
    /// Every other column is a feature. Labels are class indices 0, 1, 2, …: whole numbers
    /// (`2.0` is 2), not negative, with at least two distinct values; `classCount` is the
    /// largest source label plus one.
    ///
    /// **The target's labels are optional** and used only to evaluate. A CSV target whose
    /// header has the label column by name (`labelColumn` when it is a name; `label` when
    /// `labelColumn` is `nil`) is labelled by that column. Otherwise the column count
    /// decides: as many columns as the source has features means unlabelled; one more
    /// means labelled, with the label in the `labelColumn` index or else the last column.
    /// Any other count is a
    /// ``DomainDataError/featureCountMismatch(sourceFile:sourceFeatures:targetFile:targetColumns:)``.
    /// Target labels must be classes of the source (below `classCount`).
    ///
    /// **Splits.** Each file is shuffled and split into training and test rows with
    /// `Dataset.split(fraction:seed:)` (training fraction `1 - testFraction`): the source
    /// with `seed`, the target with `seed &+ 1`, so the same seed always gives the same
    /// splits. Both splits of both files must get at least one row. A labelled target keeps
    /// its labels in ``targetTrain`` too (so reports can show them), but training never reads
    /// them: the target's training rows are seen only by the domain classifier.
    ///
    /// The problem is named `"<source file name> → <target file name>"`.
    ///
    /// - Parameters:
    ///   - source: The labelled source-domain file.
    ///   - target: The target-domain file, labelled or not.
    ///   - labelColumn: The label column of both files, or `nil` for the default above.
    ///   - header: Whether the first row of each CSV file is a header (`.npy` files have none).
    ///   - testFraction: The share of each file's rows held out for testing, strictly between 0 and 1.
    ///   - seed: Fixes the shuffles behind the splits.
    /// - Throws: A ``DomainDataError`` naming the file: format, column-count, label and row-count
    ///   errors of its own, and the reader's errors (missing file, non-numeric cell with its line
    ///   and column, broken `.npy`) wrapped in ``DomainDataError/data(_:)`` or ``DomainDataError/npy(_:)``.
    public static func files(
        source: URL, target: URL, labelColumn: CSVFile.LabelColumn? = nil, header: CSVFile.Header = .auto,
        testFraction: Double = 0.2, seed: UInt64
    ) throws(DomainDataError) -> DomainData {
        guard testFraction > 0 && testFraction < 1 else { throw .invalidTestFraction(testFraction) }
        let sourceData = try DomainFile.read(source, labelColumn: labelColumn, header: header, role: .source)
        try DomainFile.checkRowCount(sourceData, file: source, testFraction: testFraction)
        let targetData = try DomainFile.read(
            target, labelColumn: labelColumn, header: header,
            role: .target(sourceFeatures: sourceData.featureCount, sourceFile: source.path))
        try DomainFile.checkRowCount(targetData, file: target, testFraction: testFraction)

        let sourceLabels = sourceData.labelScalars ?? []
        let sourceClasses = Set(sourceLabels)
        if let row = sourceLabels.firstIndex(where: { $0 < 0 }) {
            throw .negativeLabel(file: source.path, row: row + 1, label: Int(sourceLabels[row]))
        }
        guard sourceClasses.count >= 2 else { throw .singleClass(file: source.path, label: Int(sourceLabels.first ?? 0)) }
        let classCount = Int(sourceClasses.max() ?? 0) + 1
        if let targetLabels = targetData.labelScalars {
            if let row = targetLabels.firstIndex(where: { $0 < 0 }) {
                throw .negativeLabel(file: target.path, row: row + 1, label: Int(targetLabels[row]))
            }
            if let row = targetLabels.firstIndex(where: { Int($0) >= classCount }) {
                throw .targetLabelOutOfRange(
                    file: target.path, row: row + 1, label: Int(targetLabels[row]), classCount: classCount, sourceFile: source.path)
            }
        }

        let (sourceTrain, sourceTest) = sourceData.split(fraction: 1 - testFraction, seed: seed)
        let (targetTrain, targetTest) = targetData.split(fraction: 1 - testFraction, seed: seed &+ 1)
        return DomainData(
            name: "\(source.lastPathComponent) → \(target.lastPathComponent)",
            sourceTrain: sourceTrain, targetTrain: targetTrain, sourceTest: sourceTest, targetTest: targetTest,
            classCount: classCount)
    }
}

/// Reading one file of a domain-adaptation problem into a dataset, before splitting.
enum DomainFile {
    /// Which file is being read; the target is checked against the source's feature count.
    enum Role {
        case source
        case target(sourceFeatures: Int, sourceFile: String)
    }

    /// The file as a float32 dataset, labelled (int32) when it has a label column.
    static func read(
        _ url: URL, labelColumn: CSVFile.LabelColumn?, header: CSVFile.Header, role: Role
    ) throws(DomainDataError) -> Dataset {
        let (data, labelIndex): (Dataset, Int?)
        switch url.pathExtension.lowercased() {
        case "csv", "txt": (data, labelIndex) = try readCSV(url, labelColumn: labelColumn, header: header, role: role)
        case "npy": (data, labelIndex) = try readNPY(url, labelColumn: labelColumn, role: role)
        default: throw .unsupportedFormat(file: url.path, extension: url.pathExtension)
        }
        let values = data.features.scalars(as: Float.self)
        if let index = values.firstIndex(where: { !$0.isFinite }) {
            let (row, feature) = index.quotientAndRemainder(dividingBy: data.featureCount)
            let column = labelIndex.map { feature >= $0 ? feature + 1 : feature } ?? feature
            throw .nonFiniteFeature(file: url.path, row: row + 1, column: column + 1, value: "\(values[index])")
        }
        return data
    }

    /// A CSV file, with its label column (0-based) if it has one.
    private static func readCSV(
        _ url: URL, labelColumn: CSVFile.LabelColumn?, header: CSVFile.Header, role: Role
    ) throws(DomainDataError) -> (Dataset, Int?) {
        // A label column given by name needs the header row that holds the names.
        var firstRow = header
        if case .name? = labelColumn, header == .auto { firstRow = .present }
        let columns: CSVFile.Columns
        do throws(DataError) { columns = try CSVFile.columns(url: url, header: firstRow) } catch { throw .data(error) }
        let labelIndex = try chooseLabelColumn(
            file: url.path, columns: columns.count, names: columns.names, requested: labelColumn, role: role)
        do throws(DataError) {
            let header: CSVFile.Header = columns.names == nil ? .absent : .present
            return (try CSVFile.load(url: url, labelColumn: labelIndex.map { .index($0) }, header: header), labelIndex)
        } catch {
            throw .data(error)
        }
    }

    /// A `.npy` file, with its label column (0-based) if it has one.
    private static func readNPY(
        _ url: URL, labelColumn: CSVFile.LabelColumn?, role: Role
    ) throws(DomainDataError) -> (Dataset, Int?) {
        let array: Tensor
        do throws(NPYError) { array = try NPY.read(url) } catch { throw .npy(error) }
        guard array.rank == 2 else { throw .notAMatrix(file: url.path, shape: array.shape) }
        guard array.dtype != .bool else { throw .unsupportedElementType(file: url.path, dtype: array.dtype) }
        if case .name(let name)? = labelColumn { throw .namedLabelColumnInNPY(file: url.path, name: name) }
        let (rows, columns) = (array.shape[0], array.shape[1])
        let labelIndex = try chooseLabelColumn(file: url.path, columns: columns, names: nil, requested: labelColumn, role: role)
        let featureCount = columns - (labelIndex == nil ? 0 : 1)

        let values = array.scalars(as: Double.self)
        var features = [Float]()
        features.reserveCapacity(rows * featureCount)
        var labels = [Int32]()
        for row in 0..<rows {
            for column in 0..<columns {
                let value = values[row * columns + column]
                guard column == labelIndex else {
                    features.append(Float(value))
                    continue
                }
                guard value.rounded() == value, let label = Int32(exactly: value) else {
                    throw .labelNotWholeNumber(file: url.path, row: row + 1, value: "\(value)")
                }
                labels.append(label)
            }
        }
        let matrix = Tensor(features, shape: [rows, featureCount])
        do throws(DataError) {
            return (try Dataset(features: matrix, labels: labelIndex == nil ? nil : Tensor(labels, shape: [rows])), labelIndex)
        } catch {
            throw .data(error)
        }
    }

    /// The 0-based label column of a file with `columns` columns (and header `names`, if
    /// any), or `nil` for an unlabelled target. The rules are those of
    /// ``DomainData/files(source:target:labelColumn:header:testFraction:seed:)``.
    private static func chooseLabelColumn(
        file: String, columns: Int, names: [String]?, requested: CSVFile.LabelColumn?, role: Role
    ) throws(DomainDataError) -> Int? {
        var wantedName: String?
        switch requested {
        case .name(let name)?: wantedName = name
        case nil: wantedName = "label"
        case .index?: wantedName = nil
        }
        let named = wantedName.flatMap { names?.firstIndex(of: $0) }

        switch role {
        case .source:
            guard columns >= 2 else { throw .missingLabels(file: file, columns: columns) }
            if let named { return named }
            switch requested {
            case .name(let name)?:
                throw .data(.labelColumnNotFound(file: file, column: "named '\(name)'", available: names ?? []))
            case .index(let index)?:
                return try resolve(index, columns: columns, file: file, names: names)
            case nil:
                return columns - 1
            }
        case let .target(sourceFeatures, sourceFile):
            let mismatch = DomainDataError.featureCountMismatch(
                sourceFile: sourceFile, sourceFeatures: sourceFeatures, targetFile: file, targetColumns: columns)
            if let named {
                guard columns == sourceFeatures + 1 else { throw mismatch }
                return named
            }
            if columns == sourceFeatures { return nil }
            guard columns == sourceFeatures + 1 else { throw mismatch }
            if case .index(let index)? = requested { return try resolve(index, columns: columns, file: file, names: names) }
            return columns - 1
        }
    }

    /// A label column index, negative counting from the end, checked against the column count.
    private static func resolve(_ index: Int, columns: Int, file: String, names: [String]?) throws(DomainDataError) -> Int {
        let resolved = index < 0 ? index + columns : index
        guard resolved >= 0 && resolved < columns else {
            throw .data(.labelColumnNotFound(
                file: file, column: "at index \(index) (the file has \(columns) columns)", available: names ?? []))
        }
        return resolved
    }

    /// Throws ``DomainDataError/tooFewRows(file:rows:needed:testFraction:)`` unless both
    /// splits of `data` get at least one row.
    static func checkRowCount(_ data: Dataset, file: URL, testFraction: Double) throws(DomainDataError) {
        guard bothSplitsNonEmpty(rows: data.count, testFraction: testFraction) else {
            throw .tooFewRows(file: file.path, rows: data.count, needed: rowsNeeded(testFraction: testFraction), testFraction: testFraction)
        }
    }

    /// Whether splitting `rows` rows with `testFraction` leaves both parts non-empty
    /// (``Dataset/split(fraction:seed:)`` rounds the training count to the nearest row).
    static func bothSplitsNonEmpty(rows: Int, testFraction: Double) -> Bool {
        let trainCount = Int((Double(rows) * (1 - testFraction)).rounded())
        return trainCount >= 1 && trainCount < rows
    }

    /// The fewest rows that ``bothSplitsNonEmpty(rows:testFraction:)`` accepts.
    static func rowsNeeded(testFraction: Double) -> Int {
        // Both parts are non-empty once each would get at least half a row.
        let estimate = (0.5 / Swift.min(testFraction, 1 - testFraction)).rounded(.down)
        guard estimate < 1e12 else { return Int(Swift.min(estimate, 1e18)) }
        var rows = Swift.max(2, Int(estimate) - 1)
        while !bothSplitsNonEmpty(rows: rows, testFraction: testFraction) { rows += 1 }
        return rows
    }
}
