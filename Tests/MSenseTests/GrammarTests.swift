import Foundation
import Testing
@testable import MSense
@testable import MSenseCore

/// The grammar file is normative: every syntactic production has a parsing function named after
/// it and every parsing function has a production; every example and test script parses.
@Suite("Grammar")
struct GrammarTests {
    static func read(_ relative: String) throws -> String {
        try String(contentsOf: PackagePaths.root.appendingPathComponent(relative), encoding: .utf8)
    }

    /// Lower-case production names defined in grammar/msense.ebnf (comments removed).
    static func productions() throws -> Set<String> {
        var text = try read("grammar/msense.ebnf")
        while let open = text.range(of: "(*"), let close = text.range(of: "*)", range: open.upperBound..<text.endIndex) {
            text.removeSubrange(open.lowerBound..<close.upperBound)
        }
        let regex = try Regex(#"(?m)^([a-z][A-Za-z]*)\s*="#)
        return Set(text.matches(of: regex).compactMap { $0.output[1].substring.map(String.init) })
    }

    /// Names `xxx` of the functions `parseXxx` declared in Parser.swift.
    static func parsingFunctions() throws -> Set<String> {
        let text = try read("Sources/MSenseCore/Syntax/Parser.swift")
        let regex = try Regex(#"func parse([A-Z][A-Za-z]*)\("#)
        return Set(text.matches(of: regex).compactMap { match in
            match.output[1].substring.map { $0.prefix(1).lowercased() + $0.dropFirst() }
        })
    }

    @Test func everyProductionHasAParsingFunctionAndViceVersa() throws {
        let productions = try Self.productions(), functions = try Self.parsingFunctions()
        #expect(productions.count > 30)
        #expect(productions.subtracting(functions).isEmpty, "productions without parseXxx: \(productions.subtracting(functions).sorted())")
        #expect(functions.subtracting(productions).isEmpty, "parseXxx without production: \(functions.subtracting(productions).sorted())")
    }

    @Test func everyScriptOutsideTheSyntaxErrorFolderParses() throws {
        let folders = ["examples", "Tests"].map { PackagePaths.root.appendingPathComponent($0) }
        let files = folders.flatMap(PackagePaths.scripts(under:)).filter { !$0.path.contains("/errors/syntax/") }
        #expect(files.count > 20)
        for url in files {
            let data = try Data(contentsOf: url)
            guard case .success(let file) = SourceFile.make(path: url.path, bytes: Array(data)) else {
                Issue.record("\(url.path) is not valid UTF-8")
                continue
            }
            let diagnostics = Parser.parse(file).diagnostics
            #expect(diagnostics.isEmpty, "\(url.path): \(diagnostics.map(\.description))")
        }
    }
}
