// The row loops for one weight type at one level. RowKernelsBody.h includes this file twice per
// level, with WEIGHT (double or float), LOAD_W (its 8-lane load, widening floats exactly) and
// WNAME(name) (name, then the weight's suffix _f64/_f32, then the level's) defined.

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

static inline __attribute__((always_inline)) LEVEL_TARGET
void WNAME(accumulate)(const WEIGHT *rows, long row_count, long n, const double *c, double *s) {
    long j = 0;
    for (; j + 4 <= row_count; j += 4) {
        const WEIGHT *w0 = rows + j * n, *w1 = w0 + n, *w2 = w1 + n, *w3 = w2 + n;
        const double c0 = c[j], c1 = c[j + 1], c2 = c[j + 2], c3 = c[j + 3];
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
    for (; j < row_count; j++) {
        const WEIGHT *w = rows + j * n;
        const double cj = c[j];
        const v8d v = SPLAT(cj);
        long k = 0;
        for (; k + 8 <= n; k += 8) STORE_F64(s + k, LOAD_F64(s + k) + v * LOAD_W(w + k));
        for (; k < n; k++) s[k] = s[k] + cj * (double)w[k];
    }
}

static LEVEL_TARGET double WNAME(kernel_dot)(const WEIGHT *w, const double *x, long n) {
    return WNAME(dot)(w, x, n);
}

static LEVEL_TARGET void WNAME(kernel_accumulate)(const WEIGHT *rows, long row_count, long n, const double *c, double *s) {
    WNAME(accumulate)(rows, row_count, n, c, s);
}

static LEVEL_TARGET void WNAME(kernel_fused_block)(const WEIGHT *rows, long row_count, long n, const double *x,
                                                  const double *y, double *r, double *s) {
    for (long j = 0; j < row_count; j++) r[j] = WNAME(dot)(rows + j * n, x, n) - y[j];
    WNAME(accumulate)(rows, row_count, n, r, s);
}
