import MSenseCore
import Sensing
import Tensor

/// The parameters of a `minimize` run: their names, their values as matrices (a number held as
/// 1×1) and which of them are numbers, so that every function of the run sees each one as the
/// kind it was given.
///
/// Named by the keys of an `init` record (`{F: F0, G: G0}`), as `x1, x2, …` for a list, `x` for a
/// single number or matrix, and by the model's factor names (`U`; `F, G`; `W1…WN`; `B, A`) for a
/// model.
struct ParameterSet {
    let names: [String]
    var values: [Matrix]
    let isNumber: [Bool]

    /// The parameters of a function objective's `init`: a record, a list, a number or a matrix.
    init(initial value: Value) throws {
        let named: [(String, Value)]
        switch value {
        case .record(let record): named = Array(zip(record.names, record.values))
        case .list(let list): named = list.items.enumerated().map { ("x\($0.offset + 1)", $0.element) }
        case .number, .matrix: named = [("x", value)]
        default:
            throw ScriptError("init must be a record of numbers and matrices ({F: F0, G: G0}), a list of them, a number, a matrix or a model, not \(value.typeName)")
        }
        guard !named.isEmpty else { throw ScriptError("init holds no parameter to optimise") }
        var values: [Matrix] = [], isNumber: [Bool] = []
        for (name, item) in named {
            switch item {
            case .number(let x): values.append(Matrix(column: [x])); isNumber.append(true)
            case .matrix(let m): values.append(m); isNumber.append(false)
            default: throw ScriptError("parameter '\(name)' of init must be a number or a matrix, not \(item.typeName)")
            }
            if let bad = values[values.count - 1].elements.first(where: { !$0.isFinite }) {
                throw ScriptError("parameter '\(name)' of init holds \(Formatting.number(bad)); initial values must be finite")
            }
        }
        self.init(names: named.map(\.0), values: values, isNumber: isNumber)
    }

    /// The factors of a model, by their names.
    init(model: FactorModel) {
        self.init(names: model.factorNames, values: model.factors, isNumber: model.factors.map { _ in false })
    }

    init(names: [String], values: [Matrix], isNumber: [Bool]) {
        self.names = names
        self.values = values
        self.isNumber = isNumber
    }

    /// Parameter `k` as scripts see it.
    func value(_ k: Int) -> Value { Self.value(values[k], isNumber: isNumber[k]) }

    /// The parameters as scripts see them, in order.
    var list: [Value] { values.indices.map(value) }

    /// `{name: value, …}`.
    var record: Value { .record(ScriptRecord(names: names, values: list)) }

    /// `matrices` (one per parameter, e.g. gradients) as a record by name, each of its
    /// parameter's kind.
    func record(of matrices: [Matrix]) -> Value {
        .record(ScriptRecord(names: names, values: zip(matrices, isNumber).map { Self.value($0, isNumber: $1) }))
    }

    /// The values of `record` (e.g. what a custom rule returns as `params`), one per parameter,
    /// each of its parameter's kind and shape; `what` names the record in errors.
    func values(from value: Value, _ what: String) throws -> [Matrix] {
        guard case .record(let record) = value else { throw ScriptError("\(what) must be a record of the parameters by name, got \(value.typeName)") }
        if let extra = record.names.first(where: { !names.contains($0) }) {
            throw ScriptError("\(what) has '\(extra)', which is not a parameter of this run",
                              hint: "the parameters are \(names.joined(separator: ", "))")
        }
        return try names.indices.map { k in
            let name = names[k]
            guard let item = record[name] else {
                throw ScriptError("\(what) has no '\(name)'", hint: "it must hold every parameter: \(names.joined(separator: ", "))")
            }
            let shape = values[k]
            switch item {
            case .number(let x) where isNumber[k]: return Matrix(column: [x])
            case .matrix(let m) where !isNumber[k] && m.rows == shape.rows && m.cols == shape.cols: return m
            default:
                let expected = isNumber[k] ? "a number" : "a \(TensorError.format(shape.shape)) matrix"
                let found = if case .matrix(let m) = item { "a \(TensorError.format(m.shape)) matrix" } else { withArticle(item.typeName) }
                throw ScriptError("\(what).\(name) must be \(expected) like the parameter, got \(found)")
            }
        }
    }

    private static func value(_ m: Matrix, isNumber: Bool) -> Value {
        isNumber ? .number(m.elements.first ?? .nan) : .matrix(m)
    }
}
