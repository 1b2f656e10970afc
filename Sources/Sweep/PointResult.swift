import Foundation

/// The record of one finished point: where it is in the grid, what it returned or why it
/// failed, and how long it took.
///
/// This is the content of a point file (`points/<index>.json`, see ``PointStore``):
///
///     {"index": 3, "seed": 1234…, "status": "ok", "elapsed_seconds": 0.42,
///      "values": [{"name": "alpha", "value": 0.01}, …, {"name": "seed_index", "value": 1}],
///      "fields": [{"name": "loss", "value": 1.5e-7}, …]}
///
/// A failed point has `"status": "failed"`, an `"error"` message and no `"fields"`.
public struct PointResult: Sendable, Hashable {
    /// What a point produced.
    public enum Outcome: Sendable, Hashable {
        /// The point ran and returned these fields.
        case ok(PointFields)
        /// The point threw; the failure is kept for the table's `error` column.
        case failed(PointFailure)
    }

    /// The point's index in the grid.
    public let index: Int
    /// The point's coordinates (axes, then `seed_index`).
    public let values: [NamedValue]
    /// The point's derived seed.
    public let seed: UInt64
    public let outcome: Outcome
    /// Wall-clock seconds the point took (0 for a failure recorded without running).
    public let elapsedSeconds: Double

    public init(index: Int, values: [NamedValue], seed: UInt64, outcome: Outcome, elapsedSeconds: Double) {
        self.index = index
        self.values = values
        self.seed = seed
        self.outcome = outcome
        self.elapsedSeconds = elapsedSeconds
    }

    /// The record of `point` with `outcome`.
    public init(point: GridPoint, outcome: Outcome, elapsedSeconds: Double) {
        self.init(
            index: point.index, values: point.values, seed: point.seed, outcome: outcome,
            elapsedSeconds: elapsedSeconds)
    }

    /// True when the point failed.
    public var isFailure: Bool {
        if case .failed = outcome { return true }
        return false
    }

    /// The point file's bytes: pretty-printed JSON with sorted keys (stable, diff-friendly).
    public func jsonData() throws(SweepError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            return try encoder.encode(self)
        } catch {
            throw .invalidArgument("point \(index) could not be written as JSON: \(error)")
        }
    }

    /// A result read back from a point file's bytes; `path` names the file in errors.
    ///
    /// - Throws: ``SweepError/file(path:problem:)`` when the bytes are not a point record.
    public static func decode(_ data: Data, path: String) throws(SweepError) -> PointResult {
        do {
            return try JSONDecoder().decode(PointResult.self, from: data)
        } catch let error as DecodingError {
            throw .file(path: path, problem: "is not a valid point file (\(describe(error)))")
        } catch {
            throw .file(path: path, problem: "is not a valid point file (\(error))")
        }
    }
}

extension PointResult: Codable {
    private enum CodingKeys: String, CodingKey {
        case index, values, seed, status, error, fields
        case elapsedSeconds = "elapsed_seconds"
    }

    public init(from decoder: any Decoder) throws {
        let keyed = try decoder.container(keyedBy: CodingKeys.self)
        index = try keyed.decode(Int.self, forKey: .index)
        values = try keyed.decode([NamedValue].self, forKey: .values)
        seed = try keyed.decode(UInt64.self, forKey: .seed)
        elapsedSeconds = try keyed.decode(Double.self, forKey: .elapsedSeconds)
        let status = try keyed.decode(String.self, forKey: .status)
        switch status {
        case "ok":
            outcome = .ok(try keyed.decode(PointFields.self, forKey: .fields))
        case "failed":
            outcome = .failed(PointFailure(try keyed.decode(String.self, forKey: .error)))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .status, in: keyed, debugDescription: "status \"\(status)\" is neither \"ok\" nor \"failed\"")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var keyed = encoder.container(keyedBy: CodingKeys.self)
        try keyed.encode(index, forKey: .index)
        try keyed.encode(values, forKey: .values)
        try keyed.encode(seed, forKey: .seed)
        try keyed.encode(elapsedSeconds.isFinite ? elapsedSeconds : 0, forKey: .elapsedSeconds)
        switch outcome {
        case let .ok(fields):
            try keyed.encode("ok", forKey: .status)
            try keyed.encode(fields, forKey: .fields)
        case let .failed(failure):
            try keyed.encode("failed", forKey: .status)
            try keyed.encode(failure.description, forKey: .error)
        }
    }
}

/// A one-line account of a JSON decoding error: what went wrong and where (`fields[2].value`).
func describe(_ error: DecodingError) -> String {
    func path(_ context: DecodingError.Context) -> String {
        let keys = context.codingPath.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }
        let joined = keys.joined().drop(while: { $0 == "." })
        return joined.isEmpty ? "at the top level" : "at \(joined)"
    }
    switch error {
    case let .keyNotFound(key, context):
        return "missing \"\(key.stringValue)\" \(path(context))"
    case let .typeMismatch(_, context), let .valueNotFound(_, context):
        return "wrong type \(path(context)): \(context.debugDescription)"
    case let .dataCorrupted(context):
        let underlying = context.underlyingError.map { " (\($0))" } ?? ""
        return "\(context.debugDescription)\(underlying) \(path(context))"
    @unknown default:
        return "\(error)"
    }
}
