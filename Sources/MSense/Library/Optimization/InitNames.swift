import MSenseCore

/// The names of a record `init` checked against the parameters of a script objective `f` before
/// `minimize` runs: each name must be one of f's parameters (a misspelt one is refused with "did
/// you mean"), each parameter without a default must have a value, and the values are put in
/// f's parameter order, since f is called with them in order. With a mini-batch the last
/// parameter receives the batch's indices, so the names must be all the others.
enum InitNames {
    static func match(_ parameters: ParameterSet, to f: ScriptFunction, batched: Bool) throws -> ParameterSet {
        let objective = f.name == "<anonymous>" ? "the objective" : f.name
        let takes = batched ? Array(f.parameterNames.dropLast()) : f.parameterNames
        let listed = "f takes " + (takes.isEmpty ? "no parameters" : takes.joined(separator: ", "))
            + (batched && !f.parameterNames.isEmpty ? " (and the batch's indices as \(f.parameterNames[f.parameterNames.count - 1]))" : "")
        for name in parameters.names where !takes.contains(name) {
            let suggestion = Suggestions.didYouMean(name, among: takes.filter { !parameters.names.contains($0) })
            throw ScriptError("init names '\(name)', which is not a parameter of \(objective)",
                              hint: [suggestion, listed].compactMap { $0 }.joined(separator: "; "))
        }
        let required = batched ? takes.count : min(f.requiredParameterCount, takes.count)
        // f is called with the named values in its order, so they must be a leading run of its
        // parameters: refused when a parameter without a default is left out, or when one is
        // left out before a parameter that init names.
        let given = takes.prefix { parameters.names.contains($0) }
        if let missing = takes.first(where: { !parameters.names.contains($0) }), given.count < max(required, parameters.names.count) {
            throw ScriptError("init gives no value for '\(missing)', a parameter of \(objective)",
                              hint: listed + "; init names them, e.g. {" + takes.map { "\($0): …" }.joined(separator: ", ") + "}")
        }
        let order = given.compactMap { parameters.names.firstIndex(of: $0) }
        return ParameterSet(names: order.map { parameters.names[$0] }, values: order.map { parameters.values[$0] },
                            isNumber: order.map { parameters.isNumber[$0] })
    }
}
