/// The syntax tree. Every node carries its `Span`; the resolver writes its findings (variable
/// slots, frame sizes) into the few mutable fields, and the compiler reads them.
///
/// Nodes are classes so those annotations can be attached in place without rebuilding the tree.

/// Binary operators, by the token that spells them.
enum BinaryOperator: String {
    case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"
    case power = "^", matrixProduct = "@"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case and, or
}

/// Where a name lives at run time, decided by the resolver.
enum VariableSlot: Equatable {
    /// Not resolved (a resolution error was reported).
    case unresolved
    /// Slot `index` of the current call frame.
    case local(Int)
    /// Slot `index` of the frame `depth` levels out along the closure chain.
    case enclosing(depth: Int, index: Int)
    /// Global variable number `index`.
    case global(Int)
}

/// A use of a name in an expression; `slot` is filled in by the resolver.
final class NameReference {
    let name: String
    var slot: VariableSlot = .unresolved
    init(_ name: String) { self.name = name }
}

/// An expression node.
final class Expr {
    let span: Span
    let kind: ExprKind
    /// Length of the longest path of nested expressions below and including this node
    /// (function literal bodies included); the parser bounds it so later recursive stages
    /// cannot exhaust the stack.
    let height: Int
    init(_ kind: ExprKind, _ span: Span, height: Int = 1) {
        self.kind = kind
        self.span = span
        self.height = height
    }
}

/// One piece of an interpolated string.
enum InterpolationPiece {
    case text(String)
    case expression(Expr)
}

/// A `name: value` field of a record literal.
struct RecordFieldSyntax {
    let name: String
    let nameSpan: Span
    let value: Expr
}

/// One argument of a call, positional (`label == nil`) or named.
struct ArgumentSyntax {
    let label: String?
    let labelSpan: Span?
    let value: Expr
}

/// One item between the brackets of an index: an expression or a slice `lo:hi`.
enum IndexItemSyntax {
    case single(Expr)
    case slice(lower: Expr?, upper: Expr?, span: Span)
}

/// The kinds of expression.
enum ExprKind {
    case number(Double)
    case string(String)
    case interpolation([InterpolationPiece])
    case bool(Bool)
    case nilLiteral
    case name(NameReference)
    case list([Expr])
    case matrix([[Expr]])
    case record([RecordFieldSyntax])
    case negate(Expr)
    case not(Expr)
    case binary(BinaryOperator, Expr, Expr)
    case range(Expr, Expr, inclusive: Bool)
    case call(Expr, [ArgumentSyntax])
    case index(Expr, [IndexItemSyntax])
    case field(Expr, name: String, nameSpan: Span)
    case transpose(Expr)
    case function(FunctionDecl)
}

/// A parameter of a function: its name, optional default expression, and frame slot.
final class ParameterDecl {
    let name: String
    let span: Span
    let defaultValue: Expr?
    init(name: String, span: Span, defaultValue: Expr?) {
        self.name = name
        self.span = span
        self.defaultValue = defaultValue
    }
}

/// The body of a function: a block, or the single expression after `=>`.
enum FunctionBody {
    case block([Stmt])
    case expression(Expr)
}

/// A function, named (`fn f(a) { … }` statement) or anonymous (`fn(a) => …`).
final class FunctionDecl {
    /// The name, or `nil` for an anonymous function.
    let name: String?
    let nameSpan: Span
    let parameters: [ParameterDecl]
    let body: FunctionBody
    /// Slot the statement form stores the function in (resolver).
    var slot: VariableSlot = .unresolved
    /// Number of local slots a call frame needs (parameters first), set by the resolver.
    var frameSize = 0
    /// The slots a call clears when it returns, set by the resolver: when the body makes
    /// functions (which hold the call's frame), every slot none of them mentions; otherwise none,
    /// as the frame is freed with the call.
    var releasedAtReturn: [Int] = []
    init(name: String?, nameSpan: Span, parameters: [ParameterDecl], body: FunctionBody) {
        self.name = name
        self.nameSpan = nameSpan
        self.parameters = parameters
        self.body = body
    }
    /// The name shown in tracebacks and when the function is printed.
    var displayName: String { name ?? "<anonymous>" }
}

/// `let name = value`.
final class LetDecl {
    let name: String
    let nameSpan: Span
    let value: Expr
    var slot: VariableSlot = .unresolved
    init(name: String, nameSpan: Span, value: Expr) {
        self.name = name
        self.nameSpan = nameSpan
        self.value = value
    }
}

/// `for name in iterable { body }`.
final class ForDecl {
    let name: String
    let nameSpan: Span
    let iterable: Expr
    let body: [Stmt]
    var slot: VariableSlot = .unresolved
    init(name: String, nameSpan: Span, iterable: Expr, body: [Stmt]) {
        self.name = name
        self.nameSpan = nameSpan
        self.iterable = iterable
        self.body = body
    }
}

/// `try { body } catch name { handler }`: an error raised while `body` runs is bound to `name`
/// (a record) and `handler` runs.
final class TryDecl {
    let body: [Stmt]
    let name: String
    let nameSpan: Span
    let handler: [Stmt]
    var slot: VariableSlot = .unresolved
    init(body: [Stmt], name: String, nameSpan: Span, handler: [Stmt]) {
        self.body = body
        self.name = name
        self.nameSpan = nameSpan
        self.handler = handler
    }
}

/// `import "path"`; the resolver attaches the loaded module.
final class ImportDecl {
    let path: String
    let pathSpan: Span
    var module: Module?
    init(path: String, pathSpan: Span) {
        self.path = path
        self.pathSpan = pathSpan
    }
}

/// The operator of an assignment statement.
enum AssignOperator {
    case assign, add, subtract, multiply, divide
    /// The binary operator of a compound assignment (`+=` is `+`).
    var binary: BinaryOperator? {
        switch self {
        case .assign: nil
        case .add: .add
        case .subtract: .subtract
        case .multiply: .multiply
        case .divide: .divide
        }
    }
}

/// A statement node.
final class Stmt {
    let span: Span
    let kind: StmtKind
    init(_ kind: StmtKind, _ span: Span) {
        self.kind = kind
        self.span = span
    }
}

/// One `if`/`else if` clause.
struct ConditionalClause {
    let condition: Expr
    let body: [Stmt]
}

/// The kinds of statement.
enum StmtKind {
    case letBinding(LetDecl)
    case function(FunctionDecl)
    case assign(target: Expr, op: AssignOperator, value: Expr)
    case ifChain([ConditionalClause], elseBody: [Stmt]?)
    case forLoop(ForDecl)
    case whileLoop(condition: Expr, body: [Stmt])
    case tryCatch(TryDecl)
    case breakLoop
    case continueLoop
    case returnValue(Expr?)
    case importFile(ImportDecl)
    case expression(Expr)
}
