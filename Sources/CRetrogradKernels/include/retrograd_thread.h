// Per-thread storage for the Swift side: a generic pointer slot (for example, the active
// tape of the current thread), the anomaly monitor and the cache of 0-d constants. The C
// kernels never use it.
#ifndef RETROGRAD_THREAD_H
#define RETROGRAD_THREAD_H

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
}
#else
extern _Thread_local void *rg_thread_slot_storage;
extern _Thread_local void *rg_anomaly_slot_storage;
extern _Thread_local rg_constant_entry rg_constant_cache[RG_CONSTANT_CACHE_SIZE];
extern _Thread_local unsigned long long rg_tape_clock_storage;
#endif

/// The pointer stored for the calling thread (NULL until set).
static inline void *rg_thread_slot_get(void) { return rg_thread_slot_storage; }

/// Stores `p` for the calling thread.
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

#endif
