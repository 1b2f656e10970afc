import Foundation

/// The scripts a command-line path names (`msense check`, `msense fmt`): a file is itself, and a
/// folder every `.msense` file under it, sorted.
enum ScriptPaths {
    static func files(_ path: String) -> [String] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else { return [path] }
        let files = FileManager.default.enumerator(atPath: path)?.compactMap { $0 as? String } ?? []
        return files.filter { $0.hasSuffix(".msense") }.sorted()
            .map { (path.hasSuffix("/") ? path : path + "/") + $0 }
    }
}
