// The row loops for one weight type at one level. RowKernelsBody.h includes this file once per
// weight type and level, with WEIGHT (double or float), LOAD_W (its 8-lane load, widening floats
// exactly), MULADD_W and MULADD1_W (a·b + c on 8 lanes and on one double: rounded product then
// rounded sum for float64 rows, one fused multiply-add for float32 rows) and WNAME(name) (name,
// then the weight's suffix _f64/_f32, then the level's) defined.

/// Whether a group of four float64 rows of n weights fits in L1 (L1_GROUP_BYTES). Such a group's
/// accumulation sweep reads its rows from L1, so a pass over such rows takes two sweeps per group
/// without software prefetch; longer rows, and float32 rows (whose two sweeps measured no faster
/// at any length), take the overlapped sweep (`sweep4`) with prefetches.
static inline __attribute__((always_inline)) int WNAME(group_in_l1)(long n) {
    return sizeof(WEIGHT) == sizeof(double) && 4 * n * (long)sizeof(WEIGHT) <= L1_GROUP_BYTES;
}

static inline __attribute__((always_inline)) LEVEL_TARGET
double WNAME(dot)(const WEIGHT *w, const double *x, long n) {
    v8d a0 = {0}, a1 = {0};
    long k = 0;
    for (; k + 16 <= n; k += 16) {
        a0 = MULADD_W(LOAD_W(w + k), LOAD_F64(x + k), a0);
        a1 = MULADD_W(LOAD_W(w + k + 8), LOAD_F64(x + k + 8), a1);
    }
    for (; k + 8 <= n; k += 8) a0 = MULADD_W(LOAD_W(w + k), LOAD_F64(x + k), a0);
    double sum = REDUCE8(a0 + a1);
    for (; k < n; k++) sum = MULADD1_W((double)w[k], x[k], sum);
    return sum;
}

/// The 8 lanes k…k+7 of the accumulation of the four rows at w (n columns each) into s:
/// s[k] = (((s[k] + c₀w₀ₖ) + c₁w₁ₖ) + c₂w₂ₖ) + c₃w₃ₖ, with v the four coefficients splatted.
static inline __attribute__((always_inline)) LEVEL_TARGET
void WNAME(accumulate4_lanes)(const WEIGHT *w, long n, long k, const v8d *v, double *s) {
    v8d t = MULADD_W(v[0], LOAD_W(w + k), LOAD_F64(s + k));
    t = MULADD_W(v[1], LOAD_W(w + n + k), t);
    t = MULADD_W(v[2], LOAD_W(w + 2 * n + k), t);
    t = MULADD_W(v[3], LOAD_W(w + 3 * n + k), t);
    STORE_F64(s + k, t);
}

/// Element k of the same accumulation.
static inline __attribute__((always_inline)) LEVEL_TARGET
void WNAME(accumulate4_one)(const WEIGHT *w, long n, long k, const double *c, double *s) {
    double t = MULADD1_W(c[0], (double)w[k], s[k]);
    t = MULADD1_W(c[1], (double)w[n + k], t);
    t = MULADD1_W(c[2], (double)w[2 * n + k], t);
    s[k] = MULADD1_W(c[3], (double)w[3 * n + k], t);
}

/// One sweep over k for up to two groups of four rows: out[j] = dot(next + j·n, x, n) for
/// j = 0…3, each in `dot`'s order, x loaded once for the four rows and four weight streams in
/// flight; with prev ≠ NULL, in the same sweep, the accumulation of the four rows at prev with
/// the coefficients c into s (as `accumulate4`). Each keeps its own order, so the bits are those
/// of the two sweeps apart; the rows at prev were read by the sweep before, so they come from L2
/// while the rows at next stream from memory. Each row at next is prefetched PREFETCH_BYTES
/// ahead of its loads into L2 (`prefetcht1`; into L1 it ran 1.3–1.4× slower on AMD family 25),
/// within the `room` weights from next on that the caller's rows hold (nothing past the last row
/// of a call; a room of 0 prefetches nothing, and a constant 0 leaves no prefetch code).
static inline __attribute__((always_inline)) LEVEL_TARGET
void WNAME(sweep4)(const WEIGHT *next, long n, const double *x, double *out, long room,
                   const WEIGHT *prev, const double *c, double *s) {
    const WEIGHT *w0 = next, *w1 = w0 + n, *w2 = w1 + n, *w3 = w2 + n;
    const long ahead = PREFETCH_BYTES / (long)sizeof(WEIGHT), line = 64 / (long)sizeof(WEIGHT);
    v8d v[4] = {{0}};
    if (prev != NULL) {
        for (int j = 0; j < 4; j++) v[j] = SPLAT(c[j]);
    }
    v8d a0 = {0}, a1 = {0}, b0 = {0}, b1 = {0}, c0 = {0}, c1 = {0}, d0 = {0}, d1 = {0};
    long k = 0;
    for (; k + 16 <= n; k += 16) {
        if (room > 0 && 3 * n + k + ahead + 16 <= room) {
            for (long o = k + ahead; o < k + ahead + 16; o += line) {
                __builtin_prefetch(w0 + o, 0, 2);
                __builtin_prefetch(w1 + o, 0, 2);
                __builtin_prefetch(w2 + o, 0, 2);
                __builtin_prefetch(w3 + o, 0, 2);
            }
        }
        const v8d xl = LOAD_F64(x + k), xh = LOAD_F64(x + k + 8);
        a0 = MULADD_W(LOAD_W(w0 + k), xl, a0);
        a1 = MULADD_W(LOAD_W(w0 + k + 8), xh, a1);
        b0 = MULADD_W(LOAD_W(w1 + k), xl, b0);
        b1 = MULADD_W(LOAD_W(w1 + k + 8), xh, b1);
        c0 = MULADD_W(LOAD_W(w2 + k), xl, c0);
        c1 = MULADD_W(LOAD_W(w2 + k + 8), xh, c1);
        d0 = MULADD_W(LOAD_W(w3 + k), xl, d0);
        d1 = MULADD_W(LOAD_W(w3 + k + 8), xh, d1);
        if (prev != NULL) {
            WNAME(accumulate4_lanes)(prev, n, k, v, s);
            WNAME(accumulate4_lanes)(prev, n, k + 8, v, s);
        }
    }
    if (k + 8 <= n) {
        const v8d xl = LOAD_F64(x + k);
        a0 = MULADD_W(LOAD_W(w0 + k), xl, a0);
        b0 = MULADD_W(LOAD_W(w1 + k), xl, b0);
        c0 = MULADD_W(LOAD_W(w2 + k), xl, c0);
        d0 = MULADD_W(LOAD_W(w3 + k), xl, d0);
        if (prev != NULL) WNAME(accumulate4_lanes)(prev, n, k, v, s);
        k += 8;
    }
    double s0 = REDUCE8(a0 + a1), s1 = REDUCE8(b0 + b1), s2 = REDUCE8(c0 + c1), s3 = REDUCE8(d0 + d1);
    for (; k < n; k++) {
        s0 = MULADD1_W((double)w0[k], x[k], s0);
        s1 = MULADD1_W((double)w1[k], x[k], s1);
        s2 = MULADD1_W((double)w2[k], x[k], s2);
        s3 = MULADD1_W((double)w3[k], x[k], s3);
        if (prev != NULL) WNAME(accumulate4_one)(prev, n, k, c, s);
    }
    out[0] = s0;
    out[1] = s1;
    out[2] = s2;
    out[3] = s3;
}

/// The four dot products of `sweep4` alone.
static inline __attribute__((always_inline)) LEVEL_TARGET
void WNAME(dot4)(const WEIGHT *w, long n, const double *x, double *out, long room) {
    WNAME(sweep4)(w, n, x, out, room, NULL, NULL, NULL);
}

/// out[j] = dot(rows + j·n, x, n) for the row_count rows, four at a time.
static inline __attribute__((always_inline)) LEVEL_TARGET
void WNAME(dots)(const WEIGHT *rows, long row_count, long n, const double *x, double *out) {
    const int prefetch = !WNAME(group_in_l1)(n);
    long j = 0;
    for (; j + 4 <= row_count; j += 4) WNAME(dot4)(rows + j * n, n, x, out + j, prefetch ? (row_count - j) * n : 0);
    for (; j < row_count; j++) out[j] = WNAME(dot)(rows + j * n, x, n);
}

/// One sweep of the accumulation of the four rows at w (n columns each):
/// s[k] = (((s[k] + c₀w₀ₖ) + c₁w₁ₖ) + c₂w₂ₖ) + c₃w₃ₖ.
static inline __attribute__((always_inline)) LEVEL_TARGET
void WNAME(accumulate4)(const WEIGHT *w, long n, const double *c, double *s) {
    v8d v[4];
    for (int j = 0; j < 4; j++) v[j] = SPLAT(c[j]);
    long k = 0;
    for (; k + 8 <= n; k += 8) WNAME(accumulate4_lanes)(w, n, k, v, s);
    for (; k < n; k++) WNAME(accumulate4_one)(w, n, k, c, s);
}

/// s[k] = s[k] + c·w[k]: the accumulation of one row.
static inline __attribute__((always_inline)) LEVEL_TARGET
void WNAME(accumulate1)(const WEIGHT *w, long n, double c, double *s) {
    const v8d v = SPLAT(c);
    long k = 0;
    for (; k + 8 <= n; k += 8) STORE_F64(s + k, MULADD_W(v, LOAD_W(w + k), LOAD_F64(s + k)));
    for (; k < n; k++) s[k] = MULADD1_W(c, (double)w[k], s[k]);
}

static inline __attribute__((always_inline)) LEVEL_TARGET
void WNAME(accumulate)(const WEIGHT *rows, long row_count, long n, const double *c, double *s) {
    long j = 0;
    for (; j + 4 <= row_count; j += 4) WNAME(accumulate4)(rows + j * n, n, c + j, s);
    for (; j < row_count; j++) WNAME(accumulate1)(rows + j * n, n, c[j], s);
}

static LEVEL_TARGET double WNAME(kernel_dot)(const WEIGHT *w, const double *x, long n) {
    return WNAME(dot)(w, x, n);
}

static LEVEL_TARGET void WNAME(kernel_accumulate)(const WEIGHT *rows, long row_count, long n, const double *c, double *s) {
    WNAME(accumulate)(rows, row_count, n, c, s);
}

/// The fused pass, four rows at a time. The result is the dots of every row, then `accumulate`
/// over all of them: the groups of four are the accumulation's own groups, and the last
/// row_count mod 4 rows are added one at a time after them. One sweep computes the dots of a
/// group while it accumulates the group before (`sweep4`), so memory never waits for a separate
/// accumulation sweep; the last group's accumulation is a sweep of its own. Groups that fit in L1
/// (`group_in_l1`) take their dots and then their accumulation as two sweeps instead.
static LEVEL_TARGET void WNAME(kernel_fused_block)(const WEIGHT *rows, long row_count, long n, const double *x,
                                                  const double *y, double *r, double *s) {
    const long groups = row_count / 4;
    const int overlapped = !WNAME(group_in_l1)(n);
    for (long g = 0; g < groups; g++) {
        const WEIGHT *w = rows + 4 * g * n;
        const long room = (row_count - 4 * g) * n;
        if (!overlapped) {
            WNAME(dot4)(w, n, x, r + 4 * g, 0);
        } else if (g == 0) {
            WNAME(dot4)(w, n, x, r, room);
        } else {
            WNAME(sweep4)(w, n, x, r + 4 * g, room, w - 4 * n, r + 4 * (g - 1), s);
        }
        for (long q = 4 * g; q < 4 * g + 4; q++) r[q] = r[q] - y[q];
        if (!overlapped || g == groups - 1) WNAME(accumulate4)(w, n, r + 4 * g, s);
    }
    for (long q = 4 * groups; q < row_count; q++) r[q] = WNAME(dot)(rows + q * n, x, n) - y[q];
    for (long j = 4 * groups; j < row_count; j++) WNAME(accumulate1)(rows + j * n, n, r[j], s);
}
