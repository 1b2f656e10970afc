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

    /// ``useOne()``, and stops the worker threads a pthreads OpenBLAS started when it was loaded,
    /// which no single-threaded call uses: each spins (`sched_yield`) for 2²⁸ clock ticks, about
    /// 0.1 s, before it sleeps, so on a 2-core machine it takes half the cores from the first tenth
    /// of a second of every process (docs/performance.md, "Process start-up").
    ///
    /// For a program's first statement only (the `msense` tool): it must run before any other
    /// thread exists, since `blas_thread_shutdown_` joins the workers and frees their state with
    /// no lock against a BLAS call in flight. It acts only on a pthreads build
    /// (`openblas_get_parallel() == 1`) that exports the symbol (looked up at run time, so any
    /// other BLAS links and runs unchanged). Any later `openblas_set_num_threads` starts the
    /// workers again, which is why ``useOne()`` pins the count before the shutdown.
    package static func useOneAndStopIdleWorkers() {
        useOne()
        guard openblas_get_parallel() == 1 else { return }
        // A null handle is glibc's RTLD_DEFAULT: every object loaded into the process.
        guard let symbol = dlsym(nil, "blas_thread_shutdown_") else { return }
        typealias Shutdown = @convention(c) () -> Int32
        _ = unsafeBitCast(symbol, to: Shutdown.self)()
    }
}
