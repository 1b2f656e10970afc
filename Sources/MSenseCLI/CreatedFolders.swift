import Foundation

/// The folders a run is about to create for an OUTDIR: from OUTDIR up to, but not including,
/// its first ancestor that already exists. `msense sweep --slurm` creates OUTDIR (missing
/// parents included) before the script runs, so that an unusable path is a usage error; if the
/// script then fails before writing anything, `removeIfEmpty` takes back exactly what this run
/// created, and only folders that are still empty.
struct CreatedFolders {
    /// OUTDIR itself.
    let folder: URL
    /// The topmost folder that did not exist before the run, or nil when OUTDIR existed.
    let top: URL?

    /// Records which folders are missing on the way to `folder` (call before creating it).
    init(before folder: URL) {
        self.folder = folder.standardizedFileURL
        var top: URL?
        var current = self.folder
        while !Self.exists(current) {
            top = current
            let parent = current.deletingLastPathComponent().standardizedFileURL
            if parent.path == current.path { break }
            current = parent
        }
        self.top = top
    }

    /// Removes OUTDIR and then each parent this run created, from the bottom up, stopping at
    /// the first folder that is not empty (or cannot be removed) and never going above `top`.
    func removeIfEmpty() {
        guard let top else { return }
        var current = folder
        while true {
            guard let contents = try? FileManager.default.contentsOfDirectory(atPath: current.path),
                  contents.isEmpty, rmdir(current.path) == 0 else { return }
            if current.path == top.path { return }
            let parent = current.deletingLastPathComponent().standardizedFileURL
            if parent.path == current.path { return }
            current = parent
        }
    }

    /// Whether anything (a folder, a file, or a symbolic link, even a dangling one) is at `url`.
    private static func exists(_ url: URL) -> Bool {
        var status = stat()
        return lstat(url.path, &status) == 0
    }
}
