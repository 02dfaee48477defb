import Foundation

/// Why a DANN run could not start, continue or write its results. Each message says what
/// went wrong and what to do.
public enum DANNError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// A configuration value is out of range.
    case invalidConfiguration(name: String, value: String, rule: String)
    /// The data cannot be trained on (too few rows, no source labels, a class missing…).
    case unusableData(reason: String)
    /// The network for this data and configuration would have more than
    /// ``DANNConfiguration/maximumParameterCount`` parameters (`parameters` is `nil` when
    /// the count does not even fit in `Int`).
    case modelTooLarge(parameters: Int?, featureCount: Int, hidden: [Int], classCount: Int)
    /// The convolutional model (``DANNArchitecture/cnn``) was given examples that are not
    /// images: `shape` is one example's shape, where `[height, width, channels]` was expected.
    case notImages(shape: [Int])
    /// The images are smaller than the convolutional model's blocks need: each side must
    /// be at least `minimum` pixels (``DANNConvolutionPlan/minimumSide(blocks:)``).
    case imageTooSmall(height: Int, width: Int, minimum: Int)
    /// The output directory already holds a run.
    case runExists(directory: String)
    /// `--resume` names a directory without a run in it.
    case noRunToResume(directory: String)
    /// The run description in a directory to resume cannot be read.
    case damagedRun(file: String, reason: String)
    /// A checkpoint belongs to another run or model than the one being resumed.
    case checkpointMismatch(file: String, reason: String)
    /// A checkpoint could not be read or written.
    case checkpoint(CheckpointError)
    /// An output file or directory could not be written.
    case writeFailed(path: String, reason: String)

    /// A sentence that says what went wrong and what to do.
    public var description: String {
        switch self {
        case let .invalidConfiguration(name, value, rule):
            return "--\(name) must be \(rule), got \(value)."
        case let .unusableData(reason):
            return "The data cannot be trained on: \(reason)"
        case let .modelTooLarge(parameters, featureCount, hidden, classCount):
            let count = parameters.map { "\($0)" } ?? "more than \(Int.max)"
            return "The network for \(featureCount) features, hidden widths \(hidden.map(String.init).joined(separator: ",")) "
                + "and \(classCount) classes would have \(count) parameters, more than the limit of "
                + "\(DANNConfiguration.maximumParameterCount). Use smaller --hidden widths; if the class count is "
                + "unexpected, number the labels 0, 1, 2, … (the largest label sets it)."
        case let .notImages(shape):
            return "--model cnn takes images, [height, width, channels] per example, but the examples have shape "
                + "\(shape). Use --model mlp for rows of features (moons, CSV and .npy matrices), or image data such as "
                + "--data digits or --data mnist."
        case let .imageTooSmall(height, width, minimum):
            return "--model cnn needs images of at least \(minimum)×\(minimum) pixels (its poolings halve each side per "
                + "block), but these are \(height)×\(width). Use fewer --hidden blocks or --model mlp."
        case let .runExists(directory):
            return "\(directory) already holds a run. Continue it with --resume \(directory), or choose another --out."
        case let .noRunToResume(directory):
            return "\(directory): there is no run to resume here (no run.json). "
                + "Pass the --out directory of an earlier `retrograd dann` run."
        case let .damagedRun(file, reason):
            return "\(file): the run description is damaged (\(reason)). Start a new run with --out."
        case let .checkpointMismatch(file, reason):
            return "\(file): this checkpoint does not belong to the run being resumed (\(reason)). "
                + "Resume the directory the checkpoint was written in, or start a new run."
        case let .checkpoint(error):
            return error.description
        case let .writeFailed(path, reason):
            return "\(path): cannot write (\(reason)). Check that the directory is writable and the disk is not full."
        }
    }

    /// The same sentence as ``description``.
    public var errorDescription: String? { description }
}
