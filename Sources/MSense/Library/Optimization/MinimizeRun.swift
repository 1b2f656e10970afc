import Autodiff
import Foundation
import MSenseCore
import Sensing
import Tensor

/// How a `minimize` run records, stops, guards, batches and saves (docs/optimizers.md).
struct MinimizeSettings {
    var steps: Int
    var every = 1
    var tolerance: Double?
    /// The blow-up guard's multiple `c` (``BlowupGuard``): stop with an error when the loss
    /// exceeds `c · max(f(X₀), f(0))`.
    var blowup: Double?
    var batch: Int?
    var samples: Int?
    var metrics: [(name: String, function: Value)] = []
    var stop: Value?
    var onRecord: Value?
    var checkpoint: String?
    var checkpointEvery: Int?
    var resume: String?
    /// How a problem's unrecorded full-batch steps compute `S` on a dense ensemble: the rows
    /// pass, or `G vec(M) − b` (``GramRoute``), chosen as the built-in `gd` chooses.
    var kernel: StepKernel = .automatic
}

/// What a `minimize` run returns.
struct MinimizeResult {
    let parameters: ParameterSet
    let objective: MinimizeObjective
    let optimizer: OptimizerObject
    let trace: Trace
    let stopReason: StopReason
    let lastStep: Int
}

/// The run loop of `minimize`. At each step `t = 0, 1, …`: the objective and its gradients at
/// the current point `X_t` (on the batch of step `t`); the guard (a non-finite loss, or one above
/// `blowup · max(f(X₀), f(0))`, ``BlowupGuard``, ends the run with an error); the
/// update from `X_t`, whose step size the row records; at recorded steps (`t` a multiple of
/// `every`, and the last) the row `step, loss, [rel_err], grad_norm, step_size, metrics…` and
/// the calls of `on_record(s)` and `stop(s)`. The run stops at `steps`, when the loss is at or
/// below `tol`, when `stop(s)` is true, or when the host cancels; it returns the point of its
/// last row. No update is made from that point: its `step_size` is 0 at `steps`, `tol` and
/// cancellation (a `stop(s)` that ends the run discards the update computed for its row).
/// Any error that ends a started run (the guard's, or one raised in `f`, a metric, `stop` or
/// `on_record`) carries `step`, `trace` (the rows recorded before) and `params` for `catch e`.
struct MinimizeRun {
    let objective: MinimizeObjective
    let optimizer: OptimizerObject
    let settings: MinimizeSettings
    let args: Arguments
    let random: RandomState
    let events: RunEvents
    let access: @Sendable () -> FileAccess

    /// The trace's columns: `step, loss, rel_err` (problem objectives), `grad_norm, step_size`,
    /// then the metrics in the order given.
    var columns: [String] {
        Self.ownColumns(of: objective) + settings.metrics.map(\.name)
    }

    /// The run's own columns before the metrics: `step, loss, rel_err` (problem objectives only),
    /// `grad_norm, step_size`. A metric may take any other name (`rel_err` too, for a function).
    static func ownColumns(of objective: MinimizeObjective) -> [String] {
        let relErr: [String] = if case .problem = objective { ["rel_err"] } else { [] }
        return ["step", "loss"] + relErr + ["grad_norm", "step_size"]
    }

    func run(from initial: ParameterSet) throws -> MinimizeResult {
        // A host that refuses the checkpoint's path refuses it before the first step.
        if let path = settings.checkpoint { _ = try access().writable(path) }
        var parameters = initial
        var running = try RunningOptimizer(optimizer, parameters: parameters, args)
        let columns = self.columns
        var rows: [[Double]] = []
        var t = 0
        // f_ref (``BlowupGuard``) once step 0 is evaluated; NaN when the guard is off.
        var reference: Double?
        // Whether unrecorded steps may go through G: false once the rows pass took over, in
        // this run or (resumed) in the run that saved the checkpoint.
        var gramAllowed = !optimizer.readsLoss
        // How the route is chosen: as the settings say, except that a resumed `auto` run whose
        // checkpoint went through G goes on through G (its choice then depended on what the
        // process held and had left, which a resumed run need not share).
        var routeSettings = settings
        var draw = try settings.batch.map { b in
            try MinibatchDraw(seed: random.draw { rng in MinibatchDraw.drawSeed(&rng) }, size: b,
                              population: try objective.population(samples: settings.samples))
        }
        if let path = settings.resume {
            let own = RunCheckpoint(step: 0, parameters: parameters, optimizer: [:], blowupReference: 0, every: settings.every,
                                    batch: settings.batch ?? 0, gram: nil, seed: draw?.seed, fingerprint: ObjectiveFingerprint(objective), columns: columns, rows: [])
            let saved = try RunCheckpoint(arrays: try RunCheckpoint.read(path, access: access()), like: own, path: path)
            guard saved.step <= settings.steps else {
                throw ScriptError("the checkpoint '\(path)' is at step \(saved.step), beyond this run's steps: \(settings.steps)")
            }
            try running.restore(saved.optimizer, names: parameters.names)
            parameters = saved.parameters
            rows = saved.rows
            t = saved.step
            reference = saved.blowupReference
            if saved.gram == false { gramAllowed = false }
            if saved.gram == true, settings.kernel == .automatic { routeSettings.kernel = .gram }
            if let old = draw, let savedSeed = saved.seed { draw = try MinibatchDraw(seed: savedSeed, size: old.size, population: old.population) }
        }
        let progress = events.begin(label: "minimize", total: settings.steps, done: t)
        defer { progress.finish() }
        var route = gramAllowed ? try objective.gramRoute(routeSettings, args, cancelled: { events.isCancelled() }) : nil
        do {
            while true {
                let cancelled = progress.tick()
                let batch = try draw?.batch(at: t)
                var viaGram: Evaluation? = nil
                if let through = route, !cancelled, t % settings.every != 0, t < settings.steps,
                   let (estimate, bound) = try objective.evaluate(parameters, through: through) {
                    // An unrecorded step through G, while its loss estimate shows that no stop
                    // (the tolerance, the blow-up limit) is near; from the first step where one
                    // may be, the rows pass takes every step. A non-finite S falls through to
                    // the rows pass, which reports the divergence.
                    let limit = BlowupGuard(multiple: settings.blowup, reference: reference ?? .nan)?.limit
                    if GramRoute.stopMayBeNear(loss: estimate.loss, bound: bound, tolerance: settings.tolerance, limit: limit) {
                        route = nil
                    } else {
                        viaGram = estimate
                    }
                }
                let evaluation = try viaGram ?? objective.evaluate(parameters, batch: batch, args)
                if reference == nil, evaluation.loss.isFinite {
                    reference = try settings.blowup.map { c in
                        BlowupGuard(multiple: c, start: evaluation.loss, zero: try objective.lossAtOrigin(parameters, batch: batch, args))?.reference ?? 0
                    } ?? .nan
                }
                try guardLoss(evaluation.loss, step: t, reference: reference)
                var reason: StopReason? = nil
                if cancelled {
                    reason = .cancelled
                } else if let tol = settings.tolerance, evaluation.loss <= tol {
                    reason = .tolerance
                } else if t >= settings.steps {
                    reason = .budget
                }
                var next = parameters
                var nextOptimizer = running
                var stepSize = 0.0
                if reason == nil {
                    // An alternating step evaluates its later parameters through G while the run
                    // keeps the route, as the built-in gd's alternating rules do.
                    stepSize = try nextOptimizer.advance(&next, at: t, first: evaluation, reevaluate: { [route] point in
                        if let route, let (estimate, _) = try objective.evaluate(point, through: route) { return estimate }
                        return try objective.evaluate(point, batch: batch, args)
                    }, args)
                }
                if t % settings.every == 0 || reason != nil {
                    let gradNorm = GradientOptimizer.globalNorm(evaluation.gradients)
                    let relErr = try objective.relativeError(parameters.values)
                    var row = [Double(t), evaluation.loss] + (relErr.map { [$0] } ?? []) + [gradNorm, stepSize]
                    let state = RunStateRecord.make(step: t, evaluation: evaluation, gradNorm: gradNorm, stepSize: stepSize,
                                                    relErr: relErr, parameters: parameters, objective: objective)
                    for (name, function) in settings.metrics {
                        let value = try args.call(function, [.record(state)])
                        guard case .number(let x) = value else { throw RunWatchArgument.notANumber(name, value) }
                        row.append(x)
                        state.set(name, value)
                    }
                    rows.append(row)
                    progress.row(columns: columns, values: row)
                    if let onRecord = settings.onRecord { _ = try args.call(onRecord, [.record(state)]) }
                    if reason == nil, let stop = settings.stop {
                        let verdict = try args.call(stop, [.record(state)])
                        guard case .bool(let halt) = verdict else {
                            throw ScriptError("the stop predicate must return true or false, got \(verdict.typeName)")
                        }
                        if halt { reason = .predicate }
                    }
                }
                if let reason {
                    try SensingLibrary.checkCancelled(progress, reason)
                    if let path = settings.checkpoint {
                        try checkpoint(step: t, parameters, running, reference, gram: route != nil, draw, columns, rows.filter { $0[0] < Double(t) })
                            .write(to: path, access: access())
                    }
                    let result = MinimizeResult(parameters: parameters, objective: objective, optimizer: optimizer,
                                                trace: try Trace(columns: columns, rows: rows), stopReason: reason, lastStep: t)
                    progress.complete()
                    return result
                }
                parameters = next
                running = nextOptimizer
                t += 1
                if let path = settings.checkpoint, let k = settings.checkpointEvery, t % k == 0, t < settings.steps {
                    try checkpoint(step: t, parameters, running, reference, gram: route != nil, draw, columns, rows).write(to: path, access: access())
                }
            }
        } catch var error as ScriptError {
            error.addDetails(try partialRun(step: t, columns: columns, rows: rows, parameters: parameters))
            throw error
        } catch var failure as RuntimeFailure {
            failure.addDetails(try partialRun(step: t, columns: columns, rows: rows, parameters: parameters))
            throw failure
        } catch let error as any ExplainedError {
            var wrapped = ScriptError(error.message, hint: error.hint)
            wrapped.details = (error as? any DetailedError)?.details ?? []
            wrapped.addDetails(try partialRun(step: t, columns: columns, rows: rows, parameters: parameters))
            throw wrapped
        }
    }

    /// What a run that ended with an error at step `t` had done: `step`, `trace` (the rows
    /// recorded before) and `params` (the point of step `t`).
    private func partialRun(step t: Int, columns: [String], rows: [[Double]], parameters: ParameterSet) throws -> [(name: String, value: Value)] {
        [("step", .number(Double(t))), ("trace", .object(TraceObject(try Trace(columns: columns, rows: rows)))), ("params", parameters.record)]
    }

    private func checkpoint(step: Int, _ parameters: ParameterSet, _ running: RunningOptimizer, _ reference: Double?, gram: Bool,
                            _ draw: MinibatchDraw?, _ columns: [String], _ rows: [[Double]]) -> RunCheckpoint {
        RunCheckpoint(step: step, parameters: parameters, optimizer: running.arrays(parameters.names), blowupReference: reference ?? .nan,
                      every: settings.every, batch: settings.batch ?? 0, gram: gram, seed: draw?.seed,
                      fingerprint: ObjectiveFingerprint(objective), columns: columns, rows: rows)
    }

    /// The guard: a non-finite loss, or (with `blowup: c`) a loss above `c · f_ref`
    /// (``BlowupGuard``), ends the run with an error carrying `loss` (the run adds `step`, `trace`
    /// and `params`).
    private func guardLoss(_ loss: Double, step t: Int, reference: Double?) throws {
        var failure: ScriptError
        if !loss.isFinite {
            failure = ScriptError("the loss is \(Formatting.number(loss)) at step \(t)",
                                hint: "the steps grew too large: lower lr (or clip the gradients with clip:)")
        } else {
            do {
                try BlowupGuard(multiple: settings.blowup, reference: reference ?? .nan)?.check(step: t, loss: loss)
                return
            } catch {
                failure = ScriptError(polyakHint == nil ? error.message : error.divergence, hint: error.hint)
            }
        }
        if let hint = polyakHint { failure = ScriptError(failure.message, hint: hint) }
        failure.details = [("loss", .number(loss))]
        throw failure
    }

    /// Polyak's rule has no lr to lower: its step `(f − f*)/‖∇f‖²` is what grew, and it is
    /// largest where the gradient is small (near a small initialisation or a saddle), so the
    /// guard's advice for it is its cap `max_step`. Nil for every other rule.
    private var polyakHint: String? {
        guard case .builtin(.polyak(_, let maxStep), _, _, _) = optimizer.rule else { return nil }
        let cap = maxStep.isFinite ? "a max_step below \(Formatting.number(maxStep))" : "polyak(max_step: …)"
        return "Polyak's step (f − f*)/‖∇f‖² is large where the gradient is small (a small initialisation, a saddle): cap it with \(cap)"
    }
}

/// The state `s` that `metrics`, `stop` and `on_record` receive at a recorded step: `step`,
/// `loss`, `grad_norm`, `step_size`, `rel_err`, `model` and `M` (problem objectives: the model
/// and its end-to-end matrix), `params` and `grad` (records by parameter name), every parameter
/// by its name (unless it is one of these names), and the metrics computed so far at this step.
enum RunStateRecord {
    static func make(step: Int, evaluation: Evaluation, gradNorm: Double, stepSize: Double, relErr: Double?,
                     parameters: ParameterSet, objective: MinimizeObjective) -> ScriptRecord {
        var names = ["step", "loss", "grad_norm", "step_size"]
        var values: [Value] = [.number(Double(step)), .number(evaluation.loss), .number(gradNorm), .number(stepSize)]
        if let relErr { names.append("rel_err"); values.append(.number(relErr)) }
        if case .problem(_, let template) = objective, let model = try? MinimizeObjective.model(template, parameters.values) {
            names += ["model", "M"]
            values += [.object(ModelObject(model)), .matrix(model.product())]
        }
        names += ["params", "grad"]
        values += [parameters.record, parameters.record(of: evaluation.gradients)]
        for (k, name) in parameters.names.enumerated() where !names.contains(name) {
            names.append(name)
            values.append(parameters.value(k))
        }
        return ScriptRecord(names: names, values: values)
    }
}
