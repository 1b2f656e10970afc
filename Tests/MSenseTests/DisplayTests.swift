import Foundation
import Testing
import MSense

/// Figures shown by the host (`Interpreter.onDisplay`): `show`, and `figure`/`plot` without a path.
@Suite("Display")
struct DisplayTests {
    final class Shown: @unchecked Sendable {
        // Safety: written on the interpreter's thread during a run, read after it.
        var items: [Display] = []
    }

    static func interpreter(_ shown: Shown) -> Interpreter {
        let interpreter = Interpreter(output: { _ in })
        interpreter.onDisplay = { shown.items.append($0) }
        return interpreter
    }

    @Test("figure without paths sends one PNG and one SVG to the host and returns nil")
    func figureWithoutPaths() throws {
        let shown = Shown()
        let value = try Self.interpreter(shown).run(source: """
            let p = panel([line([1, 2, 3], [1, 4, 9], label: "squares")], title: "squares")
            figure([p, p], cols: 2, title: "two")
            """)
        guard case .nil = value else { Issue.record("figure returned \(value)"); return }
        #expect(shown.items.count == 1)
        let types = shown.items.first?.representations.map(\.mimeType)
        #expect(types == ["image/png", "image/svg+xml"])
        let png = shown.items.first?.representations.first?.data ?? []
        #expect(Array(png.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
        let svg = String(decoding: shown.items.first?.representations.last?.data ?? [], as: UTF8.self)
        #expect(svg.contains("<svg") && svg.contains("squares"))
    }

    @Test("plot without a path and show display; with a path nothing is displayed")
    func plotAndShow() throws {
        let shown = Shown()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("msense-display-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let interpreter = Self.interpreter(shown)
        let value = try interpreter.run(source: """
            let t = table(["step", "loss"], [[0, 1], [1, 0.5], [2, 0.25]])
            plot(t, log_y: true)
            plot(t, "\(folder.path)/loss.svg")
            show(line([0, 1], [2, 3]))
            """)
        #expect(value.boolValue == true)
        #expect(shown.items.count == 2)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("loss.svg").path))
    }

    @Test("without a display, show returns false and a path-less figure is an error asking for a path")
    func noDisplay() {
        let interpreter = Interpreter(output: { _ in })
        #expect((try? interpreter.evaluate("show(panel([line([0, 1], [1, 2])]))"))?.boolValue == false)
        do {
            _ = try interpreter.run(source: "let t = table([\"step\", \"loss\"], [[0, 1]])\nplot(t)", path: "p.msense")
            Issue.record("plot without a path ran without a display")
        } catch {
            #expect(error.diagnostics.first?.line == 2)
            #expect(error.diagnostics.first?.message.contains("displays nothing") == true)
            #expect(error.diagnostics.first?.hint?.contains("path") == true)
        }
    }

    @Test("figure still writes files and rejects a list that holds no panels")
    func figureArguments() throws {
        let interpreter = Interpreter(output: { _ in })
        #expect(throws: ScriptFailure.self) { try interpreter.evaluate("figure(\"x.svg\")") }
        #expect(throws: ScriptFailure.self) { try interpreter.evaluate("figure([1, 2])") }
    }
}
