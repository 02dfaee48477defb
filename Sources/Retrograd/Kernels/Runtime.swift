import CRetrogradRuntime

/// The one route from Swift into the runtime support (CRetrogradRuntime): the current
/// thread's slots for its tape stack and anomaly monitor, its tape clock, and the tuning of
/// the C allocator. Swift has no cheap thread-local storage, so these live in C as
/// `_Thread_local` variables that an op reads with one load. (The constant cache, the third
/// thread-local, is read by `ScalarConstants`.)
enum Runtime {
    /// The current thread's `TapeStack`, retained while set (nil while no tape records here).
    @inline(__always) static var tapeStack: UnsafeMutableRawPointer? {
        get { rg_thread_slot_get() }
        set { rg_thread_slot_set(newValue) }
    }

    /// The current thread's `AnomalyMonitor`, retained while set (nil while no scope is open).
    @inline(__always) static var anomalyMonitor: UnsafeMutableRawPointer? {
        get { rg_anomaly_slot_get() }
        set { rg_anomaly_slot_set(newValue) }
    }

    /// How many tapes the current thread has made.
    @inline(__always) static var tapeClock: UInt64 { UInt64(rg_tape_clock()) }

    /// Counts a new tape on the current thread and returns the new count.
    static func advanceTapeClock() -> UInt64 { UInt64(rg_tape_clock_advance()) }

    /// Whether the C allocator was told to keep large freed blocks for reuse
    /// (`RETROGRAD_MALLOC=system` leaves it alone); evaluated once, on first use.
    static let memoryConfigured: Bool = rg_configure_memory() == 1
}
