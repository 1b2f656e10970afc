import Foundation
import Tensor

/// Every way a sensing experiment can refuse its inputs or stop abnormally.
///
/// Each case's `description` is a complete sentence a user can act on; nothing in `Sensing`
/// traps on user-supplied sizes or data.
public enum SensingError: Error, Sendable, CustomStringConvertible {
    /// A size or parameter outside its domain (negative `d`, `m = 0`, a step size of 0, …).
    case invalidArgument(String)
    /// Two objects whose shapes must agree, e.g. "U0 is 20×5 but the ground truth is 30×30".
    case shapeMismatch(String)
    /// A NaN or infinity in user-supplied data; the message names the index.
    case nonFinite(String)
    /// A matrix that must be symmetric positive semidefinite is not.
    case notPSD(String)
    /// Dense storage that would not fit in the available memory.
    case insufficientMemory(String)
    /// The loss became NaN or infinite at `step`; `trace` holds the rows recorded before.
    case diverged(step: Int, loss: Double, trace: Trace)
    /// The loss at `step` exceeded `multiple` times its reference (`BlowupGuard`).
    case blewUp(step: Int, loss: Double, multiple: Double, reference: Double)
    /// A numerical failure during a run (e.g. a singular preconditioner for ScaledGD).
    case numerical(String)
    /// A failure reported by the tensor runtime.
    case tensor(TensorError)
    /// A file that could not be written.
    case file(path: String, problem: String)
    /// A function the caller supplied (`what`: "the step-size function") threw `error` at `step`.
    case functionFailed(what: String, step: Int, error: CallerError)
    /// A run that started and then failed with `cause` (divergence, a singular preconditioner…):
    /// `partial` holds what it had done, so a caller can still look at it.
    indirect case interrupted(SensingError, partial: PartialRun)

    /// The failure itself, looking through ``interrupted(_:partial:)``.
    public var underlying: SensingError {
        if case let .interrupted(cause, _) = self { return cause.underlying }
        return self
    }

    public var description: String {
        switch self {
        case let .invalidArgument(message), let .shapeMismatch(message), let .nonFinite(message),
            let .notPSD(message), let .insufficientMemory(message), let .numerical(message):
            return message
        case .diverged, .blewUp:
            return divergence + "; try a smaller lr"
        case let .tensor(error):
            return error.description
        case let .file(path, problem):
            return "\(path): \(problem)"
        case let .functionFailed(what, step, error):
            return "\(what) failed at step \(step): \(error.message)"
        case let .interrupted(.tensor(.limitExceeded(message)), partial):
            // A host's limit or cancel has no step of its own in the message: say where the run stopped.
            return "\(message); the run stopped at step \(partial.step)"
        case let .interrupted(.tensor(.cancelled), partial):
            return "cancelled; the run stopped at step \(partial.step)"
        case let .interrupted(cause, _):
            return cause.description
        }
    }
}

extension SensingError {
    /// What a diverged run's message states, without its advice to lower the learning rate (for
    /// a rule with no learning rate to lower, such as Polyak's, whose caller advises otherwise);
    /// the description of any other error.
    public var divergence: String {
        switch self {
        case let .diverged(step, loss, _):
            return "diverged at step \(step) (loss = \(NumberText.significant(loss, digits: 3)))"
        case let .blewUp(step, loss, multiple, reference):
            return "diverged at step \(step): the loss \(NumberText.significant(loss, digits: 3)) is above blowup = \(NumberText.significant(multiple, digits: 3)) × "
                + "its reference \(NumberText.significant(reference, digits: 3)) (max(f(X₀), f(0)): the larger of the loss at step 0 and the loss at the origin)"
        default:
            return description
        }
    }
}

extension SensingError: ExplainedError {
    /// Advice for the errors a researcher meets most. (Memory refusals carry their own advice in
    /// the message, fitted to what was refused.)
    public var hint: String? {
        switch self {
        case .notPSD: "a ground truth must be symmetric positive semidefinite; try psd(d, eigs: …)"
        case .tensor(let error): error.hint
        case .interrupted(let cause, _): cause.hint
        case .blewUp: "blowup: sets the multiple (default 1e6); blowup: nil turns the guard off"
        case .functionFailed(_, _, let error): (error.error as? any ExplainedError)?.hint
        default: nil
        }
    }
}

extension SensingError: PassingOnError {
    /// The error of the caller's function that ended the run, looking through ``interrupted(_:partial:)``.
    public var passedOn: (any Error)? {
        if case let .functionFailed(_, _, error) = underlying { return error.error }
        return nil
    }
}

/// Runs `body`, turning a ``TensorError`` into ``SensingError/tensor(_:)``.
@inline(__always)
func tensor<T>(_ body: () throws(TensorError) -> T) throws(SensingError) -> T {
    do { return try body() } catch { throw .tensor(error) }
}

/// Formats a shape as `rows×cols`, the way every msense message writes shapes.
func shapeText(_ rows: Int, _ cols: Int) -> String { TensorError.format([rows, cols]) }

/// Throws ``SensingError/nonFinite(_:)`` naming the first NaN/infinite entry of `values`.
///
/// `what` names the object ("y", "U0", …); `index` turns a flat index into the text shown.
func requireFinite(
    _ values: [Double], _ what: String, index: (Int) -> String = { "[\($0)]" }
) throws(SensingError) {
    if let bad = values.firstIndex(where: { !$0.isFinite }) {
        throw .nonFinite("\(what)\(index(bad)) is \(values[bad]); the data must be finite numbers")
    }
}

/// Throws unless `matrix` holds only finite numbers, naming the first bad entry as `what[i, j]`.
func requireFinite(_ matrix: Matrix, _ what: String) throws(SensingError) {
    let cols = max(matrix.cols, 1)
    try requireFinite(matrix.elements, what) { "[\($0 / cols), \($0 % cols)]" }
}
