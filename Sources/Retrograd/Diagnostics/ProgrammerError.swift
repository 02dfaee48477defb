// The one way Retrograd stops on a programmer error (a shape mismatch, a bad axis, an index
// out of range, a misused API): the message is printed in every build configuration.
// Swift's `precondition` drops its message in optimised builds (`-O`, what `swift build -c
// release` uses), leaving a bare "precondition failure"; `fatalError` keeps it. Everything
// that comes from outside the program (files, data, command lines) throws instead.

/// Stops the program with `message` unless `condition` holds. Unlike `precondition`, the
/// message is printed in release builds too.
@inlinable @inline(__always)
package func checkPrecondition(
    _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
    file: StaticString = #fileID, line: UInt = #line
) {
    if _slowPath(!condition()) { preconditionFailed(message(), file: file, line: line) }
}

/// Stops the program with `message`, printed in every build configuration.
@usableFromInline @inline(never)
package func preconditionFailed(_ message: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    fatalError(message, file: file, line: line)
}
