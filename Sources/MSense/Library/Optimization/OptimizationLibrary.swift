import MSenseCore

/// Optimization: optimizer values and `minimize` (docs/optimizers.md).
enum OptimizationLibrary {
    static func builtins(_ context: LibraryContext) -> [Builtin] {
        OptimizerBuiltins.builtins
            + [MinimizeBuiltin.builtin(random: context.random, events: context.events, access: context.accessReader)]
    }
}
