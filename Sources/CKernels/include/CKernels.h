// CKernels: the hot loops of the dense sensing kernels, compiled for several instruction sets
// and chosen at run time from the CPU's features (docs/performance.md, "CPU dispatch").
//
// Every variant performs the same IEEE operations in the same order (fixed partial sums; float64
// rows round each product and each sum, float32 rows add each product by one fused multiply-add),
// so every level returns the same bits; a level only changes how many lanes one instruction
// carries. Levels: 0 baseline x86-64 (SSE2; its fused multiply-adds are the C library's fma),
// 1 AVX2 with FMA, 2 AVX-512F.
#ifndef MSENSE_CKERNELS_H
#define MSENSE_CKERNELS_H

#ifdef __cplusplus
extern "C" {
#endif

/// The best level this CPU (and its operating system) supports: 0, 1 or 2.
int msk_supported_level(void);

/// The level the kernels use: the one forced by `msk_force_level`, else the environment
/// variable MSENSE_KERNELS (`baseline`, `avx2` or `avx512`, lowered to what the CPU supports),
/// else `msk_supported_level()`.
int msk_active_level(void);

/// Forces `level` (clamped to 0…`msk_supported_level()`) for every later call; a negative
/// level returns to the default. Returns the level now in force.
int msk_force_level(int level);

/// The level a value of MSENSE_KERNELS asks for, lowered to what the CPU supports; the CPU's
/// best level for NULL or a name that is no level.
int msk_level_from_name(const char *name);

/// The name of a level: "baseline", "avx2" or "avx512".
const char *msk_level_name(int level);

/// Σₖ w[k]·x[k] over n terms: 16 interleaved partial sums (k mod 16) over the first
/// 16⌊n/16⌋ terms, then 8 more lanes of the first 8 sums while 8 terms remain, combined as
/// ((a₀…₇ + a₈…₁₅) lane-wise, then lanes j + j+4, then (l₀ + l₁) + (l₂ + l₃)), then the
/// remaining terms one by one in order.
double msk_dot_f64(const double *w, const double *x, long n);

/// `msk_dot_f64` with float32 weights widened exactly to double, in the same order, each term
/// added by a fused multiply-add aₖ = fma(w[k], x[k], aₖ): every operation is float64, rounded once
/// per term (float32 rows carry twice the products per byte, and fusing keeps their pass from
/// running out of arithmetic before memory).
double msk_dot_f32(const float *w, const double *x, long n);

/// s[k] += Σⱼ c[j]·rows[j·n + k] for the row_count rows (row-major, n columns), j in order:
/// four rows per sweep as s[k] = (((s[k] + c₀w₀ₖ) + c₁w₁ₖ) + c₂w₂ₖ) + c₃w₃ₖ, then one row at a time.
void msk_accumulate_f64(const double *rows, long row_count, long n, const double *c, double *s);

/// `msk_accumulate_f64` over float32 rows widened exactly to double, each term added by a fused
/// multiply-add: s[k] = fma(c₃, w₃ₖ, fma(c₂, w₂ₖ, fma(c₁, w₁ₖ, fma(c₀, w₀ₖ, s[k])))).
void msk_accumulate_f32(const float *rows, long row_count, long n, const double *c, double *s);

/// out[j] = msk_dot_f64(rows + j·n, x, n) for the row_count rows.
void msk_dots_f64(const double *rows, long row_count, long n, const double *x, double *out);

/// msk_dots_f64(next, next_count, n, x, dots) and msk_accumulate_f64(prev, prev_count, n, c, s) with
/// the same bits, for a pass whose coefficients for a block of rows come from that block's dots:
/// a block's dots while the block before it (still in cache) is accumulated. Two blocks of four
/// rows of n > 1024 take one sweep (the fused pass's), each row of next prefetched within the
/// `room` weights from next on that the caller's rows hold; other counts take the two calls.
/// prev_count may be 0.
void msk_dots_accumulate_f64(const double *next, long next_count, long n, const double *x, double *dots, long room,
                             const double *prev, long prev_count, const double *c, double *s);

/// The fused rows pass over row_count rows: r[j] = msk_dot_f64(rows + j·n, x, n) − y[j] for every
/// row, then msk_accumulate_f64(rows, row_count, n, r, s). It runs four rows at a time, one sweep
/// computing a group's dots while it accumulates the group before (still in cache; when four rows
/// fit in L1, n ≤ 1024, a group's dots and then its accumulation), so each row is read from memory
/// once; the result is the same bits as the two calls.
void msk_fused_block_f64(const double *rows, long row_count, long n, const double *x, const double *y,
                         double *r, double *s);

/// `msk_fused_block_f64` over float32 rows widened exactly to double: the residuals by
/// `msk_dot_f32`, then `msk_accumulate_f32`, with the same bits.
void msk_fused_block_f32(const float *rows, long row_count, long n, const double *x, const double *y,
                         double *r, double *s);

/// Σₖ a[k] over n terms (32 interleaved partial sums): the read loop of the bandwidth probe.
double msk_read_sum(const double *a, long n);

/// Σₖ a[k] read as four equal streams in lockstep (the row kernels' four-row sweeps); the tail past
/// 4·⌊n/4⌋ is added last. The bandwidth probe times both read patterns and keeps the faster.
double msk_read_sum4(const double *a, long n);

/// The data movement of a pass that reads each of row_count rows of n doubles from memory once and
/// uses it twice, as the fused pass must when a row is longer than L1 (its accumulation needs its
/// whole dot product first): four rows read from memory in one sweep while the four before are
/// read again from cache, nothing computed but sums. Returns the sum of every element counted
/// twice. Its bytes per second (one read of the rows) bound what any such one-read pass can reach.
double msk_read_rows_twice(const double *rows, long row_count, long n);

/// One block of the product of a symmetric matrix stored by blocks of rows of its upper triangle:
/// the row_count rows at block, `width` long and `width` apart, hold columns j₀…j₀+width−1 of rows
/// j₀…j₀+row_count−1 (their first row_count columns the block's full diagonal tile); x and out start
/// at entry j₀. Adds out[i] += msk_dot_f64(row i, x, width) for i < row_count (rows i and the tile),
/// and the mirror out[k] += Σᵢ x[i]·row_i[k] for row_count ≤ k < width in msk_accumulate_f64's
/// order (four rows per sweep, in row order, then one at a time). Each row is read from memory
/// once. Requires row_count ≤ width; x and out must not overlap.
void msk_symmetric_block_f64(const double *block, long row_count, long width, const double *x, double *out);

#ifdef __cplusplus
}
#endif

#endif
