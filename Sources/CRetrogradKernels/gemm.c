// The portable fallback GEMM: cache-blocked, packed, register-tiled; float32 and float64.
// Plain C11 for the baseline instruction set; the tile sizes suit 16 vector registers.
#include <stdlib.h>

#include "retrograd_kernels.h"

// GCC keeps the micro-kernel's accumulators in registers only when its loops are fully
// unrolled; clang does that by itself.
#if defined(__GNUC__) && !defined(__clang__)
#define RG_UNROLL _Pragma("GCC unroll 16")
#else
#define RG_UNROLL
#endif

/// Products with m·n·k at most this run as a direct triple loop.
#define RG_GEMM_SMALL 4096

/// 64-byte aligned allocation (the size is rounded up as aligned_alloc requires).
static void *rg_aligned_alloc(size_t bytes)
{
    return aligned_alloc(64, (bytes + 63) / 64 * 64);
}

// float32: 6×8 tiles (12 four-wide accumulators with SSE).
#define T float
#define SUF f32
#define MR 6
#define NR 8
#define MC 96
#define KC 256
#define NC 2048
#include "gemm_impl.h"
#undef T
#undef SUF
#undef MR
#undef NR
#undef MC
#undef KC
#undef NC

// float64: 6×4 tiles.
#define T double
#define SUF f64
#define MR 6
#define NR 4
#define MC 72
#define KC 256
#define NC 1024
#include "gemm_impl.h"
#undef T
#undef SUF
#undef MR
#undef NR
#undef MC
#undef KC
#undef NC

void rg_gemm_fallback(rg_dtype dtype, int trans_a, int trans_b, int64_t m, int64_t n,
                      int64_t k, double alpha, const void *a, int64_t lda, const void *b,
                      int64_t ldb, double beta, void *c, int64_t ldc)
{
    if (dtype == RG_FLOAT32)
        gemm_f32(trans_a != 0, trans_b != 0, m, n, k, (float)alpha, a, lda, b, ldb,
                 (float)beta, c, ldc);
    else if (dtype == RG_FLOAT64)
        gemm_f64(trans_a != 0, trans_b != 0, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
