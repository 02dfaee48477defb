// Data movement: N-d strided copy (transpose, broadcast, slice, pad, concat), gather
// along an axis, and its adjoint scatter-add.
#include <string.h>

#include "retrograd_kernels.h"
#include "strided.h"

/// Side of the square tiles used when a copy transposes.
#define RG_TILE 32

/// Copies `n` elements of size ES with element strides ss/ds; memcpy of a constant
/// size compiles to plain loads and stores without alignment or aliasing assumptions.
#define COPY_RUN(ES)                                                                     \
    for (int64_t i = 0; i < n; i++) memcpy(d + i * ds * (ES), s + i * ss * (ES), (ES))

static void copy_run(size_t es, const char *s, int64_t ss, char *d, int64_t ds, int64_t n)
{
    if (ss == 1 && ds == 1) {
        memcpy(d, s, (size_t)n * es);
        return;
    }
    switch (es) {
    case 1: COPY_RUN(1); break;
    case 2: COPY_RUN(2); break;
    case 4: COPY_RUN(4); break;
    case 8: COPY_RUN(8); break;
    default:
        for (int64_t i = 0; i < n; i++)
            memcpy(d + i * ds * (int64_t)es, s + i * ss * (int64_t)es, es);
    }
}

/// Copies one tile element by element, with a constant element size ES.
#define COPY_TILE(ES)                                                                    \
    for (int64_t p = p0; p < p1; p++)                                                    \
        for (int64_t q = q0; q < q1; q++)                                                \
            memcpy(d + (p * dp + q * dq) * (ES), s + (p * sp + q * sq) * (ES), (ES))

/// Copies an np×nq block (source strides sp, sq; destination dp, dq) in square tiles,
/// so that both the unit-stride reads and the unit-stride writes stay in cache.
static void copy_tiled(size_t es, const char *s, int64_t sp, int64_t sq, char *d,
                       int64_t dp, int64_t dq, int64_t np, int64_t nq)
{
    const int64_t e = (int64_t)es;
    for (int64_t p0 = 0; p0 < np; p0 += RG_TILE) {
        const int64_t p1 = p0 + RG_TILE < np ? p0 + RG_TILE : np;
        for (int64_t q0 = 0; q0 < nq; q0 += RG_TILE) {
            const int64_t q1 = q0 + RG_TILE < nq ? q0 + RG_TILE : nq;
            switch (es) {
            case 4: COPY_TILE(4); break;
            case 8: COPY_TILE(8); break;
            default:
                for (int64_t p = p0; p < p1; p++)
                    copy_run(es, s + (p * sp + q0 * sq) * e, sq, d + (p * dp + q0 * dq) * e, dq,
                             q1 - q0);
            }
        }
    }
}

void rg_copy_strided(size_t elem_size,
                     const void *src, const int64_t *src_strides,
                     void *dst, const int64_t *dst_strides,
                     const int64_t *shape, int ndim)
{
    const int64_t *st[2] = {src_strides, dst_strides};
    rg_layout L;
    const int64_t count = rg_layout_init(&L, shape, ndim, 2, st);
    if (count == 0) return;
    const int64_t e = (int64_t)elem_size;
    const int q = L.ndim - 1;  // innermost dimension
    const int64_t n = L.shape[q], sq = L.strides[0][q], dq = L.strides[1][q];

    // Transposing copy: the innermost dimension is unit-stride on one side only, and an
    // outer dimension p is unit-stride on the other side. Tile over (p, q).
    int p = -1;
    if ((sq == 1) != (dq == 1) && n >= 8) {
        for (int k = 0; k < q; k++) {
            const int64_t unit = dq == 1 ? L.strides[0][k] : L.strides[1][k];
            if (unit == 1 && L.shape[k] >= 8) p = k;
        }
    }
    if (p >= 0) {
        // Iterate over every dimension except p and q; each step copies one tiled block.
        rg_layout O = {.ndim = 0, .nops = 2};
        for (int k = 0; k < q; k++) {
            if (k == p) continue;
            O.shape[O.ndim] = L.shape[k];
            O.strides[0][O.ndim] = L.strides[0][k];
            O.strides[1][O.ndim] = L.strides[1][k];
            O.ndim++;
        }
        int64_t idx[RG_MAX_DIMS] = {0}, off[2] = {0};
        for (int64_t r = 0, blocks = count / (n * L.shape[p]); r < blocks; r++) {
            copy_tiled(elem_size, (const char *)src + off[0] * e, L.strides[0][p], sq,
                       (char *)dst + off[1] * e, L.strides[1][p], dq, L.shape[p], n);
            rg_layout_step(&O, O.ndim, idx, off);
        }
        return;
    }

    // General path: one innermost run per step of the outer dimensions (memcpy when
    // both sides are contiguous there).
    int64_t idx[RG_MAX_DIMS] = {0}, off[2] = {0};
    for (int64_t r = 0, runs = count / n; r < runs; r++) {
        copy_run(elem_size, (const char *)src + off[0] * e, sq, (char *)dst + off[1] * e, dq, n);
        rg_layout_step(&L, q, idx, off);
    }
}

void rg_gather(size_t elem_size, const void *src, int64_t outer, int64_t axis_size,
               int64_t inner, const int32_t *indices, int64_t n_indices, void *out)
{
    const char *s = src;
    char *d = out;
    const int64_t row = inner * (int64_t)elem_size;  // bytes per gathered slice
    for (int64_t o = 0; o < outer; o++) {
        const char *so = s + o * axis_size * row;
        char *dout = d + o * n_indices * row;
        if (inner == 1 && elem_size == 4) {
            for (int64_t j = 0; j < n_indices; j++) memcpy(dout + j * 4, so + (int64_t)indices[j] * 4, 4);
        } else if (inner == 1 && elem_size == 8) {
            for (int64_t j = 0; j < n_indices; j++) memcpy(dout + j * 8, so + (int64_t)indices[j] * 8, 8);
        } else {
            for (int64_t j = 0; j < n_indices; j++)
                memcpy(dout + j * row, so + (int64_t)indices[j] * row, (size_t)row);
        }
    }
}

#define SCATTER_ADD(T)                                                                   \
    do {                                                                                 \
        const T *s = src;                                                                \
        T *d = out;                                                                      \
        for (int64_t o = 0; o < outer; o++) {                                            \
            for (int64_t j = 0; j < n_indices; j++) {                                    \
                const T *sr = s + (o * n_indices + j) * inner;                           \
                T *dr = d + (o * axis_size + (int64_t)indices[j]) * inner;               \
                for (int64_t i = 0; i < inner; i++) dr[i] += sr[i];                      \
            }                                                                            \
        }                                                                                \
    } while (0)

void rg_scatter_add(rg_dtype dtype, const void *src, int64_t outer, int64_t n_indices,
                    int64_t inner, const int32_t *indices, int64_t axis_size, void *out)
{
    if (dtype == RG_FLOAT32) SCATTER_ADD(float);
    else if (dtype == RG_FLOAT64) SCATTER_ADD(double);
}
