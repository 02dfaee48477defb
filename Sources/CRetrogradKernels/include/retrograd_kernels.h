// Hot loops for Retrograd on contiguous, row-major buffers.
//
// The kernels know nothing about autodiff: they read input buffers and write output
// buffers that the caller has allocated. Shapes and strides are counted in elements, and
// a stride of 0 repeats an element (broadcasting). `ndim` is at most RG_MAX_DIMS.
#ifndef RETROGRAD_KERNELS_H
#define RETROGRAD_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RG_MAX_DIMS 8

/// Element types the kernels handle.
typedef enum { RG_FLOAT32 = 0, RG_FLOAT64 = 1, RG_INT32 = 2, RG_BOOL = 3 } rg_dtype;

/// Unary elementwise operations on floating-point buffers (RG_NEG on int32 too).
typedef enum {
    RG_NEG = 0, RG_RECIPROCAL, RG_EXP, RG_LOG, RG_SIN, RG_COS, RG_SQRT, RG_TANH, RG_SIGMOID, RG_ERF, RG_SOFTPLUS,
} rg_unary_op;

/// Binary elementwise operations on floating-point buffers, and all but RG_POW on int32
/// buffers: int32 add, sub, mul and neg wrap around (two's complement), div truncates
/// toward zero (INT32_MIN / -1 wraps; a zero divisor gives 0, callers refuse it first).
typedef enum { RG_ADD = 0, RG_SUB, RG_MUL, RG_DIV, RG_POW, RG_MAXIMUM } rg_binary_op;

/// Comparisons; the result is a bool buffer (uint8_t, 0 or 1).
typedef enum { RG_EQ = 0, RG_NE, RG_LT, RG_LE, RG_GT, RG_GE } rg_compare_op;

/// Reductions.
typedef enum { RG_REDUCE_SUM = 0, RG_REDUCE_MAX } rg_reduce_op;

// ---- Elementwise -------------------------------------------------------------------

/// out[i] = op(x[i]) for i in 0..<n; `dtype` is RG_FLOAT32 or RG_FLOAT64 (or RG_INT32
/// for RG_NEG).
void rg_unary(rg_dtype dtype, rg_unary_op op, const void *x, void *out, int64_t n);

/// out[index] = op(a[index · a_strides], b[index · b_strides]) over the row-major index
/// space `shape` (the output is contiguous).
void rg_binary(rg_dtype dtype, rg_binary_op op,
               const void *a, const int64_t *a_strides,
               const void *b, const int64_t *b_strides,
               void *out, const int64_t *shape, int ndim);

/// rg_binary for one element of each operand: the same arithmetic without the shape
/// handling (the tape's scalar chains call this).
void rg_binary_scalar(rg_dtype dtype, rg_binary_op op, const void *a, const void *b, void *out);

/// As rg_binary, but writes 0/1 bytes.
void rg_compare(rg_dtype dtype, rg_compare_op op,
                const void *a, const int64_t *a_strides,
                const void *b, const int64_t *b_strides,
                uint8_t *out, const int64_t *shape, int ndim);

/// out[index] = cond[...] ? a[...] : b[...], with broadcasting strides for each input.
/// `dtype` is the element type of a, b and out (any of the four, by element size).
void rg_select(rg_dtype dtype,
               const uint8_t *cond, const int64_t *cond_strides,
               const void *a, const int64_t *a_strides,
               const void *b, const int64_t *b_strides,
               void *out, const int64_t *shape, int ndim);

/// Fills n elements of `out` with `value` converted to `dtype`.
void rg_fill(rg_dtype dtype, void *out, double value, int64_t n);

/// Converts n elements from one dtype to another (bool reads as 0/1; float to int
/// truncates toward zero).
void rg_cast(rg_dtype from, const void *x, rg_dtype to, void *out, int64_t n);

// ---- Data movement (any dtype, by element size in bytes) ----------------------------

/// dst[index · dst_strides] = src[index · src_strides] for every index of `shape`.
/// Covers transpose/permute, broadcasting copies, slicing, padding and concatenation.
void rg_copy_strided(size_t elem_size,
                     const void *src, const int64_t *src_strides,
                     void *dst, const int64_t *dst_strides,
                     const int64_t *shape, int ndim);

/// Gathers along one axis: src is [outer, axis_size, inner], out is [outer, n_indices,
/// inner], out[o, j, i] = src[o, indices[j], i]. Indices must be in 0..<axis_size.
void rg_gather(size_t elem_size, const void *src, int64_t outer, int64_t axis_size,
               int64_t inner, const int32_t *indices, int64_t n_indices, void *out);

/// The adjoint of rg_gather: out is [outer, axis_size, inner] and must be zeroed by the
/// caller; out[o, indices[j], i] += src[o, j, i]. dtype is RG_FLOAT32 or RG_FLOAT64.
void rg_scatter_add(rg_dtype dtype, const void *src, int64_t outer, int64_t n_indices,
                    int64_t inner, const int32_t *indices, int64_t axis_size, void *out);

// ---- Image patches (convolution and pooling) ----------------------------------------

/// Where the windows of a 2-d convolution or pooling fall on an NHWC image
/// [batch, height, width, channels]: window size, strides, dilations, the zeros added
/// before the first row and column (pad_top, pad_left), and the output grid. The patch
/// matrix is [batch, out_height, out_width, kernel_height · kernel_width · channels], each
/// row ordered (kh, kw, c).
typedef struct {
    int64_t batch, height, width, channels;
    int64_t kernel_height, kernel_width;
    int64_t stride_height, stride_width;
    int64_t dilation_height, dilation_width;
    int64_t pad_top, pad_left;
    int64_t out_height, out_width;
} rg_patch_geometry;

/// im2col: writes the patch rows of output positions row_begin ..< row_end, where a row
/// index is n · out_height + oh (each covers out_width patches); cells in the padding are
/// 0. Any element type, by size. Disjoint row ranges may run concurrently.
void rg_im2col(size_t elem_size, const rg_patch_geometry *g, const void *x, void *cols,
               int64_t row_begin, int64_t row_end);

/// col2im, the adjoint of rg_im2col: sets the image rows row_begin ..< row_end (a row index
/// is n · height + ih) to the sum of every patch value taken from them. `dtype` is
/// RG_FLOAT32 or RG_FLOAT64. Disjoint row ranges may run concurrently.
void rg_col2im(rg_dtype dtype, const rg_patch_geometry *g, const void *cols, void *image,
               int64_t row_begin, int64_t row_end);

/// Max pooling (g's dilations must be 1): for the output rows row_begin ..< row_end (a row
/// index is n · out_height + oh), writes out [batch, out_height, out_width, channels] and,
/// for each output, in `winners`, the cell it came from as ih · width + iw within its image.
/// A window's winner is its first largest cell in (kh, kw) order, or its first NaN; cells in
/// the padding never win, so every window must hold a cell of the image. `dtype` is
/// RG_FLOAT32 or RG_FLOAT64. Disjoint row ranges may run concurrently.
void rg_max_pool(rg_dtype dtype, const rg_patch_geometry *g, const void *x, void *out,
                 int32_t *winners, int64_t row_begin, int64_t row_end);

/// The values of x [batch, height, width, channels] at `winners` (as rg_max_pool writes
/// them): out[n, oh, ow, c] = x[n, winners[n, oh, ow, c], c], for the output rows
/// row_begin ..< row_end. Elements of 4 or 8 bytes. Disjoint row ranges may run
/// concurrently.
void rg_pool_pick(size_t elem_size, const rg_patch_geometry *g, const void *x,
                  const int32_t *winners, void *out, int64_t row_begin, int64_t row_end);

/// The adjoint of rg_pool_pick: sets images batch_begin ..< batch_end of `image`
/// [batch, height, width, channels] to zero and adds each value of `values`
/// [batch, out_height, out_width, channels] into the cell its winner names. `dtype` is
/// RG_FLOAT32 or RG_FLOAT64. Disjoint image ranges may run concurrently.
void rg_pool_spread(rg_dtype dtype, const rg_patch_geometry *g, const void *values,
                    const int32_t *winners, void *image, int64_t batch_begin,
                    int64_t batch_end);

// ---- Reductions ---------------------------------------------------------------------

/// Reduces x (row-major `shape`) over every axis whose `reduce_axis[k]` is nonzero.
/// `out` holds the product of the kept dimensions, in row-major order. `dtype` is
/// RG_FLOAT32, RG_FLOAT64 or RG_INT32 (whose sums wrap around).
void rg_reduce(rg_dtype dtype, rg_reduce_op op, const void *x,
               const int64_t *shape, const uint8_t *reduce_axis, int ndim, void *out);

// ---- Normalisation along an axis ----------------------------------------------------

/// log softmax along the middle axis of x viewed as [outer, n, inner]:
/// out[o, k, i] = x[o, k, i] − max_k x − log Σ_k exp(x[o, k, i] − max_k x). Sums of
/// float32 run in double. n must be at least 1.
void rg_log_softmax(rg_dtype dtype, const void *x, int64_t outer, int64_t n, int64_t inner, void *out);

/// Softmax cross-entropy of each row of `logits` ([rows, classes], row-major) with its
/// integer label: out[r] = logSumExp(logits[r, :]) − logits[r, labels[r]]. Labels must be
/// in 0..<classes; classes at least 1.
void rg_softmax_cross_entropy(rg_dtype dtype, const void *logits, int64_t rows, int64_t classes,
                              const int32_t *labels, void *out);

// ---- Matrix products ----------------------------------------------------------------

/// C = alpha · op(A) · op(B) + beta · C, row-major, like cblas_?gemm with CblasRowMajor.
/// op(A) is M×K, op(B) is K×N. `dtype` is RG_FLOAT32 or RG_FLOAT64. Runs through the
/// loaded BLAS when there is one, else through the portable blocked fallback; float32
/// products with one dimension at most 96 and another at least 8192 always take the
/// fallback, which was measured faster there (blas_loader.c).
void rg_gemm(rg_dtype dtype, int trans_a, int trans_b, int64_t m, int64_t n, int64_t k,
             double alpha, const void *a, int64_t lda, const void *b, int64_t ldb,
             double beta, void *c, int64_t ldc);

/// The same product, always through the built-in fallback GEMM (for tests and
/// benchmarks): packed and cache-blocked, with AVX2+FMA micro-kernels picked at run time
/// on x86-64 CPUs that have them, and split across rg_gemm_fallback_threads() threads
/// for products above about 64³. Thread-safe; concurrent calls run on their own threads.
void rg_gemm_fallback(rg_dtype dtype, int trans_a, int trans_b, int64_t m, int64_t n,
                      int64_t k, double alpha, const void *a, int64_t lda, const void *b,
                      int64_t ldb, double beta, void *c, int64_t ldc);

/// rg_gemm_fallback with its portable C kernels whatever the CPU (for tests: on x86-64
/// rg_gemm_fallback runs its AVX2 kernels when the CPU has them).
void rg_gemm_fallback_portable(rg_dtype dtype, int trans_a, int trans_b, int64_t m,
                               int64_t n, int64_t k, double alpha, const void *a,
                               int64_t lda, const void *b, int64_t ldb, double beta, void *c,
                               int64_t ldc);

/// The most threads the fallback GEMM uses: RETROGRAD_THREADS when set to a positive
/// number (read once), else the CPUs the process may run on; at most 16.
int rg_gemm_fallback_threads(void);

/// Finds a BLAS on first use (idempotent, thread-safe). Honours RETROGRAD_BLAS:
/// "none" forces the fallback; a path or library name is tried first.
/// Returns a static description such as "OpenBLAS (libopenblas.so.0)",
/// "fallback GEMM (no BLAS library found)" or "fallback GEMM (RETROGRAD_BLAS=none)".
const char *rg_blas_backend(void);

/// 1 when a BLAS library is in use, 0 for the fallback.
int rg_blas_available(void);

/// The number of threads the matrix products use: rg_gemm_fallback_threads() for the
/// fallback; for OpenBLAS or MKL, what the library reports (it honours OPENBLAS_NUM_THREADS,
/// OMP_NUM_THREADS, MKL_NUM_THREADS); 0 when a BLAS is in use that cannot say.
int rg_blas_threads(void);

// ---- Optimizer updates --------------------------------------------------------------

/// The constants of one SGD step (PyTorch's rule; see RetrogradOptimizers' SGD).
typedef struct {
    double learning_rate, momentum, dampening, weight_decay;
    int nesterov;
    /// 1 on a variable's first update: the momentum buffer starts as the gradient.
    int first_step;
} rg_sgd_step;

/// One SGD step from gradient g, in place on θ; `buffer` (the momentum, updated in place
/// too) is NULL without momentum. No array may overlap another.
void rg_sgd_update(rg_dtype dtype, const rg_sgd_step *step, int64_t n, void *theta,
                   const void *gradient, void *buffer);

/// The constants of one Adam step (PyTorch's rule; see RetrogradOptimizers' Adam).
typedef struct {
    double beta1, beta2, epsilon;
    /// lr / (1 − β₁ᵗ) and √(1 − β₂ᵗ).
    double step_size, bias_correction2_root;
    /// λ added to the gradient as λ·θ (Adam), or 0; the factor θ is scaled by first
    /// (AdamW: 1 − lr·λ), or 1.
    double coupled_decay, decoupled_factor;
} rg_adam_step;

/// One Adam step, in place on θ and on the moments m, v (and the AMSGrad maximum u, or
/// NULL). No array may overlap another.
void rg_adam_update(rg_dtype dtype, const rg_adam_step *step, int64_t n, void *theta,
                    const void *gradient, void *m, void *v, void *u);

/// The constants of one RMSProp step (PyTorch's rule; see RetrogradOptimizers' RMSProp).
/// Centering and momentum are on when their slots are passed.
typedef struct {
    double learning_rate, alpha, epsilon, weight_decay, momentum;
} rg_rmsprop_step;

/// One RMSProp step, in place on θ, the square average s, the gradient average a (NULL
/// unless centered) and the momentum buffer b (NULL without momentum). No array may
/// overlap another.
void rg_rmsprop_update(rg_dtype dtype, const rg_rmsprop_step *step, int64_t n, void *theta,
                       const void *gradient, void *square_average, void *gradient_average,
                       void *momentum_buffer);

/// The constants of one Adagrad step (PyTorch's rule; see RetrogradOptimizers' Adagrad).
typedef struct {
    /// The decayed rate η / (1 + (t − 1)·κ) of this step.
    double learning_rate;
    double weight_decay, epsilon;
} rg_adagrad_step;

/// One Adagrad step, in place on θ and the accumulator `sum`. No array may overlap
/// another.
void rg_adagrad_update(rg_dtype dtype, const rg_adagrad_step *step, int64_t n, void *theta,
                       const void *gradient, void *sum);

/// The index of the first NaN or infinite element of a float32 or float64 buffer of `n`
/// elements, or -1 when every element is finite (anomaly detection).
int64_t rg_first_nonfinite(rg_dtype dtype, const void *x, int64_t n);

#ifdef __cplusplus
}
#endif

#endif
