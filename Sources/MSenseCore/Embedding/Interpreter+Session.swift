import Foundation

/// What an interactive front end (the REPL, an editor plug-in) asks of an interpreter besides
/// running code: is this input finished, which names exist, what can complete a word.
extension Interpreter {
    /// True when `source` is an unfinished entry that more lines could complete: every syntax
    /// error it has is at the end of the input (an open bracket or block, a trailing operator).
    /// A complete entry, or one with an error elsewhere, returns false (run it to see the error).
    public func isIncomplete(_ source: String) -> Bool {
        let diagnostics = check(source: source, path: "<input>")
        let end = source.utf8.count
        let syntax = diagnostics.filter { $0.id == .unexpectedEnd || $0.span.lowerBound >= end }
        return !diagnostics.isEmpty && syntax.count == diagnostics.count
    }

    /// The language's keywords, sorted.
    public static var keywords: [String] { TokenKind.keywords.keys.sorted() }

    /// Names of the globals a session has defined (variables and functions, not builtins), sorted.
    public var definedNames: [String] {
        table.bindings.compactMap { name, binding in
            if case .builtin = binding.kind { return nil }
            return global(name) == nil ? nil : name
        }.sorted()
    }

    /// The builtin called `name`, if one is registered and not shadowed by a script's own name.
    public func builtin(named name: String) -> Builtin? {
        registered[name]
    }

    /// Candidates completing `word`, the text being typed at the end of `line` (before the
    /// cursor): field names after `x.` (for a global record or object, following `a.b.c`),
    /// otherwise keywords, builtins and defined names, plus `name:` for the parameters of the
    /// function whose call is open at the cursor. Nothing inside a string (outside its
    /// interpolations) or a comment, as in an editor.
    public func completions(line: String, word: String) -> [String] {
        let before = String(line.dropLast(word.count))
        if Self.endsInStringOrComment(before) { return [] }
        if before.hasSuffix("."), let owner = Self.trailingPath(before.dropLast()) {
            guard let value = lookup(path: owner) else { return [] }
            return fieldNames(of: value).filter { $0.hasPrefix(word) }.sorted()
        }
        var names = Set(Self.keywords + builtins.map(\.name) + definedNames)
        if let callee = Self.openCall(in: before) {
            let parameters = builtin(named: callee)?.parameters.map(\.name)
                ?? { if case .function(let f)? = global(callee) { return f.parameterNames } else { return [] } }()
            for parameter in parameters { names.insert(parameter + ":") }
        }
        return names.filter { $0.hasPrefix(word) }.sorted()
    }

    /// Candidates completing `word`, which starts at byte `wordStart` of the line being edited,
    /// `buffer` (all of it, also what follows the cursor): only the text up to the end of the
    /// word decides, so completing in the middle of a line sees what is before the cursor.
    public func completions(buffer: String, wordStart: Int, word: String) -> [String] {
        let before = String(decoding: buffer.utf8.prefix(max(0, wordStart)), as: UTF8.self)
        return completions(line: before + word, word: word)
    }

    /// The value at a dotted path of globals and fields (`run.trace`), without calling anything.
    func lookup(path: [String]) -> Value? {
        guard let first = path.first, var value = global(first) else { return nil }
        for name in path.dropFirst() {
            switch value {
            case .record(let record):
                guard let next = record[name] else { return nil }
                value = next
            case .object(let object):
                guard let next = try? object.field(named: name) else { return nil }
                value = next
            default:
                return nil
            }
        }
        return value
    }

    private func fieldNames(of value: Value) -> [String] {
        switch value {
        case .record(let record): record.names
        case .object(let object): object.fieldNames
        case .matrix: ["rows", "cols"]
        default: []
        }
    }

    /// Whether the end of `text`, one line up to the cursor, is inside a string literal (and not
    /// in one of its `\( … )` interpolations, which are code) or a `#` comment. Strings end at
    /// the line's end, so one line decides.
    static func endsInStringOrComment(_ text: String) -> Bool {
        // The open parentheses of each interpolation the cursor is in, outermost first; a string
        // opened at that level of code holds the cursor while `inString`.
        var interpolations: [Int] = [], inString = false
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            i += 1
            if inString {
                if byte == UInt8(ascii: "\\"), i < bytes.count {
                    if bytes[i] == UInt8(ascii: "(") { interpolations.append(0); inString = false }
                    i += 1
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "#"): return true
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "("): if let last = interpolations.indices.last { interpolations[last] += 1 }
            case UInt8(ascii: ")"):
                guard let last = interpolations.indices.last else { break }
                if interpolations[last] == 0 {
                    interpolations.removeLast()
                    inString = true  // back in the string that held the interpolation
                } else {
                    interpolations[last] -= 1
                }
            default: break
            }
        }
        return inString
    }

    /// `a.b.c` at the end of `text` as `["a", "b", "c"]`.
    static func trailingPath(_ text: Substring) -> [String]? {
        var path = ""
        for character in text.reversed() {
            guard character.isLetter || character.isNumber || character == "_" || character == "." else { break }
            path.insert(character, at: path.startIndex)
        }
        let parts = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let first = parts.first, !first.isEmpty, !parts.contains(where: \.isEmpty),
              first.first.map({ !$0.isNumber }) ?? false else { return nil }
        return parts
    }

    /// The name of the function whose argument list is open at the end of `text`, if any.
    static func openCall(in text: String) -> String? {
        var depth = 0
        var index = text.endIndex
        while index > text.startIndex {
            index = text.index(before: index)
            switch text[index] {
            case ")", "]", "}": depth += 1
            case "[", "{": depth -= 1
            case "(":
                if depth == 0 {
                    let name = text[..<index].reversed().prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                    return name.isEmpty ? nil : String(name.reversed())
                }
                depth -= 1
            default: break
            }
        }
        return nil
    }
}
