import CBLAS

/// How many threads OpenBLAS uses, fixed for reproducibility.
///
/// A multi-threaded OpenBLAS may split a product's sums differently from a single-threaded one,
/// so the same call can round differently depending on which thread count was in force. msense
/// therefore runs BLAS on one thread, from the first interpreter or sensing kernel on, in every
/// process: a sweep point gives the same bits whether it runs first in its own SLURM task or
/// after other points in a local run. The parallelism comes from the sensing kernels' own
/// chunks and from sweeps instead (docs/performance.md).
public enum BLASThreads {
    private static let pinned: Void = openblas_set_num_threads(1)

    /// Makes every later BLAS and LAPACK call in this process single-threaded (idempotent).
    public static func useOne() {
        _ = pinned
    }
}
