/// Hints for named arguments spelled as other tools spell them (`eta:` or `learning_rate:` for
/// `lr:`, `n_iter:` for `steps:`), which edit distance alone would match to an unrelated
/// parameter (`eta` is two edits from `beta`, the momentum).
enum ParameterSynonyms {
    private static let targets: [String: (name: String, meaning: String)] = [
        "eta": ("lr", "the learning rate η"),
        "learning_rate": ("lr", "the learning rate η"),
        "step_size": ("lr", "the learning rate η"),
        "stepsize": ("lr", "the learning rate η"),
        "n_steps": ("steps", "the number of steps"),
        "num_steps": ("steps", "the number of steps"),
        "iterations": ("steps", "the number of steps"),
        "n_iter": ("steps", "the number of steps"),
        "max_iter": ("steps", "the number of steps"),
        "log_every": ("every", "the recording interval"),
        "print_every": ("every", "the recording interval"),
    ]

    /// The hint for `label` when it is another tool's name for one of `parameters`, else nil.
    static func hint(_ label: String, among parameters: [String]) -> String? {
        guard let target = targets[label], parameters.contains(target.name) else { return nil }
        return "did you mean '\(target.name)'? msense calls \(target.meaning) '\(target.name)'"
    }
}
