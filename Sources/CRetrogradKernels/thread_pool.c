// The fallback GEMM's thread pool (see thread_pool.h).
//
// A call posts its tasks (a new generation) and every thread, the caller included,
// claims tasks from a shared counter until none are left. On a busy machine a worker
// may start late or not at all before the caller has claimed everything: then the
// caller simply runs the tasks itself, so a call is never much slower than on one
// thread. Workers start on first use; after a generation they spin for a short while
// (RG_POOL_SPIN_NS) so that back-to-back products do not pay to wake them, then sleep
// on a condition variable.
#define _GNU_SOURCE  // sched_getaffinity and CPU_COUNT on glibc
#include "thread_pool.h"

#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/// How long an idle worker, or the caller waiting for the last task, spins before it
/// sleeps: waking a sleeping thread costs tens of microseconds.
#define RG_POOL_SPIN_NS 200000

typedef void (*rg_task_fn)(void *ctx, int task, int slot);

static struct {
    pthread_mutex_t owner;  // held by the thread using the pool
    pthread_mutex_t lock;   // guards the fields below; some are also read while spinning
    pthread_cond_t wake;    // a new generation was posted
    pthread_cond_t done;    // a worker left the current generation
    int threads;            // the pool's size, caller included
    int workers;            // workers started so far
    int sleepers;           // workers waiting on `wake`
    int caller_waiting;     // the caller waits on `done`
    unsigned long generation;  // (atomic)
    int open;      // workers may still join the current generation
    int active;    // workers that joined it and have not left (atomic)
    int slots;     // workers with a slot below this may join
    rg_task_fn fn;
    void *ctx;
    int count;     // tasks in the current generation
    int next;      // the next unclaimed task (atomic)
    int finished;  // tasks completed (atomic)
    void *buffer[RG_POOL_MAX_THREADS];
    size_t capacity[RG_POOL_MAX_THREADS];
} pool = {
    .owner = PTHREAD_MUTEX_INITIALIZER,
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .wake = PTHREAD_COND_INITIALIZER,
    .done = PTHREAD_COND_INITIALIZER,
};

static pthread_once_t pool_once = PTHREAD_ONCE_INIT;

/// A forked child has only the forking thread: forget the workers (the buffers stay valid).
static void pool_after_fork(void)
{
    pthread_mutex_init(&pool.owner, NULL);
    pthread_mutex_init(&pool.lock, NULL);
    pthread_cond_init(&pool.wake, NULL);
    pthread_cond_init(&pool.done, NULL);
    pool.workers = 0;
    pool.sleepers = 0;
    pool.caller_waiting = 0;
    pool.open = 0;
    pool.active = 0;
}

static int cpu_count(void)
{
#if defined(__linux__)
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        const int n = CPU_COUNT(&set);
        if (n > 0) return n;
    }
#endif
    const long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

static void pool_init(void)
{
    int n = cpu_count();
    const char *env = getenv("RETROGRAD_THREADS");
    if (env && *env) {
        char *end;
        const long v = strtol(env, &end, 10);
        if (*end == 0 && v > 0) n = v > RG_POOL_MAX_THREADS ? RG_POOL_MAX_THREADS : (int)v;
    }
    pool.threads = n < 1 ? 1 : n > RG_POOL_MAX_THREADS ? RG_POOL_MAX_THREADS : n;
    pthread_atfork(NULL, NULL, pool_after_fork);
}

int rg_pool_threads(void)
{
    pthread_once(&pool_once, pool_init);
    return pool.threads;
}

int rg_pool_acquire(void)
{
    pthread_once(&pool_once, pool_init);
    return pthread_mutex_trylock(&pool.owner) == 0;
}

void rg_pool_release(void) { pthread_mutex_unlock(&pool.owner); }

void *rg_pool_buffer(int slot, size_t bytes)
{
    if (slot < 0 || slot >= RG_POOL_MAX_THREADS) return NULL;
    if (pool.capacity[slot] >= bytes) return pool.buffer[slot];
    free(pool.buffer[slot]);
    const size_t rounded = (bytes + 4095) / 4096 * 4096;
    pool.buffer[slot] = aligned_alloc(64, rounded);
    pool.capacity[slot] = pool.buffer[slot] ? rounded : 0;
    return pool.buffer[slot];
}

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

static int64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/// Spins until *value != unwanted (returns 1) or RG_POOL_SPIN_NS pass (returns 0).
static int spin_while_equal(const unsigned long *value, unsigned long unwanted)
{
    const int64_t start = now_ns();
    for (;;) {
        for (int i = 0; i < 64; i++) {
            if (__atomic_load_n(value, __ATOMIC_ACQUIRE) != unwanted) return 1;
            cpu_relax();
        }
        if (now_ns() - start > RG_POOL_SPIN_NS) return 0;
    }
}

/// Claims and runs tasks of the current generation until none are left.
static void run_tasks(rg_task_fn fn, void *ctx, int count, int slot)
{
    for (;;) {
        const int i = __atomic_fetch_add(&pool.next, 1, __ATOMIC_RELAXED);
        if (i >= count) return;
        fn(ctx, i, slot);
        __atomic_fetch_add(&pool.finished, 1, __ATOMIC_RELEASE);
    }
}

static void *worker_main(void *arg)
{
    const int slot = (int)(intptr_t)arg;
    unsigned long seen = 0;
    for (;;) {
        spin_while_equal(&pool.generation, seen);
        pthread_mutex_lock(&pool.lock);
        while (pool.generation == seen) {
            pool.sleepers++;
            pthread_cond_wait(&pool.wake, &pool.lock);
            pool.sleepers--;
        }
        seen = pool.generation;
        // Too late (the caller has taken every task), or not needed this time.
        if (!pool.open || slot >= pool.slots) {
            pthread_mutex_unlock(&pool.lock);
            continue;
        }
        __atomic_store_n(&pool.active, pool.active + 1, __ATOMIC_RELAXED);
        const rg_task_fn fn = pool.fn;
        void *const ctx = pool.ctx;
        const int count = pool.count;
        pthread_mutex_unlock(&pool.lock);
        run_tasks(fn, ctx, count, slot);
        pthread_mutex_lock(&pool.lock);
        __atomic_store_n(&pool.active, pool.active - 1, __ATOMIC_RELEASE);
        if (pool.caller_waiting) pthread_cond_signal(&pool.done);
        pthread_mutex_unlock(&pool.lock);
    }
    return NULL;
}

/// Starts workers until `count` − 1 run (or creation fails).
static void ensure_workers(int count)
{
    while (pool.workers < count - 1) {
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        pthread_t thread;
        // Always followed, under the same lock, by posting a generation: the new worker
        // (seen = 0) may take part in that one.
        const int failed = pthread_create(&thread, &attr, worker_main,
                                          (void *)(intptr_t)(pool.workers + 1));
        pthread_attr_destroy(&attr);
        if (failed) break;
        pool.workers++;
    }
}

/// True when every task is done and no worker is still inside the generation.
static int generation_done(int count)
{
    return __atomic_load_n(&pool.finished, __ATOMIC_ACQUIRE) >= count &&
           __atomic_load_n(&pool.active, __ATOMIC_ACQUIRE) == 0;
}

void rg_pool_run(int threads, int count, rg_task_fn fn, void *ctx)
{
    if (count <= 0) return;
    int wanted = count < pool.threads ? count : pool.threads;
    if (threads < wanted) wanted = threads;
    if (wanted <= 1) {
        for (int i = 0; i < count; i++) fn(ctx, i, 0);
        return;
    }
    pthread_mutex_lock(&pool.lock);
    ensure_workers(wanted);
    pool.fn = fn;
    pool.ctx = ctx;
    pool.count = count;
    pool.slots = wanted;
    pool.next = 0;
    pool.finished = 0;
    pool.open = 1;
    __atomic_store_n(&pool.generation, pool.generation + 1, __ATOMIC_RELEASE);
    // Spinning workers see the new generation by themselves; sleeping ones are woken
    // (those with a slot too high go back to sleep).
    if (pool.sleepers > 0) pthread_cond_broadcast(&pool.wake);
    pthread_mutex_unlock(&pool.lock);

    run_tasks(fn, ctx, count, 0);

    // Wait for the tasks joined workers still run: spin briefly, then sleep. Once `open`
    // is cleared no worker joins, and a worker that joined signals when it leaves.
    const int64_t start = now_ns();
    while (!generation_done(count) && now_ns() - start < RG_POOL_SPIN_NS)
        for (int i = 0; i < 64; i++) cpu_relax();
    pthread_mutex_lock(&pool.lock);
    pool.open = 0;
    while (!generation_done(count)) {
        pool.caller_waiting = 1;
        pthread_cond_wait(&pool.done, &pool.lock);
    }
    pool.caller_waiting = 0;
    pthread_mutex_unlock(&pool.lock);
}
