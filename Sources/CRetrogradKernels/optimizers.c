// Optimizer updates in one pass: read θ, g and the slots once and write θ and the slots
// back in place. Written as plain loops with the branches hoisted out, so the
// compiler vectorises them (sqrt and division included). Each loop is built twice: for
// the baseline target and for AVX2, chosen at run time. AVX2 only widens the vectors (no
// FMA contraction), so both builds give the same bits as the tensor-op form of the rule;
// it halves the time of an Adam step.
#include <math.h>

#include "retrograd_kernels.h"

// sqrt without errno, so that loops calling it vectorise (the argument is never negative).
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

#define SGD_UPDATE(SUF, T, ATTR)                                                          \
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

#define AVX2 __attribute__((target("avx2")))
SGD_UPDATE(f32, float, )
SGD_UPDATE(f64, double, )
SGD_UPDATE(f32_avx2, float, AVX2)
SGD_UPDATE(f64_avx2, double, AVX2)

/// Whether this CPU runs the AVX2 builds; decided once (racing threads store the same
/// value).
static int has_avx2(void)
{
    static int avx2 = -1;
    int use = __atomic_load_n(&avx2, __ATOMIC_RELAXED);
    if (use < 0) {
        use = __builtin_cpu_supports("avx2");
        __atomic_store_n(&avx2, use, __ATOMIC_RELAXED);
    }
    return use;
}

void rg_sgd_update(rg_dtype dtype, const rg_sgd_step *step, int64_t n, void *theta,
                   const void *gradient, void *buffer)
{
    if (n <= 0) return;
    const int wide = has_avx2();
    if (dtype == RG_FLOAT32) (wide ? sgd_f32_avx2 : sgd_f32)(step, n, theta, gradient, buffer);
    else if (dtype == RG_FLOAT64) (wide ? sgd_f64_avx2 : sgd_f64)(step, n, theta, gradient, buffer);
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

ADAM_UPDATE(f32, float, SQRT_F32, )
ADAM_UPDATE(f64, double, SQRT_F64, )
ADAM_UPDATE(f32_avx2, float, SQRT_F32, AVX2)
ADAM_UPDATE(f64_avx2, double, SQRT_F64, AVX2)

void rg_adam_update(rg_dtype dtype, const rg_adam_step *step, int64_t n, void *theta,
                    const void *gradient, void *m, void *v, void *u)
{
    if (n <= 0) return;
    const int wide = has_avx2();
    if (dtype == RG_FLOAT32) (wide ? adam_f32_avx2 : adam_f32)(step, n, theta, gradient, m, v, u);
    else if (dtype == RG_FLOAT64) (wide ? adam_f64_avx2 : adam_f64)(step, n, theta, gradient, m, v, u);
}
