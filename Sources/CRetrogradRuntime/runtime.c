// Storage behind retrograd_runtime.h: the per-thread slots, clock and constant cache.
#include <pthread.h>
#include <stddef.h>

#include "retrograd_runtime.h"

_Thread_local void *rg_thread_slot_storage = NULL;
_Thread_local void *rg_anomaly_slot_storage = NULL;
_Thread_local rg_constant_entry rg_constant_cache[RG_CONSTANT_CACHE_SIZE];
_Thread_local unsigned long long rg_tape_clock_storage = 0;

static _Thread_local int constant_cache_registered = 0;
static pthread_key_t constant_cache_key;
static pthread_once_t constant_cache_once = PTHREAD_ONCE_INIT;
static void (*constant_release)(void *) = NULL;

// Runs at thread exit (the key's value is non-NULL once the thread registered).
static void release_constant_cache(void *unused) {
    (void)unused;
    for (int i = 0; i < RG_CONSTANT_CACHE_SIZE; i++) {
        void *object = rg_constant_cache[i].object;
        rg_constant_cache[i].object = NULL;
        if (object != NULL && constant_release != NULL) constant_release(object);
    }
}

static void make_constant_cache_key(void) { pthread_key_create(&constant_cache_key, release_constant_cache); }

void rg_constant_cache_register(void (*release)(void *)) {
    if (constant_cache_registered) return;
    pthread_once(&constant_cache_once, make_constant_cache_key);
    constant_release = release;
    pthread_setspecific(constant_cache_key, (void *)1);
    constant_cache_registered = 1;
}
