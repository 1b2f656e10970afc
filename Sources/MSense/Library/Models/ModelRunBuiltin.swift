import Sensing
import Tensor

/// `gd` on a factor model: `gd(problem, init: asym(F0, G0), lr: …, steps: …)` (or a matrix `U`
/// on a problem of d₁×d₂ matrices). The same arguments as the symmetric `gd`, read by name;
/// `targets` belong to the symmetric runs; `kernel` picks the rows pass or the Gram route
/// (`DenseNormalEquations`) for the unrecorded steps of a dense ensemble; `metrics` and `stop`
/// see the factors (``RunWatchArgument``); `blowup` sets the blow-up guard's multiple.
enum ModelRunBuiltin {
    /// Runs when the problem is on d₁×d₂ matrices; `nil` hands back to the symmetric `gd`.
    static func gd(_ args: Arguments, events: RunEvents) throws -> Value? {
        guard let problem = try ModelDispatch.matrixProblem(args, model: "init") else { return nil }
        let model = try ModelDispatch.model(args["init"])
        let optimizer = try Optimizer(args)
        guard try args.list("targets").items.isEmpty else {
            throw ScriptError("targets are for the symmetric UUᵀ runs; a model run records dist1… to the truncations of M*")
        }
        var options = ModelRunOptions(lr: try SensingLibrary.schedule(args, "lr"), steps: try args.integer("steps"), every: try args.integer("every"))
        options.kernel = try args.option("kernel", as: StepKernel.self)
        options.gramAllowance = { bytes in args.refusal(bytes, for: "the Gram matrix G of kernel \"gram\"") }
        options.shouldCancelSetUp = { events.isCancelled() }
        if case .number(let tol) = args["tol"] { options.tolerance = tol }
        options.blowup = try SensingLibrary.blowup(args)
        let watch = try RunWatchArgument(args)
        options.watch = watch?.watch
        let progress = events.begin(label: "gd", total: options.steps)
        defer { progress.finish() }
        options.onRow = progress.modelRows
        options.shouldCancel = { progress.tick() }
        let run = try problem.run(from: model, optimizer: optimizer, options: options)
        try SensingLibrary.checkCancelled(progress, run.stopReason, partial: PartialRun(step: run.lastStep, trace: run.trace, model: run.model))
        try watch?.rethrow()
        progress.complete()
        return .object(ModelRunObject(run))
    }
}
