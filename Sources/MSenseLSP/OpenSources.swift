import Foundation
import MSenseCore

/// The text of the documents open in the editor, by module name (the resolved path an import
/// of the file locates), so that the imports a document's diagnostics follow read a library as
/// the editor holds it, saved or not; files that are not open are read as saved.
final class OpenSources: @unchecked Sendable {
    // Safety: `texts` is only touched under `lock`; the loader may read it from the thread that
    // checks a document.
    private let lock = NSLock()
    private var texts: [String: [UInt8]] = [:]

    /// An import loader over `files` that reads an open document's text instead of its file.
    func loader(over files: ModuleLoader) -> ModuleLoader {
        ModuleLoader(locate: files.locate, read: { [self] name in try text(of: name) ?? files.read(name) })
    }

    /// Keeps `text` as the source of module `name`, or forgets it (nil: the document closed).
    func set(_ name: String, _ text: [UInt8]?) {
        lock.lock(); defer { lock.unlock() }
        texts[name] = text
    }

    private func text(of name: String) -> [UInt8]? {
        lock.lock(); defer { lock.unlock() }
        return texts[name]
    }
}
