import Foundation

/// Set by the first Ctrl-C (SIGINT), so a long job can stop at a safe point (after an
/// epoch's checkpoint) instead of dying mid-write. A second Ctrl-C ends the process at once.
struct InterruptFlag {
    /// Installs the handler and returns the flag it sets.
    static func install() -> InterruptFlag {
        signal(SIGINT) { _ in
            interruptRequested = 1
            // Only async-signal-safe calls here: a static string and write(2).
            let message: StaticString = "\nStopping after this epoch (its checkpoint is kept); press Ctrl-C again to quit now.\n"
            _ = write(STDERR_FILENO, message.utf8Start, message.utf8CodeUnitCount)
            signal(SIGINT, SIG_DFL)
        }
        return InterruptFlag()
    }

    /// Whether Ctrl-C was pressed.
    var isSet: Bool { interruptRequested != 0 }
}

/// Written only by the signal handler, read between epochs.
nonisolated(unsafe) private var interruptRequested: sig_atomic_t = 0
