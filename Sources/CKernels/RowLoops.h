// The row loops for one weight type at one level. RowKernelsBody.h includes this file twice per
// level, with WEIGHT (double or float), LOAD_W (its 8-lane load, widening floats exactly) and
// WNAME(name) (name, then the weight's suffix _f64/_f32, then the level's), PREFETCH_BYTES (how
// far ahead of its loads a dot product prefetches each row; 0: not at all) and PIPELINED (1: the
// fused pass overlaps a group's accumulation with the next group's dots) defined.

static inline __attribute__((always_inline)) LEVEL_TARGET
double WNAME(dot)(const WEIGHT *w, const double *x, long n) {
    v8d a0 = {0}, a1 = {0};
    long k = 0;
    for (; k + 16 <= n; k += 16) {
        a0 = a0 + LOAD_W(w + k) * LOAD_F64(x + k);
        a1 = a1 + LOAD_W(w + k + 8) * LOAD_F64(x + k + 8);
    }
    for (; k + 8 <= n; k += 8) a0 = a0 + LOAD_W(w + k) * LOAD_F64(x + k);
    double sum = REDUCE8(a0 + a1);
    for (; k < n; k++) sum = sum + (double)w[k] * x[k];
    return sum;
}

/// out[j] = dot(w + j·n, x, n) for the four rows j = 0…3, each in `dot`'s order, in one sweep:
/// x is loaded once for the four rows, and four weight streams are in flight at once. With
/// PREFETCH_BYTES > 0 each row is prefetched that far ahead of its loads, within the `room`
/// weights from w on that the caller's rows hold (nothing past the last row of a call).
static inline __attribute__((always_inline)) LEVEL_TARGET
void WNAME(dot4)(const WEIGHT *w, long n, const double *x, double *out, long room) {
    const WEIGHT *w0 = w, *w1 = w0 + n, *w2 = w1 + n, *w3 = w2 + n;
    const long ahead = PREFETCH_BYTES / (long)sizeof(WEIGHT), line = 64 / (long)sizeof(WEIGHT);
    v8d a0 = {0}, a1 = {0}, b0 = {0}, b1 = {0}, c0 = {0}, c1 = {0}, d0 = {0}, d1 = {0};
    long k = 0;
    for (; k + 16 <= n; k += 16) {
        if (PREFETCH_BYTES > 0 && 3 * n + k + ahead + 16 <= room) {
            for (long o = k + ahead; o < k + ahead + 16; o += line) {
                __builtin_prefetch(w0 + o);
                __builtin_prefetch(w1 + o);
                __builtin_prefetch(w2 + o);
                __builtin_prefetch(w3 + o);
            }
        }
        const v8d xl = LOAD_F64(x + k), xh = LOAD_F64(x + k + 8);
        a0 = a0 + LOAD_W(w0 + k) * xl;
        a1 = a1 + LOAD_W(w0 + k + 8) * xh;
        b0 = b0 + LOAD_W(w1 + k) * xl;
        b1 = b1 + LOAD_W(w1 + k + 8) * xh;
        c0 = c0 + LOAD_W(w2 + k) * xl;
        c1 = c1 + LOAD_W(w2 + k + 8) * xh;
        d0 = d0 + LOAD_W(w3 + k) * xl;
        d1 = d1 + LOAD_W(w3 + k + 8) * xh;
    }
    if (k + 8 <= n) {
        const v8d xl = LOAD_F64(x + k);
        a0 = a0 + LOAD_W(w0 + k) * xl;
        b0 = b0 + LOAD_W(w1 + k) * xl;
        c0 = c0 + LOAD_W(w2 + k) * xl;
        d0 = d0 + LOAD_W(w3 + k) * xl;
        k += 8;
    }
    double s0 = REDUCE8(a0 + a1), s1 = REDUCE8(b0 + b1), s2 = REDUCE8(c0 + c1), s3 = REDUCE8(d0 + d1);
    for (; k < n; k++) {
        s0 = s0 + (double)w0[k] * x[k];
        s1 = s1 + (double)w1[k] * x[k];
        s2 = s2 + (double)w2[k] * x[k];
        s3 = s3 + (double)w3[k] * x[k];
    }
    out[0] = s0;
    out[1] = s1;
    out[2] = s2;
    out[3] = s3;
}

/// out[j] = dot(rows + j·n, x, n) for the row_count rows, four at a time.
static inline __attribute__((always_inline)) LEVEL_TARGET
void WNAME(dots)(const WEIGHT *rows, long row_count, long n, const double *x, double *out) {
    long j = 0;
    for (; j + 4 <= row_count; j += 4) WNAME(dot4)(rows + j * n, n, x, out + j, (row_count - j) * n);
    for (; j < row_count; j++) out[j] = WNAME(dot)(rows + j * n, x, n);
}

/// One sweep of the accumulation: s[k] = (((s[k] + c₀w₀ₖ) + c₁w₁ₖ) + c₂w₂ₖ) + c₃w₃ₖ for the four
/// rows at w (n columns each).
static inline __attribute__((always_inline)) LEVEL_TARGET
void WNAME(accumulate4)(const WEIGHT *w, long n, const double *c, double *s) {
    const WEIGHT *w0 = w, *w1 = w0 + n, *w2 = w1 + n, *w3 = w2 + n;
    const double c0 = c[0], c1 = c[1], c2 = c[2], c3 = c[3];
    const v8d v0 = SPLAT(c0), v1 = SPLAT(c1), v2 = SPLAT(c2), v3 = SPLAT(c3);
    long k = 0;
    for (; k + 8 <= n; k += 8) {
        v8d t = LOAD_F64(s + k) + v0 * LOAD_W(w0 + k);
        t = t + v1 * LOAD_W(w1 + k);
        t = t + v2 * LOAD_W(w2 + k);
        t = t + v3 * LOAD_W(w3 + k);
        STORE_F64(s + k, t);
    }
    for (; k < n; k++) {
        double t = s[k] + c0 * (double)w0[k];
        t = t + c1 * (double)w1[k];
        t = t + c2 * (double)w2[k];
        s[k] = t + c3 * (double)w3[k];
    }
}

/// s[k] = s[k] + c·w[k]: the accumulation of one row.
static inline __attribute__((always_inline)) LEVEL_TARGET
void WNAME(accumulate1)(const WEIGHT *w, long n, double c, double *s) {
    const v8d v = SPLAT(c);
    long k = 0;
    for (; k + 8 <= n; k += 8) STORE_F64(s + k, LOAD_F64(s + k) + v * LOAD_W(w + k));
    for (; k < n; k++) s[k] = s[k] + c * (double)w[k];
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

/// One sweep over k for two groups of four rows: the dot products of the rows at `next` into
/// out (as `dot4`, prefetching within `room` weights from next on) and the accumulation of the
/// rows at `prev` with the coefficients c into s (as `accumulate4`). Each keeps its own order, so
/// the bits are those of the two sweeps apart; the rows at `prev` were read by the sweep before,
/// so they come from L2 while the rows at `next` stream from memory.
static inline __attribute__((always_inline)) LEVEL_TARGET
void WNAME(dot4_accumulate4)(const WEIGHT *next, const WEIGHT *prev, long n, const double *x, const double *c,
                             double *s, double *out, long room) {
    const WEIGHT *w0 = next, *w1 = w0 + n, *w2 = w1 + n, *w3 = w2 + n;
    const WEIGHT *p0 = prev, *p1 = p0 + n, *p2 = p1 + n, *p3 = p2 + n;
    const long ahead = PREFETCH_BYTES / (long)sizeof(WEIGHT), line = 64 / (long)sizeof(WEIGHT);
    const v8d v0 = SPLAT(c[0]), v1 = SPLAT(c[1]), v2 = SPLAT(c[2]), v3 = SPLAT(c[3]);
    v8d a0 = {0}, a1 = {0}, b0 = {0}, b1 = {0}, c0 = {0}, c1 = {0}, d0 = {0}, d1 = {0};
    long k = 0;
    for (; k + 16 <= n; k += 16) {
        if (PREFETCH_BYTES > 0 && 3 * n + k + ahead + 16 <= room) {
            for (long o = k + ahead; o < k + ahead + 16; o += line) {
                __builtin_prefetch(w0 + o);
                __builtin_prefetch(w1 + o);
                __builtin_prefetch(w2 + o);
                __builtin_prefetch(w3 + o);
            }
        }
        const v8d xl = LOAD_F64(x + k), xh = LOAD_F64(x + k + 8);
        a0 = a0 + LOAD_W(w0 + k) * xl;
        a1 = a1 + LOAD_W(w0 + k + 8) * xh;
        b0 = b0 + LOAD_W(w1 + k) * xl;
        b1 = b1 + LOAD_W(w1 + k + 8) * xh;
        c0 = c0 + LOAD_W(w2 + k) * xl;
        c1 = c1 + LOAD_W(w2 + k + 8) * xh;
        d0 = d0 + LOAD_W(w3 + k) * xl;
        d1 = d1 + LOAD_W(w3 + k + 8) * xh;
        v8d t = LOAD_F64(s + k) + v0 * LOAD_W(p0 + k);
        t = t + v1 * LOAD_W(p1 + k);
        t = t + v2 * LOAD_W(p2 + k);
        t = t + v3 * LOAD_W(p3 + k);
        STORE_F64(s + k, t);
        v8d u = LOAD_F64(s + k + 8) + v0 * LOAD_W(p0 + k + 8);
        u = u + v1 * LOAD_W(p1 + k + 8);
        u = u + v2 * LOAD_W(p2 + k + 8);
        u = u + v3 * LOAD_W(p3 + k + 8);
        STORE_F64(s + k + 8, u);
    }
    if (k + 8 <= n) {
        const v8d xl = LOAD_F64(x + k);
        a0 = a0 + LOAD_W(w0 + k) * xl;
        b0 = b0 + LOAD_W(w1 + k) * xl;
        c0 = c0 + LOAD_W(w2 + k) * xl;
        d0 = d0 + LOAD_W(w3 + k) * xl;
        v8d t = LOAD_F64(s + k) + v0 * LOAD_W(p0 + k);
        t = t + v1 * LOAD_W(p1 + k);
        t = t + v2 * LOAD_W(p2 + k);
        t = t + v3 * LOAD_W(p3 + k);
        STORE_F64(s + k, t);
        k += 8;
    }
    double s0 = REDUCE8(a0 + a1), s1 = REDUCE8(b0 + b1), s2 = REDUCE8(c0 + c1), s3 = REDUCE8(d0 + d1);
    for (; k < n; k++) {
        s0 = s0 + (double)w0[k] * x[k];
        s1 = s1 + (double)w1[k] * x[k];
        s2 = s2 + (double)w2[k] * x[k];
        s3 = s3 + (double)w3[k] * x[k];
        double t = s[k] + c[0] * (double)p0[k];
        t = t + c[1] * (double)p1[k];
        t = t + c[2] * (double)p2[k];
        s[k] = t + c[3] * (double)p3[k];
    }
    out[0] = s0;
    out[1] = s1;
    out[2] = s2;
    out[3] = s3;
}

/// The fused pass, four rows at a time. The result is the dots of every row, then `accumulate`
/// over all of them: the groups of four are the accumulation's own groups, and the last
/// row_count mod 4 rows are added one at a time after them. With PIPELINED, one sweep computes
/// the dots of a group while it accumulates the group before (`dot4_accumulate4`); otherwise a
/// group's dots and its accumulation are two sweeps, the second while the rows are in L2.
static LEVEL_TARGET void WNAME(kernel_fused_block)(const WEIGHT *rows, long row_count, long n, const double *x,
                                                  const double *y, double *r, double *s) {
    const long groups = row_count / 4;
    for (long g = 0; g < groups; g++) {
        const WEIGHT *w = rows + 4 * g * n;
        const long room = (row_count - 4 * g) * n;
        if (!PIPELINED) {
            WNAME(dot4)(w, n, x, r + 4 * g, room);
        } else if (g == 0) {
            WNAME(dot4)(w, n, x, r, room);
        } else {
            WNAME(dot4_accumulate4)(w, w - 4 * n, n, x, r + 4 * (g - 1), s, r + 4 * g, room);
        }
        for (long q = 4 * g; q < 4 * g + 4; q++) r[q] = r[q] - y[q];
        if (!PIPELINED || g == groups - 1) WNAME(accumulate4)(w, n, r + 4 * g, s);
    }
    for (long q = 4 * groups; q < row_count; q++) r[q] = WNAME(dot)(rows + q * n, x, n) - y[q];
    for (long j = 4 * groups; j < row_count; j++) WNAME(accumulate1)(rows + j * n, n, r[j], s);
}
