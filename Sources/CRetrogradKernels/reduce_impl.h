// Per-type body of reduce.c: included once per element type with T (the element type)
// and SUF (a name suffix) defined. Not a public header.

#define RG_CAT_(a, b) a##_##b
#define RG_CAT(a, b) RG_CAT_(a, b)
#define FN(name) RG_CAT(name, SUF)

/// Pairwise sum of n contiguous elements: blocks of up to RG_PAIRWISE_BLOCK are summed
/// with 8 partial accumulators (vectorisable), and blocks are combined as a binary tree,
/// so the rounding error grows like log(n) rather than n.
static T FN(sum_contig)(const T *x, int64_t n)
{
    if (n <= RG_PAIRWISE_BLOCK) {
        T r[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        int64_t i = 0;
        for (; i + 8 <= n; i += 8)
            for (int j = 0; j < 8; j++) r[j] += x[i + j];
        T s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; i++) s += x[i];
        return s;
    }
    const int64_t h = (n / 2) & ~(int64_t)7;
    return FN(sum_contig)(x, h) + FN(sum_contig)(x + h, n - h);
}

/// NaN-propagating maximum of n contiguous elements (-inf when n is 0), with 8 lanes.
static T FN(max_contig)(const T *x, int64_t n)
{
    T m[8];
    for (int j = 0; j < 8; j++) m[j] = -(T)INFINITY;
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int j = 0; j < 8; j++) m[j] = RG_MAXNAN(m[j], x[i + j]);
    T r = -(T)INFINITY;
    for (int j = 0; j < 8; j++) r = RG_MAXNAN(r, m[j]);
    for (; i < n; i++) r = RG_MAXNAN(r, x[i]);
    return r;
}

/// Pairwise sum of R rows of K columns (row stride ld) into out. Up to RG_ROWS_BLOCK rows
/// are added in order; larger sets split in two, the second half going to `scratch`,
/// which must hold K elements per level of splitting (rows_depth).
static void FN(sum_rows)(const T *x, int64_t R, int64_t K, int64_t ld, T *out, T *scratch)
{
    if (R <= RG_ROWS_BLOCK) {
        for (int64_t k = 0; k < K; k++) out[k] = x[k];
        for (int64_t r = 1; r < R; r++) {
            const T *row = x + r * ld;
            for (int64_t k = 0; k < K; k++) out[k] += row[k];
        }
        return;
    }
    const int64_t h = R / 2;
    FN(sum_rows)(x, h, K, ld, out, scratch);
    FN(sum_rows)(x + h * ld, R - h, K, ld, scratch, scratch + K);
    for (int64_t k = 0; k < K; k++) out[k] += scratch[k];
}

/// out[k] = op over r of x[r·K + k] for an R×K row-major block, RG_ROWS_COLS columns at
/// a time so the accumulators stay in L1.
static void FN(reduce_rows)(rg_reduce_op op, const T *x, int64_t R, int64_t K, T *out,
                            T *scratch)
{
    for (int64_t c0 = 0; c0 < K; c0 += RG_ROWS_COLS) {
        const int64_t kc = K - c0 < RG_ROWS_COLS ? K - c0 : RG_ROWS_COLS;
        if (op == RG_REDUCE_SUM) {
            FN(sum_rows)(x + c0, R, kc, K, out + c0, scratch);
        } else {
            T *o = out + c0;
            for (int64_t k = 0; k < kc; k++) o[k] = x[c0 + k];
            for (int64_t r = 1; r < R; r++) {
                const T *row = x + r * K + c0;
                for (int64_t k = 0; k < kc; k++) o[k] = RG_MAXNAN(o[k], row[k]);
            }
        }
    }
}

/// Reduces x over merged dims (adjacent dims differ in flag, none has size 0 or 1, at
/// least one is reduced). Each stage removes the innermost reduced dim and recurses on
/// the (smaller) intermediate, so every stage is one of the fast patterns:
/// [..., R] reduces contiguous runs; [..., R, K] accumulates rows.
static void FN(reduce)(rg_reduce_op op, const T *x, const int64_t *dims, const uint8_t *red,
                       int m, T *out)
{
    if (red[m - 1]) {
        const int64_t n = dims[m - 1];
        int64_t rows = 1;
        for (int d = 0; d < m - 1; d++) rows *= dims[d];
        T *dst = m <= 2 ? out : malloc((size_t)rows * sizeof(T));
        if (!dst) return;
        if (op == RG_REDUCE_SUM)
            for (int64_t r = 0; r < rows; r++) dst[r] = FN(sum_contig)(x + r * n, n);
        else
            for (int64_t r = 0; r < rows; r++) dst[r] = FN(max_contig)(x + r * n, n);
        if (m > 2) {
            FN(reduce)(op, dst, dims, red, m - 1, out);
            free(dst);
        }
        return;
    }
    const int64_t K = dims[m - 1], R = dims[m - 2];
    int64_t outer = 1;
    for (int d = 0; d < m - 2; d++) outer *= dims[d];
    const int depth = op == RG_REDUCE_SUM ? rows_depth(R) : 0;
    T *scratch = depth ? malloc((size_t)depth * RG_ROWS_COLS * sizeof(T)) : NULL;
    T *dst = m <= 3 ? out : malloc((size_t)(outer * K) * sizeof(T));
    if ((depth && !scratch) || !dst) {
        free(scratch);
        if (dst != out) free(dst);
        return;
    }
    for (int64_t o = 0; o < outer; o++) FN(reduce_rows)(op, x + o * R * K, R, K, dst + o * K, scratch);
    free(scratch);
    if (m > 3) {
        // dims[m-3] is kept, so it merges with K.
        int64_t dims2[RG_MAX_DIMS];
        for (int d = 0; d < m - 2; d++) dims2[d] = dims[d];
        dims2[m - 3] *= K;
        FN(reduce)(op, dst, dims2, red, m - 2, out);
        free(dst);
    }
}

#undef FN
#undef RG_CAT
#undef RG_CAT_
