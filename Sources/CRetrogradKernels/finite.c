// Finding NaN and infinity in a buffer, for anomaly detection.
//
// A float is NaN or infinite exactly when all of its exponent bits are set. The test runs
// on the bits as integers, so it holds whatever floating-point flags the build uses, and
// blocks of elements are tested with a branch-free OR that the compiler can vectorize;
// only a block that has a hit is searched element by element.
#include <stdint.h>
#include <string.h>

#include "retrograd_kernels.h"

#define RG_FINITE_BLOCK 256

#define RG_FIRST_NONFINITE(NAME, BITS, EXPONENT)                                          \
    static int64_t NAME(const void *x, int64_t n)                                         \
    {                                                                                     \
        const unsigned char *bytes = (const unsigned char *)x;                            \
        for (int64_t start = 0; start < n; start += RG_FINITE_BLOCK) {                    \
            const int64_t end = start + RG_FINITE_BLOCK < n ? start + RG_FINITE_BLOCK : n; \
            BITS hit = 0;                                                                 \
            for (int64_t i = start; i < end; i++) {                                       \
                BITS bits;                                                                \
                memcpy(&bits, bytes + i * (int64_t)sizeof(BITS), sizeof(BITS));           \
                hit |= (BITS)((bits & EXPONENT) == EXPONENT);                             \
            }                                                                             \
            if (!hit) continue;                                                           \
            for (int64_t i = start; i < end; i++) {                                       \
                BITS bits;                                                                \
                memcpy(&bits, bytes + i * (int64_t)sizeof(BITS), sizeof(BITS));           \
                if ((bits & EXPONENT) == EXPONENT) return i;                              \
            }                                                                             \
        }                                                                                 \
        return -1;                                                                        \
    }

RG_FIRST_NONFINITE(first_nonfinite_f32, uint32_t, UINT32_C(0x7F800000))
RG_FIRST_NONFINITE(first_nonfinite_f64, uint64_t, UINT64_C(0x7FF0000000000000))

int64_t rg_first_nonfinite(rg_dtype dtype, const void *x, int64_t n)
{
    switch (dtype) {
    case RG_FLOAT32: return first_nonfinite_f32(x, n);
    case RG_FLOAT64: return first_nonfinite_f64(x, n);
    default: return -1;
    }
}
