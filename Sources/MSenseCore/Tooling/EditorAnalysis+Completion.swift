/// Completion and signature help: what may be typed at a position, and which parameter of
/// which call the cursor is in.
extension EditorAnalysis {
    /// One completion proposal.
    package struct Completion: Equatable {
        package enum Kind: Equatable { case function, variable, keyword, field, parameter }
        package let label: String
        package let kind: Kind
        package let detail: String
        package let documentation: String
        /// Text inserted instead of the label (a named argument inserts `name: `).
        package let insertText: String
        /// Orders proposals: names of the file first, then parameters, builtins, keywords.
        package let sortKey: String
    }

    /// The proposals at `position` whose label starts with the word typed before it: after
    /// `x.` the fields of `x` when its kind is known (a run, its trace, a problem, a truth, an
    /// ensemble); elsewhere the names in scope (the file's, then those its imported files
    /// define), named parameters of the enclosing call, builtins and keywords. Nothing inside
    /// comments and strings.
    package func completions(at position: EditorPosition) -> [Completion] {
        let offset = file.offset(of: position)
        guard !inCommentOrString(offset) else { return [] }
        var start = offset
        while start > 0, Lexer.isIdentifierByte(file.bytes[start - 1]) { start -= 1 }
        let prefix = file.text(Span(start: start, end: offset))
        let all: [Completion]
        if start > 0, file.bytes[start - 1] == UInt8(ascii: "."), start < 2 || file.bytes[start - 2] != UInt8(ascii: ".") {
            all = fieldCompletions(receiverEndingAt: start - 1)
        } else {
            all = nameCompletions(at: offset, prefix: prefix)
        }
        return all.filter { $0.label.hasPrefix(prefix) }
    }

    /// The names proposed at `offset`; a name of the file is described only when it starts with
    /// `prefix` (its line is read for the detail), so a file of many names answers quickly.
    private func nameCompletions(at offset: Int, prefix: String) -> [Completion] {
        var proposals: [Completion] = []
        var seen = Set<String>()
        if let call = enclosingCall(at: offset), let signature = signature(of: call.callee, at: offset) {
            for (name, _) in signature.parameters where !call.labels.contains(name) {
                proposals.append(Completion(label: name, kind: .parameter, detail: "parameter of \(call.callee)",
                                            documentation: signature.parameterDocs[name] ?? "",
                                            insertText: name + ": ", sortKey: "1" + name))
            }
        }
        for symbolIndex in index.visibleSymbols(at: offset) {
            let symbol = index.symbols[symbolIndex]
            guard seen.insert(symbol.name).inserted, symbol.name.hasPrefix(prefix) else { continue }
            proposals.append(Completion(label: symbol.name, kind: symbol.kind == .function ? .function : .variable,
                                        detail: file.lineText(file.line(of: symbol.nameSpan.start)).trimmingLeadingSpaces,
                                        documentation: "", insertText: symbol.name, sortKey: "0" + symbol.name))
        }
        // The globals of imported files, after the file's own names and before the builtins.
        for found in workspace.globals(importedBy: path, imports: index.imports.map(\.path))
        where found.symbol.name.hasPrefix(prefix) && seen.insert(found.symbol.name).inserted {
            let symbol = found.symbol
            let line = found.file.lineText(found.file.line(of: symbol.nameSpan.start)).trimmingLeadingSpaces
            proposals.append(Completion(label: symbol.name, kind: symbol.kind == .function ? .function : .variable,
                                        detail: "\(line)  (\(found.path.split(separator: "/").last ?? ""))",
                                        documentation: "", insertText: symbol.name, sortKey: "0" + symbol.name))
        }
        for (name, builtin) in builtins.sorted(by: { $0.key < $1.key }) where seen.insert(name).inserted {
            proposals.append(Completion(label: name, kind: .function, detail: builtin.usage, documentation: builtin.doc,
                                        insertText: name, sortKey: "2" + name))
        }
        for keyword in TokenKind.keywords.keys.sorted() where seen.insert(keyword).inserted {
            proposals.append(Completion(label: keyword, kind: .keyword, detail: "keyword", documentation: "",
                                        insertText: keyword, sortKey: "3" + keyword))
        }
        return proposals
    }

    // MARK: - Fields

    /// The kind of object each builtin returns (`type(x)`), for field completion.
    static let resultKinds: [String: String] = [
        "gd": "run", "glrl": "run", "minimize": "run",
        "sensing": "problem",
        "psd": "truth", "truth": "truth", "from_factor": "truth",
        "gaussian": "ensemble", "nonsymmetric": "ensemble", "rank_one": "ensemble", "completion": "ensemble",
        "full": "ensemble", "explicit": "ensemble",
    ]

    /// The fields of each object kind (TraceObject, RunObject, … `fieldNames`; a test keeps them
    /// equal). A run's fields depend on what made it, which the text does not always tell, so
    /// "run" lists the fields of every kind of run (``runFieldDocs`` says which has each); a
    /// `minimize` run on a function also has one field per parameter, named by its `init`.
    static let objectFields: [String: [String]] = [
        "run": ["trace", "loss", "rel_err", "phases", "stop", "steps", "u", "model", "factors", "matrix",
                "U", "F", "G", "W", "B", "A", "W0", "params", "stop_reason", "last_step", "optimizer"],
        "problem": ["truth", "ensemble", "y", "d", "m", "noise"],
        "truth": ["matrix", "d", "rank", "eigs", "best"],
        "ensemble": ["m", "d", "name", "storage", "measure"],
        "trace": ["columns", "count", "last", "column", "row", "select", "filter"],
    ]

    /// Which runs have each field of "run", shown with the proposal.
    static let runFieldDocs: [String: String] = [
        "trace": "every run", "loss": "every run", "rel_err": "runs on a problem",
        "phases": "gd and glrl runs", "stop": "gd and glrl runs", "steps": "gd and glrl runs",
        "u": "gd runs of UUᵀ from a matrix, glrl runs",
        "model": "runs of a factor model", "factors": "runs of a factor model and minimize runs", "matrix": "runs of a factor model",
        "U": "runs of sym(U)", "F": "runs of asym(F, G)", "G": "runs of asym(F, G)", "W": "runs of deep([…])",
        "B": "runs of lora(W0, B, A)", "A": "runs of lora(W0, B, A)", "W0": "runs of lora(W0, B, A)",
        "params": "minimize runs", "stop_reason": "minimize runs", "last_step": "minimize runs", "optimizer": "minimize runs",
    ]

    /// A run's trace columns (Sensing's TraceRecorder): `step, loss, rel_err, eig1…eigK,
    /// dist1…distR, [target1…targetJ,] grad_norm, eff_rank[, rank]`. K, R and J are known only
    /// when the run exists, so the numbered columns are proposed for k = 1…9.
    static let traceColumns: [(name: String, doc: String)] =
        [("step", "the step number"), ("loss", "f(U)"), ("rel_err", "‖UUᵀ − Z*‖_F / ‖Z*‖_F")]
        + (1...9).map { ("eig\($0)", "λ\($0)(UUᵀ), the \($0)-th largest eigenvalue (up to the number of columns of U)") }
        + (1...9).map { ("dist\($0)", "‖UUᵀ − Z*\($0)‖_F, the distance to the best rank-\($0) approximation (up to the rank of Z*)") }
        + (1...9).map { ("target\($0)", "‖UUᵀ − T\($0)‖_F for the \($0)-th of the run's targets") }
        + [("grad_norm", "‖∇f(U)‖_F"), ("eff_rank", "(Σλ)²/Σλ², the effective rank"), ("rank", "columns of U (GLRL runs)")]

    /// The kind of the value that ends just before the `.` at `dot`: `x.trace` is a trace; a
    /// variable initialised by `gd(…)` a run, by `y.trace` a trace, and so on.
    func receiverKind(endingAt dot: Int) -> String? {
        guard let token = tokens.last(where: { $0.span.end <= dot && $0.kind != .newline }),
              token.span.end == dot, token.kind == .identifier else { return nil }
        let before = tokens.last { $0.span.end <= token.span.start && $0.kind != .newline }
        if before?.kind == .dot, before?.span.end == token.span.start {
            return token.text == "trace" ? "trace" : nil
        }
        guard let symbol = index.visibleSymbols(at: token.span.start).first(where: { index.symbols[$0].name == token.text }) else {
            return nil
        }
        switch index.symbols[symbol].origin {
        case .call(let name): return Self.resultKinds[name]
        case .field(let name): return name == "trace" ? "trace" : nil
        case nil: return nil
        }
    }

    private func fieldCompletions(receiverEndingAt dot: Int) -> [Completion] {
        guard let kind = receiverKind(endingAt: dot) else { return [] }
        var proposals: [Completion] = []
        if kind == "trace" {
            for (i, column) in Self.traceColumns.enumerated() {
                proposals.append(Completion(label: column.name, kind: .field, detail: "trace column", documentation: column.doc,
                                            insertText: column.name, sortKey: "0" + String(1000 + i)))
            }
        }
        for (i, name) in (Self.objectFields[kind] ?? []).enumerated() {
            let detail = kind == "run" ? "run field (\(Self.runFieldDocs[name] ?? "some runs"))" : "\(kind) field"
            proposals.append(Completion(label: name, kind: .field, detail: detail, documentation: "",
                                        insertText: name, sortKey: "1" + String(1000 + i)))
        }
        return proposals
    }

    // MARK: - Signature help

    /// The call whose parentheses contain `offset`: callee name, opening offset, index of the
    /// argument the cursor is in, and the labels of the named arguments so far.
    struct EnclosingCall {
        let callee: String
        let open: Int
        let argument: Int
        let labels: [String]
        /// The label of the argument the cursor is in, if it is named.
        let currentLabel: String?
    }

    func enclosingCall(at offset: Int) -> EnclosingCall? {
        let before = tokens.filter { $0.span.end <= offset && $0.kind != .newline && $0.kind != .end }
        var depth = 0, i = before.count - 1
        var commas = 0, labels: [String] = [], currentLabel: String?, sawComma = false
        while i >= 0 {
            let token = before[i]
            switch token.kind {
            case .rightParen, .rightBracket, .rightBrace: depth += 1
            case .leftBracket, .leftBrace:
                if depth == 0 { return nil }
                depth -= 1
            case .leftParen:
                if depth == 0 {
                    guard i > 0, before[i - 1].kind == .identifier else { return nil }
                    return EnclosingCall(callee: before[i - 1].text, open: token.span.start, argument: commas,
                                         labels: labels, currentLabel: currentLabel)
                }
                depth -= 1
            case .comma where depth == 0:
                commas += 1
                sawComma = true
            case .colon where depth == 0 && i > 0 && before[i - 1].kind == .identifier:
                labels.append(before[i - 1].text)
                if !sawComma { currentLabel = before[i - 1].text }
            case .kwLet, .kwFn, .kwIf, .kwFor, .kwWhile, .kwReturn:
                if depth == 0 { return nil }
            default: break
            }
            i -= 1
        }
        return nil
    }

    /// A function's call shape: parameter names with default texts, documentation.
    struct CallShape {
        let label: String
        let parameters: [(name: String, defaultText: String?)]
        let documentation: String
        let parameterDocs: [String: String]
    }

    func signature(of callee: String, at offset: Int) -> CallShape? {
        if let symbol = index.visibleSymbols(at: offset).first(where: { index.symbols[$0].name == callee }) {
            let s = index.symbols[symbol]
            guard s.kind == .function else { return nil }
            let parts = s.parameters.map { p in p.defaultText.map { "\(p.name) = \($0)" } ?? p.name }
            return CallShape(label: "\(callee)(\(parts.joined(separator: ", ")))", parameters: s.parameters,
                             documentation: "", parameterDocs: [:])
        }
        if let builtin = builtins[callee] {
            return CallShape(label: builtin.usage,
                             parameters: builtin.parameters.map { ($0.name, $0.defaultValue.map { _ in "" }) },
                             documentation: builtin.doc,
                             parameterDocs: Dictionary(builtin.parameters.map { ($0.name, $0.doc) }, uniquingKeysWith: { a, _ in a }))
        }
        if let found = workspace.global(named: callee, importedBy: path, imports: index.imports.map(\.path)),
           found.symbol.kind == .function {
            let parts = found.symbol.parameters.map { p in p.defaultText.map { "\(p.name) = \($0)" } ?? p.name }
            return CallShape(label: "\(callee)(\(parts.joined(separator: ", ")))", parameters: found.symbol.parameters,
                             documentation: "", parameterDocs: [:])
        }
        return nil
    }

    /// Signature help: the call's label, its parameters' labels and docs, and the active one.
    package struct SignatureHelp {
        package let label: String
        package let documentation: String
        /// Each parameter's UTF-16 offsets `start..<end` in `label`, and its documentation.
        package let parameters: [(label: Range<Int>, documentation: String)]
        package let activeParameter: Int
    }

    package func signatureHelp(at position: EditorPosition) -> SignatureHelp? {
        let offset = file.offset(of: position)
        guard let call = enclosingCall(at: offset), let shape = signature(of: call.callee, at: offset) else { return nil }
        let active = call.currentLabel.flatMap { label in shape.parameters.firstIndex { $0.name == label } }
            ?? min(call.argument, max(0, shape.parameters.count - 1))
        var ranges: [(label: Range<Int>, documentation: String)] = []
        let label = Array(shape.label.utf16)
        var from = label.firstIndex(of: UInt16(UInt8(ascii: "("))) ?? 0
        for parameter in shape.parameters {
            let name = Array(parameter.name.utf16)
            var found = from
            while found + name.count <= label.count, Array(label[found..<found + name.count]) != name { found += 1 }
            guard found + name.count <= label.count else { break }
            ranges.append((found..<found + name.count, shape.parameterDocs[parameter.name] ?? ""))
            from = found + name.count
        }
        return SignatureHelp(label: shape.label, documentation: shape.documentation, parameters: ranges, activeParameter: active)
    }
}
