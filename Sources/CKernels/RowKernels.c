// The dispatching entry points of CKernels.h: each call runs the variant of the level in force
// (KernelLevel.c). The variants come from RowKernelsBody.h, compiled once per level with a
// per-function target attribute, so the package needs no unsafe compiler flags and still runs on
// any x86-64 CPU (or any other architecture, where only the baseline exists).
#include "CKernels.h"
#include "KernelLevel.h"

#include <stddef.h>

// Same bits on every level: a·b + c written as such stays a rounded product and a rounded sum;
// a fused multiply-add is only ever asked for by name (MULADD_FUSED).
#pragma clang fp contract(off)

typedef double v8d __attribute__((vector_size(64)));
typedef float v8f __attribute__((vector_size(32)));
typedef double v4d __attribute__((vector_size(32)));

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define LOAD_F64(p) ({ v8d v_; __builtin_memcpy(&v_, (p), sizeof v_); v_; })
#define LOAD_F32(p) ({ v8f v_; __builtin_memcpy(&v_, (p), sizeof v_); __builtin_convertvector(v_, v8d); })
#define STORE_F64(p, v) ({ v8d v_ = (v); __builtin_memcpy((p), &v_, sizeof v_); })
#define SPLAT(c) ((v8d){(c), (c), (c), (c), (c), (c), (c), (c)})
// a·b + c for float64 rows: the product rounded, then the sum.
#define MULADD_ROUNDED(a, b, c) ((c) + (a) * (b))
// a·b + c for float32 rows, widened: one rounding. Float32 rows carry twice the products per byte
// of float64 ones, and with a separate multiply and add the pass ran out of arithmetic before it
// ran out of memory (docs/performance.md, "How the rows pass streams").
#define MULADD_FUSED(a, b, c) __builtin_elementwise_fma((a), (b), (c))
#define MULADD1_FUSED(a, b, c) __builtin_fma((a), (b), (c))
// Lanes j + j+4, then (l₀ + l₁) + (l₂ + l₃).
#define REDUCE8(a) ({ v8d r_ = (a); \
    v4d h_ = __builtin_shufflevector(r_, r_, 0, 1, 2, 3) + __builtin_shufflevector(r_, r_, 4, 5, 6, 7); \
    (h_[0] + h_[1]) + (h_[2] + h_[3]); })

// How far ahead of its loads a four-row sweep prefetches each row streaming from memory
// (docs/performance.md, "How the rows pass streams").
#define PREFETCH_BYTES 2048
// The L1 data cache a group of four rows must fit in for its accumulation to read it from there
// (32 KB on the AMD hosts measured; docs/performance.md, "How the rows pass streams").
#define L1_GROUP_BYTES 32768

#define LEVEL_SUFFIX _baseline
#define LEVEL_TARGET
#include "RowKernelsBody.h"
#undef LEVEL_SUFFIX
#undef LEVEL_TARGET

#if MSK_X86
#define LEVEL_SUFFIX _avx2
#define LEVEL_TARGET __attribute__((target("avx2,fma")))
#include "RowKernelsBody.h"
#undef LEVEL_SUFFIX
#undef LEVEL_TARGET

#define LEVEL_SUFFIX _avx512
#define LEVEL_TARGET __attribute__((target("avx512f")))
#include "RowKernelsBody.h"
#undef LEVEL_SUFFIX
#undef LEVEL_TARGET
#define PICK(name) (msk_active_level() == 2 ? name##_avx512 : msk_active_level() == 1 ? name##_avx2 : name##_baseline)
#else
#define PICK(name) name##_baseline
#endif

double msk_dot_f64(const double *w, const double *x, long n) {
    return PICK(kernel_dot_f64)(w, x, n);
}

double msk_dot_f32(const float *w, const double *x, long n) {
    return PICK(kernel_dot_f32)(w, x, n);
}

void msk_accumulate_f64(const double *rows, long row_count, long n, const double *c, double *s) {
    PICK(kernel_accumulate_f64)(rows, row_count, n, c, s);
}

void msk_accumulate_f32(const float *rows, long row_count, long n, const double *c, double *s) {
    PICK(kernel_accumulate_f32)(rows, row_count, n, c, s);
}

void msk_dots_f64(const double *rows, long row_count, long n, const double *x, double *out) {
    PICK(kernel_dots_f64)(rows, row_count, n, x, out);
}

void msk_fused_block_f64(const double *rows, long row_count, long n, const double *x, const double *y,
                         double *r, double *s) {
    PICK(kernel_fused_block_f64)(rows, row_count, n, x, y, r, s);
}

void msk_fused_block_f32(const float *rows, long row_count, long n, const double *x, const double *y,
                         double *r, double *s) {
    PICK(kernel_fused_block_f32)(rows, row_count, n, x, y, r, s);
}

void msk_dots_accumulate_f64(const double *next, long next_count, long n, const double *x, double *dots, long room,
                             const double *prev, long prev_count, const double *c, double *s) {
    PICK(kernel_dots_accumulate_f64)(next, next_count, n, x, dots, room, prev, prev_count, c, s);
}

double msk_read_sum(const double *a, long n) {
    return PICK(kernel_read_sum)(a, n);
}

double msk_read_sum4(const double *a, long n) {
    return PICK(kernel_read_sum4)(a, n);
}

double msk_read_rows_twice(const double *rows, long row_count, long n) {
    return PICK(kernel_read_rows_twice)(rows, row_count, n);
}

void msk_symmetric_block_f64(const double *block, long row_count, long width, const double *x, double *out) {
    PICK(kernel_symmetric_block_f64)(block, row_count, width, x, out);
}
