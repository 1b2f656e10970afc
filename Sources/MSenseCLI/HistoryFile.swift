import Foundation

/// The REPL's persistent history: `~/.msense_history`, or the path in `MSENSE_HISTORY`.
///
/// One entry per line; a multi-line entry is kept whole by writing its newlines as `\n`
/// (and backslashes as `\\`). The file keeps at most ``limit`` entries, the newest, and is
/// rewritten atomically after every entry so a crash or a second session never truncates it.
final class HistoryFile {
    /// Where the history lives.
    let url: URL
    /// The most entries kept on disk.
    let limit: Int
    private var entries: [String] = []

    /// The history named by the environment (`MSENSE_HISTORY`, else `~/.msense_history`).
    ///
    /// `MSENSE_HISTORY_SIZE` overrides the default cap of 1000 entries.
    static func fromEnvironment() -> HistoryFile {
        let environment = ProcessInfo.processInfo.environment
        let path = environment["MSENSE_HISTORY"].flatMap { $0.isEmpty ? nil : $0 }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".msense_history").path
        let limit = environment["MSENSE_HISTORY_SIZE"].flatMap(Int.init).map { max(0, $0) } ?? 1000
        return HistoryFile(url: URL(fileURLWithPath: path), limit: limit)
    }

    init(url: URL, limit: Int) {
        self.url = url
        self.limit = limit
    }

    /// Reads the entries saved by earlier sessions, oldest first; a missing file is empty.
    func load() -> [String] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        entries = text.split(separator: "\n", omittingEmptySubsequences: true).map { Self.decode(String($0)) }
        entries = Array(entries.suffix(limit))
        return entries
    }

    /// Adds an entry and saves the file (best effort: an unwritable history is not an error).
    func append(_ entry: String) {
        entries.append(entry)
        entries = Array(entries.suffix(limit))
        let text = entries.map(Self.encode).joined(separator: "\n") + "\n"
        try? Data(text.utf8).write(to: url, options: .atomic)
    }

    static func encode(_ entry: String) -> String {
        entry.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func decode(_ line: String) -> String {
        var out = ""
        var escaped = false
        for character in line {
            if escaped {
                out.append(character == "n" ? "\n" : character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                out.append(character)
            }
        }
        return out
    }
}
