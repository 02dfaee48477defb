// Per-(element type, instruction set) body of gemm.c: included once per build with T,
// SUF, MR, NR, MC, KC, NC, RG_TARGET (function attributes, possibly empty) and KERNEL
// (the MR×NR micro-kernel) defined; defines engine_SUF. Not a public header.
//
// Optional: PACK_A_ROWS(src, lda, kc, dst) packs one whole MR-row micro-panel of a
// non-transposed A, and PACK_B_COLUMNS(src, ldb, kc, dst) one whole NR-column micro-panel
// of a transposed B (both transpositions of a block), in place of the scalar loops.
//
// The classic blocked scheme (Goto/BLIS): for each NC-wide column panel of op(B) and
// each KC-deep slice, pack that slice of B into NR-wide micro-panels; for each MC-tall
// block of op(A), pack it into MR-tall micro-panels; then the micro-kernel computes each
// MR×NR tile of C from one A and one B micro-panel, all contiguous. A B micro-panel
// (KC·NR values) stays in L1 while the MC/MR A micro-panels stream past it from L2.
//
// KERNEL(kc, a, b, c, ldc, alpha, beta) computes a whole tile:
// C[0:MR, 0:NR] = alpha · (A-panel · B-panel) + beta · C, never reading C when beta == 0.

#define RG_CAT_(a, b) a##_##b
#define RG_CAT(a, b) RG_CAT_(a, b)
#define FN(name) RG_CAT(name, SUF)

/// Packs op(A)[i0 : i0+mc, p0 : p0+kc] into MR-row micro-panels, each stored p-major
/// (MR values per p); rows past mc are zero.
RG_TARGET static void FN(pack_a)(int trans, const T *a, int64_t lda, int64_t i0, int64_t p0,
                                 int64_t mc, int64_t kc, T *restrict dst)
{
    for (int64_t ir = 0; ir < mc; ir += MR) {
        const int64_t mr = mc - ir < MR ? mc - ir : MR;
        T *restrict d = dst + ir * kc;
        if (!trans) {  // A(i, p) = a[i·lda + p]: MR rows side by side
            const T *src = a + (i0 + ir) * lda + p0;
            if (mr == MR) {
#ifdef PACK_A_ROWS
                PACK_A_ROWS(src, lda, kc, d);
#else
                for (int64_t p = 0; p < kc; p++)
                    for (int i = 0; i < MR; i++) d[p * MR + i] = src[i * lda + p];
#endif
            } else {
                for (int64_t p = 0; p < kc; p++) {
                    for (int64_t i = 0; i < mr; i++) d[p * MR + i] = src[i * lda + p];
                    for (int64_t i = mr; i < MR; i++) d[p * MR + i] = 0;
                }
            }
        } else {  // A(i, p) = a[p·lda + i]: MR contiguous values per p
            const T *src = a + p0 * lda + i0 + ir;
            if (mr == MR) {
                for (int64_t p = 0; p < kc; p++)
                    for (int i = 0; i < MR; i++) d[p * MR + i] = src[p * lda + i];
            } else {
                for (int64_t p = 0; p < kc; p++) {
                    for (int64_t i = 0; i < mr; i++) d[p * MR + i] = src[p * lda + i];
                    for (int64_t i = mr; i < MR; i++) d[p * MR + i] = 0;
                }
            }
        }
    }
}

/// Packs op(B)[p0 : p0+kc, j0 : j0+nc] into NR-column micro-panels, each stored p-major
/// (NR values per p); columns past nc are zero.
RG_TARGET static void FN(pack_b)(int trans, const T *b, int64_t ldb, int64_t p0, int64_t j0,
                                 int64_t kc, int64_t nc, T *restrict dst)
{
    const int64_t full = nc / NR * NR;  // columns in whole micro-panels
    if (!trans) {
        // B(p, j) = b[p·ldb + j]: read each row of the block once, front to back, and
        // deal it out to the micro-panels (reading panel by panel instead jumps ldb
        // between the rows: about twice as slow).
        for (int64_t p = 0; p < kc; p++) {
            const T *row = b + (p0 + p) * ldb + j0;
            for (int64_t jr = 0; jr < full; jr += NR)
                for (int j = 0; j < NR; j++) dst[jr * kc + p * NR + j] = row[jr + j];
        }
        if (full < nc) {
            const int64_t nr = nc - full;
            T *restrict d = dst + full * kc;
            const T *src = b + p0 * ldb + j0 + full;
            for (int64_t p = 0; p < kc; p++) {
                for (int64_t j = 0; j < nr; j++) d[p * NR + j] = src[p * ldb + j];
                for (int64_t j = nr; j < NR; j++) d[p * NR + j] = 0;
            }
        }
        return;
    }
    // B(p, j) = b[j·ldb + p]: NR columns of op(B) side by side.
    for (int64_t jr = 0; jr < nc; jr += NR) {
        T *restrict d = dst + jr * kc;
        const T *src = b + (j0 + jr) * ldb + p0;
        if (jr < full) {
#ifdef PACK_B_COLUMNS
            PACK_B_COLUMNS(src, ldb, kc, d);
#else
            for (int64_t p = 0; p < kc; p++)
                for (int j = 0; j < NR; j++) d[p * NR + j] = src[j * ldb + p];
#endif
        } else {
            const int64_t nr = nc - jr;
            for (int64_t p = 0; p < kc; p++) {
                for (int64_t j = 0; j < nr; j++) d[p * NR + j] = src[j * ldb + p];
                for (int64_t j = nr; j < NR; j++) d[p * NR + j] = 0;
            }
        }
    }
}

/// One tile of C, which may be cut short at the bottom or right edge (mr ≤ MR, nr ≤ NR):
/// an edge tile is computed whole into a scratch tile and the valid part merged into C.
RG_TARGET static inline void FN(tile)(int64_t kc, const T *a, const T *b, T *c, int64_t ldc,
                                      int64_t mr, int64_t nr, T alpha, T beta)
{
    if (mr == MR && nr == NR) {
        KERNEL(kc, a, b, c, ldc, alpha, beta);
        return;
    }
    _Alignas(64) T tile[MR * NR];
    KERNEL(kc, a, b, tile, NR, 1, 0);
    for (int64_t i = 0; i < mr; i++)
        for (int64_t j = 0; j < nr; j++) {
            T *cij = c + i * ldc + j;
            *cij = beta == 0 ? alpha * tile[i * NR + j] : beta * *cij + alpha * tile[i * NR + j];
        }
}

/// Direct loops for tiny products, where packing costs more than it saves; also
/// C = beta·C when k == 0 or alpha == 0 (A and B are then not read, as in BLAS).
RG_TARGET static void FN(small)(int ta, int tb, int64_t m, int64_t n, int64_t k,
                                double alpha_, const void *a_, int64_t lda, const void *b_,
                                int64_t ldb, double beta_, void *c_, int64_t ldc)
{
    const T alpha = (T)alpha_, beta = (T)beta_;
    const T *a = a_, *b = b_;
    T *c = c_;
    if (alpha == 0) k = 0;
    for (int64_t i = 0; i < m; i++) {
        T *restrict ci = c + i * ldc;
        if (beta == 0)
            for (int64_t j = 0; j < n; j++) ci[j] = 0;
        else if (beta != 1)
            for (int64_t j = 0; j < n; j++) ci[j] *= beta;
        if (!tb) {
            for (int64_t p = 0; p < k; p++) {
                const T aip = alpha * (ta ? a[p * lda + i] : a[i * lda + p]);
                const T *restrict bp = b + p * ldb;
                for (int64_t j = 0; j < n; j++) ci[j] += aip * bp[j];
            }
        } else {  // dot products along contiguous rows of B
            for (int64_t j = 0; j < n; j++) {
                const T *restrict bj = b + j * ldb;
                T sum = 0;
                if (!ta) {
                    const T *restrict ai = a + i * lda;
                    for (int64_t p = 0; p < k; p++) sum += ai[p] * bj[p];
                } else {
                    for (int64_t p = 0; p < k; p++) sum += a[p * lda + i] * bj[p];
                }
                ci[j] += alpha * sum;
            }
        }
    }
}

/// The blocked product on the calling thread, with scratch space `ap` for
/// FN(a_buffer_size)(m, k) values and `bp` for FN(b_buffer_size)(n, k) values (both
/// 64-byte aligned). Needs m, n, k > 0 and alpha != 0.
RG_TARGET static void FN(blocked)(int ta, int tb, int64_t m, int64_t n, int64_t k,
                                  double alpha_, const void *a_, int64_t lda, const void *b_,
                                  int64_t ldb, double beta_, void *c_, int64_t ldc,
                                  void *ap_, void *bp_)
{
    const T alpha = (T)alpha_, beta = (T)beta_;
    const T *a = a_, *b = b_;
    T *c = c_, *ap = ap_, *bp = bp_;
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
                        FN(tile)(kc, ap + ir * kc, bp + jr * kc,
                                 c + (i0 + ir) * ldc + j0 + jr, ldc, mr, nr, alpha, beta_p);
                    }
                }
            }
        }
    }
}

/// This build, for the dispatcher in gemm.c.
static const rg_engine FN(engine) = {FN(small), FN(blocked), MR, NR, MC, KC, NC, sizeof(T)};

#undef FN
#undef RG_CAT
#undef RG_CAT_
