// Max pooling of NHWC images and the linear pair behind its derivatives: `pick` reads the
// cell that won each window, `spread` adds values back into those cells. A window's cells
// are visited in (kh, kw) order and each cell's channels form one contiguous run, so the
// comparisons run across channels and vectorise.
#include <string.h>

#include "retrograd_kernels.h"

/// The rows of one output row's windows that lie inside the image: [*first, *end).
static inline void window_span(int64_t o, int64_t stride, int64_t pad, int64_t k, int64_t size,
                               int64_t *first, int64_t *end)
{
    const int64_t start = o * stride - pad;
    *first = start < 0 ? 0 : start;
    *end = start + k > size ? size : start + k;
}

/// Channels per block: a block's running maxima and winners stay in registers while the
/// window's cells stream past, and are stored once.
#define RG_POOL_BLOCK 16

/// Whether v takes over from the running maximum b: larger, or NaN (so NaN propagates).
#define TAKES(v, b) ((v) > (b) || (v) != (v))

/// One window's maxima and winners over the channels c0 ..< c0 + CB (CB a constant for the
/// full blocks, so the compiler keeps `best` and `win` in vector registers).
#define WINDOW_BLOCK(T, CB)                                                                \
    do {                                                                                   \
        T best[CB];                                                                        \
        int32_t win[CB];                                                                   \
        const T *first = image + ((n * H + h0) * W + w0) * C + c0;                         \
        for (int64_t c = 0; c < CB; c++) {                                                 \
            best[c] = first[c];                                                            \
            win[c] = (int32_t)(h0 * W + w0);                                               \
        }                                                                                  \
        for (int64_t ih = h0; ih < h1; ih++) {                                             \
            for (int64_t iw = ih == h0 ? w0 + 1 : w0; iw < w1; iw++) {                     \
                const T *cell = image + ((n * H + ih) * W + iw) * C + c0;                  \
                const int32_t at = (int32_t)(ih * W + iw);                                 \
                for (int64_t c = 0; c < CB; c++) {                                         \
                    const T v = cell[c];                                                   \
                    const int takes = TAKES(v, best[c]);                                   \
                    best[c] = takes ? v : best[c];                                         \
                    win[c] = takes ? at : win[c];                                          \
                }                                                                          \
            }                                                                              \
        }                                                                                  \
        for (int64_t c = 0; c < CB; c++) {                                                 \
            out_values[c0 + c] = best[c];                                                  \
            out_winners[c0 + c] = win[c];                                                  \
        }                                                                                  \
    } while (0)

/// The output rows row_begin ..< row_end of max pooling, for element type T.
#define MAX_POOL_ROWS(T)                                                                   \
    do {                                                                                   \
        const T *image = x;                                                                \
        for (int64_t row = row_begin; row < row_end; row++) {                              \
            const int64_t n = row / g->out_height, oh = row % g->out_height;               \
            int64_t h0, h1;                                                                \
            window_span(oh, g->stride_height, g->pad_top, g->kernel_height, H, &h0, &h1);  \
            for (int64_t ow = 0; ow < g->out_width; ow++) {                                \
                int64_t w0, w1;                                                            \
                window_span(ow, g->stride_width, g->pad_left, g->kernel_width, W, &w0, &w1); \
                T *out_values = (T *)out + (row * g->out_width + ow) * C;                  \
                int32_t *out_winners = winners + (row * g->out_width + ow) * C;            \
                int64_t c0 = 0;                                                            \
                for (; c0 + RG_POOL_BLOCK <= C; c0 += RG_POOL_BLOCK)                       \
                    WINDOW_BLOCK(T, RG_POOL_BLOCK);                                        \
                for (; c0 < C; c0++) WINDOW_BLOCK(T, 1);                                   \
            }                                                                              \
        }                                                                                  \
    } while (0)

void rg_max_pool(rg_dtype dtype, const rg_patch_geometry *g, const void *x, void *out,
                 int32_t *winners, int64_t row_begin, int64_t row_end)
{
    const int64_t H = g->height, W = g->width, C = g->channels;
    if (dtype == RG_FLOAT32) MAX_POOL_ROWS(float);
    else MAX_POOL_ROWS(double);
}

#define PICK_ROWS(T)                                                                       \
    do {                                                                                   \
        for (int64_t row = row_begin; row < row_end; row++) {                              \
            const T *image = (const T *)x + row / g->out_height * H * W * C;               \
            const int32_t *win = winners + row * g->out_width * C;                         \
            T *dst = (T *)out + row * g->out_width * C;                                    \
            for (int64_t ow = 0; ow < g->out_width; ow++, win += C, dst += C)              \
                for (int64_t c = 0; c < C; c++) dst[c] = image[(int64_t)win[c] * C + c];   \
        }                                                                                  \
    } while (0)

void rg_pool_pick(size_t elem_size, const rg_patch_geometry *g, const void *x,
                  const int32_t *winners, void *out, int64_t row_begin, int64_t row_end)
{
    const int64_t H = g->height, W = g->width, C = g->channels;
    if (elem_size == 4) PICK_ROWS(float);
    else PICK_ROWS(double);
}

/// Windows that tile the image exactly (stride equal to the window, no padding, sizes
/// multiples of the window): every cell is written once, its window's value where it won
/// and 0 elsewhere, with no zeroing pass and a vectorisable select over the channels.
#define SPREAD_TILED(T)                                                                    \
    do {                                                                                   \
        const int64_t OH = g->out_height, OW = g->out_width;                               \
        const int64_t KH = g->kernel_height, KW = g->kernel_width;                         \
        for (int64_t n = batch_begin; n < batch_end; n++) {                                \
            for (int64_t oh = 0; oh < OH; oh++) {                                          \
                for (int64_t kh = 0; kh < KH; kh++) {                                      \
                    const int64_t ih = oh * KH + kh;                                       \
                    T *restrict dst = (T *)image + (n * H + ih) * W * C;                   \
                    for (int64_t ow = 0; ow < OW; ow++) {                                  \
                        const int64_t at = ((n * OH + oh) * OW + ow) * C;                  \
                        const T *restrict src = (const T *)values + at;                    \
                        const int32_t *restrict win = winners + at;                        \
                        for (int64_t kw = 0; kw < KW; kw++, dst += C) {                    \
                            const int32_t cell = (int32_t)(ih * W + ow * KW + kw);         \
                            /* v is read unconditionally, so the select vectorises */      \
                            for (int64_t c = 0; c < C; c++) {                              \
                                const T v = src[c];                                        \
                                dst[c] = win[c] == cell ? v : 0;                           \
                            }                                                              \
                        }                                                                  \
                    }                                                                      \
                }                                                                          \
            }                                                                              \
        }                                                                                  \
    } while (0)

/// Any windows: zero the image, then add each value into its winner.
#define SPREAD_IMAGES(T)                                                                   \
    do {                                                                                   \
        const int64_t cells = g->out_height * g->out_width * C;                            \
        for (int64_t n = batch_begin; n < batch_end; n++) {                                \
            T *dst = (T *)image + n * H * W * C;                                           \
            memset(dst, 0, (size_t)(H * W * C) * sizeof(T));                               \
            const T *src = (const T *)values + n * cells;                                  \
            const int32_t *win = winners + n * cells;                                      \
            for (int64_t i = 0; i < cells; i += C)                                         \
                for (int64_t c = 0; c < C; c++) dst[(int64_t)win[i + c] * C + c] += src[i + c]; \
        }                                                                                  \
    } while (0)

void rg_pool_spread(rg_dtype dtype, const rg_patch_geometry *g, const void *values,
                    const int32_t *winners, void *image, int64_t batch_begin,
                    int64_t batch_end)
{
    const int64_t H = g->height, W = g->width, C = g->channels;
    const int tiled = g->stride_height == g->kernel_height && g->stride_width == g->kernel_width &&
                      g->pad_top == 0 && g->pad_left == 0 && g->out_height * g->kernel_height == H &&
                      g->out_width * g->kernel_width == W;
    if (dtype == RG_FLOAT32) {
        if (tiled) SPREAD_TILED(float);
        else SPREAD_IMAGES(float);
    } else {
        if (tiled) SPREAD_TILED(double);
        else SPREAD_IMAGES(double);
    }
}
