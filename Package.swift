// swift-tools-version:6.0
// msense: a small scripting language and native runtime for matrix-sensing experiments.
//
// Module arrows point one way: MSenseCLI → MSenseLSP (the language server), and MSenseC (the C
// API) → MSense (the standard libraries) → MSenseCore (the language) and → Sensing, Sweep, Plot,
// Autodiff; all → Tensor → C shims. The core knows no domain.
import PackageDescription

let package = Package(
    name: "msense",
    products: [
        .library(name: "MSense", targets: ["MSense"]),
        .library(name: "MSenseLSP", targets: ["MSenseLSP"]),
        .executable(name: "msense", targets: ["MSenseCLI"]),
        // The C API (include/msense.h) as libMSenseC.so, for C hosts and the Python package.
        .library(name: "MSenseC", type: .dynamic, targets: ["MSenseC"]),
    ],
    targets: [
        // C system libraries (Debian packages; `make deps` installs them).
        .systemLibrary(
            name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]),
        .systemLibrary(
            name: "CZlib", path: "Sources/CZlib",
            providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(
            name: "CCairo", path: "Sources/CCairo", pkgConfig: "cairo",
            providers: [.apt(["libcairo2-dev"])]),
        .systemLibrary(
            name: "CReadline", path: "Sources/CReadline",
            providers: [.apt(["libreadline-dev"])]),
        // The dense row kernels in C, one variant per instruction set (per-function target
        // attributes, chosen at run time from the CPU's features; no unsafe flags).
        // libm: the baseline level computes float32 rows' fused multiply-adds by the C library's fma.
        .target(name: "CKernels", linkerSettings: [.linkedLibrary("m")]),

        // The native tensor runtime: matrices over BLAS/LAPACK, RNG, .npy/.npz/CSV I/O.
        .target(name: "Tensor", dependencies: ["CBLAS", "CZlib", "CKernels"]),
        // The language core and its embedding API: lexer, parser, resolver, compiler, runtime,
        // values, diagnostics, core builtins. Knows no domain library.
        .target(name: "MSenseCore", dependencies: ["Tensor"]),
        // The standard domain libraries (linear algebra, files, sensing, plots, sweeps), which a
        // host opens in an interpreter; re-exports the core, so `import MSense` is the whole API.
        .target(name: "MSense", dependencies: ["MSenseCore", "Tensor", "Sensing", "Sweep", "Plot", "Autodiff"]),
        // The science: truths, ensembles, losses, optimizers, schedules, metrics, traces.
        .target(name: "Sensing", dependencies: ["Tensor", "CKernels"]),
        // Grids of experiments: local parallel runs, point files, SLURM job arrays.
        .target(name: "Sweep", dependencies: ["Tensor", "Subprocess"]),
        // Runs a child program and waits for it (sbatch; the tests' NumPy oracle and msense runs).
        .target(name: "Subprocess"),
        // Line plots: one layout, written as SVG text or as PNG (drawn by cairo).
        .target(name: "Plot", dependencies: ["CCairo", "Tensor"]),
        // The language server (`msense lsp`): LSP over stdio, answering from MSense's Tooling.
        .target(name: "MSenseLSP", dependencies: ["MSense", "MSenseCore", "Tensor"]),
        // Reverse-mode automatic differentiation over matrices, and first-order optimizers.
        .target(name: "Autodiff", dependencies: ["Tensor"]),
        // bench/: the tape's gradients against the same gradients written by hand.
        .executableTarget(name: "AutodiffBench", dependencies: ["Autodiff", "Tensor"]),
        // bench/: the read bandwidth of this machine through the kernels' own loop and threads.
        .executableTarget(name: "BandwidthProbe", dependencies: ["Tensor"]),
        // bench/: the dense rows kernels interleaved with the bandwidth probe, float32 against float64.
        .executableTarget(name: "KernelBench", dependencies: ["CKernels", "Sensing", "Tensor"]),
        // The C API: `@_cdecl` functions over the embedding API, declared in include/msense.h.
        .target(name: "MSenseC", dependencies: ["MSense", "MSenseCore", "Tensor"]),
        // The `msense` command line tool and REPL.
        .executableTarget(name: "MSenseCLI", dependencies: ["MSense", "MSenseCore", "MSenseLSP", "Sensing", "Sweep", "Tensor", "CReadline"]),

        .testTarget(name: "TensorTests", dependencies: ["Tensor", "Subprocess", "CKernels"]),
        .testTarget(name: "SensingTests", dependencies: ["Sensing", "Tensor", "Subprocess", "CKernels"]),
        .testTarget(name: "SweepTests", dependencies: ["Sweep", "Subprocess"]),
        .testTarget(name: "AutodiffTests", dependencies: ["Autodiff", "Tensor"]),
        .testTarget(name: "PlotTests", dependencies: ["Plot", "CCairo", "Tensor"]),
        .testTarget(name: "SubprocessTests", dependencies: ["Subprocess"]),
        .testTarget(name: "MSenseTests", dependencies: ["MSense", "MSenseCore", "Subprocess"]),
        .testTarget(name: "EditorTests", dependencies: ["MSense", "MSenseCore", "MSenseLSP", "Tensor"]),
        // End-to-end: drives the built `msense` binary (the dependency makes `swift test` build it).
        .testTarget(name: "IntegrationTests", dependencies: ["Tensor", "Subprocess", "MSenseCLI"]),
    ],
    swiftLanguageModes: [.v6]
)
