// Internal to CKernels: whether this is an x86-64 build (the only one with levels above 0).
#ifndef MSENSE_KERNEL_LEVEL_H
#define MSENSE_KERNEL_LEVEL_H
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define MSK_X86 1
#else
#define MSK_X86 0
#endif
#endif
