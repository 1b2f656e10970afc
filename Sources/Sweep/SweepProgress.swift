/// How far a sweep has got: reported after every finished point.
public struct SweepProgress: Sendable, Hashable {
    /// Points finished (succeeded or failed).
    public var done: Int
    /// Points in the run.
    public var total: Int
    /// Points among `done` that failed.
    public var failed: Int

    public init(done: Int, total: Int, failed: Int) {
        self.done = done
        self.total = total
        self.failed = failed
    }
}
