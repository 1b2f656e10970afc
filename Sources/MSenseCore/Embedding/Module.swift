import Foundation
import Tensor

/// One parsed, resolved and (later) compiled source file.
final class Module {
    /// The canonical path (or a pseudo path such as `<eval>`).
    let path: String
    let source: SourceBox
    let statements: [Stmt]
    /// Size of the frame for the file's top-level block-local variables.
    var chunkFrameSize = 0
    /// The compiled top-level code; returns the value of a final expression statement.
    var run: (() throws -> Value)?
    /// Whether an `import` already ran (or is running) this module.
    var started = false

    init(path: String, source: SourceBox, statements: [Stmt]) {
        self.path = path
        self.source = source
        self.statements = statements
    }
}

/// The state of one resolution: the working copy of the global table, the diagnostics, and
/// the modules loaded by `import` so far.
final class ResolutionSession {
    var globals: GlobalTable
    var diagnostics: [Diagnostic] = []
    /// Modules already committed in earlier runs, by canonical path.
    let committed: [String: Module]
    /// Modules newly loaded by this resolution, in load order.
    private(set) var loaded: [Module] = []
    /// Paths being resolved right now (import chain), to detect cycles.
    private var loading: [String]

    /// Where imports come from.
    let loader: ModuleLoader
    /// The longest source an import may bring (``Interpreter/maxModuleBytes``).
    let maxModuleBytes: Int

    init(globals: GlobalTable, committed: [String: Module], root: String, loader: ModuleLoader, maxModuleBytes: Int = Interpreter.maxSourceBytes) {
        self.globals = globals
        self.committed = committed
        self.loader = loader
        self.maxModuleBytes = maxModuleBytes
        self.loading = [root]
    }

    /// Parses and resolves a whole file as the root of this session.
    func resolveRoot(_ file: SourceFile) -> Module {
        resolveRoot(file, parsed: Parser.parse(file))
    }

    /// Resolves a whole file, parsed already, as the root of this session.
    func resolveRoot(_ file: SourceFile, parsed: ParsedFile) -> Module {
        module(file, path: file.path, parsed: parsed)
    }

    /// The module of a parsed file: its syntax errors reported, its names resolved when it has none.
    private func module(_ file: SourceFile, path: String, parsed: ParsedFile) -> Module {
        diagnostics += parsed.diagnostics
        let module = Module(path: path, source: SourceBox(file), statements: parsed.statements)
        if parsed.diagnostics.isEmpty {
            module.chunkFrameSize = Resolver(session: self, file: file).resolveChunk(parsed.statements)
        }
        return module
    }

    /// Loads `path` imported by `importer`, resolving it into this session (once per module),
    /// through the host's ``ModuleLoader``.
    func load(_ path: String, from importer: SourceFile, at span: Span) -> Module? {
        let canonical: String
        do { canonical = try loader.locate(path, importer.path) } catch {
            refuse(path, error, importer, span)
            return nil
        }
        if let index = loading.firstIndex(of: canonical) {
            let chain = (loading[index...] + [canonical]).map { URL(fileURLWithPath: $0).lastPathComponent }
            diagnostics.append(Diagnostic(file: importer, span: span,
                message: "import cycle: \(chain.joined(separator: " → "))",
                hint: "move the shared definitions into a file that both can import"))
            return nil
        }
        if let module = committed[canonical] ?? loaded.first(where: { $0.path == canonical }) { return module }
        let data: [UInt8]
        do { data = try loader.read(canonical) } catch {
            refuse(path, error, importer, span)
            return nil
        }
        guard data.count <= maxModuleBytes else {
            let size = AvailableMemory.format(Double(data.count)), limit = AvailableMemory.format(Double(maxModuleBytes))
            refuse(path, ScriptError("it holds \(size) of source, more than the \(limit) an imported module may hold under the host's memory limit (1/\(Interpreter.syntaxBytesPerSourceByte) of it: parsing takes up to \(Interpreter.syntaxBytesPerSourceByte) bytes per byte of source)",
                                     hint: "keep data out of modules: save it with save(…) and read it with load(…)"), importer, span)
            return nil
        }
        let file: SourceFile
        switch SourceFile.make(path: canonical, bytes: data) {
        case .success(let f): file = f
        case .failure(let problem):
            diagnostics.append(problem.diagnostic)
            return nil
        }
        loading.append(canonical)
        defer { loading.removeLast() }
        let module = module(file, path: canonical, parsed: Parser.parse(file))
        loaded.append(module)
        return module
    }

    /// Reports an import the loader refused, with its reason and nothing of the file's content.
    private func refuse(_ path: String, _ error: Error, _ importer: SourceFile, _ span: Span) {
        let problem = error as? ScriptError
        diagnostics.append(Diagnostic(file: importer, span: span,
            message: "cannot import '\(path)': \(problem?.message ?? "\(error)")",
            hint: problem?.hint ?? "imports are relative to the importing file"))
    }
}
