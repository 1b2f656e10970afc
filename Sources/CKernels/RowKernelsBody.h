// The row kernels of one instruction-set level. RowKernels.c includes this file once per level
// with LEVEL_SUFFIX (the functions' name suffix) and LEVEL_TARGET (the target attribute) defined.
// The arithmetic is written once (here and in RowLoops.h, for both weight types), on 8-lane
// double vectors (GCC/Clang vector extensions): each level carries the same lane-wise IEEE
// operations in wider or narrower registers, so every level computes the same bits (contraction
// to FMA is off for the whole file, in RowKernels.c).

// Float64 rows: the hardware prefetcher keeps them streaming, and a group's dots and its
// accumulation run as two sweeps; software prefetching, or overlapping the accumulation with the
// next group's dots, measured slower (docs/performance.md, "How the rows pass streams").
#define WEIGHT double
#define LOAD_W LOAD_F64
#define WNAME(name) CAT(CAT(name, _f64), LEVEL_SUFFIX)
#define PREFETCH_BYTES 0
#define PIPELINED 0
#include "RowLoops.h"
#undef WEIGHT
#undef LOAD_W
#undef WNAME
#undef PREFETCH_BYTES
#undef PIPELINED

// Float32 rows carry twice the elements per byte, so the widening loops do twice the work per
// cache line: the hardware prefetcher runs too little ahead of them (each row is prefetched 2 KB,
// 512 floats, ahead), and a separate accumulation sweep would leave memory idle while it runs (it
// overlaps the next group's dots instead).
#define WEIGHT float
#define LOAD_W LOAD_F32
#define WNAME(name) CAT(CAT(name, _f32), LEVEL_SUFFIX)
#define PREFETCH_BYTES 2048
#define PIPELINED 1
#include "RowLoops.h"
#undef WEIGHT
#undef LOAD_W
#undef WNAME
#undef PREFETCH_BYTES
#undef PIPELINED

#define NAMED(name) CAT(name, LEVEL_SUFFIX)

static LEVEL_TARGET void NAMED(kernel_dots_f64)(const double *rows, long row_count, long n, const double *x, double *out) {
    CAT(dots_f64, LEVEL_SUFFIX)(rows, row_count, n, x, out);
}

static LEVEL_TARGET double NAMED(kernel_read_sum)(const double *a, long n) {
    v8d a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
    long k = 0;
    for (; k + 32 <= n; k += 32) {
        a0 = a0 + LOAD_F64(a + k);
        a1 = a1 + LOAD_F64(a + k + 8);
        a2 = a2 + LOAD_F64(a + k + 16);
        a3 = a3 + LOAD_F64(a + k + 24);
    }
    double sum = REDUCE8((a0 + a1) + (a2 + a3));
    for (; k < n; k++) sum = sum + a[k];
    return sum;
}

// Four streams read in lockstep, 8 doubles from each per iteration: the access pattern of the row
// kernels' four-row sweeps, which keep more reads in flight than one stream does.
static LEVEL_TARGET double NAMED(kernel_read_sum4)(const double *a, long n) {
    long q = n / 4;
    const double *s0 = a, *s1 = a + q, *s2 = a + 2 * q, *s3 = a + 3 * q;
    v8d a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
    long k = 0;
    for (; k + 8 <= q; k += 8) {
        a0 = a0 + LOAD_F64(s0 + k);
        a1 = a1 + LOAD_F64(s1 + k);
        a2 = a2 + LOAD_F64(s2 + k);
        a3 = a3 + LOAD_F64(s3 + k);
    }
    double sum = REDUCE8((a0 + a1) + (a2 + a3));
    for (; k < q; k++) sum = sum + ((s0[k] + s1[k]) + (s2[k] + s3[k]));
    for (k = 4 * q; k < n; k++) sum = sum + a[k];
    return sum;
}

#undef NAMED

#include "SymmetricBlockBody.h"
