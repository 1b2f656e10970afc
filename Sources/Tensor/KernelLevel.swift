import CKernels

/// The instruction set the dense row kernels (`CKernels`) run with, chosen at run time.
///
/// Every level performs the same float64 operations in the same order (fixed partial sums;
/// float64 rows round each product and sum, float32 rows fuse each multiply-add, which the
/// baseline computes with the C library's `fma`; docs/performance.md, "CPU dispatch"), so the
/// level changes the speed, never the bits. The CPU's best level is used unless the environment variable
/// `MSENSE_KERNELS` (`baseline`, `avx2`, `avx512`) or ``force(_:)`` asks for a lower one.
public enum KernelLevel: Int, Sendable, CaseIterable, CustomStringConvertible {
    /// Baseline x86-64 (SSE2), or the portable C on other architectures.
    case baseline = 0
    /// 256-bit vectors, with fused multiply-add (AVX2 and FMA).
    case avx2 = 1
    /// 512-bit vectors (AVX-512F).
    case avx512 = 2

    /// The best level this CPU and operating system support.
    public static var supported: KernelLevel { KernelLevel(rawValue: Int(msk_supported_level())) ?? .baseline }

    /// The level the kernels use now.
    public static var active: KernelLevel { KernelLevel(rawValue: Int(msk_active_level())) ?? .baseline }

    /// Uses `level` (lowered to ``supported``) from now on in this process, or the default again
    /// for `nil`; returns the level in force. For the tests and the bench's baseline comparison.
    @discardableResult
    public static func force(_ level: KernelLevel?) -> KernelLevel {
        KernelLevel(rawValue: Int(msk_force_level(Int32(level?.rawValue ?? -1)))) ?? .baseline
    }

    /// The level the value `name` of `MSENSE_KERNELS` asks for, lowered to ``supported``; the
    /// supported level for `nil` or a name that is no level.
    public static func named(_ name: String?) -> KernelLevel {
        let level = name.map { msk_level_from_name($0) } ?? msk_level_from_name(nil)
        return KernelLevel(rawValue: Int(level)) ?? .baseline
    }

    /// `baseline`, `avx2` or `avx512`, as `MSENSE_KERNELS` spells it.
    public var description: String { String(cString: msk_level_name(Int32(rawValue))) }
}
