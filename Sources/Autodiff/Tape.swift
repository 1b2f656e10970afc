import Tensor

/// A record of matrix operations for reverse-mode automatic differentiation.
///
/// Every operation (``add(_:_:)``, ``matmul(_:_:)``, ``measure(_:_:)``, …) computes its value at
/// once and appends a node holding that value, the nodes it read, and its *pullback*: the map from
/// the adjoint `Ȳ = ∂f/∂Y` of its output to the adjoints of its inputs (the vector–Jacobian
/// product). ``gradients(of:withRespectTo:)`` then walks the nodes backwards once, so the gradient
/// of a scalar with respect to every input costs a small multiple of the forward pass. The
/// pullbacks are whole-matrix operations (BLAS products, array loops), never a per-element
/// interpretation of the recorded program.
///
/// One exception: a measurement through a ``FusedLinearMeasurement`` and the elementwise
/// functions of it are *pending* until a sum of them computes the sum and its gradient in one pass
/// over the measurements (FusedSum.swift), or another operation needs their values and forces
/// them into ordinary nodes (PendingValues.swift).
///
/// A tape is a single-threaded object: record and differentiate on one thread.
public final class Tape {
    /// Given the output's adjoint `Ȳ` and which inputs need one, the inputs' adjoint contributions
    /// (nil where not needed), in the order of the node's inputs.
    typealias Pullback = (_ upstream: Matrix, _ needed: [Bool]) throws(AutodiffError) -> [Matrix?]

    /// One recorded value.
    struct Node {
        let value: Matrix
        /// Where the indices of the nodes this one was computed from are in ``inputIndices``.
        let inputs: Range<Int>
        /// Nil for leaves (``variable(_:)``).
        let pullback: Pullback?
    }

    // The storage below is read and written on every recorded operation. The tape is used from
    // one thread and no method holds an access to it across a call that could reach another,
    // so the runtime's exclusivity checks on it (one per access) are left out.
    @exclusivity(unchecked) private(set) var nodes: [Node] = []
    /// The input indices of every node, one after another (each node owns a range of them),
    /// so recording a node allocates no array of its own.
    @exclusivity(unchecked) private(set) var inputIndices: [Int] = []
    /// The nodes recorded but not yet computed (PendingValues.swift), by position.
    @exclusivity(unchecked) var pendingValues = NodeTable<PendingValue>()
    /// The positions of every node recorded pending, computed since or not.
    @exclusivity(unchecked) var recordedPending = NodeTable<Void>()
    /// Whether a fused sum (FusedSum.swift) has been recorded: its node reads the measured matrix
    /// and the external operands, not the pending values it sums.
    var recordedFusedSum = false
    let identity = TapeIdentity()

    /// An empty tape, with room for a small function's nodes (so recording one does not regrow
    /// the arrays node by node).
    public init() {
        nodes.reserveCapacity(16)
        inputIndices.reserveCapacity(32)
    }

    /// The number of recorded values.
    public var count: Int { nodes.count }

    /// Records `value` as an input: a leaf whose gradient ``gradients(of:withRespectTo:)`` can
    /// return. Constants are leaves too; they cost nothing if no gradient is asked of them.
    public func variable(_ value: Matrix) -> Variable {
        append(value, inputs: [], pullback: nil)
    }

    /// Records the scalar `value` as a `1×1` leaf.
    public func variable(_ value: Double) -> Variable {
        variable(Matrix(column: [value]))
    }

    /// The value of `v`.
    public func value(_ v: Variable) throws(AutodiffError) -> Matrix {
        try node(v).value
    }

    /// The value of the `1×1` variable `v`, e.g. a loss.
    public func scalar(_ v: Variable) throws(AutodiffError) -> Double {
        let value = try node(v).value
        guard value.rows == 1, value.cols == 1 else {
            throw .shapeMismatch("a scalar was expected but the value is \(shapeText(value.rows, value.cols))")
        }
        return value.elements[0]
    }

    /// The node of `v`, after checking that `v` belongs to this tape; a pending value is computed
    /// first (``force(_:)``).
    func node(_ v: Variable) throws(AutodiffError) -> Node {
        guard v.tape === identity, v.index >= 0, v.index < nodes.count else {
            throw .foreignVariable("a \(shapeText(v.rows, v.cols)) variable of another tape cannot be used on this one")
        }
        let node = nodes[v.index]
        // Only a placeholder (no elements, no pullback) can stand for a pending value.
        guard node.pullback == nil, node.value.elements.isEmpty, !pendingValues.isEmpty, pendingValues[v.index] != nil else {
            return node
        }
        try force(v.index)
        return nodes[v.index]
    }

    /// Records the result `value` of an operation on `inputs` with its pullback.
    func record(_ value: Matrix, inputs: [Variable], pullback: @escaping Pullback) -> Variable {
        append(value, inputs: inputs, pullback: pullback)
    }

    /// The indices of the nodes node `index` was computed from.
    func inputs(of index: Int) -> ArraySlice<Int> {
        inputIndices[nodes[index].inputs]
    }

    /// Records a `rows×cols` value that is not computed yet: a node without value or pullback,
    /// replaced by ``replaceNode(_:)`` when it is.
    func appendPlaceholder(rows: Int, cols: Int, inputs: [Variable]) -> Variable {
        _ = append(Matrix(uncheckedRows: 0, cols: 0, elements: []), inputs: inputs, pullback: nil)
        return Variable(tape: identity, index: nodes.count - 1, rows: rows, cols: cols)
    }

    /// Moves the last recorded node to position `index` (a placeholder now computed).
    func replaceNode(_ index: Int) {
        nodes[index] = nodes.removeLast()
    }

    private func append(_ value: Matrix, inputs: [Variable], pullback: Pullback?) -> Variable {
        let first = inputIndices.count
        for input in inputs { inputIndices.append(input.index) }
        nodes.append(Node(value: value, inputs: first..<inputIndices.count, pullback: pullback))
        return Variable(tape: identity, index: nodes.count - 1, rows: value.rows, cols: value.cols)
    }
}
