import Foundation
import Tensor

/// A step-size schedule `η_t`, `t = 0, 1, …` the step index.
///
/// | case | `η_t` |
/// | --- | --- |
/// | `constant(η)` | `η` |
/// | `stepDecay(initial: η₀, factor: γ, every: k)` | `η₀ · γ^⌊t/k⌋` |
/// | `cosine(initial: η₀, final: η₁, steps: T)` | `η₁ + (η₀ − η₁)·(1 + cos(π·min(t, T)/T))/2` |
/// | `warmup(steps: W, then: s)` | `s(t)·(t + 1)/W` for `t < W`, `s(t)` afterwards |
/// | `custom(f)` | `f(t)` |
///
/// Every rate used must be a finite number > 0; ``rate(at:)`` throws otherwise.
public indirect enum Schedule {
    /// `η_t = η`.
    case constant(Double)
    /// `η_t = η₀ · γ^⌊t/k⌋`.
    case stepDecay(initial: Double, factor: Double, every: Int)
    /// `η_t = η₁ + (η₀ − η₁)(1 + cos(π·min(t, T)/T))/2`: from `η₀` at `t = 0` to `η₁` at `t ≥ T`.
    case cosine(initial: Double, final: Double, steps: Int)
    /// Linear warm-up over `W` steps: `η_t = s(t)·(t + 1)/W` for `t < W`, then `s(t)`.
    case warmup(steps: Int, then: Schedule)
    /// `η_t = f(t)`; an error thrown by `f` stops the run.
    case custom((Int) throws -> Double)

    /// `η_t` for step `t ≥ 0`.
    ///
    /// - Throws: ``SensingError/invalidArgument(_:)`` for a step `t < 0`, when the schedule's
    ///   parameters are invalid (`every < 1`, `T < 1`, `W < 1`) or `η_t` is not a finite positive
    ///   number.
    public func rate(at t: Int) throws(SensingError) -> Double {
        guard t >= 0 else { throw .invalidArgument("a schedule's step is a number ≥ 0, not \(t)") }
        let eta: Double
        switch self {
        case let .constant(v):
            eta = v
        case let .stepDecay(initial, factor, every):
            guard every >= 1 else { throw .invalidArgument("step decay needs every ≥ 1, not \(every)") }
            eta = initial * pow(factor, Double(t / every))
        case let .cosine(initial, final, steps):
            guard steps >= 1 else { throw .invalidArgument("a cosine schedule needs steps ≥ 1, not \(steps)") }
            let frac = Double(min(t, steps)) / Double(steps)
            eta = final + (initial - final) * (1 + cos(Double.pi * frac)) / 2
            if final == 0, t >= steps {
                throw .invalidArgument(
                    "the cosine schedule reaches a step size of 0 at step \(t); give a final step size > 0 or fewer steps")
            }
        case let .warmup(w, inner):
            guard w >= 1 else { throw .invalidArgument("a warm-up needs steps ≥ 1, not \(w)") }
            let base = try inner.rate(at: t)
            eta = t < w ? base * Double(t + 1) / Double(w) : base
        case let .custom(f):
            do { eta = try f(t) } catch let error as SensingError { throw error } catch {
                throw .functionFailed(what: "the step-size function", step: t, error: CallerError(error))
            }
        }
        guard eta.isFinite, eta > 0 else {
            throw .invalidArgument("the step size at step \(t) is \(NumberText.compact(eta)); it must be a finite number > 0")
        }
        return eta
    }
}
