import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a child program to completion and returns what it printed, reliably.
///
/// Why not Foundation's `Process`: on Linux its exit monitor missed a child's exit when the
/// child had started daemons (`tmux new-session -d`, `slurmctld`), so `waitUntilExit()` never
/// returned and a CI run hung for its whole budget. This runner spawns with `posix_spawn`,
/// waits with `waitpid` on that one pid, and sends standard output and error to temporary files
/// rather than pipes, so a daemon that inherits them cannot keep us waiting for end-of-file.
/// The child starts with an empty signal mask and default signal handlers. With a `timeout` the
/// child runs in its own process group, and the whole group is killed
/// (SIGKILL) when the time is up.
public enum Subprocess {
    /// How a child ended and what it printed.
    public struct Outcome: Sendable {
        /// The exit status, or 128 + the signal number when a signal ended it (as shells report).
        public var status: Int32
        /// Everything the child wrote to standard output, decoded as UTF-8.
        public var standardOutput: String
        /// Everything the child wrote to standard error, decoded as UTF-8.
        public var standardError: String
        /// True when the child was killed because `timeout` passed.
        public var timedOut: Bool
    }

    /// Why a child could not be run at all.
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong, naming the program.
        public var description: String
    }

    /// Runs `executable` with `arguments` and waits for it to exit.
    ///
    /// - Parameters:
    ///   - input: fed to standard input (standard input is `/dev/null` when nil).
    ///   - environment: entries added to (or replacing those of) this process's environment.
    ///   - directory: the child's working directory (this process's when nil).
    ///   - timeout: seconds after which the child's process group is killed; none when nil.
    public static func run(
        _ executable: String, _ arguments: [String], input: String? = nil,
        environment: [String: String] = [:], directory: String? = nil, timeout: Double? = nil
    ) throws(Failure) -> Outcome {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("subprocess-\(getpid())-\(UUID().uuidString)")
        let inPath = scratch.path + ".in", outPath = scratch.path + ".out", errPath = scratch.path + ".err"
        defer { for path in [inPath, outPath, errPath] { unlink(path) } }
        if let input {
            guard FileManager.default.createFile(atPath: inPath, contents: Data(input.utf8)) else {
                throw Failure(description: "could not write the standard input of \(executable) to \(inPath)")
            }
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, input == nil ? "/dev/null" : inPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        if let directory {
            guard let addChdir = addChdirAction else {
                throw Failure(description: "this C library cannot start \(executable) in another folder (\(directory))")
            }
            let added = addChdir(&actions, directory)
            guard added == 0 else {
                throw Failure(description: "could not start \(executable) in \(directory): \(String(cString: strerror(added)))")
            }
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The child starts with no blocked signals and default handlers, whatever the calling
        // thread blocks or this process ignores (a worker thread's mask, an ignored SIGPIPE).
        var flags = Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        if timeout != nil {
            flags |= Int16(POSIX_SPAWN_SETPGROUP)
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        posix_spawnattr_setflags(&attributes, flags)

        let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard spawned == 0 else {
            throw Failure(description: "could not start \(executable): \(String(cString: strerror(spawned)))")
        }

        let (status, timedOut) = wait(for: pid, timeout: timeout)
        let read = { (path: String) in
            String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
        }
        return Outcome(status: status, standardOutput: read(outPath), standardError: read(errPath),
                       timedOut: timedOut)
    }

    /// Waits for `pid`; returns its shell-style status and whether the timeout killed it.
    private static func wait(for pid: pid_t, timeout: Double?) -> (status: Int32, timedOut: Bool) {
        var raw: Int32 = 0
        guard let timeout else {
            while waitpid(pid, &raw, 0) == -1 && errno == EINTR {}
            return (shellStatus(raw), false)
        }
        let deadline = Date().addingTimeInterval(timeout)
        var pause: useconds_t = 1_000
        while true {
            let waited = waitpid(pid, &raw, WNOHANG)
            if waited == pid { return (shellStatus(raw), false) }
            if waited == -1 && errno != EINTR { return (-1, false) }
            if Date() >= deadline {
                kill(-pid, SIGKILL)
                while waitpid(pid, &raw, 0) == -1 && errno == EINTR {}
                return (shellStatus(raw), true)
            }
            usleep(pause)
            pause = min(pause * 2, 50_000)
        }
    }

    /// The exit code of a normal exit, or 128 + signal for a child ended by a signal.
    private static func shellStatus(_ raw: Int32) -> Int32 {
        let signal = raw & 0x7f
        return signal == 0 ? (raw >> 8) & 0xff : 128 + signal
    }

    /// glibc's `posix_spawn_file_actions_addchdir_np`, looked up at run time because Swift's
    /// Glibc module does not declare it (it sits behind `_GNU_SOURCE`).
    private typealias AddChdir = @convention(c) (
        UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>
    ) -> Int32
    private static let addChdirAction: AddChdir? = {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "posix_spawn_file_actions_addchdir_np")
        else { return nil }
        return unsafeBitCast(symbol, to: AddChdir.self)
    }()
}
