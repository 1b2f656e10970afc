import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading, atomic writing and folder creation for every module that touches files, with
/// failures said in plain words ("is a directory", "a file is in the way", "no such folder",
/// "permission denied", "read-only file system") instead of Foundation's error codes.
///
/// The reason comes from the file system itself: after an operation fails, the path and its
/// folders are inspected (is the target a folder, is an ancestor a file, may the nearest
/// existing folder be written), then the POSIX error underneath Foundation's error is named.
package enum FileSystem {
    /// The whole content of `path`, read until end of file: regular files, and also character
    /// devices, FIFOs and `/dev/stdin`. Refuses folders, contents longer than `limit` bytes, and
    /// contents that cannot fit in memory (`AvailableMemory`: a regular file's size is checked
    /// before reading, and a stream's buffer each time it would grow past 4 MiB), so reading a
    /// 1 TB file or `/dev/zero` is an error, not an allocator abort.
    ///
    /// With `regularFilesOnly` (what scripts' `load` and `import` use) anything but a regular file
    /// is refused before a byte is read, and the file is opened without blocking, so a FIFO or a
    /// terminal named by a script cannot stall the host.
    package static func read(_ path: String, limit: Int = .max, regularFilesOnly: Bool = false) throws(FileProblem) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC | (regularFilesOnly ? O_NONBLOCK : 0))
        guard fd >= 0 else { throw FileProblem(path: path, reason: readReason(path, errno: errno)) }
        defer { close(fd) }
        var status = stat()
        if fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFDIR {
            throw FileProblem(path: path, reason: "is a directory")
        }
        if regularFilesOnly, status.st_mode & S_IFMT != S_IFREG {
            throw FileProblem(path: path, reason: "is not a regular file (a device, pipe or socket)")
        }
        var bytes: [UInt8] = []
        if status.st_mode & S_IFMT == S_IFREG, status.st_size > 0 {
            let size = Int(status.st_size)
            guard size <= limit else { throw FileProblem(path: path, reason: "is longer than \(limit) bytes") }
            try requireMemory(bytes: size, reading: path)
            bytes.reserveCapacity(size)
        }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileProblem(path: path, reason: reason(errno: errno))
            }
            if n == 0 { break }
            guard bytes.count + n <= limit else {
                throw FileProblem(path: path, reason: "is longer than \(limit) bytes")
            }
            if bytes.count + n > bytes.capacity {
                // The array doubles its storage (and copies the old one) when it grows.
                try requireMemory(bytes: 3 * max(bytes.capacity, bytes.count + n), reading: path)
            }
            bytes.append(contentsOf: buffer[0..<n])
        }
        return bytes
    }

    /// Throws unless `bytes` more can be allocated for reading `path` (free below 4 MiB).
    private static func requireMemory(bytes: Int, reading path: String) throws(FileProblem) {
        if let problem = AvailableMemory.refusal(bytes: bytes, for: "reading it") {
            throw FileProblem(path: path, reason: problem)
        }
    }

    /// Writes `data` to `url` atomically (a temporary file in the same folder, then a rename),
    /// so a reader sees the old file or the whole new one, never half a file.
    package static func writeAtomically(_ data: Data, to url: URL) throws(FileProblem) {
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw FileProblem(path: url.path, reason: writeReason(url, error: error))
        }
    }

    /// Creates the folder `url` and its missing parents; an existing folder is fine.
    package static func createFolder(_ url: URL) throws(FileProblem) {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw FileProblem(path: url.path, reason: folderReason(url, error: error))
        }
    }

    // MARK: Reasons

    /// Why `path` could not be opened for reading, given `open`'s errno.
    package static func readReason(_ path: String, errno code: Int32) -> String {
        if code == ENOENT || code == ENOTDIR {
            let url = URL(fileURLWithPath: path)
            if let blocker = fileInTheWay(above: url) { return "a file is in the way ('\(blocker)' is not a folder)" }
            return "no such file"
        }
        if code == ENXIO || code == ENODEV || code == EOPNOTSUPP { return "not a regular file (it cannot be opened for reading)" }
        return reason(errno: code)
    }

    /// Why writing the file `url` failed: what the file system shows, else `error`'s errno.
    package static func writeReason(_ url: URL, error: Error) -> String {
        if isFolder(url.path) { return "is a directory" }
        if let reason = ancestorReason(of: url, createsParents: false) { return reason }
        if let code = posixCode(error) { return reason(errno: code) }
        return plainFallback(error)
    }

    /// Why creating the folder `url` failed: what the file system shows, else `error`'s errno
    /// (ENOENT when every parent exists means a file system such as /proc that refuses new folders).
    package static func folderReason(_ url: URL, error: Error) -> String {
        if exists(url.path), !isFolder(url.path) { return "a file is in the way ('\(url.path)' is a file)" }
        if let reason = ancestorReason(of: url, createsParents: true) { return reason }
        if let code = posixCode(error) { return code == ENOENT ? "the file system does not allow creating it here" : reason(errno: code) }
        return plainFallback(error)
    }

    /// A plain reason for a POSIX error number.
    package static func reason(errno code: Int32) -> String {
        switch code {
        case EACCES, EPERM: "permission denied"
        case EROFS: "read-only file system"
        case EISDIR: "is a directory"
        case ENOTDIR, EEXIST: "a file is in the way"
        case ENOENT: "no such file or folder"
        case ENOSPC: "no space left on the device"
        case EDQUOT: "disk quota exceeded"
        case ENAMETOOLONG: "the name is too long"
        case ELOOP: "too many levels of symbolic links"
        case ETXTBSY: "the file is busy"
        case EMFILE, ENFILE: "too many open files"
        case EIO: "input/output error"
        default: String(cString: strerror(code)).lowercased()
        }
    }

    /// The problem with `url`'s folders: an ancestor that is a file, a missing parent (unless
    /// parents are created), or a nearest existing folder that may not be written.
    private static func ancestorReason(of url: URL, createsParents: Bool) -> String? {
        if let blocker = fileInTheWay(above: url) { return "a file is in the way ('\(blocker)' is not a folder)" }
        let parent = url.deletingLastPathComponent()
        if !createsParents, !exists(parent.path) { return "no such folder '\(parent.path)'" }
        var folder = parent
        while !exists(folder.path), folder.path != "/" { folder = folder.deletingLastPathComponent() }
        if access(folder.path, W_OK) != 0 { return reason(errno: errno) }
        return nil
    }

    /// The nearest existing ancestor of `url` when it is not a folder.
    private static func fileInTheWay(above url: URL) -> String? {
        var folder = url.deletingLastPathComponent()
        while folder.path != "/" {
            if exists(folder.path) { return isFolder(folder.path) ? nil : folder.path }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }

    private static func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.read(fd, buffer, count)
        #else
        Darwin.read(fd, buffer, count)
        #endif
    }

    private static func exists(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0
    }

    private static func isFolder(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
    }

    /// The POSIX error number under a Foundation error, if it carries one.
    private static func posixCode(_ error: Error) -> Int32? {
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return Int32(ns.code) }
        if let under = ns.userInfo[NSUnderlyingErrorKey] as? NSError, under.domain == NSPOSIXErrorDomain {
            return Int32(under.code)
        }
        if ns.domain == NSCocoaErrorDomain {
            switch CocoaError.Code(rawValue: ns.code) {
            case .fileWriteNoPermission, .fileReadNoPermission: return EACCES
            case .fileWriteVolumeReadOnly: return EROFS
            case .fileWriteOutOfSpace: return ENOSPC
            case .fileNoSuchFile, .fileReadNoSuchFile: return ENOENT
            case .fileWriteFileExists: return EEXIST
            case .fileWriteInvalidFileName, .fileReadInvalidFileName: return ENAMETOOLONG
            default: return nil
            }
        }
        return nil
    }

    private static func plainFallback(_ error: Error) -> String {
        let ns = error as NSError
        return "the system refused (\(ns.domain) \(ns.code))"
    }
}

/// Why a file could not be read, written or created: the path and a reason in plain words.
package struct FileProblem: Error, Sendable, CustomStringConvertible {
    /// The path as given.
    package let path: String
    /// The reason, e.g. "is a directory" or "permission denied".
    package let reason: String

    package init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    package var description: String { "'\(path)': \(reason)" }
}
