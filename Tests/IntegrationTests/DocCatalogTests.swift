import Foundation
import Testing

/// The DocC catalogs of the library modules compile from the doc comments with warnings as errors,
/// so a broken symbol link, an undocumented parameter or a renamed type in a catalog is caught.
@Suite("DocC catalog")
struct DocCatalogTests {
    /// Each module's catalog and a few pages its archive must have.
    static let modules: [(String, [String])] = [
        ("MSenseCore", ["interpreter", "builtin", "limits", "value", "msenselibrary"]),
        ("MSense", ["standardlibrary", "sweepmode"]),
        ("Sensing", ["sensingproblem", "sensingoperator", "packedsymmetricoperator", "stepkernel", "trace"]),
        ("Tensor", ["matrix", "xoshiro256", "npy", "symmetriceigen", "csvtable"]),
        ("Plot", ["figure", "panel", "series", "scale"]),
        ("Sweep", ["grid", "sweeprunner", "pointstore", "slurmarrayscript"]),
        ("Subprocess", ["subprocess"]),
        ("Autodiff", ["tape", "linearmeasurement", "gradientoptimizer", "optimizerstate"]),
    ]

    @Test("scripts/build-docs.sh builds each module's documentation archive", arguments: modules.map(\.0))
    func buildsArchive(_ module: String) throws {
        let pages = try #require(Self.modules.first { $0.0 == module }?.1)
        let out = try Harness.temporaryDirectory("docc").appendingPathComponent("\(module).doccarchive")
        defer { try? FileManager.default.removeItem(at: out.deletingLastPathComponent()) }
        #if DEBUG
        let config = "debug"
        #else
        let config = "release"
        #endif
        let build = try Harness.run(URL(fileURLWithPath: "/bin/bash"),
                                    [Harness.root.appendingPathComponent("scripts/build-docs.sh").path, out.path, module],
                                    environment: ["MSENSE_DOCS_SKIP_BUILD": "1", "MSENSE_DOCS_CONFIG": config],
                                    in: Harness.root)
        #expect(build.status == 0, "\(build.stdout)\n\(build.stderr)")
        for page in pages {
            let json = out.appendingPathComponent("data/documentation/\(module.lowercased())/\(page).json")
            #expect(FileManager.default.fileExists(atPath: json.path), "no page for \(page) in \(module)")
        }
    }
}
