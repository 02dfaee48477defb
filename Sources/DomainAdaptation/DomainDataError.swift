import Foundation

/// An error in loading a domain-adaptation problem from a source file and a target file
/// (``DomainData/files(source:target:labelColumn:header:testFraction:seed:)``), or MNIST
/// and MNIST-M (``DomainData/mnist(from:backgrounds:limit:files:seed:log:)``).
///
/// Every case names the file it is about; ``description`` is one sentence that says what is
/// wrong and what to do. Errors found while reading a file's cells (a missing file, a
/// non-numeric cell, a ragged row, a broken `.npy` header) come through unchanged inside
/// ``data(_:)`` and ``npy(_:)``, with their line and column. Rows in the other cases are
/// data rows counted from 1, not counting a CSV header; columns are file columns counted
/// from 1.
public enum DomainDataError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// The file name does not end in `.csv`, `.txt` or `.npy`.
    case unsupportedFormat(file: String, extension: String)
    /// The test fraction is not strictly between 0 and 1.
    case invalidTestFraction(Double)
    /// The target's columns are neither the source's features nor those plus a label.
    case featureCountMismatch(sourceFile: String, sourceFeatures: Int, targetFile: String, targetColumns: Int)
    /// The source file has too few columns to hold both features and a label.
    case missingLabels(file: String, columns: Int)
    /// A label in a `.npy` file is not a whole number that fits in `Int32`.
    case labelNotWholeNumber(file: String, row: Int, value: String)
    /// A label is below 0.
    case negativeLabel(file: String, row: Int, label: Int)
    /// A target label names a class the source does not have.
    case targetLabelOutOfRange(file: String, row: Int, label: Int, classCount: Int, sourceFile: String)
    /// Every source label is the same class, so there is nothing to classify.
    case singleClass(file: String, label: Int)
    /// A feature is NaN or infinite (or a float64 too large for float32).
    case nonFiniteFeature(file: String, row: Int, column: Int, value: String)
    /// A file has too few rows to give both the training and the test split at least one row.
    case tooFewRows(file: String, rows: Int, needed: Int, testFraction: Double)
    /// A `.npy` array is not two-dimensional.
    case notAMatrix(file: String, shape: Shape)
    /// A `.npy` array holds booleans, which are neither features nor labels.
    case unsupportedElementType(file: String, dtype: DType)
    /// A label column was given by name for a `.npy` file, which has no header.
    case namedLabelColumnInNPY(file: String, name: String)
    /// A CSV file could not be read or parsed; the wrapped error names the file, line and column.
    case data(DataError)
    /// A `.npy` file could not be read or decoded; the wrapped error names the file.
    case npy(NPYError)
    /// MNIST could not be found, downloaded or read (``DomainData/mnist(from:backgrounds:limit:files:seed:log:)``).
    case mnist(MNISTError)
    /// MNIST-M's background images could not be read.
    case mnistM(MNISTMError)

    /// A sentence that says what went wrong, where, and what to do.
    public var description: String {
        switch self {
        case let .unsupportedFormat(file, ext):
            let found = ext.isEmpty ? "has no extension" : "ends in .\(ext)"
            return "\(file): the name \(found); domain data must be a .csv, .txt (comma-separated) or .npy file. "
                + "Rename the file if it is one of these, or convert it."
        case let .invalidTestFraction(fraction):
            return "The test fraction \(fraction) is not between 0 and 1 (exclusive). Pass a value such as 0.2."
        case let .featureCountMismatch(sourceFile, sourceFeatures, targetFile, targetColumns):
            return "\(targetFile) has \(targetColumns) columns, but \(sourceFile) has \(sourceFeatures) features: "
                + "the target needs \(sourceFeatures) columns (unlabelled) or \(sourceFeatures + 1) (features and a label). "
                + "Give both files the same features in the same order."
        case let .missingLabels(file, columns):
            return "\(file) has \(columns) column\(columns == 1 ? "" : "s"), but a source file needs at least one feature "
                + "column and a label column (the column named 'label', or else the last one). Add the class labels."
        case let .labelNotWholeNumber(file, row, value):
            return "\(file): row \(row): label \(value) is not a class index (a whole number that fits in Int32). "
                + "Labels must be 0, 1, 2, …; map class names or values to integers first."
        case let .negativeLabel(file, row, label):
            return "\(file): row \(row): label \(label) is negative. Labels must be class indices 0, 1, 2, …"
        case let .targetLabelOutOfRange(file, row, label, classCount, sourceFile):
            return "\(file): row \(row): label \(label) is not one of the source's classes 0…\(classCount - 1) "
                + "(the largest label in \(sourceFile) is \(classCount - 1)). "
                + "Number the classes the same way in both files, or leave the target unlabelled."
        case let .singleClass(file, label):
            return "\(file): every label is \(label), so there is only one class to learn. "
                + "The source needs examples of at least two classes."
        case let .nonFiniteFeature(file, row, column, value):
            return "\(file): row \(row), column \(column): the feature is \(value), not a finite number. "
                + "Remove the row or fill in the value (float64 values must also fit in float32)."
        case let .tooFewRows(file, rows, needed, testFraction):
            return "\(file) has \(rows) row\(rows == 1 ? "" : "s"), too few to split into training and test rows "
                + "with test fraction \(testFraction); it needs at least \(needed). Add rows or change the test fraction."
        case let .notAMatrix(file, shape):
            return "\(file): the array has shape \(shape), but domain data must be a 2-D [rows, columns] array. "
                + "Reshape it, for example with array.reshape(len(array), -1)."
        case let .unsupportedElementType(file, dtype):
            return "\(file): the array holds \(dtype) values; domain data must be float or integer. "
                + "Convert it, for example with array.astype('<f4')."
        case let .namedLabelColumnInNPY(file, name):
            return "\(file): a .npy file has no column names, so the label column '\(name)' cannot be found. "
                + "Give the label column by index, or leave it out to use the last column."
        case let .data(error):
            return error.description
        case let .npy(error):
            return error.description
        case let .mnist(error):
            return error.description
        case let .mnistM(error):
            return error.description
        }
    }

    /// The same sentence as ``description``, for `localizedDescription`.
    public var errorDescription: String? { description }
}
