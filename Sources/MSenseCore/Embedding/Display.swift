/// Something a script shows rather than prints (a figure made without a file path, or `show`),
/// in every format the host may choose from, best first.
///
/// A notebook front end sends all representations and lets the client pick; a terminal host may
/// write the PNG to a file. The data is complete and self-contained (a standalone SVG document,
/// a PNG file's bytes).
public struct Display: Sendable {
    /// One encoding of the shown item.
    public struct Representation: Sendable {
        /// The MIME type: `image/png`, `image/svg+xml` or `text/plain`.
        public let mimeType: String
        /// The encoded bytes (UTF-8 for the text types).
        public let data: [UInt8]

        /// `data` encoded as `mimeType`.
        public init(mimeType: String, data: [UInt8]) {
            self.mimeType = mimeType
            self.data = data
        }
    }

    /// The encodings, best first.
    public let representations: [Representation]

    /// An item shown as `representations`, best first.
    public init(representations: [Representation]) {
        self.representations = representations
    }
}

extension Interpreter {
    /// Receives what scripts show (figures made without a path, `show(...)`), on the
    /// interpreter's thread, while the script runs. When nil (the default), showing is an
    /// error that asks for a file path. Set it before running.
    public var onDisplay: (@Sendable (Display) -> Void)? {
        get { runtime.display }
        set { runtime.display = newValue }
    }
}

extension Arguments {
    /// Whether the host shows displays (``Interpreter/onDisplay`` is set), for builtins that show
    /// figures.
    public var hostDisplays: Bool { runtime.display != nil }

    /// Sends `item` to the host's display; false (nothing sent) when the host shows nothing.
    @discardableResult
    public func display(_ item: Display) -> Bool {
        guard let display = runtime.display else { return false }
        display(item)
        return true
    }
}
