// Image patches (im2col) and their adjoint (col2im) for NHWC images: the data movement
// around the GEMM of a convolution. A patch row is the KH·KW·C values under one window,
// ordered (kh, kw, c), so a pixel's channels stay one contiguous run on both sides and
// each run is a memcpy (im2col) or a vectorisable add (col2im).
#include <string.h>

#include "retrograd_kernels.h"

/// Copies `count` elements of size `es`, or writes zeros when `src` is NULL (padding).
static inline void copy_or_zero(char *dst, const char *src, int64_t count, size_t es)
{
    if (src) memcpy(dst, src, (size_t)count * es);
    else memset(dst, 0, (size_t)count * es);
}

void rg_im2col(size_t elem_size, const rg_patch_geometry *g, const void *x, void *cols,
               int64_t row_begin, int64_t row_end)
{
    const int64_t C = g->channels, KW = g->kernel_width, K = g->kernel_height * KW * C;
    const int64_t W = g->width, H = g->height, es = (int64_t)elem_size;
    const char *image = x;
    for (int64_t row = row_begin; row < row_end; row++) {  // row = n · OH + oh
        const int64_t n = row / g->out_height, oh = row % g->out_height;
        char *out = (char *)cols + row * g->out_width * K * es;
        for (int64_t ow = 0; ow < g->out_width; ow++, out += K * es) {
            const int64_t iw0 = ow * g->stride_width - g->pad_left;
            // With no dilation and the whole window inside the row, one kh copies KW·C
            // contiguous elements.
            const int contiguous = g->dilation_width == 1 && iw0 >= 0 && iw0 + KW <= W;
            for (int64_t kh = 0; kh < g->kernel_height; kh++) {
                const int64_t ih = oh * g->stride_height - g->pad_top + kh * g->dilation_height;
                char *dst = out + kh * KW * C * es;
                if (ih < 0 || ih >= H) {
                    copy_or_zero(dst, NULL, KW * C, elem_size);
                    continue;
                }
                const char *src_row = image + ((n * H + ih) * W) * C * es;
                if (contiguous) {
                    copy_or_zero(dst, src_row + iw0 * C * es, KW * C, elem_size);
                    continue;
                }
                for (int64_t kw = 0; kw < KW; kw++) {
                    const int64_t iw = iw0 + kw * g->dilation_width;
                    const char *src = iw >= 0 && iw < W ? src_row + iw * C * es : NULL;
                    copy_or_zero(dst + kw * C * es, src, C, elem_size);
                }
            }
        }
    }
}

/// Adds every patch value that came from image row `row` (= n · H + ih) back into it.
#define COL2IM_ROW(T)                                                                      \
    do {                                                                                   \
        const T *patches = cols;                                                           \
        T *dst = (T *)image + row * W * C;                                                 \
        memset(dst, 0, (size_t)(W * C) * sizeof(T));                                       \
        for (int64_t kh = 0; kh < g->kernel_height; kh++) {                                \
            const int64_t t = ih + g->pad_top - kh * g->dilation_height;                   \
            if (t < 0 || t % g->stride_height != 0) continue;                              \
            const int64_t oh = t / g->stride_height;                                       \
            if (oh >= g->out_height) continue;                                             \
            for (int64_t ow = 0; ow < g->out_width; ow++) {                                \
                const T *src = patches + ((n * g->out_height + oh) * g->out_width + ow) * K \
                               + kh * KW * C;                                              \
                const int64_t iw0 = ow * g->stride_width - g->pad_left;                    \
                for (int64_t kw = 0; kw < KW; kw++) {                                      \
                    const int64_t iw = iw0 + kw * g->dilation_width;                       \
                    if (iw < 0 || iw >= W) continue;                                       \
                    T *d = dst + iw * C;                                                   \
                    const T *s = src + kw * C;                                             \
                    for (int64_t c = 0; c < C; c++) d[c] += s[c];                          \
                }                                                                          \
            }                                                                              \
        }                                                                                  \
    } while (0)

void rg_col2im(rg_dtype dtype, const rg_patch_geometry *g, const void *cols, void *image,
               int64_t row_begin, int64_t row_end)
{
    const int64_t C = g->channels, KW = g->kernel_width, K = g->kernel_height * KW * C;
    const int64_t W = g->width, H = g->height;
    for (int64_t row = row_begin; row < row_end; row++) {
        const int64_t n = row / H, ih = row % H;
        if (dtype == RG_FLOAT32) COL2IM_ROW(float);
        else COL2IM_ROW(double);
    }
}
