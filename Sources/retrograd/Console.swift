import Foundation

// Everything `retrograd` shows goes through these functions, straight to the file
// descriptor and unbuffered, so results, progress lines and the error line stay in the
// order they were written when output goes to a pipe or a log. (Swift's `print` buffers
// standard output when it is not a terminal, and would hold its lines back behind
// progress written here.) The one exception is the Ctrl-C handler in InterruptFlag.swift,
// which may only call write(2).

/// Writes `text` and a line break to standard output.
func printLine(_ text: String = "") {
    writeOutput(text + "\n")
}

/// Writes `text` to standard output as it is, without adding a line break (a progress
/// bar redraws its line with a carriage return).
func writeOutput(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}

/// Writes `text` and a line break to standard error.
func printErrorLine(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
