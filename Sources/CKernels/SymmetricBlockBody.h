// The product of a symmetric matrix stored by blocks of rows of its upper triangle, one block at a
// time (the float64 Gram matrix of the normal equations, Sensing's BlockedGram64), at one level.
// RowKernelsBody.h includes this file once per level, after RowLoops.h's float64 loops, whose dot
// products and four-row accumulation it uses (so the same order, and the same bits on every level).

#define SNAMED(name) CAT(name, LEVEL_SUFFIX)

/// One block: rows i = 0…row_count−1, each `width` long and `width` apart, row i holding columns
/// j₀…j₀+width−1 of the matrix's row j₀+i (its first row_count columns are the block's full
/// diagonal tile), with x and out starting at entry j₀:
///
///     out[i] = out[i] + dot(row i, x, width)                                 i < row_count
///     out[k] = (((out[k] + xᵢbᵢₖ) + xᵢ₊₁bᵢ₊₁ₖ) + xᵢ₊₂bᵢ₊₂ₖ) + xᵢ₊₃bᵢ₊₃ₖ       row_count ≤ k < width
///
/// the mirror (second line) for each group of four rows i…i+3 in row order, as msk_accumulate_f64,
/// then the last row_count mod 4 rows one at a time; each group's accumulation follows its dots, so
/// it reads the four rows from cache (L1 for short rows, L2 for rows of more than ~1500 doubles).
/// Each block is read from memory once for both halves of the product. Requires
/// row_count ≤ width, and x and out not overlapping.
static LEVEL_TARGET void SNAMED(kernel_symmetric_block_f64)(const double *block, long row_count, long width,
                                                          const double *x, double *out) {
    long i = 0;
    for (; i + 4 <= row_count; i += 4) {
        const double *w = block + i * width;
        double dots[4];
        SNAMED(dot4_f64)(w, width, x, dots, (row_count - i) * width);
        for (int j = 0; j < 4; j++) out[i + j] = out[i + j] + dots[j];
        v8d v[4];
        for (int j = 0; j < 4; j++) v[j] = SPLAT(x[i + j]);
        long k = row_count;
        for (; k + 8 <= width; k += 8) SNAMED(accumulate4_lanes_f64)(w, width, k, v, out);
        for (; k < width; k++) SNAMED(accumulate4_one_f64)(w, width, k, x + i, out);
    }
    for (; i < row_count; i++) {
        const double *w = block + i * width;
        out[i] = out[i] + SNAMED(dot_f64)(w, x, width);
        const double c = x[i];
        const v8d v = SPLAT(c);
        long k = row_count;
        for (; k + 8 <= width; k += 8) STORE_F64(out + k, LOAD_F64(out + k) + v * LOAD_F64(w + k));
        for (; k < width; k++) out[k] = out[k] + c * w[k];
    }
}

#undef SNAMED
