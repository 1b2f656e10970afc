import Foundation
import Testing

/// The DocC catalog of the library compiles from the doc comments with warnings as errors, so a
/// broken symbol link or a renamed type in `MSense.md` is caught.
@Suite("DocC catalog")
struct DocCatalogTests {
    @Test("scripts/build-docs.sh builds the MSense documentation archive")
    func buildsArchive() throws {
        let out = try Harness.temporaryDirectory("docc").appendingPathComponent("MSense.doccarchive")
        defer { try? FileManager.default.removeItem(at: out.deletingLastPathComponent()) }
        #if DEBUG
        let config = "debug"
        #else
        let config = "release"
        #endif
        let build = try Harness.run(URL(fileURLWithPath: "/bin/bash"),
                                    [Harness.root.appendingPathComponent("scripts/build-docs.sh").path, out.path],
                                    environment: ["MSENSE_DOCS_SKIP_BUILD": "1", "MSENSE_DOCS_CONFIG": config],
                                    in: Harness.root)
        #expect(build.status == 0, "\(build.stdout)\n\(build.stderr)")
        for page in ["interpreter", "builtin", "limits", "value", "sweepmode"] {
            let json = out.appendingPathComponent("data/documentation/msense/\(page).json")
            #expect(FileManager.default.fileExists(atPath: json.path), "no page for \(page)")
        }
    }
}
