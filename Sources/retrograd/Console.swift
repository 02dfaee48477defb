import Foundation

/// Writes a line straight to standard output, unbuffered, so it stays in order with the
/// progress lines (which are written the same way) when output goes to a pipe or a log.
func printLine(_ text: String = "") {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}
