// Which variant of the row kernels runs: the CPU's best, unless the environment or a caller
// (the tests, the bench's baseline comparison) asks for a lower one.
#include "CKernels.h"
#include "KernelLevel.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

// -1 until first asked; then the level in force.
static _Atomic int active = -1;

int msk_supported_level(void) {
#if MSK_X86
    __builtin_cpu_init();
    // __builtin_cpu_supports also checks that the OS saves the wider registers (XCR0).
    if (__builtin_cpu_supports("avx512f")) return 2;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return 1;
#endif
    return 0;
}

static int clamped(int level) {
    int best = msk_supported_level();
    if (level < 0) return 0;
    return level < best ? level : best;
}

int msk_level_from_name(const char *name) {
    if (name != NULL) {
        for (int level = 0; level <= 2; level++) {
            if (strcmp(name, msk_level_name(level)) == 0) return clamped(level);
        }
    }
    return msk_supported_level();
}

/// MSENSE_KERNELS, or the CPU's best when it is unset or names no level.
static int default_level(void) {
    return msk_level_from_name(getenv("MSENSE_KERNELS"));
}

int msk_active_level(void) {
    int level = atomic_load_explicit(&active, memory_order_relaxed);
    if (level >= 0) return level;
    // Threads racing here compute the same value.
    level = default_level();
    atomic_store_explicit(&active, level, memory_order_relaxed);
    return level;
}

int msk_force_level(int level) {
    int chosen = level < 0 ? default_level() : clamped(level);
    atomic_store_explicit(&active, chosen, memory_order_relaxed);
    return chosen;
}

const char *msk_level_name(int level) {
    switch (level) {
    case 1: return "avx2";
    case 2: return "avx512";
    default: return "baseline";
    }
}
