import Foundation

/// Which files scripts may read and write: the host's sandbox for `load`, `save`, `import`-free
/// file builtins and plots.
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

    private func confined(_ path: String) throws -> URL {
        guard let root else { return URL(fileURLWithPath: path).standardizedFileURL }
        let url = (path.hasPrefix("/") ? URL(fileURLWithPath: path) : root.appendingPathComponent(path)).standardizedFileURL
        let base = root.standardizedFileURL.resolvingSymlinksInPath().path
        // Resolve symlinks of the longest existing prefix, so a link cannot lead outside.
        var existing = url
        var suffix: [String] = []
        while !FileManager.default.fileExists(atPath: existing.path), existing.path != "/" {
            suffix.insert(existing.lastPathComponent, at: 0)
            existing.deleteLastPathComponent()
        }
        var resolved = existing.resolvingSymlinksInPath()
        for part in suffix { resolved.appendPathComponent(part) }
        let full = resolved.standardizedFileURL.path
        guard full == base || full.hasPrefix(base.hasSuffix("/") ? base : base + "/") else {
            throw ScriptError("'\(path)' is outside the directory this script may use (\(base))")
        }
        return resolved
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
