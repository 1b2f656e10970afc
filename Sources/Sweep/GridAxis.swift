/// One named axis of a grid: `alpha = [1e-3, 1e-2, 1e-1]` or `ensemble = ["gaussian", "rank1"]`.
public struct GridAxis: Sendable, Hashable, Codable {
    public var name: String
    public var values: [GridValue]

    public init(_ name: String, _ values: [GridValue]) {
        self.name = name
        self.values = values
    }

    /// An axis of numbers.
    public init(_ name: String, numbers: [Double]) {
        self.init(name, numbers.map(GridValue.number))
    }

    /// An axis of strings.
    public init(_ name: String, strings: [String]) {
        self.init(name, strings.map(GridValue.string))
    }
}
