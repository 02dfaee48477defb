// Normalisation along an axis: log softmax, and softmax cross-entropy with integer labels.
// Each row is shifted by its maximum before exponentiating, so large logits never
// overflow; float32 rows accumulate their sum of exponentials in double.
#include <math.h>

#include "retrograd_kernels.h"

#define LOG_SOFTMAX(NAME, T, EXP, LOG)                                                   \
    static void NAME(const T *x, int64_t outer, int64_t n, int64_t inner, T *out)        \
    {                                                                                    \
        for (int64_t o = 0; o < outer; o++) {                                            \
            for (int64_t i = 0; i < inner; i++) {                                        \
                const T *row = x + o * n * inner + i;                                    \
                T *dst = out + o * n * inner + i;                                        \
                T top = row[0];                                                          \
                for (int64_t k = 1; k < n; k++)                                          \
                    if (row[k * inner] > top || row[k * inner] != row[k * inner]) top = row[k * inner]; \
                double total = 0;                                                        \
                for (int64_t k = 0; k < n; k++) total += EXP(row[k * inner] - top);       \
                const T shift = top + (T)LOG(total);                                     \
                for (int64_t k = 0; k < n; k++) dst[k * inner] = row[k * inner] - shift;  \
            }                                                                            \
        }                                                                                \
    }

LOG_SOFTMAX(log_softmax_f32, float, expf, log)
LOG_SOFTMAX(log_softmax_f64, double, exp, log)

void rg_log_softmax(rg_dtype dtype, const void *x, int64_t outer, int64_t n, int64_t inner, void *out)
{
    if (n <= 0) return;
    if (dtype == RG_FLOAT32) log_softmax_f32(x, outer, n, inner, out);
    else if (dtype == RG_FLOAT64) log_softmax_f64(x, outer, n, inner, out);
}

#define CROSS_ENTROPY(NAME, T, EXP, LOG)                                                 \
    static void NAME(const T *logits, int64_t rows, int64_t classes, const int32_t *labels, T *out) \
    {                                                                                    \
        for (int64_t r = 0; r < rows; r++) {                                             \
            const T *row = logits + r * classes;                                         \
            T top = row[0];                                                              \
            for (int64_t k = 1; k < classes; k++)                                        \
                if (row[k] > top || row[k] != row[k]) top = row[k];                      \
            double total = 0;                                                            \
            for (int64_t k = 0; k < classes; k++) total += EXP(row[k] - top);            \
            out[r] = (top + (T)LOG(total)) - row[labels[r]];                             \
        }                                                                                \
    }

CROSS_ENTROPY(cross_entropy_f32, float, expf, log)
CROSS_ENTROPY(cross_entropy_f64, double, exp, log)

void rg_softmax_cross_entropy(rg_dtype dtype, const void *logits, int64_t rows, int64_t classes,
                              const int32_t *labels, void *out)
{
    if (classes <= 0) return;
    if (dtype == RG_FLOAT32) cross_entropy_f32(logits, rows, classes, labels, out);
    else if (dtype == RG_FLOAT64) cross_entropy_f64(logits, rows, classes, labels, out);
}
