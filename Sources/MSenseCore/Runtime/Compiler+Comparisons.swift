extension Compiler {
    /// `a < b` (and `<=`, `>`, `>=`) as a value: a bool for numbers and strings, a mask for
    /// lists and matrices (see ``VectorArithmetic/compare(_:_:_:_:)``).
    func orderingValue(_ op: BinaryOperator, _ lhs: Expr, _ rhs: Expr, _ site: Site) -> Eval {
        let l = expression(lhs), r = expression(rhs)
        return { f in
            let a = try l(f), b = try r(f)
            if case .number(let x) = a, case .number(let y) = b { return .bool(Operators.ordered(op, x, y)) }
            return try VectorArithmetic.compare(op, a, b, site)
        }
    }
}
