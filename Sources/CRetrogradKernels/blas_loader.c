// Finds a CBLAS at run time (dlopen), so building never depends on a system BLAS, and
// routes rg_gemm to it; the portable fallback runs when none is found.
#define _GNU_SOURCE  // dlopen/dlsym declarations on glibc
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "retrograd_kernels.h"

// CBLAS enum values, defined here so no cblas.h is needed.
enum { RG_CBLAS_ROW_MAJOR = 101, RG_CBLAS_NO_TRANS = 111, RG_CBLAS_TRANS = 112 };

/// Products with m·n·k below this skip the BLAS call overhead.
#define RG_BLAS_MIN_WORK 4096

typedef void (*sgemm_fn)(int order, int ta, int tb, int m, int n, int k, float alpha,
                         const float *a, int lda, const float *b, int ldb, float beta,
                         float *c, int ldc);
typedef void (*dgemm_fn)(int order, int ta, int tb, int m, int n, int k, double alpha,
                         const double *a, int lda, const double *b, int ldb, double beta,
                         double *c, int ldc);
typedef char *(*config_fn)(void);
typedef int (*threads_fn)(void);

static pthread_once_t blas_once = PTHREAD_ONCE_INIT;
static sgemm_fn blas_sgemm;
static dgemm_fn blas_dgemm;
static threads_fn blas_threads;  // the library's own thread query, when it has one
static char blas_name[256] = "fallback GEMM (no BLAS library found)";

/// Opens `lib` and takes both gemm entry points; returns 1 on success.
static int try_library(const char *lib)
{
    void *h = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
    if (!h) return 0;
    // dlsym returns an object pointer; copy its bits into the function pointers (the
    // POSIX idiom, without an ISO C cast between pointer kinds).
    sgemm_fn s = NULL;
    dgemm_fn d = NULL;
    void *ps = dlsym(h, "cblas_sgemm"), *pd = dlsym(h, "cblas_dgemm");
    memcpy(&s, &ps, sizeof s);
    memcpy(&d, &pd, sizeof d);
    if (!s || !d) {
        dlclose(h);
        return 0;
    }
    const char *kind = "CBLAS";
    if (dlsym(h, "openblas_get_config")) kind = "OpenBLAS";
    else if (strstr(lib, "Accelerate")) kind = "Accelerate";
    else if (strstr(lib, "mkl")) kind = "MKL";
    snprintf(blas_name, sizeof blas_name, "%s (%s)", kind, lib);
    blas_sgemm = s;
    blas_dgemm = d;
    void *pt = dlsym(h, "openblas_get_num_threads");
    if (!pt) pt = dlsym(h, "MKL_Get_Max_Threads");
    memcpy(&blas_threads, &pt, sizeof blas_threads);
    return 1;  // the handle stays open for the life of the process
}

static void load_blas(void)
{
    const char *env = getenv("RETROGRAD_BLAS");
    if (env && strcmp(env, "none") == 0) {
        snprintf(blas_name, sizeof blas_name, "fallback GEMM (RETROGRAD_BLAS=none)");
        return;
    }
    // OpenBLAS's idle workers spin (sched_yield) for 2^28 cycles, about 0.1 s, after each
    // call before they sleep. Between OpenBLAS calls Retrograd runs its own threaded
    // kernels (elementwise, im2col, the fallback GEMM's skinny products) on the same cores,
    // and those spinning workers took 10-18% of the CPU time of a W9 step (perf). 2^20
    // cycles (about 0.3 ms) keeps them awake between the products of one step of an MLP
    // and lets them sleep through a convolution's own kernels. Measured side by side
    // (release, 2 cores, medians of 5, three rounds; 2^20 / 2^28 / 2^4): W3 313-359 /
    // 200-336 / 293-321 steps/s, W4 511-586 / 277-538 / 417-475, W5 850-943 / 424-954 /
    // 690-782, W9 31.8-39.4 / 36.6-41.2 / 40.7-41.0 ms; sleeping at once (2^4) cost W5 a
    // fifth, since waking a worker costs microseconds per call. A value the user set is
    // kept (OpenBLAS reads it when the library loads).
    if (!getenv("OPENBLAS_THREAD_TIMEOUT")) setenv("OPENBLAS_THREAD_TIMEOUT", "20", 0);
    if (env && *env && try_library(env)) return;
#ifdef __APPLE__
    static const char *const names[] = {
        "/System/Library/Frameworks/Accelerate.framework/Accelerate",
        "libopenblas.dylib",
    };
#else
    static const char *const names[] = {
        "libopenblas.so.0", "libopenblas.so", "libopenblasp-r0.so", "libblas.so.3", "libcblas.so.3",
    };
#endif
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (try_library(names[i])) return;
}

const char *rg_blas_backend(void)
{
    pthread_once(&blas_once, load_blas);
    return blas_name;
}

int rg_blas_available(void)
{
    pthread_once(&blas_once, load_blas);
    return blas_sgemm != NULL;
}

int rg_blas_threads(void)
{
    pthread_once(&blas_once, load_blas);
    if (!blas_sgemm) return rg_gemm_fallback_threads();
    return blas_threads ? blas_threads() : 0;
}

/// True when the arguments fit CBLAS's int interface and its leading-dimension checks
/// (a BLAS rejects, and may print about, lda smaller than the stored row).
static int blas_accepts(int ta, int tb, int64_t m, int64_t n, int64_t k, int64_t lda,
                        int64_t ldb, int64_t ldc)
{
    const int64_t rows_a = ta ? m : k, rows_b = tb ? k : n;  // stored row lengths
    return m <= INT_MAX && n <= INT_MAX && k <= INT_MAX && lda <= INT_MAX &&
           ldb <= INT_MAX && ldc <= INT_MAX && lda >= (rows_a > 1 ? rows_a : 1) &&
           ldb >= (rows_b > 1 ? rows_b : 1) && ldc >= (n > 1 ? n : 1);
}

/// Whether a float32 product of this shape runs faster on the fallback GEMM than through
/// OpenBLAS: one dimension at most 96 and another at least 8192, the skinny products of a
/// convolution layer (im2col rows × a few dozen channels). Measured in release builds on
/// the 2-core machine (shared, load 2–3.5), OpenBLAS 0.3.21 (pthreads, 2 threads) against
/// the fallback's AVX2 kernels, each side by side in one process:
///   - W9 (one DANN step of the MNIST CNN, batch 128 through the convolutions): 68.6 → 62.4,
///     51.9 → 39.4 and 47.5 → 43.8 ms per step (medians, three runs);
///   - the second conv layer alone ([128,12,12,32] * [5,5,32,48], forward and both
///     gradients, GEMMs [8192,800]·[800,48], [800,8192]·[8192,48], [8192,48]·[48,800]):
///     41.2 → 34.3 and 25.9 → 19.9 ms; the first ([128,28,28,3] * [5,5,3,32], GEMMs
///     [73728,75]·[75,32] and [75,73728]·[73728,32]) showed no clear change (19.9 → 18.7 ms
///     in one run; in another 15.7 → 18.1 ms median but 13.4 → 9.2 ms best);
///   - `retrograd bench --workload W9` (W9.conv / W9.conv.gemm, GFLOP/s, three runs each):
///     31/34, 41/50, 46/55 → 53/67, 54/73, 53/63.
/// One GEMM timed alone, back to back, gave either winner depending on the load: the second
/// layer's forward [8192,800]·[800,48] took 5.2 ms on OpenBLAS against 8.6 on the fallback
/// in one run and 14.2 against 9.3 (medians) in another; the first layer's filter gradient
/// [75,73728]·[73728,32] is a toss-up (4.6 against 3.7 ms, then 9.7 against 10.9). Inside
/// a training step, between other kernels, OpenBLAS's threads sleep or spin against the
/// other kernels' threads, and the step-level numbers above are what decided. The MLP
/// heads' products (at most 128×768×100) showed no clear difference through the tape
/// (0.81 ms either way for 768-100-100 forward and backward), so they keep the BLAS.
/// float64 was not measured and keeps the BLAS.
static int prefers_fallback(rg_dtype dtype, int64_t m, int64_t n, int64_t k)
{
    if (dtype != RG_FLOAT32) return 0;
    const int64_t smallest = m < n ? (m < k ? m : k) : (n < k ? n : k);
    const int64_t largest = m > n ? (m > k ? m : k) : (n > k ? n : k);
    return smallest <= 96 && largest >= 8192;
}

void rg_gemm(rg_dtype dtype, int trans_a, int trans_b, int64_t m, int64_t n, int64_t k,
             double alpha, const void *a, int64_t lda, const void *b, int64_t ldb,
             double beta, void *c, int64_t ldc)
{
    if (m <= 0 || n <= 0) return;
    pthread_once(&blas_once, load_blas);
    if (!blas_sgemm || k <= 0 || m * n * k < RG_BLAS_MIN_WORK || prefers_fallback(dtype, m, n, k) ||
        !blas_accepts(trans_a, trans_b, m, n, k, lda, ldb, ldc)) {
        rg_gemm_fallback(dtype, trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        return;
    }
    const int ta = trans_a ? RG_CBLAS_TRANS : RG_CBLAS_NO_TRANS;
    const int tb = trans_b ? RG_CBLAS_TRANS : RG_CBLAS_NO_TRANS;
    if (dtype == RG_FLOAT32)
        blas_sgemm(RG_CBLAS_ROW_MAJOR, ta, tb, (int)m, (int)n, (int)k, (float)alpha, a,
                   (int)lda, b, (int)ldb, (float)beta, c, (int)ldc);
    else if (dtype == RG_FLOAT64)
        blas_dgemm(RG_CBLAS_ROW_MAJOR, ta, tb, (int)m, (int)n, (int)k, alpha, a, (int)lda,
                   b, (int)ldb, beta, c, (int)ldc);
}
