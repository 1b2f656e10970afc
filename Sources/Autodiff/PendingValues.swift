import Tensor

/// Values recorded on the tape before they are computed: a measurement `𝒜(M)` and the elementwise
/// expression built on it wait until either a sum consumes them — then one fused pass over the
/// measurements gives the sum and its gradient (``fusedSum(_:divisor:squared:)``) — or anything
/// else needs their values, which *forces* them: they are computed and recorded as the ordinary
/// operations they stand for, and from then on the tape is as if they had been computed at once.
extension Tape {
    /// Records the operation that a pending value stands for, on operands that are no longer
    /// pending; appends exactly one node.
    typealias Replay = (Tape) throws(AutodiffError) -> Variable

    /// A value recorded but not computed: step `step` of the expression `elements`.
    struct PendingValue {
        let elements: MeasuredElements
        let step: Int
        let operands: [Variable]
        let replay: Replay
    }

    /// The pending value of `v`, or nil when `v` is computed (or belongs to another tape).
    func pendingValue(of v: Variable) -> PendingValue? {
        guard !pendingValues.isEmpty, v.tape === identity else { return nil }
        return pendingValues[v.index]
    }

    /// Records a pending `rows×cols` value: step `step` of `elements`, computed from `operands` by
    /// `replay` when forced.
    func recordPending(rows: Int, cols: Int, operands: [Variable], elements: MeasuredElements, step: Int,
                       replay: @escaping Replay) -> Variable {
        let v = appendPlaceholder(rows: rows, cols: cols, inputs: operands)
        recordedPending.insert(v.index)
        pendingValues[v.index] = PendingValue(elements: elements, step: step, operands: operands, replay: replay)
        return v
    }

    /// Computes the pending node `index` and records it in place as the ordinary operation it
    /// stands for, after the pending values it is computed from. These are found by a walk over
    /// the operands and computed in tape order (an operand precedes its consumers), without
    /// recursion: a chain of pending operations as long as a script makes it costs no stack.
    func force(_ index: Int) throws(AutodiffError) {
        guard pendingValues[index] != nil else { return }
        var needed: [Int] = []
        var visited: Set<Int> = [index]
        var unvisited = [index]
        while let i = unvisited.popLast() {
            guard let pending = pendingValues[i] else { continue }
            needed.append(i)
            for operand in pending.operands where pendingValues[operand.index] != nil && !visited.contains(operand.index) {
                visited.insert(operand.index)
                unvisited.append(operand.index)
            }
        }
        for i in needed.sorted() { try computePending(i) }
    }

    /// Computes the pending node `index`, whose operands are computed, in place.
    private func computePending(_ index: Int) throws(AutodiffError) {
        guard let pending = pendingValues.removeValue(forKey: index) else { return }
        do throws(AutodiffError) {
            let before = nodes.count
            let forced = try pending.replay(self)
            guard forced.index == before, nodes.count == before + 1 else {
                throw AutodiffError.invalidArgument("a deferred operation recorded \(nodes.count - before) values instead of one")
            }
            replaceNode(index)
        } catch {
            pendingValues[index] = pending
            throw error
        }
    }

    /// `φ(A)` elementwise, deferred when `A` is pending; nil when it is not.
    func deferredUnary(_ a: Variable, _ function: ElementFunction, replay: @escaping Replay) -> Variable? {
        guard let pending = pendingValue(of: a) else { return nil }
        let step = pending.elements.append(.unary(pending.step, function))
        return recordPending(rows: a.rows, cols: a.cols, operands: [a], elements: pending.elements, step: step, replay: replay)
    }

    /// `φ(A, B)` elementwise (same shape), deferred when `A` or `B` is pending; nil when neither
    /// is. When both are pending on different measurements, `B` is forced and read as an external
    /// operand.
    func deferredBinary(_ a: Variable, _ b: Variable, _ operation: String, _ combination: ElementCombination,
                        replay: @escaping Replay) throws(AutodiffError) -> Variable? {
        var (pa, pb) = (pendingValue(of: a), pendingValue(of: b))
        guard pa != nil || pb != nil else { return nil }
        try checkSameShape(a, b, operation)
        if let x = pa, let y = pb, x.elements !== y.elements {
            _ = try node(b)
            pb = nil
        }
        guard let elements = (pa ?? pb)?.elements else { return nil }
        let sa = try source(a, pa, elements), sb = try source(b, pb, elements)
        let step = elements.append(.binary(sa, sb, combination))
        return recordPending(rows: a.rows, cols: a.cols, operands: [a, b], elements: elements, step: step, replay: replay)
    }

    /// The operand `v` of a step of `elements`: its step when pending, else an external operand.
    private func source(_ v: Variable, _ pending: PendingValue?, _ elements: MeasuredElements) throws(AutodiffError) -> MeasuredElements.Source {
        if let pending { return .step(pending.step) }
        return elements.external(v, try value(v))
    }
}
