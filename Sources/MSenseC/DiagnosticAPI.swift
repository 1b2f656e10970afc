import MSense

// The last run's diagnostics: msense_diagnostic_count, msense_diagnostic_text,
// msense_diagnostic_position.

@_cdecl("msense_diagnostic_count")
public func msense_diagnostic_count(_ handle: OpaquePointer?) -> Int {
    guard let box = HandleTable.shared.lookup(handle, as: InterpreterBox.self) else {
        return Misuse.report("msense_diagnostic_count: not a live interpreter handle", 0)
    }
    return box.diagnostics.count
}

/// Field numbers of `msense_diagnostic_field` in the header.
private enum Field: Int32 {
    case severity = 0, path, message, hint, sourceLine, rendered, renderedInColor
}

@_cdecl("msense_diagnostic_text")
public func msense_diagnostic_text(_ handle: OpaquePointer?, _ index: Int, _ field: Int32) -> UnsafePointer<CChar>? {
    guard let texts = diagnostic(handle, index, "msense_diagnostic_text") else { return nil }
    switch Field(rawValue: field) {
    case .severity: return texts.severity.constPointer
    case .path: return texts.path.constPointer
    case .message: return texts.message.constPointer
    case .hint: return texts.hint?.constPointer
    case .sourceLine: return texts.sourceLine.constPointer
    case .rendered: return texts.rendered.constPointer
    case .renderedInColor: return texts.renderedInColor.constPointer
    case nil: return Misuse.report("msense_diagnostic_text: unknown field \(field)", nil)
    }
}

@_cdecl("msense_diagnostic_position")
public func msense_diagnostic_position(_ handle: OpaquePointer?, _ index: Int,
                                       _ line: UnsafeMutablePointer<Int>?, _ column: UnsafeMutablePointer<Int>?) -> Int32 {
    guard let texts = diagnostic(handle, index, "msense_diagnostic_position") else { return MSenseStatus.misuse }
    line?.pointee = texts.diagnostic.line
    column?.pointee = texts.diagnostic.column
    return MSenseStatus.ok
}

private func diagnostic(_ handle: OpaquePointer?, _ index: Int, _ function: String) -> DiagnosticTexts? {
    guard let box = HandleTable.shared.lookup(handle, as: InterpreterBox.self) else {
        return Misuse.report("\(function): not a live interpreter handle", nil)
    }
    guard index >= 0, index < box.diagnostics.count else {
        return Misuse.report("\(function): index \(index) is outside the \(box.diagnostics.count) diagnostics", nil)
    }
    return box.diagnostics[index]
}
