// Opens Open MPI at run time and forwards the few calls Retrograd makes; see retrograd_mpi.h.
#define _GNU_SOURCE  // dlopen/dlsym declarations on glibc
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "retrograd_mpi.h"

// Open MPI's handles are pointers to its predefined objects; the shim treats them as void *.
typedef void *mpi_handle;

typedef int (*init_thread_fn)(int *, char ***, int, int *);
typedef int (*initialized_fn)(int *);
typedef int (*comm_query_fn)(mpi_handle, int *);
typedef int (*allreduce_fn)(const void *, void *, int, mpi_handle, mpi_handle, mpi_handle);
typedef int (*bcast_fn)(void *, int, mpi_handle, int, mpi_handle);
typedef int (*allgather_fn)(const void *, int, mpi_handle, void *, int, mpi_handle, mpi_handle);
typedef int (*barrier_fn)(mpi_handle);
typedef int (*abort_fn)(mpi_handle, int);
typedef int (*finalize_fn)(void);

enum { RG_MPI_THREAD_SERIALIZED = 2 };  // Open MPI's value of MPI_THREAD_SERIALIZED
#define RG_MPI_IN_PLACE ((void *)1)     // Open MPI's MPI_IN_PLACE

static struct {
    init_thread_fn init_thread;
    initialized_fn initialized, finalized;
    comm_query_fn comm_rank, comm_size;
    allreduce_fn allreduce;
    bcast_fn bcast;
    allgather_fn allgather;
    barrier_fn barrier;
    abort_fn abort_job;
    finalize_fn finalize;
    mpi_handle comm_world, type_float, type_double, type_byte, op_sum, op_max, op_min;
} mpi;

static char library_name[256] = "";
static int initialized_here = 0;

/// The address dlsym gives for `name`, or NULL (noting the first missing name).
static void *symbol(void *library, const char *name, const char **missing)
{
    void *address = dlsym(library, name);
    if (!address && !*missing) *missing = name;
    return address;
}

/// Copies a function's address into a function pointer (the POSIX idiom, no ISO C cast).
#define TAKE(field, name)                                      \
    do {                                                       \
        void *address_ = symbol(library, name, &missing);      \
        memcpy(&mpi.field, &address_, sizeof mpi.field);       \
    } while (0)

/// Opens `path` and takes every symbol; 0 on success, else -1 with `error` filled.
static int try_library(const char *path, char *error, size_t error_size)
{
    // RTLD_GLOBAL: Open MPI's own plug-ins (its MCA components) are libraries it opens
    // later, and they resolve their references to libmpi through the global scope.
    void *library = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
    if (!library) {
        const char *reason = dlerror();
        snprintf(error, error_size, "%s", reason ? reason : path);
        return -1;
    }
    const char *missing = NULL;
    TAKE(init_thread, "MPI_Init_thread");
    TAKE(initialized, "MPI_Initialized");
    TAKE(finalized, "MPI_Finalized");
    TAKE(comm_rank, "MPI_Comm_rank");
    TAKE(comm_size, "MPI_Comm_size");
    TAKE(allreduce, "MPI_Allreduce");
    TAKE(bcast, "MPI_Bcast");
    TAKE(allgather, "MPI_Allgather");
    TAKE(barrier, "MPI_Barrier");
    TAKE(abort_job, "MPI_Abort");
    TAKE(finalize, "MPI_Finalize");
    mpi.comm_world = symbol(library, "ompi_mpi_comm_world", &missing);
    mpi.type_float = symbol(library, "ompi_mpi_float", &missing);
    mpi.type_double = symbol(library, "ompi_mpi_double", &missing);
    mpi.type_byte = symbol(library, "ompi_mpi_byte", &missing);
    mpi.op_sum = symbol(library, "ompi_mpi_op_sum", &missing);
    mpi.op_max = symbol(library, "ompi_mpi_op_max", &missing);
    mpi.op_min = symbol(library, "ompi_mpi_op_min", &missing);
    if (missing) {
        snprintf(error, error_size,
                 "%s has no symbol '%s'; only Open MPI's ABI (libmpi.so.40) is supported", path, missing);
        memset(&mpi, 0, sizeof mpi);
        dlclose(library);
        return -1;
    }
    snprintf(library_name, sizeof library_name, "%s", path);
    return 0;  // the library stays open for the life of the process
}

int rg_mpi_load(const char *path, char *error, size_t error_size)
{
    if (mpi.allreduce) return 0;
    char first[512] = "";
    if (path && *path) return try_library(path, error, error_size);
    static const char *const names[] = {"libmpi.so.40", "libmpi.so"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (try_library(names[i], error, error_size) == 0) return 0;
        if (i == 0) snprintf(first, sizeof first, "%s", error);
    }
    if (*first) snprintf(error, error_size, "%s", first);  // the first failure says most
    return -1;
}

const char *rg_mpi_library(void) { return library_name; }

int rg_mpi_init(int *rank, int *size)
{
    if (!mpi.init_thread) return -1;
    int already = 0;
    mpi.initialized(&already);
    if (!already) {
        int provided = 0;
        int status = mpi.init_thread(NULL, NULL, RG_MPI_THREAD_SERIALIZED, &provided);
        if (status != 0) return status;
        initialized_here = 1;
    }
    int status = mpi.comm_rank(mpi.comm_world, rank);
    return status != 0 ? status : mpi.comm_size(mpi.comm_world, size);
}

int rg_mpi_allreduce(void *buffer, int64_t count, rg_mpi_type type, rg_mpi_op op)
{
    mpi_handle datatype = type == RG_MPI_FLOAT64 ? mpi.type_double : mpi.type_float;
    mpi_handle operation = op == RG_MPI_MAX ? mpi.op_max : op == RG_MPI_MIN ? mpi.op_min : mpi.op_sum;
    const size_t element = type == RG_MPI_FLOAT64 ? sizeof(double) : sizeof(float);
    char *bytes = buffer;
    for (int64_t done = 0; done < count;) {
        const int64_t rest = count - done;
        const int chunk = rest > INT_MAX ? INT_MAX : (int)rest;
        int status = mpi.allreduce(RG_MPI_IN_PLACE, bytes + (size_t)done * element, chunk, datatype, operation, mpi.comm_world);
        if (status != 0) return status;
        done += chunk;
    }
    return 0;
}

int rg_mpi_broadcast(void *buffer, int64_t bytes, int root)
{
    char *start = buffer;
    for (int64_t done = 0; done < bytes;) {
        const int64_t rest = bytes - done;
        const int chunk = rest > INT_MAX ? INT_MAX : (int)rest;
        int status = mpi.bcast(start + done, chunk, mpi.type_byte, root, mpi.comm_world);
        if (status != 0) return status;
        done += chunk;
    }
    return 0;
}

int rg_mpi_allgather(const void *mine, void *gathered, int bytes)
{
    return mpi.allgather(mine, bytes, mpi.type_byte, gathered, bytes, mpi.type_byte, mpi.comm_world);
}

int rg_mpi_barrier(void) { return mpi.barrier(mpi.comm_world); }

void rg_mpi_abort(int status)
{
    fflush(NULL);
    if (mpi.abort_job) mpi.abort_job(mpi.comm_world, status);
    _Exit(status != 0 ? status : 1);  // MPI_Abort does not return; this is for its absence
}

void rg_mpi_finalize(void)
{
    if (!initialized_here || !mpi.finalize) return;
    int done = 0;
    mpi.finalized(&done);
    if (!done) mpi.finalize();
}
