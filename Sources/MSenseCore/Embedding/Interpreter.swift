import Foundation
import Tensor

/// The embedding API: runs msense source, keeps global state between runs, and lets the host
/// add builtins and read or set globals.
///
/// Every run parses and resolves the whole source first (reporting all syntax and name errors
/// at once, without running anything), then compiles it to closures and executes it on a
/// thread with a 512 MiB stack (a run whose thread cannot be made fails with
/// ``DiagnosticID/stackUnavailable``, having run nothing). Globals, functions and imported
/// files persist across runs of one interpreter, which is what a REPL needs.
///
/// Thread safety: `run`, `evaluate`, `check`, `register`, `global` and `setGlobal` must not be
/// called concurrently; `cancel()` may be called from any thread while a run is in progress.
public final class Interpreter: @unchecked Sendable {
    let runtime: Runtime
    private(set) var table = GlobalTable()
    private var modules: [String: Module] = [:]
    private(set) var registered: [String: Builtin] = [:]
    private let random = RandomState()
    let events = RunEvents()
    private let access = FileAccessBox()
    /// What the libraries' builtins use of this interpreter, and their per-interpreter state.
    package let libraryContext: LibraryContext
    /// The domain libraries this interpreter opened, in order.
    public let libraries: [any MSenseLibrary]
    private let arguments: [String]
    private let maxCallDepth: Int
    private var constructed = false
    /// Runs so far, whether the host changed globals, and whether it registered builtins: a run
    /// can be replayed by sweep workers only when it is the first and starts from a fresh
    /// interpreter whose builtins are all the libraries' (a host's functions run on the run's
    /// thread only, one call at a time, never on a worker's).
    private var runCount = 0
    private var hostChangedGlobals = false
    private var hostRegistered = false
    /// The stack of each run's thread, in bytes (`BigStack.size`); tests set a size no thread can
    /// have to see the error a host with too little address space gets.
    package var stackBytes = BigStack.size
    /// ``stackBytes`` of the replicas a parallel sweep replays the run in (tests refuse only the
    /// workers' stacks with it).
    package var replicaStackBytes = BigStack.size

    /// An interpreter with the core builtins and the builtins of `libraries` (in order; a later
    /// builtin replaces an earlier one of the same name).
    ///
    /// - Parameters:
    ///   - output: receives everything `print` writes (the library never writes to stdout itself).
    ///   - arguments: the script's command-line arguments, visible as the global list `args`.
    ///   - maxCallDepth: nested calls allowed before "stack depth exceeded" (at most 100 000).
    ///   - libraries: the domain libraries scripts can use (none: the language core alone).
    public init(output: @escaping @Sendable (String) -> Void, arguments: [String] = [], maxCallDepth: Int = 10_000,
                libraries: [any MSenseLibrary]) {
        runtime = Runtime(output: output, maxDepth: max(1, min(maxCallDepth, 100_000)))
        BLASThreads.useOne()  // the same bits whatever ran before in this process
        self.arguments = arguments
        self.maxCallDepth = maxCallDepth
        self.libraries = libraries
        libraryContext = LibraryContext(random: random, events: events, access: access, meter: runtime.meter)
        for builtin in CoreBuiltins.all() { register(builtin) }
        let runtime = self.runtime
        events.isCancelled = { runtime.cancelFlag.load(ordering: .relaxed) }
        events.takeStep = { runtime.meter.take() }
        libraryContext.makeReplica = { [unowned self] in self.makeReplica() }
        for library in libraries {
            for builtin in library.builtins(libraryContext) { register(builtin) }
        }
        setGlobal("args", .list(arguments.map(Value.string)))
        constructed = true
    }

    /// Compiled functions hold the runtime and the runtime's globals hold functions: empty the
    /// globals so that cycle does not keep every interpreter (and its data) alive forever.
    deinit {
        for cell in runtime.globals.cells { cell.pointee = GlobalCell(value: .nil, assigned: false) }
        for module in modules.values { module.run = nil }
    }

    /// A silent interpreter configured like this one (libraries, arguments, file access, module
    /// loader, limits): what a parallel sweep's workers replay the script in. Each library makes
    /// the replica's builtins anew; a run with builtins the host registered is not replayed.
    private func makeReplica() -> Interpreter {
        let replica = Interpreter(output: { _ in }, arguments: arguments, maxCallDepth: maxCallDepth, libraries: libraries)
        replica.fileAccess = fileAccess
        replica.moduleLoader = moduleLoader
        replica.limits = limits
        replica.stackBytes = replicaStackBytes
        replica.replicaStackBytes = replicaStackBytes
        return replica
    }

    /// In a parallel sweep's worker: the steps it shares with the other workers (replacing
    /// ``Limits/steps``); nil otherwise.
    package var sharedSteps: StepPool? {
        get { runtime.meter.pool }
        set { runtime.meter.pool = newValue }
    }

    /// In a parallel sweep's worker: the memory limit it shares with the master run and the
    /// other workers (replacing its own measure of ``Limits/memoryBytes``); nil otherwise.
    package var sharedMemory: MemoryPool? {
        get { runtime.meter.memoryPool }
        set { runtime.meter.memoryPool = newValue }
    }

    /// What each run may consume (steps, memory); default ``Limits/none``. Set it before running.
    public var limits: Limits {
        get { runtime.meter.limits }
        set { runtime.meter.limits = newValue }
    }

    /// Adds (or replaces) a builtin; scripts see it as a global function of that name.
    ///
    /// It runs on the thread of the run that calls it, one call at a time: from then on, this
    /// interpreter's `sweep` calls run their points serially in the interpreter whatever their
    /// `jobs`, since parallel workers would call it from their own threads at once (and replay
    /// the calls made before the sweep). Builtins meant for parallel sweeps come from a library
    /// (``MSenseLibrary``), which makes each worker interpreter its own.
    public func register(_ builtin: Builtin) {
        let index: Int
        if let existing = table.bindings[builtin.name] {
            index = existing.index
            table.setKind(builtin.name, .builtin(builtin.signature))
        } else {
            index = table.add(builtin.name, kind: .builtin(builtin.signature))
        }
        registered[builtin.name] = builtin
        if constructed { hostRegistered = true }
        store(.builtin(builtin), at: index)
    }

    /// Every registered builtin, sorted by name (for help texts).
    public var builtins: [Builtin] { registered.values.sorted { $0.name < $1.name } }

    /// The value of global `name`, or nil when it is not defined (or not yet assigned).
    public func global(_ name: String) -> Value? {
        guard let binding = table.bindings[name], binding.index < runtime.globals.cells.count else { return nil }
        let cell = runtime.globals.cells[binding.index].pointee
        return cell.assigned ? cell.value : nil
    }

    /// Defines or changes global variable `name` (replacing a function or builtin of that name).
    public func setGlobal(_ name: String, _ value: Value) {
        if constructed { hostChangedGlobals = true }
        let index: Int
        if let existing = table.bindings[name] {
            index = existing.index
            table.setKind(name, .variable)
            registered[name] = nil
        } else {
            index = table.add(name, kind: .variable)
        }
        store(value, at: index)
    }

    /// Which files scripts may read and write (default: unrestricted). Set it before running.
    public var fileAccess: FileAccess {
        get { access.value }
        set { access.value = newValue }
    }

    /// Where `import` finds modules, for `run`, `evaluate` and `check` alike. nil (the default):
    /// files, as ``fileAccess`` allows (``ModuleLoader/files(_:)``). Set it before running.
    public var moduleLoader: ModuleLoader?

    /// The loader imports go through now.
    private var activeLoader: ModuleLoader { moduleLoader ?? .files(fileAccess) }

    /// Receives run events (started, trace rows, progress, finished) from long builtins such as
    /// `gd`, on the interpreter's thread, while they run. Set it before running.
    public var onRunEvent: (@Sendable (RunEvent) -> Void)? {
        get { events.handler }
        set { events.handler = newValue }
    }

    /// Which kinds of run events ``onRunEvent`` receives (default: ``RunEventKinds/all``). A host
    /// that only draws progress sets `[.started, .progress, .finished]`: runs then build no rows
    /// for it. Set it before running.
    public var runEventKinds: RunEventKinds {
        get { events.kinds }
        set { events.kinds = newValue }
    }

    /// The seed of the script-visible random stream (`seed()`), to record with results;
    /// setting it restarts the stream, as `seed(n)` does.
    public var seed: UInt64 {
        get { random.currentSeed }
        set { random.reseed(newValue) }
    }

    private func store(_ value: Value, at index: Int) {
        runtime.globals.grow(to: index + 1)
        runtime.globals.cells[index].pointee = GlobalCell(value: value, assigned: true)
    }

    /// Asks a run in progress to stop; it fails with a "cancelled" error at the next loop
    /// iteration, call, or native operation that charges work. A cancel that arrives while the
    /// script is read, parsed or compiled stops it before it starts; the flag is cleared when
    /// the next `run`/`evaluate` call begins. Safe to call from any thread (e.g. a Ctrl-C handler).
    public func cancel() {
        runtime.cancelFlag.store(true, ordering: .relaxed)
    }

    // MARK: - Running

    /// Runs `source` and returns the value of its last statement when that is an expression
    /// (`nil` otherwise). `path` names the source in diagnostics and anchors relative imports.
    public func run(source: String, path: String = "<script>") throws(ScriptFailure) -> Value {
        try run(bytes: Array(source.utf8), path: path)
    }

    /// Runs a script given as raw bytes (checked to be UTF-8 without NUL bytes).
    public func run(bytes: [UInt8], path: String) throws(ScriptFailure) -> Value {
        runtime.cancelFlag.store(false, ordering: .relaxed)
        return try start(bytes: bytes, path: path)
    }

    /// Runs `bytes` on the big-stack thread; a `cancel()` since the host's call began stops it.
    private func start(bytes: [UInt8], path: String) throws(ScriptFailure) -> Value {
        try onBigStack(path: path) { () throws(ScriptFailure) -> Value in try self.execute(bytes: bytes, path: path) }
    }

    /// The longest script or imported module read from a file: 256 MiB of source, far beyond any
    /// real script, so that a path such as `/dev/zero` ends in an error instead of filling memory.
    public static let maxSourceBytes = 1 << 28

    /// At most how many bytes of memory parsing and compiling take per byte of source: measured
    /// at 20 for a script of statements and 120 for a list literal of one-digit numbers (a node
    /// per two bytes), doubled for margin.
    static let syntaxBytesPerSourceByte = 256

    /// The longest module an `import` may read under the host's memory limit: `memoryBytes / 256`
    /// (``syntaxBytesPerSourceByte``), so that parsing it cannot take more than the limit before
    /// the run, which enforces the limit, begins; ``maxSourceBytes`` without one.
    var maxModuleBytes: Int {
        limits.memoryBytes.map { min($0 / Self.syntaxBytesPerSourceByte, Self.maxSourceBytes) } ?? Self.maxSourceBytes
    }

    /// Reads and runs the script file at `path`: a regular file (a device, FIFO or folder is
    /// refused at once, without reading or blocking) of at most ``maxSourceBytes`` bytes.
    public func run(file path: String) throws(ScriptFailure) -> Value {
        runtime.cancelFlag.store(false, ordering: .relaxed)
        return try start(bytes: try ScriptFile.read(path), path: path)
    }

    /// Evaluates a snippet (REPL input, `msense -e`) in the interpreter's global state and
    /// returns its value.
    public func evaluate(_ source: String) throws(ScriptFailure) -> Value {
        try run(source: source, path: "<eval>")
    }

    /// Parses and resolves `source` without running it or changing the interpreter; returns
    /// every syntax and name-resolution diagnostic (empty when the script is well formed).
    public func check(source: String, path: String = "<script>") -> [Diagnostic] {
        check(bytes: Array(source.utf8), path: path)
    }

    /// `check` for raw bytes (as read from a file).
    public func check(bytes: [UInt8], path: String) -> [Diagnostic] {
        switch SourceFile.make(path: path, bytes: bytes) {
        case .failure(let problem): return [problem.diagnostic]
        case .success(let file):
            var diagnostics: [Diagnostic] = []
            do {
                try BigStack.run(bytes: stackBytes) { diagnostics = check(file, parsed: Parser.parse(file)) }
            } catch {
                return [error.diagnostic(path: path)]
            }
            return diagnostics
        }
    }

    /// `check` for a file its caller has parsed (an editor's analysis keeps the syntax too).
    /// Runs on the caller's thread: call it on a big stack.
    func check(_ file: SourceFile, parsed: ParsedFile) -> [Diagnostic] {
        let session = ResolutionSession(globals: table, committed: modules, root: Self.canonical(file.path), loader: activeLoader,
                                        maxModuleBytes: maxModuleBytes)
        _ = session.resolveRoot(file, parsed: parsed)
        return session.diagnostics
    }

    /// Runs `body` on a thread of ``stackBytes``; when that thread cannot be made, fails
    /// without running it (``BigStack``).
    private func onBigStack(path: String, _ body: () throws(ScriptFailure) -> Value) throws(ScriptFailure) -> Value {
        var result: Result<Value, ScriptFailure> = .success(.nil)
        do {
            try BigStack.run(bytes: stackBytes) {
                do throws(ScriptFailure) { result = .success(try body()) } catch { result = .failure(error) }
            }
        } catch {
            throw ScriptFailure(diagnostics: [error.diagnostic(path: path)])
        }
        return try result.get()
    }

    /// The name of the module the host runs: its resolved path, as the default loader names
    /// files (so a file importing the script it is imported by is a cycle).
    private static func canonical(_ path: String) -> String {
        guard !path.hasPrefix("<") else { return path }
        return (try? ResolvedPath.resolve(path).string) ?? path
    }

    /// Parse, resolve, commit, compile, execute. Runs on the big-stack thread.
    private func execute(bytes: [UInt8], path: String) throws(ScriptFailure) -> Value {
        let file: SourceFile
        switch SourceFile.make(path: path, bytes: bytes) {
        case .failure(let problem): throw ScriptFailure(diagnostics: [problem.diagnostic])
        case .success(let f): file = f
        }
        let session = ResolutionSession(globals: table, committed: modules, root: Self.canonical(path), loader: activeLoader,
                                        maxModuleBytes: maxModuleBytes)
        let main = session.resolveRoot(file)
        guard session.diagnostics.isEmpty else { throw ScriptFailure(diagnostics: session.diagnostics) }
        table = session.globals
        runtime.globals.grow(to: table.count)
        for module in session.loaded {
            modules[module.path] = module
            module.run = Compiler(runtime: runtime, source: module.source).compile(module: module)
        }
        let run = Compiler(runtime: runtime, source: main.source).compile(module: main)
        runtime.prepareRun()
        defer { runtime.finishRun() }
        runCount += 1
        libraryContext.runStarting(runCount == 1 && !hostChangedGlobals && !hostRegistered
                                   ? RunSource(bytes: bytes, path: path, seed: random.currentSeed) : nil)
        do {
            if runtime.cancelFlag.load(ordering: .relaxed) {
                throw RuntimeFailure("cancelled", hint: "the run was interrupted by the host", at: Site(source: main.source, span: Span(start: 0, end: 0)))
            }
            // The host's limits, as the native code sees them, for this run and on this thread.
            return try RunBudget.with(runtime) { () throws -> Value in try run() }
        } catch is ScriptEnd {
            return .nil
        } catch let failure as RuntimeFailure {
            throw ScriptFailure(diagnostics: [failure.diagnostic()])
        } catch {
            throw ScriptFailure(diagnostics: [Diagnostic(path: path, message: "\(error)", id: .runtime)])
        }
    }
}

extension Interpreter {
    /// The text `print` shows for `value`: numbers as integers when integral, strings raw,
    /// containers and matrices as literals.
    public static func display(_ value: Value) -> String { Formatting.display(value) }
}
