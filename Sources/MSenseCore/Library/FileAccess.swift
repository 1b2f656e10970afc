import Foundation
import Tensor

/// Which files scripts may read and write: the host's sandbox for `load`, `save`, `mkdir`,
/// `exists`, `files`, plots, `minimize`'s checkpoints and (through the default ``ModuleLoader``)
/// `import`.
public struct FileAccess: Sendable {
    /// Whether scripts may read files.
    public var canRead: Bool
    /// Whether scripts may write files.
    public var canWrite: Bool
    /// When set, every path must resolve inside this directory (after `..` and symlinks), and
    /// relative paths are taken relative to it (not to the process's working directory).
    public var root: URL?

    /// Full access (the command line's default).
    public static let unrestricted = FileAccess(canRead: true, canWrite: true, root: nil)
    /// No file access at all.
    public static let none = FileAccess(canRead: false, canWrite: false, root: nil)

    /// Access as given; `root` confines both reading and writing to one directory tree.
    public init(canRead: Bool, canWrite: Bool, root: URL? = nil) {
        self.canRead = canRead
        self.canWrite = canWrite
        self.root = root
    }

    /// The URL for `path` when reading is allowed there, else an error saying why not.
    package func readable(_ path: String) throws -> URL {
        guard canRead else { throw ScriptError("reading files is disabled by the host ('\(path)')") }
        return try confined(path)
    }

    /// The URL for `path` when writing is allowed there, else an error saying why not.
    package func writable(_ path: String) throws -> URL {
        guard canWrite else { throw ScriptError("writing files is disabled by the host ('\(path)')") }
        return try confined(path)
    }

    /// The resolved path for `path` (relative paths are taken relative to `root`, else to the
    /// working directory), refused when a `root` is set and the path does not lie inside it.
    ///
    /// Both paths are resolved by `ResolvedPath` (`..` and symbolic links followed, dangling
    /// ones included, as the kernel would) and compared name by name as bytes, so neither a link
    /// nor a Unicode-equivalent spelling of the root's name can lead outside it. Outside the
    /// root and its ancestors the walk only follows links (a root spelled through one), and
    /// stops at the first other name, so a path through other folders is refused without
    /// looking into them (what they hold cannot be learnt from the answer).
    func confined(_ path: String) throws -> URL {
        let base: ResolvedPath?, resolved: ResolvedPath?
        do throws(FileProblem) {
            base = try root.map { root throws(FileProblem) in try ResolvedPath.resolve(root.path) }
            resolved = try ResolvedPath.resolve(path, relativeTo: base?.string, within: base)
        } catch {
            throw ScriptError("cannot use the path '\(path)': \(error.reason)")
        }
        guard let resolved, base.map({ resolved.isInside($0) }) ?? true else {
            throw ScriptError("'\(path)' is outside the directory this script may use (\(base?.string ?? "/"))")
        }
        return URL(fileURLWithPath: resolved.string)
    }
}

/// The interpreter's file sandbox, readable from builtins on the script thread while the host
/// may replace it between runs.
final class FileAccessBox: @unchecked Sendable {
    // Safety: all access goes through `lock`.
    private let lock = NSLock()
    private var stored = FileAccess.unrestricted

    var value: FileAccess {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); stored = newValue; lock.unlock() }
    }
}
