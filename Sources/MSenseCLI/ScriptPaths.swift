import Foundation

/// The scripts a command-line path names (`msense check`, `msense fmt`): a file is itself, and a
/// folder every regular `.msense` file under it, sorted (a FIFO, a device or a folder whose
/// name ends in `.msense` is not a script, and reading a FIFO would wait for a writer).
enum ScriptPaths {
    static func files(_ path: String) -> [String] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else { return [path] }
        let folder = URL(fileURLWithPath: path)
        guard let entries = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        let prefix = path.hasSuffix("/") ? path : path + "/"
        let base = folder.standardizedFileURL.path + "/"
        return entries.compactMap { entry -> String? in
            guard let url = entry as? URL, url.pathExtension == "msense",
                  (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { return nil }
            let full = url.standardizedFileURL.path
            return full.hasPrefix(base) ? String(full.dropFirst(base.count)) : nil
        }.sorted().map { prefix + $0 }
    }
}
