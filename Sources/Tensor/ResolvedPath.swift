import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A path as the kernel walks it: absolute, without `.` or `..`, every symbolic link followed,
/// and its names kept as the bytes the file system stores.
///
/// Resolution goes one name at a time from the root: `.` is skipped, `..` drops the last name
/// of the real path reached so far (so `link/..` leaves the link's target's parent, as the
/// kernel does), and a name that is a symbolic link is replaced by the link's target (an
/// absolute target restarts from `/`), dangling links included, since writing through a
/// dangling link creates its target. Once a name does not exist, the names after it are taken
/// as written, until a `..` climbs back out of it: from there every name is looked at again, so
/// `missing/../link` follows `link` as the file it names (the kernel would refuse such a path,
/// and a caller operating on ``string`` goes through `link`). A NUL byte is refused: no file
/// name holds one, and a C call would stop reading the path there.
///
/// Names are compared as byte arrays, never as `String`s: Swift's `String` equality treats
/// canonically equivalent spellings (`é` and `e` + U+0301, `K` and U+212A KELVIN SIGN) as equal,
/// while Linux names them as different files. Operating on `string` (which has no links left
/// to follow at the time of resolution) reaches exactly the file that was checked.
package struct ResolvedPath: Equatable, Sendable {
    /// The names from the root down, as raw bytes.
    package let components: [[UInt8]]

    /// Most symbolic links followed in one resolution (Linux's `MAXSYMLINKS`).
    static let maxLinks = 40

    /// The path as text: `/` followed by the names joined with `/`.
    package var string: String {
        String(decoding: [UInt8(ascii: "/")] + Array(components.joined(separator: [UInt8(ascii: "/")])), as: UTF8.self)
    }

    /// Whether this path is `root` or lies below it: `root`'s names are a prefix of these,
    /// compared byte for byte.
    package func isInside(_ root: ResolvedPath) -> Bool {
        components.count >= root.components.count && Array(components.prefix(root.components.count)) == root.components
    }

    /// Whether this path is `root`, below it, or one of its ancestors (a prefix of its names).
    func isOnTheWay(to root: ResolvedPath) -> Bool {
        let shared = min(components.count, root.components.count)
        return Array(components.prefix(shared)) == Array(root.components.prefix(shared))
    }

    /// Resolves `path`; a relative path is taken relative to `base` (itself resolved; default:
    /// the process's working directory). Fails on a loop of links, a name that is not valid
    /// UTF-8 (it could not be named again), or an unreadable working directory.
    package static func resolve(_ path: String, relativeTo base: String? = nil) throws(FileProblem) -> ResolvedPath {
        // Without a root every walk reaches its end.
        try resolve(path, relativeTo: base, within: nil) ?? ResolvedPath(components: [])
    }

    /// ``resolve(_:relativeTo:)`` that keeps to `root`: a name that is neither inside `root` nor
    /// on the way down to it (one of its ancestors) is looked at only to follow it if it is a
    /// symbolic link, which may lead back (a root spelled through a link, `/tmp` on macOS, or a
    /// link inside the root whose target is spelled that way); anything else there (a folder,
    /// a file, a missing name, a loop of links or an unreadable link) ends the walk with nil.
    /// So what lies outside the root shows in the answer only as links that lead back into it.
    package static func resolve(_ path: String, relativeTo base: String? = nil, within root: ResolvedPath?) throws(FileProblem) -> ResolvedPath? {
        let bytes = Array(path.utf8)
        guard !bytes.contains(0) else { throw FileProblem(path: path, reason: "a path cannot hold a NUL character") }
        var start: [UInt8]
        if bytes.first == UInt8(ascii: "/") {
            start = []
        } else if let base {
            start = Array(base.utf8)
            if start.first != UInt8(ascii: "/") { start = workingDirectory() + [UInt8(ascii: "/")] + start }
        } else {
            start = workingDirectory()
        }
        guard !start.isEmpty || bytes.first == UInt8(ascii: "/") else {
            throw FileProblem(path: path, reason: "the working directory cannot be read")
        }
        var pending: [[UInt8]] = (split(start) + split(bytes)).reversed()
        var resolved: [[UInt8]] = []
        var exists = true
        var links = 0
        while let name = pending.popLast() {
            if name == [UInt8(ascii: ".")] { continue }
            if name == [UInt8(ascii: "."), UInt8(ascii: ".")] {
                if !resolved.isEmpty { resolved.removeLast() }
                exists = true
                continue
            }
            let candidate = resolved + [name]
            let offTheWay = root.map { !ResolvedPath(components: candidate).isOnTheWay(to: $0) } ?? false
            guard exists else {
                if offTheWay { return nil }
                resolved = candidate
                continue
            }
            let text = cPath(candidate)
            var status = stat()
            guard lstat(text, &status) == 0 else {
                if offTheWay { return nil }
                exists = false
                resolved = candidate
                continue
            }
            if status.st_mode & S_IFMT == S_IFLNK {
                links += 1
                guard links <= maxLinks else {
                    if offTheWay { return nil }
                    throw FileProblem(path: path, reason: FileSystem.reason(errno: ELOOP))
                }
                guard let target = readLink(text) else {
                    if offTheWay { return nil }
                    throw FileProblem(path: path, reason: "a symbolic link cannot be read")
                }
                if target.first == UInt8(ascii: "/") { resolved = [] }
                pending += split(target).reversed()
                continue
            }
            if offTheWay { return nil }
            resolved = candidate
        }
        for name in resolved where String(validating: name, as: UTF8.self) == nil {
            throw FileProblem(path: path, reason: "a name on the way is not valid UTF-8")
        }
        return ResolvedPath(components: resolved)
    }

    private static func split(_ bytes: [UInt8]) -> [[UInt8]] {
        bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true).map(Array.init)
    }

    private static func cPath(_ components: [[UInt8]]) -> [CChar] {
        var bytes: [UInt8] = []
        for name in components { bytes.append(UInt8(ascii: "/")); bytes += name }
        if bytes.isEmpty { bytes = [UInt8(ascii: "/")] }
        return bytes.map { CChar(bitPattern: $0) } + [0]
    }

    private static func readLink(_ path: [CChar]) -> [UInt8]? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(path, &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return buffer[0..<n].map { UInt8(bitPattern: $0) }
    }

    private static func workingDirectory() -> [UInt8] {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return [] }
        return buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    }
}
