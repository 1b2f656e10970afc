import Foundation
import Tensor

/// The output folder of a distributed sweep: one file per finished point, then a merge.
///
/// Layout of `OUTDIR`:
///
///     OUTDIR/manifest.json          the grid (see SweepManifest), written once
///     OUTDIR/points/000042.json     point 42's PointResult, index zero-padded to 6 digits
///     OUTDIR/logs/<job>_<task>.out  SLURM's output of each array task
///     OUTDIR/sweep.sbatch           the job-array script (see SlurmArrayScript)
///
/// Each task writes only its own point file, atomically (temporary file + rename), so tasks
/// never contend and a merge — even one running while tasks still finish — reads either no
/// file or a whole one. A task that runs again (a resubmission) simply replaces its file.
public struct PointStore: Sendable {
    /// The output folder.
    public let directory: URL

    /// Digits of a point file's name: enough for every index below ``Grid/maximumCount``.
    public static let indexDigits = String(Grid.maximumCount - 1).count

    public init(directory: URL) {
        self.directory = directory
    }

    public var pointsDirectory: URL { directory.appendingPathComponent("points", isDirectory: true) }
    public var logsDirectory: URL { directory.appendingPathComponent("logs", isDirectory: true) }
    public var manifestURL: URL { directory.appendingPathComponent("manifest.json") }

    /// `points/<index zero-padded>.json`.
    public func pointURL(index: Int) -> URL {
        let digits = String(index)
        let padded = String(repeating: "0", count: max(0, Self.indexDigits - digits.count)) + digits
        return pointsDirectory.appendingPathComponent(padded + ".json")
    }

    // MARK: Manifest

    /// Makes the folder ready for `grid`: creates `points/` and `logs/`, and writes
    /// `manifest.json` unless it exists. An existing manifest must describe `grid` (then it is
    /// kept as is, with its original creation time); this makes preparing again harmless.
    ///
    /// - Throws: ``SweepError/manifestMismatch(_:)`` when the folder belongs to another grid,
    ///   ``SweepError/file(path:problem:)`` when it cannot be created or written.
    @discardableResult
    public func prepare(grid: Grid, script: String?, scriptSeed: UInt64? = nil,
                        created: Date = Date()) throws(SweepError) -> SweepManifest {
        try createDirectory(pointsDirectory)
        try createDirectory(logsDirectory)
        if FileManager.default.fileExists(atPath: manifestURL.path) {
            let manifest = try readManifest()
            try check(manifest, against: grid)
            return manifest
        }
        let manifest = SweepManifest(grid: grid, script: script, scriptSeed: scriptSeed, created: created)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data: Data
        do {
            data = try encoder.encode(manifest)
        } catch {
            throw .file(path: manifestURL.path, problem: "the manifest could not be encoded (\(error))")
        }
        try writeAtomically(data, to: manifestURL)
        return manifest
    }

    /// The folder's manifest.
    ///
    /// - Throws: ``SweepError/file(path:problem:)`` when it is missing or not a manifest.
    public func readManifest() throws(SweepError) -> SweepManifest {
        guard let data = FileManager.default.contents(atPath: manifestURL.path) else {
            throw .file(
                path: manifestURL.path,
                problem: "no manifest here; this folder was not prepared for a sweep (run `msense sweep FILE --slurm OUTDIR` first)")
        }
        do {
            return try JSONDecoder().decode(SweepManifest.self, from: data)
        } catch let error as DecodingError {
            throw .file(path: manifestURL.path, problem: "is not a valid sweep manifest (\(describe(error)))")
        } catch {
            throw .file(path: manifestURL.path, problem: "is not a valid sweep manifest (\(error))")
        }
    }

    /// Checks that the folder's manifest describes `grid`.
    ///
    /// - Throws: ``SweepError/manifestMismatch(_:)`` naming the first difference, or the errors
    ///   of ``readManifest()``.
    public func verify(grid: Grid) throws(SweepError) {
        try check(try readManifest(), against: grid)
    }

    private func check(_ manifest: SweepManifest, against grid: Grid) throws(SweepError) {
        if let difference = manifest.mismatch(with: grid) {
            throw .manifestMismatch(
                "\(directory.path) holds a different sweep: \(difference). Use a new output folder, or the script that made this one.")
        }
    }

    // MARK: Points

    /// Writes `result` to its point file atomically, replacing an earlier one.
    ///
    /// - Throws: ``SweepError/invalidArgument(_:)`` for an index no grid can have,
    ///   ``SweepError/file(path:problem:)`` when the file cannot be written.
    public func write(_ result: PointResult) throws(SweepError) {
        guard result.index >= 0, result.index < Grid.maximumCount else {
            throw .invalidArgument("point index \(result.index) cannot be stored; indices run from 0 to \(Grid.maximumCount - 1)")
        }
        try writeAtomically(try result.jsonData(), to: pointURL(index: result.index))
    }

    /// The stored result of point `index` of `grid`, or nil when its file does not exist.
    ///
    /// - Throws: ``SweepError/file(path:problem:)`` when the file cannot be read, is not a point
    ///   record, or records a different point (index, coordinates or seed differ from `grid`'s).
    public func read(index: Int, of grid: Grid) throws(SweepError) -> PointResult? {
        let point = try grid.point(at: index)
        let url = pointURL(index: index)
        let path = "points/" + url.lastPathComponent
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let data: Data
        do { data = Data(try FileSystem.read(url.path)) } catch {
            throw .file(path: path, problem: "could not be read (\(error.reason))")
        }
        let result = try PointResult.decode(data, path: path)
        guard result.index == point.index, result.values == point.values, result.seed == point.seed else {
            throw .file(
                path: path,
                problem: "records point \(result.index) with other coordinates or seed than point \(index) of this grid")
        }
        return result
    }

    /// Gathers every point of `grid` from the folder into one table.
    ///
    /// A point without a file is listed in `missing` and left out of the table. A file that
    /// cannot be read or understood becomes a failed row whose error names the file; nothing in
    /// a file can stop the merge.
    ///
    /// - Throws: the errors of ``verify(grid:)`` (no manifest, or another grid's).
    public func merge(grid: Grid) throws(SweepError) -> SweepMerge {
        try verify(grid: grid)
        var results: [PointResult] = []
        var missing: [Int] = []
        for index in 0..<grid.count {
            do {
                if let result = try read(index: index, of: grid) {
                    results.append(result)
                } else {
                    missing.append(index)
                }
            } catch {
                let point = try grid.point(at: index)
                results.append(PointResult(point: point, outcome: .failed(PointFailure(error.description)), elapsedSeconds: 0))
            }
        }
        let table = SweepTable(grid: grid, results: results)
        return SweepMerge(table: table, missing: missing, failed: table.failedIndices)
    }
}

/// What a merge found: the table of the points present, and which points to run again.
public struct SweepMerge: Sendable, Hashable {
    /// The points that have a file, in index order (failed ones included, with their error).
    public let table: SweepTable
    /// Points without a file (not run yet, or their task died), increasing.
    public let missing: [Int]
    /// Points that failed or whose file is unreadable, increasing.
    public let failed: [Int]

    /// `missing` and `failed` together, increasing: what a resubmission should run.
    public var incomplete: [Int] { (missing + failed).sorted() }
}
