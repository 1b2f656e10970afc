import MSense

// Which run events the host's msense_event_fn receives: msense_set_events (see
// include/msense.h), the C form of `Interpreter.runEventKinds`.

@_cdecl("msense_set_events")
public func msense_set_events(_ handle: OpaquePointer?, _ mask: UInt32) -> Int32 {
    let function = "msense_set_events"
    guard let box = HandleTable.shared.lookup(handle, as: InterpreterBox.self) else {
        return Misuse.report("\(function): not a live interpreter handle", MSenseStatus.misuse)
    }
    let kinds = RunEventKinds(rawValue: mask)
    guard RunEventKinds.all.isSuperset(of: kinds) else {
        return Misuse.report("\(function): mask \(mask) has bits other than MSENSE_EVENTS_STARTED, _ROW, _PROGRESS and _FINISHED (MSENSE_EVENTS_ALL is \(RunEventKinds.all.rawValue))",
                             MSenseStatus.misuse)
    }
    return box.exclusive(function) {
        box.interpreter.runEventKinds = kinds
        return MSenseStatus.ok
    }
}
