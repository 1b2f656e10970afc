/// Values kept for some of a tape's nodes, by node position: an array of optionals indexed by
/// position rather than a hashed dictionary, since positions are small dense integers and every
/// pending operation looks one up (hashing an `Int` costs more than the whole array access).
/// The dictionary operations the tape uses; a position outside the array reads as absent.
struct NodeTable<Element> {
    private var slots: [Element?] = []
    /// The number of positions holding a value.
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    /// The value at `position`, nil when there is none; setting nil removes it.
    subscript(position: Int) -> Element? {
        get { position >= 0 && position < slots.count ? slots[position] : nil }
        set {
            guard position >= 0 else { return }
            if position >= slots.count {
                guard newValue != nil else { return }
                if slots.isEmpty { slots.reserveCapacity(max(16, position + 1)) }  // a small function's nodes
                slots.append(contentsOf: repeatElement(nil, count: position + 1 - slots.count))
            }
            let had = slots[position] != nil, has = newValue != nil
            count += (has ? 1 : 0) - (had ? 1 : 0)
            slots[position] = newValue
        }
    }

    /// Removes and returns the value at `position`, if any.
    mutating func removeValue(forKey position: Int) -> Element? {
        let value = self[position]
        if value != nil { self[position] = nil }
        return value
    }

    /// Whether `position` holds a value.
    func contains(_ position: Int) -> Bool { self[position] != nil }
}

extension NodeTable where Element == Void {
    /// Marks `position` (a set of positions).
    mutating func insert(_ position: Int) { self[position] = () }
}
