// The fallback GEMM: cache-blocked and packed (gemm_impl.h), with a register-tiled
// micro-kernel per instruction set, split across a small thread pool for large products.
//
// Two builds: portable C11 (the baseline instruction set; the compiler vectorises the
// micro-kernel, SSE2 on x86-64 and NEON on arm64) and, on x86-64, AVX2+FMA micro-kernels
// and packing compiled per function with target attributes and picked at run time, so
// the package needs no compiler flags. (AVX-512 kernels, 12×32 and 12×16, were no faster
// on AMD Zen 4, which splits 512-bit operations in two, so there are none.)
#include <stdlib.h>

#include "retrograd_kernels.h"
#include "thread_pool.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define RG_GEMM_X86 1
#include <immintrin.h>
#endif

// GCC keeps the portable micro-kernel's accumulators in registers only when its loops
// are fully unrolled; clang does that by itself.
#if defined(__GNUC__) && !defined(__clang__)
#define RG_UNROLL _Pragma("GCC unroll 16")
#else
#define RG_UNROLL
#endif

/// Products with m·n·k at most this run as direct loops, without packing.
#define RG_GEMM_SMALL 4096

/// Products with m·n·k at most this (a small layer on one or two examples) run as one
/// plain dot product per output element: no vector set-up, remainder loops or zeroing pass.
#define RG_GEMM_TINY 512

/// Each thread gets at least this much of a product (m·n·k); products up to twice this,
/// 64³ and below, run on the calling thread.
#define RG_GEMM_WORK_PER_THREAD (1 << 17)

typedef void (*rg_small_fn)(int ta, int tb, int64_t m, int64_t n, int64_t k, double alpha,
                            const void *a, int64_t lda, const void *b, int64_t ldb,
                            double beta, void *c, int64_t ldc);
typedef void (*rg_blocked_fn)(int ta, int tb, int64_t m, int64_t n, int64_t k, double alpha,
                              const void *a, int64_t lda, const void *b, int64_t ldb,
                              double beta, void *c, int64_t ldc, void *ap, void *bp);

/// One build of the GEMM for one element type: its loops and blocking.
typedef struct {
    rg_small_fn small;
    rg_blocked_fn blocked;
    int64_t mr, nr, mc, kc, nc;
    size_t elem;
} rg_engine;

// ---- Portable micro-kernel ------------------------------------------------------------

/// The MR×NR tile in plain C: the accumulator array has constant bounds, so the compiler
/// keeps it in vector registers.
#define PORTABLE_KERNEL(NAME, T, MR, NR)                                                 \
    static void NAME(int64_t kc, const T *restrict a, const T *restrict b, T *restrict c, \
                     int64_t ldc, T alpha, T beta)                                       \
    {                                                                                    \
        T acc[MR][NR];                                                                   \
        for (int i = 0; i < MR; i++)                                                     \
            for (int j = 0; j < NR; j++) acc[i][j] = 0;                                  \
        for (int64_t p = 0; p < kc; p++) {                                               \
            const T *ap = a + p * MR, *bp = b + p * NR;                                  \
            RG_UNROLL                                                                    \
            for (int i = 0; i < MR; i++) {                                               \
                const T ai = ap[i];                                                      \
                RG_UNROLL                                                                \
                for (int j = 0; j < NR; j++) acc[i][j] += ai * bp[j];                    \
            }                                                                            \
        }                                                                                \
        if (beta == 0) {                                                                 \
            for (int i = 0; i < MR; i++)                                                 \
                for (int j = 0; j < NR; j++) c[i * ldc + j] = alpha * acc[i][j];         \
        } else if (beta == 1) {                                                          \
            for (int i = 0; i < MR; i++)                                                 \
                for (int j = 0; j < NR; j++) c[i * ldc + j] += alpha * acc[i][j];        \
        } else {                                                                         \
            for (int i = 0; i < MR; i++)                                                 \
                for (int j = 0; j < NR; j++)                                             \
                    c[i * ldc + j] = beta * c[i * ldc + j] + alpha * acc[i][j];          \
        }                                                                                \
    }

// float32: 6×8 tiles (12 four-wide accumulators with SSE); float64: 6×4.
PORTABLE_KERNEL(kernel_f32_portable, float, 6, 8)
PORTABLE_KERNEL(kernel_f64_portable, double, 6, 4)

#define RG_TARGET
#define T float
#define SUF f32_portable
#define MR 6
#define NR 8
#define MC 96
#define KC 256
#define NC 2048
#define KERNEL kernel_f32_portable
#include "gemm_impl.h"
#undef T
#undef SUF
#undef MR
#undef NR
#undef MC
#undef KC
#undef NC
#undef KERNEL
#undef PACK_A_ROWS
#undef PACK_B_COLUMNS

#define T double
#define SUF f64_portable
#define MR 6
#define NR 4
#define MC 72
#define KC 256
#define NC 1024
#define KERNEL kernel_f64_portable
#include "gemm_impl.h"
#undef T
#undef SUF
#undef MR
#undef NR
#undef MC
#undef KC
#undef NC
#undef KERNEL
#undef PACK_A_ROWS
#undef PACK_B_COLUMNS
#undef RG_TARGET

// ---- AVX2 + FMA micro-kernels ---------------------------------------------------------

#if RG_GEMM_X86
#define RG_AVX2 __attribute__((target("avx2,fma")))

/// float32, 6×16: per step of k, two 8-wide loads of B, six broadcasts of A and twelve
/// FMAs into twelve accumulators (15 of the 16 ymm registers).
RG_AVX2 static inline void kernel_f32_avx2(int64_t kc, const float *restrict a,
                                           const float *restrict b, float *restrict c,
                                           int64_t ldc, float alpha, float beta)
{
    __m256 acc[6][2];
    for (int i = 0; i < 6; i++) acc[i][0] = acc[i][1] = _mm256_setzero_ps();
    for (int i = 0; i < 6; i++) _mm_prefetch((const char *)(c + i * ldc), _MM_HINT_T0);
    for (int64_t p = 0; p < kc; p++) {
        const __m256 b0 = _mm256_load_ps(b), b1 = _mm256_load_ps(b + 8);
        for (int i = 0; i < 6; i++) {
            const __m256 ai = _mm256_broadcast_ss(a + i);
            acc[i][0] = _mm256_fmadd_ps(ai, b0, acc[i][0]);
            acc[i][1] = _mm256_fmadd_ps(ai, b1, acc[i][1]);
        }
        a += 6;
        b += 16;
    }
    const __m256 va = _mm256_set1_ps(alpha), vb = _mm256_set1_ps(beta);
    for (int i = 0; i < 6; i++) {
        float *ci = c + i * ldc;
        for (int h = 0; h < 2; h++) {
            __m256 r = _mm256_mul_ps(va, acc[i][h]);
            if (beta == 1) r = _mm256_add_ps(r, _mm256_loadu_ps(ci + 8 * h));
            else if (beta != 0) r = _mm256_fmadd_ps(vb, _mm256_loadu_ps(ci + 8 * h), r);
            _mm256_storeu_ps(ci + 8 * h, r);
        }
    }
}

/// float64, 6×8: the same shape of loop with 4-wide vectors.
RG_AVX2 static inline void kernel_f64_avx2(int64_t kc, const double *restrict a,
                                           const double *restrict b, double *restrict c,
                                           int64_t ldc, double alpha, double beta)
{
    __m256d acc[6][2];
    for (int i = 0; i < 6; i++) acc[i][0] = acc[i][1] = _mm256_setzero_pd();
    for (int i = 0; i < 6; i++) _mm_prefetch((const char *)(c + i * ldc), _MM_HINT_T0);
    for (int64_t p = 0; p < kc; p++) {
        const __m256d b0 = _mm256_load_pd(b), b1 = _mm256_load_pd(b + 4);
        for (int i = 0; i < 6; i++) {
            const __m256d ai = _mm256_broadcast_sd(a + i);
            acc[i][0] = _mm256_fmadd_pd(ai, b0, acc[i][0]);
            acc[i][1] = _mm256_fmadd_pd(ai, b1, acc[i][1]);
        }
        a += 6;
        b += 8;
    }
    const __m256d va = _mm256_set1_pd(alpha), vb = _mm256_set1_pd(beta);
    for (int i = 0; i < 6; i++) {
        double *ci = c + i * ldc;
        for (int h = 0; h < 2; h++) {
            __m256d r = _mm256_mul_pd(va, acc[i][h]);
            if (beta == 1) r = _mm256_add_pd(r, _mm256_loadu_pd(ci + 4 * h));
            else if (beta != 0) r = _mm256_fmadd_pd(vb, _mm256_loadu_pd(ci + 4 * h), r);
            _mm256_storeu_pd(ci + 4 * h, r);
        }
    }
}

/// The columns of an 8×8 block of floats given as its rows (in place).
#define RG_TRANSPOSE8_PS(r0, r1, r2, r3, r4, r5, r6, r7)                                  \
    do {                                                                                 \
        const __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1);   \
        const __m256 t2 = _mm256_unpacklo_ps(r2, r3), t3 = _mm256_unpackhi_ps(r2, r3);   \
        const __m256 t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5);   \
        const __m256 t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);   \
        const __m256 s0 = _mm256_shuffle_ps(t0, t2, 0x44), s1 = _mm256_shuffle_ps(t0, t2, 0xEE); \
        const __m256 s2 = _mm256_shuffle_ps(t1, t3, 0x44), s3 = _mm256_shuffle_ps(t1, t3, 0xEE); \
        const __m256 s4 = _mm256_shuffle_ps(t4, t6, 0x44), s5 = _mm256_shuffle_ps(t4, t6, 0xEE); \
        const __m256 s6 = _mm256_shuffle_ps(t5, t7, 0x44), s7 = _mm256_shuffle_ps(t5, t7, 0xEE); \
        r0 = _mm256_permute2f128_ps(s0, s4, 0x20);                                       \
        r1 = _mm256_permute2f128_ps(s1, s5, 0x20);                                       \
        r2 = _mm256_permute2f128_ps(s2, s6, 0x20);                                       \
        r3 = _mm256_permute2f128_ps(s3, s7, 0x20);                                       \
        r4 = _mm256_permute2f128_ps(s0, s4, 0x31);                                       \
        r5 = _mm256_permute2f128_ps(s1, s5, 0x31);                                       \
        r6 = _mm256_permute2f128_ps(s2, s6, 0x31);                                       \
        r7 = _mm256_permute2f128_ps(s3, s7, 0x31);                                       \
    } while (0)

/// One 6-row micro-panel of a row-major A: 6×8 blocks transposed in registers, each
/// column (6 values) stored with an 8-wide store that the next column overwrites.
RG_AVX2 static inline void pack_a_rows_f32_avx2(const float *src, int64_t lda, int64_t kc,
                                                float *restrict d)
{
    int64_t p = 0;
    for (; p + 8 <= kc; p += 8) {
        __m256 r0 = _mm256_loadu_ps(src + p), r1 = _mm256_loadu_ps(src + lda + p);
        __m256 r2 = _mm256_loadu_ps(src + 2 * lda + p), r3 = _mm256_loadu_ps(src + 3 * lda + p);
        __m256 r4 = _mm256_loadu_ps(src + 4 * lda + p), r5 = _mm256_loadu_ps(src + 5 * lda + p);
        __m256 r6 = _mm256_setzero_ps(), r7 = _mm256_setzero_ps();
        RG_TRANSPOSE8_PS(r0, r1, r2, r3, r4, r5, r6, r7);
        float *o = d + p * 6;
        _mm256_storeu_ps(o, r0);
        _mm256_storeu_ps(o + 6, r1);
        _mm256_storeu_ps(o + 12, r2);
        _mm256_storeu_ps(o + 18, r3);
        _mm256_storeu_ps(o + 24, r4);
        _mm256_storeu_ps(o + 30, r5);
        _mm256_storeu_ps(o + 36, r6);
        _mm_storeu_ps(o + 42, _mm256_castps256_ps128(r7));  // the last column: exactly 6
        _mm_storel_pi((__m64 *)(o + 46), _mm256_extractf128_ps(r7, 1));
    }
    for (; p < kc; p++)
        for (int i = 0; i < 6; i++) d[p * 6 + i] = src[i * lda + p];
}

/// One 16-column micro-panel of a transposed B (16 rows of storage): two 8×8 blocks
/// transposed in registers per 8 steps of k.
RG_AVX2 static inline void pack_b_columns_f32_avx2(const float *src, int64_t ldb, int64_t kc,
                                                   float *restrict d)
{
    int64_t p = 0;
    for (; p + 8 <= kc; p += 8) {
        for (int h = 0; h < 2; h++) {
            const float *s = src + 8 * h * ldb + p;
            __m256 r0 = _mm256_loadu_ps(s), r1 = _mm256_loadu_ps(s + ldb);
            __m256 r2 = _mm256_loadu_ps(s + 2 * ldb), r3 = _mm256_loadu_ps(s + 3 * ldb);
            __m256 r4 = _mm256_loadu_ps(s + 4 * ldb), r5 = _mm256_loadu_ps(s + 5 * ldb);
            __m256 r6 = _mm256_loadu_ps(s + 6 * ldb), r7 = _mm256_loadu_ps(s + 7 * ldb);
            RG_TRANSPOSE8_PS(r0, r1, r2, r3, r4, r5, r6, r7);
            float *o = d + p * 16 + 8 * h;
            _mm256_store_ps(o, r0);
            _mm256_store_ps(o + 16, r1);
            _mm256_store_ps(o + 32, r2);
            _mm256_store_ps(o + 48, r3);
            _mm256_store_ps(o + 64, r4);
            _mm256_store_ps(o + 80, r5);
            _mm256_store_ps(o + 96, r6);
            _mm256_store_ps(o + 112, r7);
        }
    }
    for (; p < kc; p++)
        for (int j = 0; j < 16; j++) d[p * 16 + j] = src[j * ldb + p];
}

/// The columns of a 4×4 block of doubles given as its rows (in place).
#define RG_TRANSPOSE4_PD(r0, r1, r2, r3)                                                  \
    do {                                                                                 \
        const __m256d t0 = _mm256_unpacklo_pd(r0, r1), t1 = _mm256_unpackhi_pd(r0, r1); \
        const __m256d t2 = _mm256_unpacklo_pd(r2, r3), t3 = _mm256_unpackhi_pd(r2, r3); \
        r0 = _mm256_permute2f128_pd(t0, t2, 0x20);                                       \
        r1 = _mm256_permute2f128_pd(t1, t3, 0x20);                                       \
        r2 = _mm256_permute2f128_pd(t0, t2, 0x31);                                       \
        r3 = _mm256_permute2f128_pd(t1, t3, 0x31);                                       \
    } while (0)

/// One 6-row micro-panel of a row-major A in float64: rows 0–3 and 4–5 as 4×4 blocks.
RG_AVX2 static inline void pack_a_rows_f64_avx2(const double *src, int64_t lda, int64_t kc,
                                                double *restrict d)
{
    int64_t p = 0;
    for (; p + 4 <= kc; p += 4) {
        __m256d r0 = _mm256_loadu_pd(src + p), r1 = _mm256_loadu_pd(src + lda + p);
        __m256d r2 = _mm256_loadu_pd(src + 2 * lda + p), r3 = _mm256_loadu_pd(src + 3 * lda + p);
        __m256d r4 = _mm256_loadu_pd(src + 4 * lda + p), r5 = _mm256_loadu_pd(src + 5 * lda + p);
        RG_TRANSPOSE4_PD(r0, r1, r2, r3);
        // Rows 4 and 5: pairs (row 4, row 5) for each of the 4 steps.
        const __m256d lo = _mm256_unpacklo_pd(r4, r5), hi = _mm256_unpackhi_pd(r4, r5);
        double *o = d + p * 6;
        _mm256_storeu_pd(o, r0);
        _mm_storeu_pd(o + 4, _mm256_castpd256_pd128(lo));
        _mm256_storeu_pd(o + 6, r1);
        _mm_storeu_pd(o + 10, _mm256_castpd256_pd128(hi));
        _mm256_storeu_pd(o + 12, r2);
        _mm_storeu_pd(o + 16, _mm256_extractf128_pd(lo, 1));
        _mm256_storeu_pd(o + 18, r3);
        _mm_storeu_pd(o + 22, _mm256_extractf128_pd(hi, 1));
    }
    for (; p < kc; p++)
        for (int i = 0; i < 6; i++) d[p * 6 + i] = src[i * lda + p];
}

/// One 8-column micro-panel of a transposed B in float64: two 4×4 blocks per 4 steps.
RG_AVX2 static inline void pack_b_columns_f64_avx2(const double *src, int64_t ldb, int64_t kc,
                                                   double *restrict d)
{
    int64_t p = 0;
    for (; p + 4 <= kc; p += 4) {
        for (int h = 0; h < 2; h++) {
            const double *s = src + 4 * h * ldb + p;
            __m256d r0 = _mm256_loadu_pd(s), r1 = _mm256_loadu_pd(s + ldb);
            __m256d r2 = _mm256_loadu_pd(s + 2 * ldb), r3 = _mm256_loadu_pd(s + 3 * ldb);
            RG_TRANSPOSE4_PD(r0, r1, r2, r3);
            double *o = d + p * 8 + 4 * h;
            _mm256_store_pd(o, r0);
            _mm256_store_pd(o + 8, r1);
            _mm256_store_pd(o + 16, r2);
            _mm256_store_pd(o + 24, r3);
        }
    }
    for (; p < kc; p++)
        for (int j = 0; j < 8; j++) d[p * 8 + j] = src[j * ldb + p];
}

#define RG_TARGET RG_AVX2
#define T float
#define SUF f32_avx2
#define MR 6
#define NR 16
#define MC 144
#define KC 256
#define NC 2048
#define KERNEL kernel_f32_avx2
#define PACK_A_ROWS pack_a_rows_f32_avx2
#define PACK_B_COLUMNS pack_b_columns_f32_avx2
#include "gemm_impl.h"
#undef T
#undef SUF
#undef MR
#undef NR
#undef MC
#undef KC
#undef NC
#undef KERNEL
#undef PACK_A_ROWS
#undef PACK_B_COLUMNS

#define T double
#define SUF f64_avx2
#define MR 6
#define NR 8
#define MC 72
#define KC 256
#define NC 1024
#define KERNEL kernel_f64_avx2
#define PACK_A_ROWS pack_a_rows_f64_avx2
#define PACK_B_COLUMNS pack_b_columns_f64_avx2
#include "gemm_impl.h"
#undef T
#undef SUF
#undef MR
#undef NR
#undef MC
#undef KC
#undef NC
#undef KERNEL
#undef PACK_A_ROWS
#undef PACK_B_COLUMNS
#undef RG_TARGET
#endif  // RG_GEMM_X86

// ---- Dispatch and threads -------------------------------------------------------------

/// The build for `dtype` with portable kernels.
static const rg_engine *portable_engine(rg_dtype dtype)
{
    return dtype == RG_FLOAT32 ? &engine_f32_portable : &engine_f64_portable;
}

/// The fastest build this CPU runs, for `dtype`; decided once.
static const rg_engine *best_engine(rg_dtype dtype)
{
#if RG_GEMM_X86
    static int avx2 = -1;  // racing threads store the same value
    int use = __atomic_load_n(&avx2, __ATOMIC_RELAXED);
    if (use < 0) {
        use = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
        __atomic_store_n(&avx2, use, __ATOMIC_RELAXED);
    }
    if (use) return dtype == RG_FLOAT32 ? &engine_f32_avx2 : &engine_f64_avx2;
#endif
    return portable_engine(dtype);
}

static int64_t round_up(int64_t x, int64_t to) { return (x + to - 1) / to * to; }
static int64_t min64(int64_t x, int64_t y) { return x < y ? x : y; }

/// Scratch bytes one thread needs for an m×n×k block product: packed A then packed B,
/// each rounded to whole cache lines.
static size_t scratch_a_bytes(const rg_engine *e, int64_t m, int64_t k)
{
    const int64_t values = min64(round_up(m, e->mr), e->mc) * min64(k, e->kc);
    return (size_t)round_up(values * (int64_t)e->elem, 64);
}

static size_t scratch_b_bytes(const rg_engine *e, int64_t n, int64_t k)
{
    return (size_t)(min64(round_up(n, e->nr), round_up(e->nc, e->nr)) * min64(k, e->kc)) *
           e->elem;
}

/// A product split into a grid of blocks of C, computed as independent tasks.
typedef struct {
    const rg_engine *e;
    int ta, tb;
    int64_t m, n, k, lda, ldb, ldc;
    double alpha, beta;
    const char *a, *b;
    char *c;
    int grid_m, grid_n;  // blocks down and across
    void *scratch[RG_POOL_MAX_THREADS];
} rg_split;

/// Start of block `index` of `parts` over `extent`, on multiples of `unit`.
static int64_t split_start(int64_t extent, int64_t unit, int parts, int index)
{
    const int64_t units = (extent + unit - 1) / unit;
    const int64_t start = units * index / parts * unit;
    return start < extent ? start : extent;
}

/// The largest block of `parts` over `extent`.
static int64_t split_max(int64_t extent, int64_t unit, int parts)
{
    const int64_t units = (extent + unit - 1) / unit;
    return min64((units + parts - 1) / parts * unit, extent);
}

static void run_block(void *ctx, int task, int slot)
{
    const rg_split *s = ctx;
    const rg_engine *e = s->e;
    const int bi = task / s->grid_n, bj = task % s->grid_n;
    const int64_t i0 = split_start(s->m, e->mr, s->grid_m, bi);
    const int64_t i1 = split_start(s->m, e->mr, s->grid_m, bi + 1);
    const int64_t j0 = split_start(s->n, e->nr, s->grid_n, bj);
    const int64_t j1 = split_start(s->n, e->nr, s->grid_n, bj + 1);
    if (i1 <= i0 || j1 <= j0) return;
    const size_t es = e->elem;
    const char *a = s->a + (size_t)(s->ta ? i0 : i0 * s->lda) * es;
    const char *b = s->b + (size_t)(s->tb ? j0 * s->ldb : j0) * es;
    char *c = s->c + (size_t)(i0 * s->ldc + j0) * es;
    char *scratch = s->scratch[slot];
    e->blocked(s->ta, s->tb, i1 - i0, j1 - j0, s->k, s->alpha, a, s->lda, b, s->ldb, s->beta,
               c, s->ldc, scratch, scratch + scratch_a_bytes(e, i1 - i0, s->k));
}

/// Splits an m×n output into a grid of `parts` blocks (grid_m down, grid_n across) that
/// keeps the blocks close to square: each block packs its rows of A and its columns of B,
/// so the perimeter m/grid_m + n/grid_n is what gets copied. Returns 0 when `parts` does
/// not fit (a dimension has fewer micro-tiles than the grid needs).
static int choose_grid(int64_t m, int64_t n, const rg_engine *e, int parts, int *gm, int *gn)
{
    const int64_t units_m = (m + e->mr - 1) / e->mr, units_n = (n + e->nr - 1) / e->nr;
    double best = -1;
    for (int rows = 1; rows <= parts; rows++) {
        if (parts % rows) continue;
        const int cols = parts / rows;
        if (rows > units_m || cols > units_n) continue;
        const double cost = (double)m / rows + (double)n / cols;
        if (best < 0 || cost < best) {
            best = cost;
            *gm = rows;
            *gn = cols;
        }
    }
    return best >= 0;
}

/// C = alpha·op(A)·op(B) + beta·C with a dot product per element of C (see RG_GEMM_TINY);
/// beta = 0 overwrites C without reading it, as BLAS does.
#define TINY_GEMM(NAME, T)                                                                   \
    static void NAME(int ta, int tb, int64_t m, int64_t n, int64_t k, double alpha_,         \
                     const T *a, int64_t lda, const T *b, int64_t ldb, double beta_, T *c,    \
                     int64_t ldc)                                                            \
    {                                                                                        \
        const T alpha = (T)alpha_, beta = (T)beta_;                                          \
        const int64_t sai = ta ? 1 : lda, sap = ta ? lda : 1;                                \
        const int64_t sbp = tb ? 1 : ldb, sbj = tb ? ldb : 1;                                \
        for (int64_t i = 0; i < m; i++) {                                                    \
            for (int64_t j = 0; j < n; j++) {                                                \
                T sum = 0;                                                                   \
                for (int64_t p = 0; p < k; p++) sum += a[i * sai + p * sap] * b[p * sbp + j * sbj]; \
                T *cij = c + i * ldc + j;                                                    \
                *cij = beta == 0 ? alpha * sum : beta * *cij + alpha * sum;                  \
            }                                                                                \
        }                                                                                    \
    }

TINY_GEMM(tiny_f32, float)
TINY_GEMM(tiny_f64, double)

static void gemm(const rg_engine *e, int ta, int tb, int64_t m, int64_t n, int64_t k,
                 double alpha, const void *a, int64_t lda, const void *b, int64_t ldb,
                 double beta, void *c, int64_t ldc)
{
    if (m <= 0 || n <= 0) return;
    const double work = (double)m * (double)n * (double)k;
    if (k > 0 && alpha != 0 && work <= RG_GEMM_TINY) {
        if (e->elem == sizeof(float)) tiny_f32(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        else tiny_f64(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        return;
    }
    if (k <= 0 || alpha == 0 || work <= RG_GEMM_SMALL) {
        e->small(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        return;
    }
    rg_split s = {e, ta, tb, m, n, k, lda, ldb, ldc, alpha, beta, a, b, c, 1, 1, {0}};
    if (!rg_pool_acquire()) {
        // Another thread is using the pool: run here, with scratch space of our own.
        const size_t bytes = scratch_a_bytes(e, m, k) + scratch_b_bytes(e, n, k);
        s.scratch[0] = aligned_alloc(64, (bytes + 63) / 64 * 64);
        if (s.scratch[0]) run_block(&s, 0, 0);
        else e->small(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        free(s.scratch[0]);
        return;
    }
    // One block of C per thread, a thread per RG_GEMM_WORK_PER_THREAD of work at most.
    // The blocks are claimed dynamically, so a worker that starts late (the machine is
    // busy) leaves its block to the caller rather than holding the call up.
    int threads = rg_pool_threads();
    if (work <= 2.0 * RG_GEMM_WORK_PER_THREAD) threads = 1;
    else if (work < (double)RG_GEMM_WORK_PER_THREAD * threads)
        threads = (int)(work / RG_GEMM_WORK_PER_THREAD);
    while (threads > 1 && !choose_grid(m, n, e, threads, &s.grid_m, &s.grid_n)) threads--;
    const int64_t bm = split_max(m, e->mr, s.grid_m), bn = split_max(n, e->nr, s.grid_n);
    const size_t bytes = scratch_a_bytes(e, bm, k) + scratch_b_bytes(e, bn, k);
    int ok = 1;
    for (int t = 0; t < threads; t++) {
        s.scratch[t] = rg_pool_buffer(t, bytes);
        if (!s.scratch[t]) ok = 0;
    }
    if (ok) rg_pool_run(threads, threads, run_block, &s);
    else e->small(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);  // out of memory
    rg_pool_release();
}

void rg_gemm_fallback(rg_dtype dtype, int trans_a, int trans_b, int64_t m, int64_t n,
                      int64_t k, double alpha, const void *a, int64_t lda, const void *b,
                      int64_t ldb, double beta, void *c, int64_t ldc)
{
    if (dtype == RG_FLOAT32 || dtype == RG_FLOAT64)
        gemm(best_engine(dtype), trans_a != 0, trans_b != 0, m, n, k, alpha, a, lda, b, ldb,
             beta, c, ldc);
}

void rg_gemm_fallback_portable(rg_dtype dtype, int trans_a, int trans_b, int64_t m,
                               int64_t n, int64_t k, double alpha, const void *a,
                               int64_t lda, const void *b, int64_t ldb, double beta, void *c,
                               int64_t ldc)
{
    if (dtype == RG_FLOAT32 || dtype == RG_FLOAT64)
        gemm(portable_engine(dtype), trans_a != 0, trans_b != 0, m, n, k, alpha, a, lda, b,
             ldb, beta, c, ldc);
}

int rg_gemm_fallback_threads(void) { return rg_pool_threads(); }
