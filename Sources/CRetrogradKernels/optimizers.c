// Optimizer updates in one pass: read θ, g and the slots once, write the slots in place
// and the new θ to `out`. Written as plain loops with the branches hoisted out, so the
// compiler vectorises them (sqrt and division included).
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

#define SGD_UPDATE(SUF, T)                                                                \
    static void sgd_##SUF(const rg_sgd_step *c, int64_t n, const T *restrict theta,     \
                          const T *restrict g, T *restrict buffer, T *restrict out)      \
    {                                                                                    \
        const T lr = (T)c->learning_rate, mu = (T)c->momentum;                           \
        const T keep = (T)(1 - c->dampening), lambda = (T)c->weight_decay;               \
        const int decays = c->weight_decay != 0, nesterov = c->nesterov;                 \
        if (buffer == NULL) {                                                            \
            if (decays) for (int64_t i = 0; i < n; i++) out[i] = theta[i] - (g[i] + theta[i] * lambda) * lr; \
            else for (int64_t i = 0; i < n; i++) out[i] = theta[i] - g[i] * lr;          \
            return;                                                                      \
        }                                                                                \
        const int first = c->first_step;                                                 \
        if (!decays && !nesterov && !first) { /* the common case, kept branch-free */    \
            for (int64_t i = 0; i < n; i++) {                                            \
                const T b = buffer[i] * mu + g[i] * keep;                                \
                buffer[i] = b;                                                           \
                out[i] = theta[i] - b * lr;                                              \
            }                                                                            \
            return;                                                                      \
        }                                                                                \
        for (int64_t i = 0; i < n; i++) {                                                \
            const T d = decays ? g[i] + theta[i] * lambda : g[i];                        \
            const T b = first ? d : buffer[i] * mu + d * keep;                           \
            buffer[i] = b;                                                               \
            out[i] = theta[i] - (nesterov ? d + b * mu : b) * lr;                        \
        }                                                                                \
    }

SGD_UPDATE(f32, float)
SGD_UPDATE(f64, double)

void rg_sgd_update(rg_dtype dtype, const rg_sgd_step *step, int64_t n, const void *theta,
                   const void *gradient, void *buffer, void *out)
{
    if (n <= 0) return;
    if (dtype == RG_FLOAT32) sgd_f32(step, n, theta, gradient, buffer, out);
    else if (dtype == RG_FLOAT64) sgd_f64(step, n, theta, gradient, buffer, out);
}

#define ADAM_UPDATE(SUF, T, SQRT)                                                         \
    static void adam_##SUF(const rg_adam_step *c, int64_t n, const T *restrict theta,   \
                           const T *restrict g, T *restrict m, T *restrict v,            \
                           T *restrict u, T *restrict out)                               \
    {                                                                                    \
        const T b1 = (T)c->beta1, keep1 = (T)(1 - c->beta1);                             \
        const T b2 = (T)c->beta2, keep2 = (T)(1 - c->beta2);                             \
        const T eps = (T)c->epsilon, step = (T)c->step_size;                             \
        const T root2 = (T)c->bias_correction2_root;                                     \
        const T lambda = (T)c->coupled_decay, factor = (T)c->decoupled_factor;           \
        if (u == NULL && c->coupled_decay == 0 && c->decoupled_factor == 1) {            \
            for (int64_t i = 0; i < n; i++) {                                            \
                const T d = g[i];                                                        \
                const T mi = m[i] * b1 + d * keep1;                                      \
                const T vi = v[i] * b2 + (d * d) * keep2;                                \
                m[i] = mi;                                                               \
                v[i] = vi;                                                               \
                out[i] = theta[i] - (mi / (SQRT(vi) / root2 + eps)) * step;              \
            }                                                                            \
            return;                                                                      \
        }                                                                                \
        for (int64_t i = 0; i < n; i++) {                                                \
            const T value = c->decoupled_factor != 1 ? theta[i] * factor : theta[i];     \
            const T d = c->coupled_decay != 0 ? g[i] + value * lambda : g[i];            \
            const T mi = m[i] * b1 + d * keep1;                                          \
            const T vi = v[i] * b2 + (d * d) * keep2;                                    \
            m[i] = mi;                                                                   \
            v[i] = vi;                                                                   \
            T s = vi;                                                                    \
            if (u != NULL) {                                                             \
                s = u[i] > vi ? u[i] : vi;                                               \
                u[i] = s;                                                                \
            }                                                                            \
            out[i] = value - (mi / (SQRT(s) / root2 + eps)) * step;                      \
        }                                                                                \
    }

ADAM_UPDATE(f32, float, SQRT_F32)
ADAM_UPDATE(f64, double, SQRT_F64)

void rg_adam_update(rg_dtype dtype, const rg_adam_step *step, int64_t n, const void *theta,
                    const void *gradient, void *m, void *v, void *u, void *out)
{
    if (n <= 0) return;
    if (dtype == RG_FLOAT32) adam_f32(step, n, theta, gradient, m, v, u, out);
    else if (dtype == RG_FLOAT64) adam_f64(step, n, theta, gradient, m, v, u, out);
}
