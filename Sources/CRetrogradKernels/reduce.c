// Reductions (sum, max) over any set of axes of a contiguous row-major tensor.
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "retrograd_kernels.h"
#include "strided.h"

/// Contiguous elements summed with partial accumulators before pairwise combining.
#define RG_PAIRWISE_BLOCK 128
/// Rows added in order before the row accumulation splits pairwise.
#define RG_ROWS_BLOCK 16
/// Columns accumulated together when reducing rows.
#define RG_ROWS_COLS 4096

/// Maximum that propagates NaN from either side.
#define RG_MAXNAN(a, b) (((a) >= (b) || (a) != (a)) ? (a) : (b))

/// Levels of pairwise splitting sum_rows performs for R rows (scratch rows needed).
static int rows_depth(int64_t R)
{
    int depth = 0;
    for (int64_t r = R; r > RG_ROWS_BLOCK; r -= r / 2) depth++;
    return depth;
}

#define T float
#define SUF f32
#include "reduce_impl.h"
#undef T
#undef SUF

#define T double
#define SUF f64
#include "reduce_impl.h"
#undef T
#undef SUF

/// int32 sum (wrapping around, as the elementwise int32 ops do) or maximum over merged
/// dims, in one pass over x in memory order: out holds the kept dims, row-major.
static void reduce_i32(rg_reduce_op op, const int32_t *x, const int64_t *dims, const uint8_t *red,
                       int m, int32_t *out, int64_t kept)
{
    int64_t out_strides[RG_MAX_DIMS], idx[RG_MAX_DIMS] = {0}, total = 1, s = 1;
    for (int d = m - 1; d >= 0; d--) {
        out_strides[d] = red[d] ? 0 : s;
        if (!red[d]) s *= dims[d];
        total *= dims[d];
    }
    for (int64_t k = 0; k < kept; k++) out[k] = op == RG_REDUCE_SUM ? 0 : INT32_MIN;
    int64_t o = 0;
    for (int64_t i = 0; i < total; i++) {
        const int32_t v = x[i];
        if (op == RG_REDUCE_SUM) out[o] = (int32_t)((uint32_t)out[o] + (uint32_t)v);
        else if (v > out[o]) out[o] = v;
        for (int d = m - 1; d >= 0; d--) {  // next index, row-major
            o += out_strides[d];
            if (++idx[d] < dims[d]) break;
            o -= out_strides[d] * dims[d];
            idx[d] = 0;
        }
    }
}

void rg_reduce(rg_dtype dtype, rg_reduce_op op, const void *x,
               const int64_t *shape, const uint8_t *reduce_axis, int ndim, void *out)
{
    if (dtype != RG_FLOAT32 && dtype != RG_FLOAT64 && dtype != RG_INT32) return;
    if (op != RG_REDUCE_SUM && op != RG_REDUCE_MAX) return;

    // Drop size-1 axes and merge neighbours with the same flag, so reduced and kept
    // dims alternate.
    int64_t dims[RG_MAX_DIMS];
    uint8_t red[RG_MAX_DIMS];
    int m = 0, any_reduced = 0;
    int64_t kept = 1, total = 1;
    for (int d = 0; d < ndim; d++) {
        const int64_t n = shape[d];
        const uint8_t f = reduce_axis[d] != 0;
        total *= n;
        if (!f) kept *= n;
        if (n == 1) continue;
        any_reduced |= f;
        if (m > 0 && red[m - 1] == f) {
            dims[m - 1] *= n;
        } else {
            dims[m] = n;
            red[m] = f;
            m++;
        }
    }
    if (kept == 0) return;
    const size_t es = rg_dtype_size(dtype);
    if (total == 0) {  // an empty reduced axis: sum is 0, max is -inf
        rg_fill(dtype, out, op == RG_REDUCE_SUM ? 0.0 : -INFINITY, kept);
        return;
    }
    if (!any_reduced) {
        memcpy(out, x, (size_t)kept * es);
        return;
    }
    if (dtype == RG_FLOAT32) reduce_f32(op, x, dims, red, m, out);
    else if (dtype == RG_FLOAT64) reduce_f64(op, x, dims, red, m, out);
    else reduce_i32(op, x, dims, red, m, out, kept);
}
