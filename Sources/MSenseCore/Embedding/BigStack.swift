import Foundation

/// Runs work on a fresh thread with a large stack, so deep (but bounded) recursion in the
/// parser, compiler and evaluator never overflows the caller's stack.
enum BigStack {
    /// Stack size of the worker thread: 512 MiB of address space (committed only when used).
    static let size = 512 << 20

    private final class Job {
        let work: () -> Void
        init(_ work: @escaping () -> Void) { self.work = work }
    }

    /// Runs `work` on a big-stack thread and waits for it; runs it inline if no thread can be made.
    static func run(_ work: () -> Void) {
        withoutActuallyEscaping(work) { escapable in
            let context = Unmanaged.passRetained(Job(escapable)).toOpaque()
            var attributes = pthread_attr_t()
            pthread_attr_init(&attributes)
            defer { pthread_attr_destroy(&attributes) }
            pthread_attr_setstacksize(&attributes, size)
            var thread = pthread_t()
            let status = pthread_create(&thread, &attributes, { raw in
                guard let raw else { return nil }
                Unmanaged<Job>.fromOpaque(raw).takeRetainedValue().work()
                return nil
            }, context)
            if status == 0 {
                pthread_join(thread, nil)
            } else {
                Unmanaged<Job>.fromOpaque(context).release()
                escapable()
            }
        }
    }
}
