import DomainAdaptation
import Foundation
import RetrogradData

/// How `retrograd` words the errors of reading its data files (`--source` and `--target`,
/// and the checkpoints of a run to `--resume`).
///
/// The libraries end some of their messages with advice for Swift code ("pass header:
/// true", "pass labelColumn: .index(i)", "pass strict: false"). On the command line the same
/// advice is a flag, or nothing a flag can do. Each such error is worded here from its
/// cases' values: a ``DataError`` keeps the library's ``DataError/problem`` and gets flag
/// advice; the few other cases get their own sentence. Errors whose advice needs no
/// translation (check the path, save as UTF-8, re-save with NumPy, …) keep the library's
/// message, so the result is `nil` for them.
enum DataFileWording {
    /// The message for `error` in the command's terms, or `nil` when its own message fits.
    static func message(for error: any Error) -> String? {
        switch error {
        case let error as DomainDataError: message(for: error)
        case let error as DataError: message(for: error)
        case let error as DANNError: message(for: error)
        default: nil
        }
    }

    private static func message(for error: DomainDataError) -> String? {
        switch error {
        case let .data(error):
            return message(for: error)
        case let .tooFewRows(file, rows, needed, testFraction):
            // The command holds out a fixed share of each file, which no flag changes.
            let percent = String(format: "%g", testFraction * 100)
            return "\(file) has \(rows) row\(rows == 1 ? "" : "s"), too few to hold out \(percent)% for testing "
                + "and train on the rest; it needs at least \(needed). Add rows."
        case let .namedLabelColumnInNPY(file, name):
            return "\(file): a .npy file has no column names, so --label-column \(name) cannot be found. "
                + "Give --label-column the column's 0-based index, or leave it out to use the last column."
        default:
            return nil
        }
    }

    private static func message(for error: DataError) -> String? {
        switch error {
        case let .noDataRows(_, headerLine):
            return error.problem + " Add rows below it, or give --no-header if line \(headerLine) is data."
        case let .nonNumericCell(_, line, _, _):
            return error.problem + " Fix or remove the row; if line \(line) is a header, give --header."
        case .labelColumnNotFound:
            return error.problem + " Give --label-column a 0-based index below the column count "
                + "(negative ones count from the end) or a name from the header row."
        default:
            // The rest advise on the file itself; the Dataset cases do not come from files.
            return nil
        }
    }

    private static func message(for error: DANNError) -> String? {
        guard case let .checkpoint(error) = error else { return nil }
        // Restoring a run's checkpoint into the model its run.json describes: an entry that
        // does not fit means the file is not this run's (or was edited).
        let mismatch: (file: String?, what: String)
        switch error {
        case let .missingEntry(name, file): mismatch = (file, "it has no entry '\(name)', which the model needs")
        case let .unexpectedEntry(name, file): mismatch = (file, "it has an entry '\(name)' that the model does not have")
        case let .shapeMismatch(name, expected, found, file):
            mismatch = (file, "its entry '\(name)' has shape \(found), but the model's has shape \(expected)")
        case let .dtypeMismatch(name, expected, found, file):
            mismatch = (file, "its entry '\(name)' holds \(found), but the model's holds \(expected)")
        default: return nil
        }
        let subject = mismatch.file.map { "\($0): the checkpoint" } ?? "A checkpoint"
        return "\(subject) does not fit the run's model: \(mismatch.what). "
            + "Resume the directory it was written in, or start a new run with --out."
    }
}
