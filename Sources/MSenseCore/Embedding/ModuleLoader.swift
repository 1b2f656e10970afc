import Foundation
import Tensor

/// Where `import "path"` finds its source: the one way a script's imports reach outside the
/// interpreter, replaceable by the host (``Interpreter/moduleLoader``).
///
/// Loading is two steps, so that a module is loaded once and import cycles are found before
/// anything is read:
/// 1. `locate(path, importer)` names the module: `path` as written in the `import`, `importer`
///    the name of the importing module (a name `locate` returned before, the path the host
///    gave `run`, or a pseudo path such as `<eval>`). The name is the module's identity: two
///    imports that locate the same name share one module.
/// 2. `read(name)` returns the module's source bytes (UTF-8, checked by the interpreter).
///
/// Either step throws to refuse the import; the error's message is reported at the `import`
/// as "cannot import 'path': message", and nothing of the module's content is shown.
public struct ModuleLoader: Sendable {
    /// Names the module that `import path` in module `importer` means, or throws to refuse it.
    public var locate: @Sendable (_ path: String, _ importer: String) throws -> String
    /// The source of the module named `name`, or throws to refuse it.
    public var read: @Sendable (_ name: String) throws -> [UInt8]

    /// A loader from the two steps.
    public init(locate: @escaping @Sendable (_ path: String, _ importer: String) throws -> String,
                read: @escaping @Sendable (_ name: String) throws -> [UInt8]) {
        self.locate = locate
        self.read = read
    }

    /// Imports read from files as `access` allows (the interpreter's default, under its
    /// ``Interpreter/fileAccess``): a relative path is taken relative to the importing file's
    /// folder, that folder being taken, when itself relative, as the access's relative paths
    /// are: from its `root`, else the working directory (for `<eval>` and other pseudo paths,
    /// and a notebook's `In[3]`: the root, else the working directory); the module's name is its
    /// resolved path (``FileAccess``: `..` and symbolic links followed, confined to the root).
    /// Only `.msense` source files are imported, so a script cannot run as code a data file it
    /// wrote (`save` writes `.npy`, `.npz`, `.csv` and `.json`); only regular files are read (a
    /// FIFO or a device is refused without blocking), at most ``Interpreter/maxSourceBytes`` of them.
    public static func files(_ access: FileAccess) -> ModuleLoader {
        ModuleLoader(
            locate: { path, importer in
                let anchor = access.root?.path ?? FileManager.default.currentDirectoryPath
                let folder = importer.hasPrefix("<") ? anchor : (importer as NSString).deletingLastPathComponent
                let base = folder.hasPrefix("/") ? folder : (anchor as NSString).appendingPathComponent(folder)
                let joined = path.hasPrefix("/") ? path : (base as NSString).appendingPathComponent(path)
                guard access.canRead else { throw ScriptError("reading files is disabled by the host") }
                let resolved = try access.confined(joined).path
                guard resolved.lowercased().hasSuffix(".msense") else {
                    let target = resolved.hasSuffix(path) ? "" : " (it leads to '\(resolved)')"
                    throw ScriptError("only msense source files (.msense) can be imported\(target)",
                                      hint: "load(\"\(path)\") reads a data file (.npy, .npz, .csv, .json)")
                }
                return resolved
            },
            read: { name in
                do throws(FileProblem) {
                    return try FileSystem.read(name, limit: Interpreter.maxSourceBytes, regularFilesOnly: true)
                } catch {
                    throw ScriptError(error.reason)
                }
            })
    }

    /// Refuses every import ("importing is disabled by the host").
    public static let none = ModuleLoader(
        locate: { _, _ in throw ScriptError("importing is disabled by the host") },
        read: { _ in throw ScriptError("importing is disabled by the host") })
}
