import Sensing
import Tensor

/// `gd` on a factor model: `gd(problem, init: asym(F0, G0), lr: …, steps: …)` (or a matrix `U`
/// on a problem of d₁×d₂ matrices). Same arguments as the symmetric `gd`, in the same positions;
/// `targets` belong to the symmetric runs; `kernel` picks the rows pass or the Gram route
/// (`DenseNormalEquations`) for the unrecorded steps of a dense ensemble; `metrics` and `stop`
/// see the factors (``RunWatchArgument``); `blowup` sets the blow-up guard's multiple.
enum ModelRunBuiltin {
    /// Runs when the problem is on d₁×d₂ matrices; `nil` hands back to the symmetric `gd`.
    static func gd(_ args: Arguments, events: RunEvents) throws -> Value? {
        guard let problem = try ModelDispatch.matrixProblem(args, model: "init") else { return nil }
        let model = try ModelDispatch.model(args["init"])
        let optimizer = try SensingLibrary.optimizerOption(args, 7)
        guard try args.list(10).items.isEmpty else {
            throw ScriptError("targets are for the symmetric UUᵀ runs; a model run records dist1… to the truncations of M*")
        }
        var options = ModelRunOptions(lr: try SensingLibrary.schedule(args, 2), steps: try args.integer(3), every: try args.integer(4))
        options.kernel = try args.option("kernel", as: StepKernel.self)
        options.gramAllowance = { bytes in args.refusal(bytes, for: "the Gram matrix G of kernel \"gram\"") }
        if case .number(let tol) = args[5] { options.tolerance = tol }
        options.blowup = try SensingLibrary.blowupOption(args, 13)
        let watch = try RunWatchArgument(args, metrics: 12, stop: 6)
        options.watch = watch?.watch
        let progress = events.begin(label: "gd", total: options.steps)
        defer { progress.finish() }
        options.onRow = { row in progress.row(columns: row.columns, values: row.values) }
        options.shouldCancel = { progress.tick() }
        let run = try problem.run(from: model, optimizer: optimizer, options: options)
        try SensingLibrary.checkCancelled(progress, run.stopReason)
        try watch?.rethrow()
        return .object(ModelRunObject(run))
    }
}
