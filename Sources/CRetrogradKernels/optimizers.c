// Optimizer updates in one pass: read θ, g and the slots once and write θ and the slots
// back in place. Written as plain loops with the branches hoisted out, so the
// compiler vectorises them (sqrt and division included). Each loop is built twice: for
// the baseline target and for AVX2, chosen at run time. AVX2 only widens the vectors (no
// FMA), so both builds give the same bits as the tensor-op form of the rule; it halves
// the time of an Adam step.
//
// Bit-identity with the tensor ops needs every operation rounded on its own, in the
// element type: constants are converted to T first (as a tensor op converts a Swift
// number), `a / b` on tensors is `a * (1 / b)` and is written so here, and no a·b + c
// may become a fused multiply-add. The AVX2 builds enable no FMA instructions, and the
// pragma below forbids contraction on targets that have FMA in their baseline (arm64).
#include <math.h>

#include "retrograd_kernels.h"

#pragma STDC FP_CONTRACT OFF

// sqrt without errno, so that loops calling it vectorise. It rounds correctly like
// sqrtf/sqrt, and a negative argument (centered RMSProp, after rounding) gives NaN too.
#if defined(__has_builtin)
#if __has_builtin(__builtin_elementwise_sqrt)
#define SQRT_F32(x) __builtin_elementwise_sqrt(x)
#define SQRT_F64(x) __builtin_elementwise_sqrt(x)
#endif
#endif
#ifndef SQRT_F32
#define SQRT_F32(x) sqrtf(x)
#define SQRT_F64(x) sqrt(x)
#endif

#if defined(__x86_64__)
#define AVX2 __attribute__((target("avx2")))
#else
#define AVX2
#endif

/// Whether this CPU runs the AVX2 builds; decided once (racing threads store the same
/// value).
static int has_avx2(void)
{
#if defined(__x86_64__)
    static int avx2 = -1;
    int use = __atomic_load_n(&avx2, __ATOMIC_RELAXED);
    if (use < 0) {
        use = __builtin_cpu_supports("avx2");
        __atomic_store_n(&avx2, use, __ATOMIC_RELAXED);
    }
    return use;
#else
    return 0;
#endif
}

/// Defines the four builds of a rule: float and double, each for the baseline target and
/// for AVX2. RULE(SUF, T, SQRT, ATTR) defines the static function <rule>_SUF.
#define FOUR_BUILDS(RULE)                                                                 \
    RULE(f32, float, SQRT_F32, )                                                          \
    RULE(f64, double, SQRT_F64, )                                                         \
    RULE(f32_avx2, float, SQRT_F32, AVX2)                                                 \
    RULE(f64_avx2, double, SQRT_F64, AVX2)

/// Calls the build of NAME for `dtype` and this CPU with the arguments that follow; does
/// nothing for n ≤ 0.
#define DISPATCH(NAME, dtype, n, ...)                                                     \
    do {                                                                                  \
        if ((n) <= 0) break;                                                              \
        const int wide = has_avx2();                                                      \
        if ((dtype) == RG_FLOAT32) (wide ? NAME##_f32_avx2 : NAME##_f32)(__VA_ARGS__);   \
        else if ((dtype) == RG_FLOAT64) (wide ? NAME##_f64_avx2 : NAME##_f64)(__VA_ARGS__); \
    } while (0)

#define SGD_UPDATE(SUF, T, SQRT, ATTR)                                                    \
    ATTR static void sgd_##SUF(const rg_sgd_step *c, int64_t n, T *restrict theta,        \
                          const T *restrict g, T *restrict buffer)                        \
    {                                                                                     \
        const T lr = (T)c->learning_rate, mu = (T)c->momentum;                            \
        const T keep = (T)(1 - c->dampening), lambda = (T)c->weight_decay;                \
        const int decays = c->weight_decay != 0, nesterov = c->nesterov;                  \
        if (buffer == NULL) {                                                             \
            if (decays) for (int64_t i = 0; i < n; i++) theta[i] = theta[i] - (g[i] + theta[i] * lambda) * lr; \
            else for (int64_t i = 0; i < n; i++) theta[i] = theta[i] - g[i] * lr;         \
            return;                                                                       \
        }                                                                                 \
        const int first = c->first_step;                                                  \
        if (!decays && !nesterov && !first) { /* the common case, kept branch-free */     \
            for (int64_t i = 0; i < n; i++) {                                             \
                const T b = buffer[i] * mu + g[i] * keep;                                 \
                buffer[i] = b;                                                            \
                theta[i] = theta[i] - b * lr;                                             \
            }                                                                             \
            return;                                                                       \
        }                                                                                 \
        for (int64_t i = 0; i < n; i++) {                                                 \
            const T d = decays ? g[i] + theta[i] * lambda : g[i];                         \
            const T b = first ? d : buffer[i] * mu + d * keep;                            \
            buffer[i] = b;                                                                \
            theta[i] = theta[i] - (nesterov ? d + b * mu : b) * lr;                       \
        }                                                                                 \
    }

FOUR_BUILDS(SGD_UPDATE)

void rg_sgd_update(rg_dtype dtype, const rg_sgd_step *step, int64_t n, void *theta,
                   const void *gradient, void *buffer)
{
    DISPATCH(sgd, dtype, n, step, n, theta, gradient, buffer);
}

#define ADAM_UPDATE(SUF, T, SQRT, ATTR)                                                   \
    ATTR static void adam_##SUF(const rg_adam_step *c, int64_t n, T *restrict theta,      \
                           const T *restrict g, T *restrict m, T *restrict v,             \
                           T *restrict u)                                                 \
    {                                                                                     \
        const T b1 = (T)c->beta1, keep1 = (T)(1 - c->beta1);                              \
        const T b2 = (T)c->beta2, keep2 = (T)(1 - c->beta2);                              \
        const T eps = (T)c->epsilon, step = (T)c->step_size;                              \
        const T root2 = (T)c->bias_correction2_root;                                      \
        const T lambda = (T)c->coupled_decay, factor = (T)c->decoupled_factor;            \
        if (u == NULL && c->coupled_decay == 0 && c->decoupled_factor == 1) {             \
            for (int64_t i = 0; i < n; i++) {                                             \
                const T d = g[i];                                                         \
                const T mi = m[i] * b1 + d * keep1;                                       \
                const T vi = v[i] * b2 + (d * d) * keep2;                                 \
                m[i] = mi;                                                                \
                v[i] = vi;                                                                \
                theta[i] = theta[i] - (mi / (SQRT(vi) / root2 + eps)) * step;             \
            }                                                                             \
            return;                                                                       \
        }                                                                                 \
        for (int64_t i = 0; i < n; i++) {                                                 \
            const T value = c->decoupled_factor != 1 ? theta[i] * factor : theta[i];      \
            const T d = c->coupled_decay != 0 ? g[i] + value * lambda : g[i];             \
            const T mi = m[i] * b1 + d * keep1;                                           \
            const T vi = v[i] * b2 + (d * d) * keep2;                                     \
            m[i] = mi;                                                                    \
            v[i] = vi;                                                                    \
            T s = vi;                                                                     \
            if (u != NULL) {                                                              \
                s = u[i] > vi ? u[i] : vi;                                                \
                u[i] = s;                                                                 \
            }                                                                             \
            theta[i] = value - (mi / (SQRT(s) / root2 + eps)) * step;                     \
        }                                                                                 \
    }

FOUR_BUILDS(ADAM_UPDATE)

void rg_adam_update(rg_dtype dtype, const rg_adam_step *step, int64_t n, void *theta,
                    const void *gradient, void *m, void *v, void *u)
{
    DISPATCH(adam, dtype, n, step, n, theta, gradient, m, v, u);
}

/// Calls FN(args…, d, c, m) with the three flags D, C, M as constants, one call per
/// combination, so that each inlined copy of the loop is branch-free.
#define WITH_CONSTANT_FLAGS(FN, D, C, M, ...)                                             \
    switch ((D) << 2 | (C) << 1 | (M)) {                                                  \
    case 0: FN(__VA_ARGS__, 0, 0, 0); break;                                              \
    case 1: FN(__VA_ARGS__, 0, 0, 1); break;                                              \
    case 2: FN(__VA_ARGS__, 0, 1, 0); break;                                              \
    case 3: FN(__VA_ARGS__, 0, 1, 1); break;                                              \
    case 4: FN(__VA_ARGS__, 1, 0, 0); break;                                              \
    case 5: FN(__VA_ARGS__, 1, 0, 1); break;                                              \
    case 6: FN(__VA_ARGS__, 1, 1, 0); break;                                              \
    default: FN(__VA_ARGS__, 1, 1, 1); break;                                             \
    }

// RMSProp, as the tensor ops compute it: d = g + θ·λ; s = s·α + (d·d)·(1 − α);
// a = a·α + d·(1 − α); r = √(s − a·a) (centered) or √s, then r + ε; q = d·(1/r);
// b = b·μ + q, θ = θ − b·η (momentum) or θ = θ − q·η. The loop is written once and
// inlined with constant flags, so each of the eight variants is a branch-free loop.
#define RMSPROP_UPDATE(SUF, T, SQRT, ATTR)                                                \
    static inline __attribute__((always_inline)) void rmsprop_loop_##SUF(                 \
        const rg_rmsprop_step *c, int64_t n, T *restrict theta, const T *restrict g,      \
        T *restrict s, T *restrict a, T *restrict b, const int decays, const int centered, \
        const int momentum)                                                               \
    {                                                                                     \
        const T lr = (T)c->learning_rate, alpha = (T)c->alpha, keep = (T)(1 - c->alpha);  \
        const T eps = (T)c->epsilon, lambda = (T)c->weight_decay, mu = (T)c->momentum;    \
        for (int64_t i = 0; i < n; i++) {                                                 \
            const T d = decays ? g[i] + theta[i] * lambda : g[i];                         \
            const T si = s[i] * alpha + (d * d) * keep;                                   \
            s[i] = si;                                                                    \
            T r = si;                                                                     \
            if (centered) {                                                               \
                const T ai = a[i] * alpha + d * keep;                                     \
                a[i] = ai;                                                                \
                r = si - ai * ai;                                                         \
            }                                                                             \
            r = SQRT(r) + eps;                                                            \
            const T q = d * ((T)1 / r);                                                   \
            if (momentum) {                                                               \
                const T bi = b[i] * mu + q;                                               \
                b[i] = bi;                                                                \
                theta[i] = theta[i] - bi * lr;                                            \
            } else {                                                                      \
                theta[i] = theta[i] - q * lr;                                             \
            }                                                                             \
        }                                                                                 \
    }                                                                                     \
    ATTR static void rmsprop_##SUF(const rg_rmsprop_step *c, int64_t n, T *theta,         \
                                   const T *g, T *s, T *a, T *b)                          \
    {                                                                                     \
        WITH_CONSTANT_FLAGS(rmsprop_loop_##SUF, c->weight_decay != 0, a != NULL, b != NULL, \
                            c, n, theta, g, s, a, b)                                      \
    }

FOUR_BUILDS(RMSPROP_UPDATE)

void rg_rmsprop_update(rg_dtype dtype, const rg_rmsprop_step *step, int64_t n, void *theta,
                       const void *gradient, void *square_average, void *gradient_average,
                       void *momentum_buffer)
{
    DISPATCH(rmsprop, dtype, n, step, n, theta, gradient, square_average, gradient_average,
             momentum_buffer);
}

// Adagrad, as the tensor ops compute it: d = g + θ·λ; S = S + d·d;
// θ = θ − (d·(1/(√S + ε)))·η_t, with η_t the decayed rate (in double, then rounded to T).
#define ADAGRAD_UPDATE(SUF, T, SQRT, ATTR)                                                \
    ATTR static void adagrad_##SUF(const rg_adagrad_step *c, int64_t n, T *restrict theta, \
                                   const T *restrict g, T *restrict sum)                  \
    {                                                                                     \
        const T rate = (T)c->learning_rate, eps = (T)c->epsilon;                          \
        const T lambda = (T)c->weight_decay;                                              \
        if (c->weight_decay == 0) {                                                       \
            for (int64_t i = 0; i < n; i++) {                                             \
                const T d = g[i];                                                         \
                const T si = sum[i] + d * d;                                              \
                sum[i] = si;                                                              \
                theta[i] = theta[i] - (d * ((T)1 / (SQRT(si) + eps))) * rate;             \
            }                                                                             \
            return;                                                                       \
        }                                                                                 \
        for (int64_t i = 0; i < n; i++) {                                                 \
            const T d = g[i] + theta[i] * lambda;                                         \
            const T si = sum[i] + d * d;                                                  \
            sum[i] = si;                                                                  \
            theta[i] = theta[i] - (d * ((T)1 / (SQRT(si) + eps))) * rate;                 \
        }                                                                                 \
    }

FOUR_BUILDS(ADAGRAD_UPDATE)

void rg_adagrad_update(rg_dtype dtype, const rg_adagrad_step *step, int64_t n, void *theta,
                       const void *gradient, void *sum)
{
    DISPATCH(adagrad, dtype, n, step, n, theta, gradient, sum);
}
