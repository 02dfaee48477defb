// Runtime support for Retrograd's Swift side: per-thread slots (the tape stack and the
// anomaly monitor of the current thread), the per-thread tape clock, the per-thread cache
// of 0-d constants, and tuning of the C allocator for large tensors. Swift has no cheap
// thread-local storage of its own, hence C. The numeric kernels (CRetrogradKernels) never
// use any of it.
#ifndef RETROGRAD_RUNTIME_H
#define RETROGRAD_RUNTIME_H

/// One entry of the per-thread cache of 0-d constant tensors (see `ScalarConstants` on
/// the Swift side): the value's bits, its element type and a retained storage object.
typedef struct {
    unsigned long long bits;
    int dtype;
    void *object;
} rg_constant_entry;

#define RG_CONSTANT_CACHE_SIZE 64

#ifdef __cplusplus
extern "C" {
extern thread_local void *rg_thread_slot_storage;
extern thread_local void *rg_anomaly_slot_storage;
extern thread_local rg_constant_entry rg_constant_cache[RG_CONSTANT_CACHE_SIZE];
extern thread_local unsigned long long rg_tape_clock_storage;
#else
extern _Thread_local void *rg_thread_slot_storage;
extern _Thread_local void *rg_anomaly_slot_storage;
extern _Thread_local rg_constant_entry rg_constant_cache[RG_CONSTANT_CACHE_SIZE];
extern _Thread_local unsigned long long rg_tape_clock_storage;
#endif

/// The calling thread's tape stack (NULL while no tape records on it).
static inline void *rg_thread_slot_get(void) { return rg_thread_slot_storage; }

/// Stores the calling thread's tape stack.
static inline void rg_thread_slot_set(void *p) { rg_thread_slot_storage = p; }

/// The calling thread's anomaly monitor (NULL while no anomaly detection scope is open).
static inline void *rg_anomaly_slot_get(void) { return rg_anomaly_slot_storage; }

/// Stores the calling thread's anomaly monitor.
static inline void rg_anomaly_slot_set(void *p) { rg_anomaly_slot_storage = p; }

/// The calling thread's tape clock: how many tapes it has made (see `TapeClock`).
static inline unsigned long long rg_tape_clock(void) { return rg_tape_clock_storage; }

/// Advances the calling thread's tape clock and returns the new value.
static inline unsigned long long rg_tape_clock_advance(void) { return ++rg_tape_clock_storage; }

/// Entry `index` (below RG_CONSTANT_CACHE_SIZE) of the calling thread's constant cache.
static inline rg_constant_entry *rg_constant_cache_entry(int index) { return &rg_constant_cache[index]; }

/// Makes sure `release` is called on every object in the calling thread's constant cache
/// when the thread exits. Call it before a thread first stores an object.
void rg_constant_cache_register(void (*release)(void *));

#ifdef __cplusplus
}
#endif

/// Tunes the C allocator for large tensors (glibc: large freed blocks are kept and reused
/// instead of being unmapped and faulted in again). RETROGRAD_MALLOC=system leaves the
/// allocator alone. Returns 1 when the settings were applied.
int rg_configure_memory(void);

#endif
