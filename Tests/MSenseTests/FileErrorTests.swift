import Foundation
import Testing
@testable import MSense
@testable import MSenseCore

/// Files that cannot be read, written or created are reported in plain words, never with
/// Foundation's error codes; malformed JSON says where and what was expected.
@Suite("File errors")
struct FileErrorTests {
    /// A fresh folder holding a file `file.json` and a folder `dir.npy`.
    static func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("msense-files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("dir.npy"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("dir.svg"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("dir.json"), withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: dir.appendingPathComponent("file.json"))
        return dir
    }

    /// The rendered error of `source`, which must fail.
    static func error(_ source: String) -> String {
        let (_, failure) = runScript(source)
        #expect(failure != nil, "\(source) should fail")
        return failure?.description ?? ""
    }

    @Test func writingAndCreatingGiveAPlainReason() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let d = dir.path
        let cases: [(String, String)] = [
            ("save(eye(2), \"\(d)/dir.npy\")", "cannot be written (is a directory)"),
            ("save([1, 2], \"\(d)/dir.json\")", "cannot write '\(d)/dir.json': is a directory"),
            ("mkdir(\"\(d)/file.json\")", "a file is in the way"),
            ("mkdir(\"\(d)/file.json/sub\")", "a file is in the way ('\(d)/file.json' is not a folder)"),
            ("save(eye(2), \"\(d)/file.json/x.npy\")", "a file is in the way"),
            ("plot(table([\"step\", \"loss\"], [[0, 1], [1, 0.5]]), \"\(d)/dir.svg\")", "is a directory"),
            ("mkdir(\"/proc/msense-test\")", "cannot create folder '/proc/msense-test': "),
            ("load(\"\(d)/dir.json\")", "cannot read '\(d)/dir.json': is a directory"),
            ("load(\"\(d)/missing.json\")", "cannot read '\(d)/missing.json': no such file"),
        ]
        for (source, fragment) in cases {
            let message = Self.error(source)
            #expect(message.contains(fragment), "\(source): \(message)")
            #expect(!message.contains("NSCocoaErrorDomain") && !message.contains("The file") && !message.contains("operation could not"),
                    "\(source): \(message)")
        }
    }

    @Test func malformedJSONSaysWhereAndWhat() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases: [(String, String)] = [
            ("{\"a\": [1, 2", "line 1, column 12: the text ends inside the array opened at line 1, column 7; expected ',' or ']'"),
            ("{\"a\": 1 \"b\": 2}", "line 1, column 9: unexpected '\"'; expected ',' or '}'"),
            ("[1, 2]\n  x", "line 2, column 3: unexpected 'x' after the end of the JSON value"),
            ("{\"a\" 1}", "line 1, column 6: unexpected '1'; expected ':' after the key"),
            ("", "line 1, column 1: the file is empty"),
            ("[tru]", "line 1, column 2: unexpected 't'; expected a value (did you mean true?)"),
            // Foundation alone would load these two; Python's json and RFC 8259 refuse them.
            ("{\"a\": [1, 2,]}", "line 1, column 13: a trailing ',' before ']' is not allowed in JSON"),
            ("{\"a\": 1,}", "line 1, column 9: a trailing ',' before '}' is not allowed in JSON"),
            // Lines end at \n, \r\n or a lone \r, as in source files.
            ("{\r\"a\": 1,\r\n\"b\": 2,}", "line 3, column 8: a trailing ',' before '}' is not allowed in JSON"),
            // Foundation's own words for these two named no place.
            ("[1, 1e999]", "line 1, column 5: the number 1e999 is beyond the range of a double (±1.8e308)"),
            ("[\"\\ud800\"]", "line 1, column 3: \\uD800 is half of a UTF-16 surrogate pair without its other half, not a character"),
            ("[\"\\ud83d\\ude00\", \"\\udc00\"]", "line 1, column 19: \\uDC00 is half of a UTF-16 surrogate pair"),
        ]
        for (text, fragment) in cases {
            let file = dir.appendingPathComponent("bad.json")
            try Data(text.utf8).write(to: file)
            let message = Self.error("load(\"\(file.path)\")")
            #expect(message.contains("not valid JSON at \(fragment)"), "\(text.debugDescription): \(message)")
            #expect(!message.contains("The operation could not be completed"))
        }
        #expect((try? JSONReader.read(Array("{\"a\": [1, 2.5e-3, \"x\\u00e9\\ud83d\\ude00\", true, null, 1.7e308]}".utf8)).get()) != nil)
    }

    /// A save or figure refused for its file type or its value creates no folder on the way.
    @Test func aRefusedWriteCreatesNoFolders() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let d = dir.path
        let line = "panel([line([1, 2], [1, 2])])"
        let cases: [(String, String)] = [
            ("save(1, \"\(d)/a/b/c.txt\")", "unknown file type"),
            ("save(1, \"\(d)/a/b/c.npy\")", "cannot save a number as .npy"),
            ("save([num(\"nan\")], \"\(d)/a/b/c.json\")", "no JSON form"),
            ("figure(\"\(d)/a/b/c.txt\", [\(line)])", "figures are written as .svg or .png"),
            ("figure([\"\(d)/a/b/c.svg\", \"\(d)/a/b/c.pdf\"], [\(line)])", "figures are written as .svg or .png"),
        ]
        for (source, fragment) in cases {
            let message = Self.error(source)
            #expect(message.contains(fragment), "\(source): \(message)")
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("a").path), "\(source) created a/")
        }
    }
}
