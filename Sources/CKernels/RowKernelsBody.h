// The row kernels of one instruction-set level. RowKernels.c includes this file once per level
// with LEVEL_SUFFIX (the functions' name suffix) and LEVEL_TARGET (the target attribute) defined.
// The arithmetic is written once (here and in RowLoops.h, for both weight types), on 8-lane
// double vectors (GCC/Clang vector extensions): each level carries the same lane-wise IEEE
// operations in wider or narrower registers, so every level computes the same bits: float64 rows
// round each product and each sum (contraction to FMA is off for the whole file, in RowKernels.c),
// float32 rows add each product by an explicit fused multiply-add, which every level computes
// exactly (in hardware from AVX2 up, by the C library's fma at the baseline).

// Both weight types stream the same way (docs/performance.md, "How the rows pass streams"): one
// sweep computes the dots of a group of four rows from memory while it accumulates the group
// before (read by the previous sweep, in L2), each row prefetched into L2 2 KB ahead of its loads;
// a float64 group that fits in L1 takes two sweeps.
#define WEIGHT double
#define LOAD_W LOAD_F64
#define MULADD_W MULADD_ROUNDED
#define MULADD1_W MULADD_ROUNDED
#define WNAME(name) CAT(CAT(name, _f64), LEVEL_SUFFIX)
#include "RowLoops.h"
#undef WEIGHT
#undef LOAD_W
#undef MULADD_W
#undef MULADD1_W
#undef WNAME

#define WEIGHT float
#define LOAD_W LOAD_F32
#define MULADD_W MULADD_FUSED
#define MULADD1_W MULADD1_FUSED
#define WNAME(name) CAT(CAT(name, _f32), LEVEL_SUFFIX)
#include "RowLoops.h"
#undef WEIGHT
#undef LOAD_W
#undef MULADD_W
#undef MULADD1_W
#undef WNAME

#define NAMED(name) CAT(name, LEVEL_SUFFIX)

static LEVEL_TARGET void NAMED(kernel_dots_f64)(const double *rows, long row_count, long n, const double *x, double *out) {
    CAT(dots_f64, LEVEL_SUFFIX)(rows, row_count, n, x, out);
}

static LEVEL_TARGET void NAMED(kernel_dots_accumulate_f64)(const double *next, long next_count, long n, const double *x,
                                                          double *dots, long room, const double *prev, long prev_count,
                                                          const double *c, double *s) {
    if (next_count == 4 && prev_count == 4 && !CAT(group_in_l1_f64, LEVEL_SUFFIX)(n)) {
        CAT(sweep4_f64, LEVEL_SUFFIX)(next, n, x, dots, room, prev, c, s);
        return;
    }
    CAT(dots_f64, LEVEL_SUFFIX)(next, next_count, n, x, dots);
    CAT(accumulate_f64, LEVEL_SUFFIX)(prev, prev_count, n, c, s);
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

// The sweep of `kernel_read_rows_twice`: each element of the four rows at next (when next ≠ NULL;
// prefetched as `sweep4` prefetches, within the `room` doubles from next on) and of the four rows
// at prev (when prev ≠ NULL) added up; returns their sum.
static inline __attribute__((always_inline)) LEVEL_TARGET
double NAMED(read_sweep4)(const double *next, const double *prev, long n, long room) {
    const long ahead = PREFETCH_BYTES / (long)sizeof(double);
    v8d a0 = {0}, a1 = {0}, b0 = {0}, b1 = {0};
    long k = 0;
    for (; k + 16 <= n; k += 16) {
        if (next != NULL) {
            if (3 * n + k + ahead + 16 <= room) {
                for (long o = k + ahead; o < k + ahead + 16; o += 8) {
                    for (int j = 0; j < 4; j++) __builtin_prefetch(next + j * n + o, 0, 2);
                }
            }
            a0 = a0 + (LOAD_F64(next + k) + LOAD_F64(next + n + k)) + (LOAD_F64(next + k + 8) + LOAD_F64(next + n + k + 8));
            a1 = a1 + (LOAD_F64(next + 2 * n + k) + LOAD_F64(next + 3 * n + k))
                    + (LOAD_F64(next + 2 * n + k + 8) + LOAD_F64(next + 3 * n + k + 8));
        }
        if (prev != NULL) {
            b0 = b0 + (LOAD_F64(prev + k) + LOAD_F64(prev + n + k)) + (LOAD_F64(prev + k + 8) + LOAD_F64(prev + n + k + 8));
            b1 = b1 + (LOAD_F64(prev + 2 * n + k) + LOAD_F64(prev + 3 * n + k))
                    + (LOAD_F64(prev + 2 * n + k + 8) + LOAD_F64(prev + 3 * n + k + 8));
        }
    }
    double sum = REDUCE8((a0 + a1) + (b0 + b1));
    for (; k < n; k++) {
        if (next != NULL) sum = sum + ((next[k] + next[n + k]) + (next[2 * n + k] + next[3 * n + k]));
        if (prev != NULL) sum = sum + ((prev[k] + prev[n + k]) + (prev[2 * n + k] + prev[3 * n + k]));
    }
    return sum;
}

// The data movement of a pass that reads each row from memory once and uses it twice, as the
// fused pass does with rows longer than L1 (a row's accumulation needs its whole dot product
// first): groups of four rows, one sweep reading a group from memory while it reads the group
// before again from cache, with no arithmetic but the sums that keep the loads; then the last
// group again. Returns the sum of every element counted twice (2·row_count·n for rows of ones);
// rows past the last group of four are read twice in place.
static LEVEL_TARGET double NAMED(kernel_read_rows_twice)(const double *rows, long row_count, long n) {
    const long groups = row_count / 4;
    double sum = 0;
    for (long g = 0; g <= groups; g++) {
        const double *next = g < groups ? rows + 4 * g * n : NULL;
        const double *prev = g > 0 ? rows + 4 * (g - 1) * n : NULL;
        if (next != NULL || prev != NULL) sum = sum + NAMED(read_sweep4)(next, prev, n, (row_count - 4 * g) * n);
    }
    for (long i = 4 * groups; i < row_count; i++) {
        sum = sum + NAMED(kernel_read_sum)(rows + i * n, n);
        sum = sum + NAMED(kernel_read_sum)(rows + i * n, n);
    }
    return sum;
}

#undef NAMED

#include "SymmetricBlockBody.h"
