import MSenseCore
import Sensing
import Tensor

/// What the results of `gd` share, a symmetric run (``Run``) and a factor-model run
/// (``ModelRunResult``): the recorded trace, the phases detected in it, why the run stopped and
/// its last step.
protocol RecordedRun: Sendable {
    var trace: Trace { get }
    var phases: [Phase] { get }
    var stopReason: StopReason { get }
    var lastStep: Int { get }
}

extension Run: RecordedRun {}
extension ModelRunResult: RecordedRun {}

/// The fields and the summary every run object shows the same way.
enum RunFields {
    /// `trace`, `phases`, `stop`, `steps`, and the last row's `loss` and `rel_err`, of the run
    /// `run` reads from an object.
    static func table<Object>(_ run: @escaping @Sendable (Object) -> any RecordedRun) -> FieldTable<Object> {
        FieldTable([
            "trace": { .object(TraceObject(run($0).trace)) },
            "phases": { .list(run($0).phases.map(PhaseValue.make)) },
            "stop": { .string(run($0).stopReason.rawValue) },
            "steps": { .number(Double(run($0).lastStep)) },
            "loss": { run($0).trace.lastValue(.loss) },
            "rel_err": { run($0).trace.lastValue(.relativeError) },
        ])
    }

    /// `N steps, stop: reason, loss: f` and the step each rank was learned at, closing the
    /// `run(…)` text of a run object.
    static func summary(_ run: any RecordedRun) -> String {
        let learned = run.phases.compactMap { phase in phase.step.map { "rank \(phase.k) at \($0)" } }
        return "\(counted(run.lastStep, "step")), stop: \(run.stopReason.rawValue), loss: \(Formatting.display(run.trace.lastValue(.loss)))"
            + (learned.isEmpty ? ")" : ", " + learned.joined(separator: ", ") + ")")
    }
}
