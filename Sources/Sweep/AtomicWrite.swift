import Foundation
import Tensor

/// Writes `data` to `url` atomically: a temporary file in the same folder, then a rename, so a
/// reader (or a merge running while tasks still finish) sees the old file or the whole new one,
/// never half a file.
func writeAtomically(_ data: Data, to url: URL) throws(SweepError) {
    do { try FileSystem.writeAtomically(data, to: url) } catch {
        throw .file(path: url.path, problem: "could not be written (\(error.reason))")
    }
}

/// Creates the folder `url` and its parents if missing.
func createDirectory(_ url: URL) throws(SweepError) {
    do { try FileSystem.createFolder(url) } catch {
        throw .file(path: url.path, problem: "the folder could not be created (\(error.reason))")
    }
}
