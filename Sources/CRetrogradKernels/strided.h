// Internal helpers shared by the kernel files: merging the dimensions of a strided index
// space and stepping through it. Not part of the public interface.
#ifndef RETROGRAD_STRIDED_H
#define RETROGRAD_STRIDED_H

#include "retrograd_kernels.h"

/// Most operands an index space carries (select: cond, a, b, out).
#define RG_MAX_OPERANDS 4

/// A strided index space after merging: `ndim` >= 1 dimensions, one stride per operand
/// per dimension, all counted in elements. The last dimension is the innermost.
typedef struct {
    int ndim;
    int nops;
    int64_t shape[RG_MAX_DIMS];
    int64_t strides[RG_MAX_OPERANDS][RG_MAX_DIMS];
} rg_layout;

/// Writes the row-major (contiguous) strides of `shape` into `strides`.
static inline void rg_contiguous_strides(const int64_t *shape, int ndim, int64_t *strides)
{
    int64_t s = 1;
    for (int d = ndim - 1; d >= 0; d--) {
        strides[d] = s;
        s *= shape[d];
    }
}

/// Builds a layout from `shape` and each operand's strides: drops dimensions of size 1
/// and merges neighbours that every operand walks as one dimension (outer stride equals
/// inner stride times inner size). Returns the element count; the layout is only
/// meaningful when that count is nonzero. A scalar becomes one dimension of size 1.
static inline int64_t rg_layout_init(rg_layout *L, const int64_t *shape, int ndim,
                                     int nops, const int64_t *const *strides)
{
    int64_t count = 1;
    int nd = 0;
    L->nops = nops;
    for (int d = 0; d < ndim; d++) {
        const int64_t n = shape[d];
        count *= n;
        if (n == 1) continue;
        int merge = nd > 0;
        for (int o = 0; o < nops && merge; o++)
            merge = L->strides[o][nd - 1] == strides[o][d] * n;
        if (merge) {
            L->shape[nd - 1] *= n;
            for (int o = 0; o < nops; o++) L->strides[o][nd - 1] = strides[o][d];
        } else {
            L->shape[nd] = n;
            for (int o = 0; o < nops; o++) L->strides[o][nd] = strides[o][d];
            nd++;
        }
    }
    if (nd == 0) {  // scalar, or all sizes 1
        L->shape[0] = 1;
        for (int o = 0; o < nops; o++) L->strides[o][0] = 0;
        nd = 1;
    }
    L->ndim = nd;
    return count;
}

/// Advances the multi-index `idx` over the first `nd` dimensions of L (row-major, last
/// fastest) and keeps each operand's element offset in `off` in step.
static inline void rg_layout_step(const rg_layout *L, int nd, int64_t *idx, int64_t *off)
{
    for (int d = nd - 1; d >= 0; d--) {
        idx[d]++;
        for (int o = 0; o < L->nops; o++) off[o] += L->strides[o][d];
        if (idx[d] < L->shape[d]) return;
        for (int o = 0; o < L->nops; o++) off[o] -= L->strides[o][d] * L->shape[d];
        idx[d] = 0;
    }
}

/// Element size in bytes of a dtype.
static inline size_t rg_dtype_size(rg_dtype t)
{
    switch (t) {
    case RG_FLOAT32: return 4;
    case RG_FLOAT64: return 8;
    case RG_INT32: return 4;
    case RG_BOOL: return 1;
    }
    return 1;
}

#endif
