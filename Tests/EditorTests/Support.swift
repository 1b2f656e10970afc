import Foundation

/// Paths of the package, found relative to this source file.
enum EditorPaths {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Every `.msense` file under the repository folder `folder`, sorted.
    static func scripts(under folder: String) -> [URL] {
        let directory = root.appendingPathComponent(folder)
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "msense" }.sorted { $0.path < $1.path }
    }

    /// The golden scripts that are deliberately not valid syntax (their errors are the test).
    static let malformedFolder = "Tests/Scripts/errors/syntax/"

    static func isMalformedOnPurpose(_ url: URL) -> Bool {
        url.path.hasPrefix(root.appendingPathComponent(malformedFolder).path)
    }
}

/// A small deterministic random generator (SplitMix64) so every run of a randomized test
/// checks the same inputs and a failure can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
