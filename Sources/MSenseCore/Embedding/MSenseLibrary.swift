import Foundation

/// A domain library: a named set of builtins that a host chooses to open in an interpreter
/// (`Interpreter(output:libraries:)`), as Lua's `linit.c` opens the libraries of a table.
///
/// The language core knows no domain; linear algebra, data files, sensing experiments, plots and
/// sweeps are libraries of this kind (module `MSense`'s `StandardLibrary`), and a host can add its
/// own. `builtins(_:)` runs once per interpreter, so a library keeps per-interpreter state in
/// the builtins' closures or in ``LibraryContext``.
public protocol MSenseLibrary: Sendable {
    /// The library's name (e.g. `"sensing"`), for help texts.
    var name: String { get }
    /// The builtins this library adds to the interpreter `context` belongs to.
    func builtins(_ context: LibraryContext) -> [Builtin]
}

/// What a library's builtins may use of the interpreter that opens them: its file sandbox, its
/// random stream, its run events, and hooks for libraries that replay runs (sweeps).
public final class LibraryContext: @unchecked Sendable {
    // Safety: `states` and `runStartHooks` are used on the interpreter's thread only (while it
    // is being built and between or during its runs).
    /// The interpreter's random stream (`seed`), shared by every library.
    package let random: RandomState
    /// The channel to the host's run-event handler and the cancellation flag.
    package let events: RunEvents
    private let access: FileAccessBox
    private var states: [ObjectIdentifier: AnyObject] = [:]
    private var runStartHooks: [(RunSource?) -> Void] = []
    /// Makes a silent interpreter configured like this one: the same libraries, arguments, file
    /// access, module loader and limits (set by the interpreter once it exists).
    package internal(set) var makeReplica: (@Sendable () -> Interpreter)?

    init(random: RandomState, events: RunEvents, access: FileAccessBox, meter: LimitMeter) {
        self.random = random
        self.events = events
        self.access = access
        self.meter = meter
    }

    /// The interpreter's step and memory tally.
    private let meter: LimitMeter

    /// Steps the current run has left under ``Limits/steps`` (nil: no step limit); what a
    /// parallel sweep's workers share (`StepPool`).
    package var stepsLeft: Int? { meter.remainingSteps }

    /// The memory limit of the current run as a parallel sweep's workers share it (nil: no
    /// memory limit): measured from the run's start, with what each worker was granted.
    package var memoryToShare: MemoryPool? { meter.memoryToShare }

    /// Counts `count` steps spent for this run elsewhere (by a parallel sweep's workers).
    package func countSteps(_ count: Int) { meter.add(steps: count) }

    /// The host's file sandbox as it is now (the host may change it between runs).
    public var fileAccess: FileAccess { access.value }

    /// Reads the file sandbox when called (for builtins that check paths at call time).
    package var accessReader: @Sendable () -> FileAccess {
        let access = self.access
        return { access.value }
    }

    /// The per-interpreter state of type `T`, made by `make` on first use.
    package func state<T: AnyObject>(_ type: T.Type, make: () -> T) -> T {
        let key = ObjectIdentifier(type)
        if let existing = states[key] as? T { return existing }
        let made = make()
        states[key] = made
        return made
    }

    /// Registers `hook` to run before each run starts, with the run's source when the run can
    /// be replayed by another interpreter (see ``RunSource``).
    package func onRunStart(_ hook: @escaping (RunSource?) -> Void) {
        runStartHooks.append(hook)
    }

    /// Calls the run-start hooks.
    func runStarting(_ source: RunSource?) {
        for hook in runStartHooks { hook(source) }
    }
}

/// A run as another interpreter can replay it: the script's bytes, its path and the starting
/// seed. Only the first run of a fresh interpreter whose globals the host left alone is
/// replayable (a REPL session after its first entry is not).
package struct RunSource: Sendable {
    package let bytes: [UInt8]
    package let path: String
    package let seed: UInt64
}
