import Foundation

/// Runs work on a fresh thread with a large stack, so deep (but bounded) recursion in the
/// parser, compiler and evaluator never overflows the caller's stack.
///
/// The parser allows `Parser.maxNesting` levels and the evaluator measures its thread's stack
/// (`StackRoom`), both sized for this stack. When the thread cannot be made (the address space
/// is limited: `ulimit -v`, or many such threads at once) the work is refused, never run on the
/// caller's stack, whose size nothing here knows.
package enum BigStack {
    /// Stack size of the worker thread: 512 MiB of address space (committed only when used).
    static let size = 512 << 20

    private final class Job {
        let work: () -> Void
        init(_ work: @escaping () -> Void) { self.work = work }
    }

    /// Why a thread could not be made: the stack it was to have and `pthread_create`'s error number.
    package struct Unavailable: Error {
        let bytes: Int
        let status: Int32

        /// The error a host sees, naming the file it asked to run or check.
        package func diagnostic(path: String) -> Diagnostic {
            Diagnostic(path: path,
                       message: "the interpreter could not reserve its \(bytes >> 20) MiB stack (\(String(cString: strerror(status))))",
                       hint: "raise the process's address-space limit (ulimit -v), or run fewer interpreters at once (fewer sweep jobs)",
                       id: .stackUnavailable)
        }
    }

    /// Runs `work` on a thread with a stack of `bytes` and waits for it; throws, without running
    /// `work`, when that thread cannot be made.
    static func run(bytes: Int = size, _ work: () -> Void) throws(Unavailable) {
        var outcome: Result<pthread_t, Unavailable> = .failure(Unavailable(bytes: bytes, status: EAGAIN))
        withoutActuallyEscaping(work) { escapable in
            outcome = spawn(bytes: bytes, escapable)
            if case .success(let thread) = outcome { pthread_join(thread, nil) }
        }
        _ = try outcome.get()
    }

    /// Starts `work` on a new thread with a stack of `bytes` and returns at once; throws, without
    /// running `work`, when that thread cannot be made (where Foundation's `Thread` would not say).
    package static func start(bytes: Int, _ work: @escaping @Sendable () -> Void) throws(Unavailable) {
        let thread = try spawn(bytes: bytes, work).get()
        pthread_detach(thread)
    }

    /// A new joinable thread running `work`, or why there is none.
    private static func spawn(bytes: Int, _ work: @escaping () -> Void) -> Result<pthread_t, Unavailable> {
        let context = Unmanaged.passRetained(Job(work)).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        var status = pthread_attr_setstacksize(&attributes, bytes)
        var thread = pthread_t()
        if status == 0 {
            status = pthread_create(&thread, &attributes, { raw in
                guard let raw else { return nil }
                Unmanaged<Job>.fromOpaque(raw).takeRetainedValue().work()
                return nil
            }, context)
        }
        guard status == 0 else {
            Unmanaged<Job>.fromOpaque(context).release()
            return .failure(Unavailable(bytes: bytes, status: status))
        }
        return .success(thread)
    }
}
