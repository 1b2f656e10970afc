import Foundation

/// The file formats a figure is written in, named by the path's extension (any case).
public enum FigureFormat: String, Sendable, CaseIterable {
    /// Standalone SVG 1.1 text: its size grows with the points drawn.
    case svg
    /// A PNG image drawn by cairo: its size grows with the pixels.
    case png

    /// The format `url`'s extension names, or nil for any other extension.
    public init?(url: URL) {
        self.init(rawValue: url.pathExtension.lowercased())
    }

    /// The format `path`'s extension names, or nil for any other extension.
    public init?(path: String) {
        self.init(url: URL(fileURLWithPath: path))
    }
}
