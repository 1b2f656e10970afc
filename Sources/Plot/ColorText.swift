/// The colours a series may be given, as text: `#rrggbb`, `#rgb` (each digit doubled) or one of
/// the CSS names in ``names``, case-insensitive. Both renderers receive the `#RRGGBB` form, so a
/// colour means the same in SVG and PNG and nothing but hex digits reaches the SVG text.
public enum ColorText {
    /// `text` as `#RRGGBB`, or nil when it is not a colour.
    public static func hex(_ text: String) -> String? {
        let lower = text.lowercased()
        if let named = names[lower] { return named }
        guard lower.hasPrefix("#") else { return nil }
        let digits = Array(lower.dropFirst())
        guard digits.allSatisfy(\.isHexDigit), digits.allSatisfy(\.isASCII) else { return nil }
        switch digits.count {
        case 6: return "#" + String(digits).uppercased()
        case 3: return "#" + digits.map { "\($0)\($0)" }.joined().uppercased()
        default: return nil
        }
    }

    /// The CSS colour names accepted, with their CSS values: the sixteen basic colours and the
    /// few others plots use most.
    public static let names: [String: String] = [
        "black": "#000000", "silver": "#C0C0C0", "gray": "#808080", "grey": "#808080", "white": "#FFFFFF",
        "maroon": "#800000", "red": "#FF0000", "purple": "#800080", "fuchsia": "#FF00FF", "magenta": "#FF00FF",
        "green": "#008000", "lime": "#00FF00", "olive": "#808000", "yellow": "#FFFF00", "navy": "#000080",
        "blue": "#0000FF", "teal": "#008080", "aqua": "#00FFFF", "cyan": "#00FFFF", "orange": "#FFA500",
        "brown": "#A52A2A", "pink": "#FFC0CB", "gold": "#FFD700", "darkgray": "#A9A9A9", "darkgrey": "#A9A9A9",
        "lightgray": "#D3D3D3", "lightgrey": "#D3D3D3", "darkblue": "#00008B", "darkgreen": "#006400",
        "darkred": "#8B0000", "darkorange": "#FF8C00", "steelblue": "#4682B4", "crimson": "#DC143C",
    ]
}
