// A generic per-thread pointer slot for the Swift side (for example, the active tape of
// the current thread). The C kernels never use it.
#ifndef RETROGRAD_THREAD_H
#define RETROGRAD_THREAD_H

#ifdef __cplusplus
extern "C" {
extern thread_local void *rg_thread_slot_storage;
}
#else
extern _Thread_local void *rg_thread_slot_storage;
#endif

/// The pointer stored for the calling thread (NULL until set).
static inline void *rg_thread_slot_get(void) { return rg_thread_slot_storage; }

/// Stores `p` for the calling thread.
static inline void rg_thread_slot_set(void *p) { rg_thread_slot_storage = p; }

#endif
