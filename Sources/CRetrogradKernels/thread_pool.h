// A small persistent thread pool for the fallback GEMM. Not a public header.
//
// One caller at a time owns the pool (rg_pool_acquire); a second caller that finds it
// busy is told so and runs on its own thread instead of waiting. The owner may use the
// pool's per-slot scratch buffers (slot 0 is its own) and run tasks on the workers.
#ifndef RETROGRAD_THREAD_POOL_H
#define RETROGRAD_THREAD_POOL_H

#include <stddef.h>

/// The most threads (the caller included) the pool ever uses.
#define RG_POOL_MAX_THREADS 16

/// The number of threads the fallback GEMM uses: RETROGRAD_THREADS when it is a positive
/// number, else the CPUs this process may run on; at most RG_POOL_MAX_THREADS. Read once.
int rg_pool_threads(void);

/// Takes the pool for the calling thread; returns 1, or 0 when another thread has it.
int rg_pool_acquire(void);

/// Gives the pool back (only after a successful rg_pool_acquire).
void rg_pool_release(void);

/// A 64-byte aligned scratch buffer of at least `bytes` for slot `slot` (0 ≤ slot <
/// rg_pool_threads()), kept and reused across calls (it only grows); NULL when out of
/// memory. Only the pool's owner may ask; tasks running in that slot may use it.
void *rg_pool_buffer(int slot, size_t bytes);

/// Runs fn(ctx, task, slot) once for each task in 0 ..< count, on the calling thread
/// (slot 0) and at most threads − 1 workers (slots 1 ..< threads, threads ≤
/// rg_pool_threads()): each claims the next task when it is free, and the call returns
/// when all are done. `count` may exceed `threads`. Only the pool's owner may call it; a
/// task may use the scratch buffer of its slot.
void rg_pool_run(int threads, int count, void (*fn)(void *ctx, int task, int slot), void *ctx);

#endif
