/// Which kinds of run events a host hears (``Interpreter/runEventKinds``). A host that draws
/// only a progress bar leaves out `.row`: rows are then neither built nor sent. The bits are
/// `1 << code` for the event codes of the C API (`MSENSE_EVENT_STARTED` = 0, …, so
/// `MSENSE_EVENTS_ROW` = 1 << 1).
public struct RunEventKinds: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// A run started (``RunEvent/started(kind:total:)``).
    public static let started = RunEventKinds(rawValue: 1 << 0)
    /// A trace row was recorded (``RunEvent/row(kind:columns:values:)``).
    public static let row = RunEventKinds(rawValue: 1 << 1)
    /// Throttled progress (``RunEvent/progress(kind:done:total:)``).
    public static let progress = RunEventKinds(rawValue: 1 << 2)
    /// A run ended (``RunEvent/finished(kind:done:total:completed:)``).
    public static let finished = RunEventKinds(rawValue: 1 << 3)
    /// Every kind (the default).
    public static let all: RunEventKinds = [.started, .row, .progress, .finished]
}

extension RunEvent {
    /// Which member of ``RunEventKinds`` this event is (`kind` names the builtin that sent it).
    public var eventKind: RunEventKinds {
        switch self {
        case .started: .started
        case .row: .row
        case .progress: .progress
        case .finished: .finished
        }
    }
}
