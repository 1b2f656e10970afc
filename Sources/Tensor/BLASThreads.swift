import CBLAS
import Foundation

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

    /// ``useOne()``, and stops the worker threads a multi-threaded OpenBLAS started when it was
    /// loaded, which no single-threaded call uses: each spins (`sched_yield`) for 2²⁸ clock ticks,
    /// about 0.1 s, before it sleeps, so on a 2-core machine it takes half the cores from the first
    /// tenth of a second of every process (docs/performance.md, "Process start-up").
    ///
    /// For a program's start only (the `msense` tool): no other thread may be inside BLAS while it
    /// runs. OpenBLAS's `blas_thread_shutdown_` is looked up at run time, so a BLAS without it (a
    /// serial or OpenMP build) links and runs as before; a later call asking for more threads
    /// would start them again.
    public static func useOneAndStopIdleWorkers() {
        useOne()
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "blas_thread_shutdown_") else { return }
        typealias Shutdown = @convention(c) () -> Int32
        _ = unsafeBitCast(symbol, to: Shutdown.self)()
    }
}
