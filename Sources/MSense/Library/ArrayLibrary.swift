import Tensor

/// Building and rearranging matrices: vec, reshape, hstack, vstack, kron, triu, tril, where
/// (the arithmetic is in Tensor's `Reshaping`).
enum ArrayLibrary {
    /// A value as a matrix: a matrix as is, a number as 1×1, a list or range of numbers as a
    /// column (`asRow` makes it a row, as vstack stacks 1-d values).
    static func matrix(_ value: Value, _ what: String, asRow: Bool = false) throws -> Matrix {
        switch value {
        case .matrix(let m): return m
        case .number(let x): return Matrix(column: [x])
        case .list, .range:
            let xs = try StatisticsLibrary.values(value, what)
            return asRow ? Matrix(uncheckedRows: 1, cols: xs.count, elements: xs) : Matrix(column: xs)
        case .object(let array as ArrayObject):
            throw ScriptError("\(what) is an array of shape \(TensorError.format(array.array.shape))",
                              hint: "index it to a matrix (A[i]) or flatten it with reshape(A, rows, cols)")
        default:
            throw ScriptError("\(what) must be a matrix or a list of numbers, got \(value.typeName)")
        }
    }

    /// The parts of hstack/vstack: the variadic arguments, or the items of a single list of
    /// matrices.
    private static func parts(_ args: Arguments, asRow: Bool) throws -> [Matrix] {
        var values = args.rest
        if values.count == 1, case .list(let list) = values[0],
           list.items.contains(where: { if case .number = $0 { return false } else { return true } }) {
            values = list.items
        }
        return try values.enumerated().map { i, v in try matrix(v, "part \(i + 1)", asRow: asRow) }
    }

    /// The diagonal offset argument `k`, clamped to ±(2³¹ − 1).
    private static func offset(_ args: Arguments) throws -> Int {
        let k = try args.integer("k")
        return max(-Int(Int32.max), min(Int(Int32.max), k))
    }

    static let builtins: [Builtin] = [
        Builtin(name: "vec", doc: "vec(M): the columns of a matrix stacked into one column (column-major, so vec(A X B) = (Bᵀ ⊗ A) vec(X)); a list or range of numbers becomes a column vector — the conversion that makes a trace column a matrix.",
                parameters: [Parameter("x", doc: "a matrix, a list of numbers or a range")],
                example: """
                    print(vec([1, 2; 3, 4]))  # expect: [1; 3; 2; 4]
                    print(shape(vec([1, 2, 3])))  # expect: [3, 1]
                    """) { args in
            if case .matrix(let m) = args["x"] { return .matrix(m.vectorized) }
            return .matrix(try matrix(args["x"], "x"))
        },
        Builtin(name: "reshape", doc: "The same elements in row-major (C) order as a rows×cols matrix, like NumPy's reshape; takes a matrix, a list of numbers or an array loaded from .npy (an (m, d, d) stack becomes m×d² with reshape(A, m, d*d)).",
                parameters: [Parameter("x"), Parameter("rows"), Parameter("cols")],
                example: """
                    print(reshape([1, 2, 3, 4, 5, 6], 2, 3))  # expect: [1, 2, 3; 4, 5, 6]
                    """) { args in
            let rows = try args.integer("rows"), cols = try args.integer("cols")
            let source: Matrix
            if case .object(let array as ArrayObject) = args["x"] {
                let (shape, count) = (array.array.shape, array.array.elements.count)
                let product = rows.multipliedReportingOverflow(by: cols)
                guard rows >= 0, cols >= 0, !product.overflow, product.partialValue == count else {
                    let text = "(" + shape.map(String.init).joined(separator: ", ") + ")"
                    let example = shape.count < 2 ? "" : ", e.g. reshape(A, \(shape[0]), \(shape.dropFirst().map(String.init).joined(separator: "*")))"
                    throw ScriptError("cannot reshape an array of shape \(text) (\(count) elements) to \(rows)×\(cols)",
                                      hint: "rows × cols must be \(count)\(example)")
                }
                source = Matrix(column: array.array.elements)
            } else {
                source = try matrix(args["x"], "x")
            }
            return .matrix(try source.reshaped(rows: rows, cols: cols))
        },
        Builtin(name: "hstack", doc: "Matrices side by side, [A B …] (all with the same number of rows); lists of numbers count as columns. Takes the parts as arguments or as one list.",
                variadic: Parameter("parts"),
                example: """
                    print(hstack([1; 2], [3, 4; 5, 6]))  # expect: [1, 3, 4; 2, 5, 6]
                    """) { args in
            let parts = try parts(args, asRow: false)
            try args.reserve(8 * Double(parts.reduce(0) { $0 + $1.count }), for: "the stacked matrix")
            return .matrix(try Matrix.horizontalStack(parts))
        },
        Builtin(name: "vstack", doc: "Matrices one above the other, [A; B; …] (all with the same number of columns); lists of numbers count as rows, as in NumPy. Takes the parts as arguments or as one list.",
                variadic: Parameter("parts"),
                example: """
                    print(vstack([1, 2], [3, 4]))  # expect: [1, 2; 3, 4]
                    """) { args in
            let parts = try parts(args, asRow: true)
            try args.reserve(8 * Double(parts.reduce(0) { $0 + $1.count }), for: "the stacked matrix")
            return .matrix(try Matrix.verticalStack(parts))
        },
        Builtin(name: "kron", doc: "The Kronecker product A ⊗ B: the block matrix whose block (i, j) is aᵢⱼ·B, of size (rows_A·rows_B)×(cols_A·cols_B).",
                parameters: [Parameter("A"), Parameter("B")],
                example: """
                    print(kron(eye(2), [1, 2;]))  # expect: [1, 2, 0, 0; 0, 0, 1, 2]
                    """) { args in
            let a = try matrix(args["A"], "A"), b = try matrix(args["B"], "B")
            try args.reserve(8 * Double(a.count) * Double(b.count), for: "the Kronecker product")
            return .matrix(try Matrix.kronecker(a, b))
        },
        Builtin(name: "triu", doc: "The upper triangle of a matrix: elements (i, j) with j − i ≥ k kept, the others 0 (k = 0 keeps the diagonal, 1 starts above it).",
                parameters: [Parameter("M"), Parameter("k", default: .number(0), doc: "the first diagonal kept")],
                example: """
                    print(triu([1, 2; 3, 4]))  # expect: [1, 2; 0, 4]
                    """) { args in
            .matrix(try args.matrix("M").upperTriangle(try offset(args)))
        },
        Builtin(name: "tril", doc: "The lower triangle of a matrix: elements (i, j) with j − i ≤ k kept, the others 0 (k = 0 keeps the diagonal, −1 starts below it).",
                parameters: [Parameter("M"), Parameter("k", default: .number(0), doc: "the last diagonal kept")],
                example: """
                    print(tril([1, 2; 3, 4], -1))  # expect: [0, 0; 3, 0]
                    """) { args in
            .matrix(try args.matrix("M").lowerTriangle(try offset(args)))
        },
        Builtin(name: "where", doc: "where(mask, a, b): elementwise a where the mask is true (non-zero), else b; a and b are numbers or of the mask's shape. where(mask) alone gives the 0-based (row-major) indices of the true elements.",
                parameters: [Parameter("mask", doc: "a comparison result: a 0/1 matrix or a list of bools"),
                             Parameter("a", default: .nil), Parameter("b", default: .nil)],
                example: """
                    let x = [-1, 2; 3, -4]
                    print(where(x > 0, x, 0))  # expect: [0, 2; 3, 0]
                    print(where([3, 8, 1, 9] > 2))  # expect: [0, 1, 3]
                    """) { args in
            let truth = try StatisticsLibrary.values(args["mask"], "mask").map { $0 != 0 }
            switch (args["a"], args["b"]) {
            case (.nil, .nil):
                let positions = truth.indices.filter { truth[$0] }
                try LengthLimits.requireList(positions.count)
                return .list(positions.map { .number(Double($0)) })
            case (.nil, _), (_, .nil):
                throw ScriptError("where takes both a and b, or neither", hint: "where(mask, a, b) picks; where(mask) lists the true positions")
            default: break
            }
            func pick(_ v: Value, _ name: String) throws -> (Int) -> Double {
                if case .number(let x) = v { return { _ in x } }
                let xs = try StatisticsLibrary.values(v, name)
                guard xs.count == truth.count else {
                    throw ScriptError("\(name) has \(counted(xs.count, "element")) but the mask has \(truth.count)")
                }
                return { xs[$0] }
            }
            let a = try pick(args["a"], "a"), b = try pick(args["b"], "b")
            let out = truth.indices.map { truth[$0] ? a($0) : b($0) }
            if case .matrix(let m) = args["mask"] { return .matrix(Matrix(uncheckedRows: m.rows, cols: m.cols, elements: out)) }
            try LengthLimits.requireList(out.count)
            return .list(out.map(Value.number))
        },
    ]
}
