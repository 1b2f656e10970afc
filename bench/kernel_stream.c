// kernel_stream.c: the fused rows kernels against the bandwidth probe's read loop, alone, on this
// machine's memory (docs/performance.md, "How the rows pass streams"). Built by hand, no package
// target (from the repository root):
//
//     clang -O2 -ISources/CKernels/include -ISources/CKernels bench/kernel_stream.c \
//         Sources/CKernels/RowKernels.c Sources/CKernels/KernelLevel.c -lpthread -o /tmp/kernel_stream
//     /tmp/kernel_stream [THREADS] [REPEATS]
//
// Runs, interleaved (probe, kernels, probe, kernels, …) and best of REPEATS (default 7): the
// probe's `msk_read_sum` over 800 MB, then one fused pass (`msk_fused_block_f64`/`_f32`, one call
// per chunk) over the d = 100, m = 5000 stacks of the bench: asymmetric p = d² float64, packed
// symmetric p = d(d+1)/2 in float64 and float32, each split into the kernels' 16 fixed chunks.
// THREADS = 0 (the default) runs everything on one thread and times it by that thread's CPU
// time, which other processes on the machine do not inflate, so ratios stay meaningful under
// load; THREADS = 1 or 2 times wall clock with that many threads taking chunks in turn.
// MSENSE_KERNELS picks the level as for msense.
#include "CKernels.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { CHUNKS = 16, D = 100, M = 5000 };

/// One timed job: the probe's read (rows == NULL) or a fused pass over the m×p rows.
typedef struct {
    const char *name;
    int float32;
    long m, p;
    void *rows;
    double *x, *y, *r, *partials, sums[CHUNKS];
    double *data;
    long count;
    int threads;
    atomic_int next;
} Job;

static double seconds(clockid_t clock) {
    struct timespec t;
    clock_gettime(clock, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void chunk(Job *job, int c) {
    if (job->data != NULL) {
        long lo = job->count * c / CHUNKS, hi = job->count * (c + 1) / CHUNKS;
        job->sums[c] = msk_read_sum(job->data + lo, hi - lo);
        return;
    }
    long m = job->m, p = job->p, lo = m * c / CHUNKS, hi = m * (c + 1) / CHUNKS;
    double *partial = job->partials + c * p;
    memset(partial, 0, (size_t)p * sizeof(double));
    if (job->float32) {
        msk_fused_block_f32((const float *)job->rows + lo * p, hi - lo, p, job->x, job->y + lo, job->r + lo, partial);
    } else {
        msk_fused_block_f64((const double *)job->rows + lo * p, hi - lo, p, job->x, job->y + lo, job->r + lo, partial);
    }
    double squares = 0;
    for (long i = lo; i < hi; i++) squares += job->r[i] * job->r[i];
    job->sums[c] = squares;
}

static void *worker(void *argument) {
    Job *job = argument;
    for (int c; (c = atomic_fetch_add(&job->next, 1)) < CHUNKS;) chunk(job, c);
    return NULL;
}

/// Seconds of one run: the calling thread's CPU time (threads == 0) or wall clock.
static double run(Job *job) {
    atomic_store(&job->next, 0);
    if (job->threads == 0) {
        double start = seconds(CLOCK_THREAD_CPUTIME_ID);
        worker(job);
        return seconds(CLOCK_THREAD_CPUTIME_ID) - start;
    }
    pthread_t helpers[8];
    int extra = job->threads - 1 < 8 ? job->threads - 1 : 8;
    double start = seconds(CLOCK_MONOTONIC);
    for (int i = 0; i < extra; i++) pthread_create(&helpers[i], NULL, worker, job);
    worker(job);
    for (int i = 0; i < extra; i++) pthread_join(helpers[i], NULL);
    return seconds(CLOCK_MONOTONIC) - start;
}

static double bytes(const Job *job) {
    return job->data != NULL ? (double)job->count * 8 : (double)job->m * (double)job->p * (job->float32 ? 4 : 8);
}

static void *filled(long count, size_t width, unsigned *seed) {
    void *buffer = malloc((size_t)count * width);
    if (buffer == NULL) { fprintf(stderr, "kernel_stream: out of memory\n"); exit(1); }
    for (long i = 0; i < count; i++) {
        double v = (double)rand_r(seed) / RAND_MAX - 0.5;
        if (width == sizeof(float)) ((float *)buffer)[i] = (float)v; else ((double *)buffer)[i] = v;
    }
    return buffer;
}

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 0, repeats = argc > 2 ? atoi(argv[2]) : 7;
    if (threads < 0 || threads > 9 || repeats < 1) {
        fprintf(stderr, "usage: kernel_stream [THREADS 0-9] [REPEATS ≥ 1]\n");
        return 2;
    }
    unsigned seed = 1;
    Job jobs[4] = {
        {.name = "probe (read_sum)", .count = 100000000},
        {.name = "asym float64", .m = M, .p = D * D},
        {.name = "sym float64", .m = M, .p = D * (D + 1) / 2},
        {.name = "sym float32", .m = M, .p = D * (D + 1) / 2, .float32 = 1},
    };
    jobs[0].data = filled(jobs[0].count, sizeof(double), &seed);
    for (int q = 0; q < 4; q++) {
        Job *job = &jobs[q];
        job->threads = threads;
        if (q == 0) continue;
        job->rows = filled(job->m * job->p, job->float32 ? sizeof(float) : sizeof(double), &seed);
        job->x = filled(job->p, sizeof(double), &seed);
        job->y = filled(job->m, sizeof(double), &seed);
        job->r = filled(job->m, sizeof(double), &seed);
        job->partials = filled(CHUNKS * job->p, sizeof(double), &seed);
    }
    double best[4] = {1e30, 1e30, 1e30, 1e30};
    for (int repeat = 0; repeat < repeats; repeat++) {
        for (int q = 0; q < 4; q++) {
            double t = run(&jobs[q]);
            if (t < best[q]) best[q] = t;
        }
    }
    double bound = bytes(&jobs[0]) / best[0] / 1e9;
    printf("level %s, %s, best of %d\n", msk_level_name(msk_active_level()),
           threads == 0 ? "one thread, CPU time" : threads == 1 ? "one thread, wall clock" : "threads, wall clock", repeats);
    for (int q = 0; q < 4; q++) {
        double gbps = bytes(&jobs[q]) / best[q] / 1e9;
        printf("%-18s %8.2f ms %7.1f GB/s %5.0f%% of the probe\n", jobs[q].name, best[q] * 1e3, gbps, 100 * gbps / bound);
    }
    printf("float32 rows against float64 rows: %.2fx faster\n", best[2] / best[3]);
    return 0;
}
