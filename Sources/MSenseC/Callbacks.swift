import MSense

/// `msense_output_fn`: (user, text, length).
public typealias OutputFunction = @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?, Int) -> Void
/// `msense_display_fn`: (user, count, mime_types, data, sizes).
public typealias DisplayFunction = @convention(c) (UnsafeMutableRawPointer?, Int, UnsafePointer<UnsafePointer<CChar>?>?,
                                                   UnsafePointer<UnsafePointer<UInt8>?>?, UnsafePointer<Int>?) -> Void
/// `msense_event_fn`: (user, event, kind, done, total, count, columns, values).
public typealias EventFunction = @convention(c) (UnsafeMutableRawPointer?, Int32, UnsafePointer<CChar>?, Int64, Int64, Int,
                                                 UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Double>?) -> Void

/// The host's callbacks and their `user` pointer, as given to `msense_new`. The pointer is the
/// host's business: the library only passes it back. Callbacks run on the interpreter's run
/// thread while `msense_run`/`msense_evaluate` blocks the calling thread.
struct Callbacks: @unchecked Sendable {
    // Safety: C function pointers and an opaque pointer the library never dereferences.
    typealias Output = OutputFunction
    typealias Display = DisplayFunction
    typealias Event = EventFunction

    let output: Output?
    let display: Display?
    let event: Event?
    let user: UnsafeMutableRawPointer?

    /// `text` as (pointer, byte length); the pointer is NUL-terminated too.
    func write(_ text: String) {
        guard let output else { return }
        let copy = CText(text)
        output(user, copy.constPointer, copy.length)
    }

    /// One shown item: parallel arrays of MIME types, data pointers and sizes.
    func show(_ item: MSense.Display) {
        guard let display else { return }
        let mimeTypes = item.representations.map { CText($0.mimeType) }
        let buffers = item.representations.map { representation -> UnsafeMutableBufferPointer<UInt8> in
            let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, representation.data.count))
            _ = buffer.initialize(from: representation.data)
            return buffer
        }
        defer { for buffer in buffers { buffer.deallocate() } }
        let typePointers: [UnsafePointer<CChar>?] = mimeTypes.map { $0.constPointer }
        let dataPointers: [UnsafePointer<UInt8>?] = buffers.map { $0.baseAddress.map { UnsafePointer($0) } }
        let sizes = item.representations.map(\.data.count)
        withExtendedLifetime(mimeTypes) {
            display(user, sizes.count, typePointers, dataPointers, sizes)
        }
    }

    /// A run event flattened to the `msense_event_fn` arguments.
    func report(_ runEvent: RunEvent) {
        guard let event else { return }
        switch runEvent {
        case .started(let kind, let total):
            call(event, 0, kind, done: 0, total: total, columns: [], values: [])
        case .row(let kind, let columns, let values):
            call(event, 1, kind, done: 0, total: 0, columns: columns, values: values)
        case .progress(let kind, let done, let total):
            call(event, 2, kind, done: done, total: total, columns: [], values: [])
        case .finished(let kind, let done, let total, let completed):
            // `count` tells whether the run completed (msense.h, MSENSE_EVENT_FINISHED), and is
            // still the number of named values, as for every event: a host that reads `count`
            // columns and values of any event reads the one "completed" = 1 here, not past an
            // empty array.
            call(event, 3, kind, done: done, total: total,
                 columns: completed ? ["completed"] : [], values: completed ? [1] : [])
        }
    }

    private func call(_ event: Event, _ type: Int32, _ kind: String, done: Int, total: Int,
                      columns: [String], values: [Double]) {
        let kindText = CText(kind)
        let names = columns.map(CText.init)
        let namePointers: [UnsafePointer<CChar>?] = names.map { $0.constPointer }
        let count = min(columns.count, values.count)
        withExtendedLifetime((kindText, names)) {
            event(user, type, kindText.constPointer, Int64(done), Int64(total), count, namePointers, values)
        }
    }
}
