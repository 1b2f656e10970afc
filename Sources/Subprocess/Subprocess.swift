import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a child program to completion and returns what it printed, reliably.
///
/// Why not Foundation's `Process`: on Linux its exit monitor can miss a child's exit when the
/// child has started daemons (`tmux new-session -d`, `slurmctld`), so `waitUntilExit()` never
/// returns and a CI run hangs for its whole budget. This runner spawns with `posix_spawn`,
/// waits with `waitpid` on that one pid, and sends standard output and error to temporary files
/// rather than pipes, so a daemon that inherits them cannot keep us waiting for end-of-file.
/// The child starts with an empty signal mask and default signal handlers, and only descriptors
/// 0–2 reach it. With a `timeout` the child runs in its own process group, and the whole group is
/// killed (SIGKILL) when the time is up. A relative `executable` is relative to this process's
/// working directory, not to `directory`.
public enum Subprocess {
    /// How a child ended and what it printed.
    public struct Outcome: Sendable {
        /// The exit status, or 128 + the signal number when a signal ended it (as shells report).
        public var status: Int32
        /// Everything the child wrote to standard output, decoded as UTF-8.
        public var standardOutput: String
        /// Everything the child wrote to standard error, decoded as UTF-8; when the timeout
        /// killed the child, followed by a line `[killed after N s: program arguments…]`.
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
    ///   - executable: the program's path, absolute or relative to this process's working directory
    ///     (not looked up in `PATH`).
    ///   - arguments: its arguments, without the program name.
    ///   - input: fed to standard input (standard input is `/dev/null` when nil).
    ///   - environment: entries added to (or replacing those of) this process's environment.
    ///   - directory: the child's working directory (this process's when nil).
    ///   - timeout: seconds after which the child's process group is killed; none when nil.
    public static func run(
        _ executable: String, _ arguments: [String], input: String? = nil,
        environment: [String: String] = [:], directory: String? = nil, timeout: Double? = nil
    ) throws(Failure) -> Outcome {
        // Checked here so each mistake gets its own message (posix_spawn says ENOENT for all).
        let program = executable.hasPrefix("/") ? executable
            : FileManager.default.currentDirectoryPath + "/" + executable
        guard FileManager.default.isExecutableFile(atPath: program) else {
            throw Failure(description: "\(executable) is not an executable file")
        }
        var isFolder: ObjCBool = false
        if let directory, !(FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder) && isFolder.boolValue) {
            throw Failure(description: "cannot start \(executable) in \(directory): no such folder")
        }
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
        // Only 0, 1 and 2 reach the child: an inherited pipe kept open by a daemon the child
        // starts would make its reader wait for the daemon, and calls on other threads must
        // not see each other's files.
        if let closeFrom = closeFromAction {
            _ = closeFrom(&actions, 3)
        }
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
        let spawned = posix_spawn(&pid, program, &actions, &attributes, argv, envp)
        guard spawned == 0 else {
            throw Failure(description: "could not start \(executable): \(String(cString: strerror(spawned)))")
        }

        guard let (status, timedOut) = wait(for: pid, timeout: timeout) else {
            throw Failure(description: "lost track of \(executable) (pid \(pid)): waitpid failed: \(String(cString: strerror(errno)))")
        }
        let read = { (path: String) in
            String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
        }
        var standardError = read(errPath)
        if timedOut, let timeout {
            standardError += "\n[killed after \(timeout) s: \(([executable] + arguments).joined(separator: " "))]\n"
        }
        return Outcome(status: status, standardOutput: read(outPath), standardError: standardError,
                       timedOut: timedOut)
    }

    /// Waits for `pid`; returns its shell-style status and whether the timeout killed it, or
    /// nil when `waitpid` fails (e.g. the host ignores SIGCHLD, so children are never waitable).
    private static func wait(for pid: pid_t, timeout: Double?) -> (status: Int32, timedOut: Bool)? {
        var raw: Int32 = 0
        /// Blocks until `pid` ends; false when waitpid fails for another reason than a signal.
        func waitBlocking() -> Bool {
            while true {
                if waitpid(pid, &raw, 0) == pid { return true }
                if errno != EINTR { return false }
            }
        }
        guard let timeout else {
            return waitBlocking() ? (shellStatus(raw), false) : nil
        }
        let deadline = Date().addingTimeInterval(timeout)
        var pause: useconds_t = 1_000
        while true {
            let waited = waitpid(pid, &raw, WNOHANG)
            if waited == pid { return (shellStatus(raw), false) }
            if waited == -1 && errno != EINTR { return nil }
            if Date() >= deadline {
                kill(-pid, SIGKILL)
                return waitBlocking() ? (shellStatus(raw), true) : nil
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

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), looked up the same way; when a
    /// C library lacks it, children inherit the descriptors that are not close-on-exec.
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let closeFromAction: AddCloseFrom? = {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "posix_spawn_file_actions_addclosefrom_np")
        else { return nil }
        return unsafeBitCast(symbol, to: AddCloseFrom.self)
    }()
}
