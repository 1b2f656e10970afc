import Synchronization
import Tensor

/// The per-interpreter state compiled code runs against: globals, output sink, call depth,
/// cancellation flag. Shared by every module compiled into one interpreter.
final class Runtime: @unchecked Sendable {
    // Safety: everything but `cancelFlag` is used only on the thread running the script;
    // `cancelFlag` is atomic and may be set from any thread.
    let globals = Globals()
    let output: @Sendable (String) -> Void
    /// Largest number of nested msense calls before "stack depth exceeded".
    let maxDepth: Int
    let cancelFlag = Atomic<Bool>(false)
    /// Where `show` and path-less figures go (``Interpreter/onDisplay``); nil when the host shows nothing.
    var display: (@Sendable (Display) -> Void)?
    /// Step and memory accounting for ``Limits``.
    let meter = LimitMeter()
    /// How much of the script thread's stack is left.
    let stack = StackRoom()
    /// Current call depth; a pointer so compiled code avoids exclusivity checks.
    private let depth: UnsafeMutablePointer<Int>

    init(output: @escaping @Sendable (String) -> Void, maxDepth: Int) {
        self.output = output
        self.maxDepth = maxDepth
        depth = .allocate(capacity: 1)
        depth.initialize(to: 0)
    }

    deinit { depth.deallocate() }

    /// Resets per-run state before a run starts (on the thread that runs it). The cancel flag
    /// is not touched: it was cleared when the host's call began, so a `cancel()` that arrives
    /// while the source is read or compiled still stops the run.
    func prepareRun() {
        depth.pointee = 0
        stack.measure()
        meter.begin()
    }

    /// Ends a run (on the thread that ran it), however it ended.
    func finishRun() {
        meter.end()
    }

    /// Throws the "cancelled" error when `cancel()` was called; polled at loop back-edges and calls.
    @inline(__always)
    func checkCancelled(_ site: Site) throws {
        if cancelFlag.load(ordering: .relaxed) { throw RuntimeFailure.cancelled(at: site) }
        if let problem = meter.take() {
            throw RuntimeFailure(problem, hint: TensorError.limitExceeded(problem).hint, at: site, id: .limitExceeded)
        }
    }

    /// Runs a script function on a frame whose parameter slots are filled.
    @inline(__always)
    func invoke(_ function: ScriptFunction, _ frame: Frame, _ site: Site) throws -> Value {
        let d = depth.pointee + 1
        guard d <= maxDepth else {
            throw RuntimeFailure("stack depth exceeded (limit \(maxDepth))", hint: "check for recursion that never stops", at: site,
                                 id: .stackDepthExceeded)
        }
        guard stack.hasRoom() else { throw StackRoom.exhausted(at: site) }
        try checkCancelled(site)
        depth.pointee = d
        defer { depth.pointee = d - 1 }
        do {
            return try function.code.run(frame)
        } catch var failure as RuntimeFailure {
            failure.leave(function.name, through: site)
            throw failure
        }
    }

    /// Calls any callable value with evaluated arguments (`labels` name the trailing ones).
    func callValue(_ callee: Value, _ arguments: [Value], labels: [String], calleeName: String, site: Site) throws -> Value {
        switch callee {
        case .function(let function):
            let code = function.code
            let frame = Frame.make(size: code.frameSize, parent: function.captured)
            if labels.isEmpty, arguments.count == code.signature.names.count {
                for i in 0..<arguments.count { frame.slots[i] = arguments[i] }
            } else {
                let plan = try bind(code.signature, function.name, arguments.count - labels.count, labels, site)
                for (p, source) in plan.sources.enumerated() {
                    if let source {
                        frame.slots[p] = arguments[source]
                    } else if let fill = code.defaults[p] {
                        frame.slots[p] = frame.keep(try fill(frame))
                    }
                }
            }
            return try invoke(function, frame, site)
        case .builtin(let builtin):
            let parameters = builtin.parameters
            var values: [Value]
            var rest: [Value] = []
            if labels.isEmpty, arguments.count == parameters.count {
                values = arguments
            } else {
                let plan = try bind(builtin.signature, builtin.name, arguments.count - labels.count, labels, site)
                values = []
                values.reserveCapacity(parameters.count)
                for (p, source) in plan.sources.enumerated() {
                    values.append(source.map { arguments[$0] } ?? parameters[p].defaultValue ?? .nil)
                }
                rest = Array(arguments[plan.rest])
            }
            return try callBuiltin(builtin, values, rest, site)
        default:
            throw RuntimeFailure("\(calleeName) is not a function (it is \(withArticle(callee.typeName)))", at: site)
        }
    }

    private func bind(_ signature: Signature, _ name: String, _ positional: Int, _ labels: [String], _ site: Site) throws -> ArgumentBinding.Plan {
        switch ArgumentBinding.bind(signature, name: name, positional: positional, labels: labels) {
        case .success(let plan): return plan
        case .failure(let problem): throw RuntimeFailure(problem.message, hint: problem.hint, at: site)
        }
    }

    /// Calls a builtin, turning the errors it throws into runtime failures at `site`: the one
    /// place where every module's ``ExplainedError`` becomes a diagnostic, prefixed with the
    /// builtin's name.
    func callBuiltin(_ builtin: Builtin, _ values: [Value], _ rest: [Value], _ site: Site) throws -> Value {
        try checkCancelled(site)
        // A builtin may call back into scripts (a stop predicate, a sweep's function): its
        // native frames count against the stack like a script call's.
        guard stack.hasRoom() else { throw StackRoom.exhausted(at: site) }
        let arguments = Arguments(callee: builtin.name, values: values, rest: rest,
                                  parameterNames: builtin.signature.names, runtime: self, site: site)
        do {
            if let defined = try OperandObjects.callBuiltin(builtin.name, arguments) { return defined }
            return try builtin.body(arguments)
        } catch let failure as RuntimeFailure {
            throw failure
        } catch let end as ScriptEnd {
            throw end
        } catch let problem as any ExplainedError {
            // Native work the host cancelled (a charge refused as `TensorError.cancelled`, or a
            // run stopped by its cancel poll) ends the run as a cancel, not as the builtin's error.
            if cancelFlag.load(ordering: .relaxed) { throw RuntimeFailure.cancelled(at: site) }
            // A script function the builtin ran failed (a step-size function inside a run): its
            // own failure, where it was raised, with what the builtin adds to a caught error.
            if var inner = (problem as? any PassingOnError)?.passedOn as? RuntimeFailure {
                if let detailed = problem as? any DetailedError { inner.addDetails(detailed.details) }
                throw inner
            }
            var failure = RuntimeFailure("\(builtin.name): \(problem.message)", hint: problem.hint, at: site)
            if let detailed = problem as? any DetailedError { failure.details = detailed.details }
            failure.cause = problem
            throw failure
        } catch {
            throw RuntimeFailure("\(builtin.name): \(error)", at: site)
        }
    }
}

/// The runtime as the native code sees the host's limits (installed on the script's thread for
/// each run): memory through the meter, native work as steps, and cancellation.
extension Runtime: ResourceBudget {
    func memoryRefusal(bytes: Int?, for what: String) -> String? {
        meter.memoryRefusal(bytes: bytes, for: what)
    }

    func countUnchecked(bytes: Int) -> Int? { meter.countUnchecked(bytes: bytes) }

    func leaveRoom(_ available: Int) { meter.leaveRoom(available) }

    var isCancelled: Bool { cancelFlag.load(ordering: .relaxed) }

    func spend(operations: Int?, for what: @autoclosure () -> String) -> String? {
        meter.spend(operations: operations, for: what())
    }

    func affords(operations: Int?) -> Bool { meter.affords(operations: operations) }
}
