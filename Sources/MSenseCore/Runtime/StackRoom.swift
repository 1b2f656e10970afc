import Foundation

/// How much of the script thread's stack is left, so that recursion along any path (script
/// calls, builtins calling back into scripts such as a `gd` stop predicate, nested sweeps)
/// ends in "stack depth exceeded" before the stack overflows.
///
/// At the start of a run the thread's stack bounds are read (`pthread_getattr_np`); every
/// call then compares the address of a local variable with the lowest address it may reach:
/// the stack's end plus `reserve` bytes, left for the native code (BLAS, LAPACK, the sensing
/// kernels, the error path) that a call at that depth may still run.
final class StackRoom: @unchecked Sendable {
    // Safety: measured and read on the thread running the script.
    /// Bytes kept free below the deepest call: 16 MiB (a quarter of a smaller stack).
    static let reserve = 16 << 20
    /// The lowest stack address a call may use; 0 when the bounds are unknown (no check).
    private var floor: UInt = 0

    /// Reads the bounds of the calling thread's stack (call on the thread that runs the script).
    func measure() {
        floor = 0
        #if os(Linux)
        var attributes = pthread_attr_t()
        guard threadAttributes(pthread_self(), &attributes) == 0 else { return }
        defer { pthread_attr_destroy(&attributes) }
        var base: UnsafeMutableRawPointer?
        var size = 0
        guard pthread_attr_getstack(&attributes, &base, &size) == 0, let base else { return }
        let low = UInt(bitPattern: base)
        #else
        let thread = pthread_self()
        let high = UInt(bitPattern: pthread_get_stackaddr_np(thread))
        let size = pthread_get_stacksize_np(thread)
        let low = high - UInt(size)
        #endif
        guard size > 0 else { return }
        floor = low + UInt(min(Self.reserve, size / 4))
    }

    /// Whether the current call still has `reserve` bytes of stack below it.
    @inline(__always)
    func hasRoom() -> Bool {
        var marker: UInt8 = 0
        return withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) } > floor
    }

    /// The error of a call made with too little stack left.
    static func exhausted(at site: Site) -> RuntimeFailure {
        RuntimeFailure("stack depth exceeded (the script's stack is nearly full)", hint: "check for recursion that never stops", at: site)
    }
}

#if os(Linux)
/// glibc's `pthread_getattr_np` (a GNU extension the Glibc module does not export): the
/// attributes of a running thread, its actual stack included.
@_silgen_name("pthread_getattr_np")
private func threadAttributes(_ thread: pthread_t, _ attributes: UnsafeMutablePointer<pthread_attr_t>) -> Int32
#endif
