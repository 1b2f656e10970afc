import Foundation
import MSense
import Synchronization

/// What an `msense_interpreter *` stands for: the interpreter, the host's callbacks, and the
/// texts the library has handed out (diagnostics, completions, help) that must stay valid until
/// the next call that replaces them.
final class InterpreterBox: @unchecked Sendable {
    // Safety: `interpreter` follows its own rules (one caller at a time, `cancel` from any
    // thread); `running` enforces the one-caller rule; the caches are only touched by the
    // thread that owns the interpreter, as the header states.
    let interpreter: Interpreter
    let callbacks: Callbacks
    /// True while a run is in progress (a second run from a callback or another thread is a misuse).
    let running = Atomic<Bool>(false)
    /// The last run's diagnostics.
    var diagnostics: [DiagnosticTexts] = []
    /// The last `msense_complete` candidates, `msense_globals` names, `msense_help` text.
    var completions: [CText] = []
    var globalNames: [CText] = []
    var help: CText?

    init(arguments: [String], callbacks: Callbacks) {
        self.callbacks = callbacks
        interpreter = Interpreter(output: { text in callbacks.write(text) }, arguments: arguments)
        if callbacks.display != nil { interpreter.onDisplay = { item in callbacks.show(item) } }
        if callbacks.event != nil { interpreter.onRunEvent = { event in callbacks.report(event) } }
    }

    /// Runs `body` unless a run is already in progress (then a misuse).
    func exclusive(_ what: String, _ body: () -> Int32) -> Int32 {
        guard running.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else {
            return Misuse.report("\(what): the interpreter is running (calls on one interpreter must not overlap)", MSenseStatus.misuse)
        }
        defer { running.store(false, ordering: .releasing) }
        return body()
    }
}

/// Entry `index` of a list of texts the interpreter behind `handle` handed out (completions,
/// global names), or a misuse naming `function`.
func listedText(_ handle: OpaquePointer?, _ index: Int, _ list: KeyPath<InterpreterBox, [CText]>,
                _ function: String) -> UnsafePointer<CChar>? {
    guard let box = HandleTable.shared.lookup(handle, as: InterpreterBox.self) else {
        return Misuse.report("\(function): not a live interpreter handle", nil)
    }
    let texts = box[keyPath: list]
    guard index >= 0, index < texts.count else {
        return Misuse.report("\(function): index \(index) is outside the \(texts.count) entries", nil)
    }
    return texts[index].constPointer
}

/// One diagnostic's fields as C strings (`msense_diagnostic_text`).
struct DiagnosticTexts {
    let diagnostic: Diagnostic
    let severity: CText
    let path: CText
    let message: CText
    let hint: CText?
    let sourceLine: CText
    let rendered: CText
    let renderedInColor: CText

    init(_ diagnostic: Diagnostic) {
        self.diagnostic = diagnostic
        severity = CText(diagnostic.severity.rawValue)
        path = CText(diagnostic.path)
        message = CText(diagnostic.message)
        hint = diagnostic.hint.map(CText.init)
        sourceLine = CText(diagnostic.sourceLine)
        rendered = CText(diagnostic.rendered(color: false))
        renderedInColor = CText(diagnostic.rendered(color: true))
    }
}

/// The status codes of the header (`MSENSE_OK`…).
enum MSenseStatus {
    static let ok: Int32 = 0
    static let error: Int32 = 1
    static let cancelled: Int32 = 2
    static let misuse: Int32 = -1
}
