// Per-type body of gemm.c: included once per element type with T, SUF, MR, NR, MC, KC
// and NC defined. Not a public header.
//
// The classic blocked scheme (Goto/BLIS): for each NC-wide column panel of op(B) and
// each KC-deep slice, pack that slice of B into NR-wide micro-panels; for each MC-tall
// block of op(A), pack it into MR-tall micro-panels; then a register-tiled micro-kernel
// computes each MR×NR tile of C from one A and one B micro-panel, all contiguous.

#define RG_CAT_(a, b) a##_##b
#define RG_CAT(a, b) RG_CAT_(a, b)
#define FN(name) RG_CAT(name, SUF)

/// Packs op(A)[i0 : i0+mc, p0 : p0+kc] into MR-row micro-panels, each stored p-major
/// (MR values per p); rows past mc are zero.
static void FN(pack_a)(int trans, const T *a, int64_t lda, int64_t i0, int64_t p0,
                       int64_t mc, int64_t kc, T *restrict dst)
{
    for (int64_t ir = 0; ir < mc; ir += MR) {
        const int64_t mr = mc - ir < MR ? mc - ir : MR;
        T *d = dst + ir * kc;
        if (!trans) {  // A(i, p) = a[i·lda + p]: read each row sequentially
            for (int64_t i = 0; i < mr; i++) {
                const T *src = a + (i0 + ir + i) * lda + p0;
                for (int64_t p = 0; p < kc; p++) d[p * MR + i] = src[p];
            }
        } else {  // A(i, p) = a[p·lda + i]: MR contiguous values per p
            for (int64_t p = 0; p < kc; p++) {
                const T *src = a + (p0 + p) * lda + i0 + ir;
                for (int64_t i = 0; i < mr; i++) d[p * MR + i] = src[i];
            }
        }
        for (int64_t i = mr; i < MR; i++)
            for (int64_t p = 0; p < kc; p++) d[p * MR + i] = 0;
    }
}

/// Packs op(B)[p0 : p0+kc, j0 : j0+nc] into NR-column micro-panels, each stored p-major
/// (NR values per p); columns past nc are zero.
static void FN(pack_b)(int trans, const T *b, int64_t ldb, int64_t p0, int64_t j0,
                       int64_t kc, int64_t nc, T *restrict dst)
{
    for (int64_t jr = 0; jr < nc; jr += NR) {
        const int64_t nr = nc - jr < NR ? nc - jr : NR;
        T *d = dst + jr * kc;
        if (!trans) {  // B(p, j) = b[p·ldb + j]
            for (int64_t p = 0; p < kc; p++) {
                const T *src = b + (p0 + p) * ldb + j0 + jr;
                for (int64_t j = 0; j < nr; j++) d[p * NR + j] = src[j];
                for (int64_t j = nr; j < NR; j++) d[p * NR + j] = 0;
            }
        } else {  // B(p, j) = b[j·ldb + p]: read each column of op(B) sequentially
            for (int64_t j = 0; j < nr; j++) {
                const T *src = b + (j0 + jr + j) * ldb + p0;
                for (int64_t p = 0; p < kc; p++) d[p * NR + j] = src[p];
            }
            for (int64_t j = nr; j < NR; j++)
                for (int64_t p = 0; p < kc; p++) d[p * NR + j] = 0;
        }
    }
}

/// C[0:mr, 0:nr] = alpha · (A-panel · B-panel) + beta · C, for one MR×NR tile. The
/// accumulator array has constant bounds, so the compiler keeps it in vector
/// registers. beta == 0 never reads C.
static void FN(micro_kernel)(int64_t kc, const T *restrict a, const T *restrict b,
                             T *restrict c, int64_t ldc, int64_t mr, int64_t nr,
                             T alpha, T beta)
{
    T acc[MR][NR];
    for (int i = 0; i < MR; i++)
        for (int j = 0; j < NR; j++) acc[i][j] = 0;
    for (int64_t p = 0; p < kc; p++) {
        const T *ap = a + p * MR, *bp = b + p * NR;
        RG_UNROLL
        for (int i = 0; i < MR; i++) {
            const T ai = ap[i];
            RG_UNROLL
            for (int j = 0; j < NR; j++) acc[i][j] += ai * bp[j];
        }
    }
    if (mr == MR && nr == NR) {
        if (beta == 0) {
            for (int i = 0; i < MR; i++)
                for (int j = 0; j < NR; j++) c[i * ldc + j] = alpha * acc[i][j];
        } else if (beta == 1) {
            for (int i = 0; i < MR; i++)
                for (int j = 0; j < NR; j++) c[i * ldc + j] += alpha * acc[i][j];
        } else {
            for (int i = 0; i < MR; i++)
                for (int j = 0; j < NR; j++)
                    c[i * ldc + j] = beta * c[i * ldc + j] + alpha * acc[i][j];
        }
        return;
    }
    // Edge tile: spill the accumulators (constant indices keep them in registers above).
    T tile[MR][NR];
    for (int i = 0; i < MR; i++)
        for (int j = 0; j < NR; j++) tile[i][j] = acc[i][j];
    for (int64_t i = 0; i < mr; i++)
        for (int64_t j = 0; j < nr; j++) {
            T *cij = c + i * ldc + j;
            *cij = beta == 0 ? alpha * tile[i][j] : beta * *cij + alpha * tile[i][j];
        }
}

/// Direct triple loop for tiny products, where packing costs more than it saves.
static void FN(gemm_small)(int ta, int tb, int64_t m, int64_t n, int64_t k, T alpha,
                           const T *a, int64_t lda, const T *b, int64_t ldb, T beta,
                           T *c, int64_t ldc)
{
    for (int64_t i = 0; i < m; i++) {
        T *ci = c + i * ldc;
        if (beta == 0)
            for (int64_t j = 0; j < n; j++) ci[j] = 0;
        else if (beta != 1)
            for (int64_t j = 0; j < n; j++) ci[j] *= beta;
        for (int64_t p = 0; p < k; p++) {
            const T aip = alpha * (ta ? a[p * lda + i] : a[i * lda + p]);
            if (!tb) {
                const T *bp = b + p * ldb;
                for (int64_t j = 0; j < n; j++) ci[j] += aip * bp[j];
            } else {
                for (int64_t j = 0; j < n; j++) ci[j] += aip * b[j * ldb + p];
            }
        }
    }
}

static void FN(gemm)(int ta, int tb, int64_t m, int64_t n, int64_t k, T alpha,
                     const T *a, int64_t lda, const T *b, int64_t ldb, T beta,
                     T *c, int64_t ldc)
{
    if (m <= 0 || n <= 0) return;
    if (k <= 0 || m * n * k <= RG_GEMM_SMALL) {
        FN(gemm_small)(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        return;
    }
    // Buffers sized to the problem, rounded up to whole micro-panels.
    const int64_t mcap = m < MC ? (m + MR - 1) / MR * MR : MC;
    const int64_t ncap = n < NC ? (n + NR - 1) / NR * NR : NC;
    const int64_t kcap = k < KC ? k : KC;
    T *ap = rg_aligned_alloc((size_t)(mcap * kcap) * sizeof(T));
    T *bp = rg_aligned_alloc((size_t)(ncap * kcap) * sizeof(T));
    if (!ap || !bp) {  // out of memory: still give the right answer
        free(ap);
        free(bp);
        FN(gemm_small)(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        return;
    }
    for (int64_t j0 = 0; j0 < n; j0 += NC) {
        const int64_t nc = n - j0 < NC ? n - j0 : NC;
        for (int64_t p0 = 0; p0 < k; p0 += KC) {
            const int64_t kc = k - p0 < KC ? k - p0 : KC;
            const T beta_p = p0 == 0 ? beta : 1;  // later slices accumulate
            FN(pack_b)(tb, b, ldb, p0, j0, kc, nc, bp);
            for (int64_t i0 = 0; i0 < m; i0 += MC) {
                const int64_t mc = m - i0 < MC ? m - i0 : MC;
                FN(pack_a)(ta, a, lda, i0, p0, mc, kc, ap);
                for (int64_t jr = 0; jr < nc; jr += NR) {
                    const int64_t nr = nc - jr < NR ? nc - jr : NR;
                    for (int64_t ir = 0; ir < mc; ir += MR) {
                        const int64_t mr = mc - ir < MR ? mc - ir : MR;
                        FN(micro_kernel)(kc, ap + ir * kc, bp + jr * kc,
                                         c + (i0 + ir) * ldc + j0 + jr, ldc, mr, nr, alpha,
                                         beta_p);
                    }
                }
            }
        }
    }
    free(ap);
    free(bp);
}

#undef FN
#undef RG_CAT
#undef RG_CAT_
