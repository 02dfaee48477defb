// The MPI library, opened at run time (dlopen) so that building Retrograd never needs MPI
// and a machine without it still runs single-process. Only Open MPI's ABI is supported:
// its predefined handles (MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM, ...) are the addresses of
// data symbols such as `ompi_mpi_comm_world`, which this shim looks up with dlsym.
// Only Sources/RetrogradDistributed calls these functions.
#ifndef RETROGRAD_MPI_H
#define RETROGRAD_MPI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The element types a reduction understands.
typedef enum { RG_MPI_FLOAT32 = 0, RG_MPI_FLOAT64 = 1 } rg_mpi_type;

/// The reductions.
typedef enum { RG_MPI_SUM = 0, RG_MPI_MAX = 1, RG_MPI_MIN = 2 } rg_mpi_op;

/// Opens the MPI library and looks up every function and handle the shim uses. Tries
/// `path` first when it is not NULL or empty (RETROGRAD_MPI_LIBRARY), then libmpi.so.40 and
/// libmpi.so. Returns 0 on success; otherwise writes what went wrong into `error` (at most
/// `error_size` bytes, NUL-terminated) and returns -1. Idempotent once it has succeeded.
int rg_mpi_load(const char *path, char *error, size_t error_size);

/// The library that was loaded ("libmpi.so.40"), or "" before a successful rg_mpi_load.
const char *rg_mpi_library(void);

/// MPI_Init_thread(MPI_THREAD_SERIALIZED) unless MPI is already initialised, then the rank
/// and size of MPI_COMM_WORLD. Errors in later calls stay fatal (MPI_ERRORS_ARE_FATAL):
/// a failed collective, such as one whose peer died, ends the whole job instead of hanging.
/// Returns the MPI error code (0 on success).
int rg_mpi_init(int *rank, int *size);

/// In-place MPI_Allreduce of `count` elements over MPI_COMM_WORLD, in chunks of at most
/// INT_MAX elements. Returns the MPI error code (0 on success).
int rg_mpi_allreduce(void *buffer, int64_t count, rg_mpi_type type, rg_mpi_op op);

/// MPI_Bcast of `bytes` bytes from `root` over MPI_COMM_WORLD, in chunks. Returns the MPI
/// error code.
int rg_mpi_broadcast(void *buffer, int64_t bytes, int root);

/// MPI_Allgather of `bytes` bytes from every rank: `gathered` receives size × bytes, rank
/// r's at offset r × bytes. Returns the MPI error code.
int rg_mpi_allgather(const void *mine, void *gathered, int bytes);

/// MPI_Barrier over MPI_COMM_WORLD. Returns the MPI error code.
int rg_mpi_barrier(void);

/// MPI_Abort(MPI_COMM_WORLD, status): ends every rank of the job. Does not return.
void rg_mpi_abort(int status);

/// MPI_Finalize, once, when MPI was initialised here and is not finalised yet.
void rg_mpi_finalize(void);

#ifdef __cplusplus
}
#endif

#endif
