// kernel-bench: the dense rows kernels against the read bandwidth of the same moment, and float32
// rows against float64 rows, each ratio from pairs of runs made one right after the other.
//
//     .build/release/KernelBench [ROUNDS]          d = 100, m = 5000, r = 10 (bench/run.sh's goals)
//     .build/release/KernelBench threads [ROUNDS]  d = 20, m = 1000: one thread against all cores
//
// The first form draws the bench's stacks once (asymmetric iid_gaussian d×d float64, packed
// symmetric Gaussian in float64 and float32) and then runs ROUNDS rounds (default 21), each:
//
//     probe   one 800 MB read in each of `ReadBandwidthProbe`'s patterns, the faster counting
//     asym    the builtin `gd` step's gradient on FGᵀ: FGᵀ, the dense ensemble's fused pass
//             (`DenseMatrixEnsemble.residualsAndAdjoint`, the code `gd` runs), both gradients
//     twice   the data movement of a one-read pass over the same stack (`msk_read_rows_twice`
//             through `ReadBandwidthProbe.readRowsTwice`): each group of four rows read from
//             memory, then again from cache, nothing computed but sums. A fused pass over rows
//             longer than L1 must move at least this much, so its share of the probe is the most
//             the asymmetric step's share can reach in that round
//     tape    the autodiff tape's pass on the same weights and FGᵀ (`measurementsAndWeightedAdjoint`,
//             `DenseRowProducts.weightedPass`, with cᵢ = zᵢ − yᵢ), then both gradients
//     sym64, sym32   the builtin `gd` step's gradient on UUᵀ (`PackedSymmetricOperator.lossAndGradient`)
//             in float64 and float32 storage
//     probe   again: the round's bound is the mean of the probe before and after the rows
//
// every other round the five rows in the reverse order (tape, twice, asym, sym32, sym64), so
// neither of a pair always runs first. Each is timed once by the wall clock (the kernels run on
// all cores), with the process's CPU time: a round in which any timing had less than 90% of the
// cores (another process took one) is printed but left out, and another is run in its place (at
// most 4·ROUNDS in all; when fewer than half of ROUNDS had every core, all of them count and
// `all_cores no` says so). The order alternates over the counted rounds. A row's bandwidth share is its bytes (one
// read of its weights) per second over the same round's bound, the mean of the two probes (each
// the faster of its two patterns) around the row's single timing; each figure printed is the
// median over the counted rounds of the per-round values, with their minimum and maximum (the
// spread), and the asymmetric share and the float32 speed-up also over every round run
// (`_all`): every ratio pairs runs of the same moment. The tape's gradient is checked against
// the builtin's (`tape_max_abs_diff`, 0 when the two passes agree to the bit).
//
// The second form times one fused pass (`msk_fused_block_f64` per chunk, split by
// `DenseRowProducts.forEachChunk` on the calling thread or on all cores) over the d = 20,
// m = 1000 stacks (dense p = d² = 400, packed p = d(d+1)/2 = 210), one thread and all cores
// alternately, each sample the mean of a batch of passes: the measurement behind
// `DenseRowProducts.parallelThreshold`.
import CKernels
import Foundation
import Sensing
import Tensor

func fail(_ message: String, code: Int32) -> Never {
    FileHandle.standardError.write(Data("KernelBench: \(message)\n".utf8))
    exit(code)
}

/// The wall-clock seconds of one call of `body`.
func seconds(_ body: () -> Void) -> Double {
    timed(body).wall
}

/// The process's CPU seconds so far (all its threads).
func processSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// The wall-clock seconds of one call of `body`, and the share of the cores the process had
/// meanwhile: its CPU seconds over wall seconds × cores (1 when every core ran it throughout).
func timed(_ body: () -> Void) -> (wall: Double, share: Double) {
    let cpu = processSeconds()
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return (wall, (processSeconds() - cpu) / wall / Double(ProcessInfo.processInfo.activeProcessorCount))
}

/// The median, minimum and maximum of the rounds' values of one figure.
struct Spread {
    let median: Double
    let min: Double
    let max: Double

    init(_ values: [Double]) {
        let sorted = values.sorted()
        let n = sorted.count
        median = n == 0 ? .nan : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
        min = sorted.first ?? .nan
        max = sorted.last ?? .nan
    }

    /// `key median min X max Y`, with `digits` decimals.
    func line(_ key: String, digits: Int = 3) -> String {
        let f = "%.\(digits)f"
        return "\(key) \(String(format: f, median)) min \(String(format: f, min)) max \(String(format: f, max))"
    }
}

let arguments = Array(CommandLine.arguments.dropFirst())
let threadsMode = arguments.first == "threads"
let roundsText = threadsMode ? arguments.dropFirst().first : arguments.first
guard arguments.count <= (threadsMode ? 2 : 1) else { fail("usage: KernelBench [threads] [ROUNDS]", code: 2) }
let rounds: Int
if let roundsText {
    guard let given = Int(roundsText), (1...10_000).contains(given) else {
        fail("usage: KernelBench [threads] [ROUNDS] (ROUNDS an integer from 1 to 10000)", code: 2)
    }
    rounds = given
} else {
    rounds = 21
}

/// A round counts when every timing in it had at least this share of the cores (another process
/// taking a core for part of a timing shows as a lower share).
let cleanShare = 0.9
/// At most this many times ROUNDS rounds are run to find ROUNDS that count.
let maxRoundsFactor = 4

/// One timed row of a round: its name, the bytes of one read of its weights and the step.
struct Row {
    let name: String
    let bytes: Double
    let step: () -> Void
}

/// The builtin steps and the tape's pass at d = 100, m = 5000, r = 10, interleaved with the probe.
func kernelRounds(_ rounds: Int) throws {
    let (d, m, r) = (100, 5000, 10)
    var rng = Xoshiro256(seed: 1)
    let probe = ReadBandwidthProbe(count: 800_000_000 / 8)
    defer { probe.deallocate() }

    // The stack's weights stay in this array (the ensemble shares its storage), so the two-touch
    // read below reads the very pages the asymmetric step does.
    let weights = (0..<(m * d * d)).map { _ in rng.nextNormal() }
    let dense = try DenseMatrixEnsemble.stack(weights, m: m, rows: d, cols: d)
    let target = try rng.normalMatrix(rows: d, cols: r).matmul(try rng.normalMatrix(rows: d, cols: r).transposed)
    let yDense = dense.applyUnchecked(target)
    let model = try FactorModel.asymmetric(f: 1e-3 * (try rng.normalMatrix(rows: d, cols: r)),
                                           g: 1e-3 * (try rng.normalMatrix(rows: d, cols: r)))
    var residuals: [Double] = []
    var adjoint = try Matrix(rows: d, cols: d)
    var builtinGradients: [Matrix] = []
    var tapeGradients: [Matrix] = []
    let weigh: DenseRowProducts.Weighing = { rows, z, c in
        for i in rows { c[i] = z[i] - yDense[i] }
    }

    let half = try rng.normalMatrix(rows: d, cols: r)
    let truth = try half.matmul(half.transposed)
    let u = 1e-3 * (try rng.normalMatrix(rows: d, cols: r))
    var symmetric: [(name: String, op: PackedSymmetricOperator, y: [Double])] = []
    for storage in [PackedSymmetricOperator.Storage.float64, .float32] {
        let op = try PackedSymmetricOperator.gaussian(m: m, d: d, rng: &rng, storage: storage)
        symmetric.append((storage == .float64 ? "sym64" : "sym32", op, try op.measure(truth)))
    }
    var workspace = SensingWorkspace()
    var gradient = try Matrix(rows: d, cols: r)
    let p = d * (d + 1) / 2

    let asym = Row(name: "asym", bytes: Double(m * d * d * 8)) {
        _ = dense.residualsAndAdjoint(model.product(), yDense, residuals: &residuals, adjoint: &adjoint)
        builtinGradients = model.gradients(adjoint: adjoint)
    }
    let twice = Row(name: "twice", bytes: Double(m * d * d * 8)) {
        weights.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress { ReadBandwidthProbe.readRowsTwice(base, m: m, p: d * d) }
        }
    }
    let tape = Row(name: "tape", bytes: Double(m * d * d * 8)) {
        tapeGradients = model.gradients(adjoint: dense.measurementsAndWeightedAdjoint(model.product(), weigh: weigh).adjoint)
    }
    let sym = symmetric.map { entry in
        Row(name: entry.name, bytes: Double(m * p * (entry.name == "sym64" ? 8 : 4))) {
            do { _ = try entry.op.lossAndGradient(u, entry.y, gradient: &gradient, workspace: &workspace) }
            catch { fail("the \(entry.name) step failed: \(error)", code: 1) }
        }
    }
    // Warm-up: workspaces, pages, the kernel level's dispatch.
    for pattern in ReadBandwidthProbe.patterns {
        guard probe.read(pattern) == Double(probe.count) else { fail("the probe's \(pattern.name) loop did not read every element", code: 1) }
    }
    // The symmetric steps' errors (none for these shapes) surface here, not inside the timings.
    for entry in symmetric { _ = try entry.op.lossAndGradient(u, entry.y, gradient: &gradient, workspace: &workspace) }
    for row in [asym, twice, tape] + sym { row.step() }
    let difference = zip(builtinGradients, tapeGradients).map { (a, b) in
        zip(a.elements, b.elements).map { abs($0 - $1) }.max() ?? 0
    }.max() ?? .nan

    /// One round: the probe's bound (GB/s), each row's seconds, and whether it had every core.
    struct Round {
        let bound: Double
        let seconds: [String: Double]
        let hadCores: Bool
    }
    var taken: [Round] = []
    // Rounds in which another process took a core are left out and replaced, up to a limit.
    while taken.filter(\.hadCores).count < rounds, taken.count < maxRoundsFactor * rounds {
        var cores: [Double] = []
        /// The probe's bandwidth now: the faster of its patterns.
        func probed() -> Double {
            ReadBandwidthProbe.patterns.map { pattern in
                let t = timed { probe.read(pattern) }
                cores.append(t.share)
                return Double(probe.bytes) / t.wall / 1e9
            }.max() ?? .nan
        }
        let before = probed()
        var seconds: [String: Double] = [:]
        let countedSoFar = taken.filter(\.hadCores).count
        for row in countedSoFar % 2 == 0 ? [asym, twice, tape] + sym : [tape, twice, asym] + sym.reversed() {
            let t = timed(row.step)
            cores.append(t.share)
            seconds[row.name] = t.wall
        }
        // The probe on both sides of the steps: the round's bound is the mean of the two.
        let bound = (before + probed()) / 2
        let round = Round(bound: bound, seconds: seconds, hadCores: cores.allSatisfy { $0 >= cleanShare })
        let columns = ([asym, twice, tape] + sym).map { String(format: " %@_ms %.3f", $0.name, 1000 * (seconds[$0.name] ?? .nan)) }
        print(String(format: "round %d probe_gbps %.1f", taken.count, bound) + columns.joined()
              + " cores " + cores.map { String(format: "%.2f", $0) }.joined(separator: " ") + (round.hadCores ? "" : " (a core was taken)"))
        taken.append(round)
    }
    // Under sustained load few rounds have every core: then every round counts (each still pairs
    // the probe and the kernels of the same moment, on the share of the cores they had).
    let clean = taken.filter(\.hadCores)
    let counted = 2 * clean.count >= rounds ? clean : taken

    print("level \(KernelLevel.active)")
    print("threads \(ProcessInfo.processInfo.activeProcessorCount)")
    print("rounds \(counted.count) of \(taken.count)")
    print("all_cores \(counted.allSatisfy(\.hadCores) ? "yes" : "no")")
    print(Spread(counted.map(\.bound)).line("probe_gbps", digits: 1))
    for row in [asym, twice, tape] + sym {
        let ts = counted.compactMap { $0.seconds[row.name] }
        print(Spread(ts.map { $0 * 1000 }).line("\(row.name)_ms"))
        print(Spread(ts.map { row.bytes / $0 / 1e9 }).line("\(row.name)_gbps", digits: 1))
        print(Spread(counted.compactMap { round in round.seconds[row.name].map { 100 * row.bytes / $0 / 1e9 / round.bound } })
              .line("\(row.name)_share", digits: 1))
    }
    func speedups(_ rounds: [Round]) -> [Double] {
        rounds.compactMap { round in round.seconds["sym32"].flatMap { t32 in round.seconds["sym64"].map { $0 / t32 } } }
    }
    print(Spread(speedups(counted)).line("f32_speedup", digits: 2))
    print(Spread(speedups(taken)).line("f32_speedup_all", digits: 2))
    print(Spread(taken.compactMap { round in round.seconds["asym"].map { 100 * asym.bytes / $0 / 1e9 / round.bound } })
          .line("asym_share_all", digits: 1))
    print("tape_max_abs_diff \(difference)")
}

/// One fused pass over `m` rows of `p` doubles at `x`, the chunks split by `forEachChunk` on the
/// calling thread (`parallel` false) or on all cores.
struct FusedPass: @unchecked Sendable {
    let rows: UnsafePointer<Double>
    let m: Int
    let p: Int
    let x: UnsafePointer<Double>
    let y: UnsafePointer<Double>
    let r: UnsafeMutablePointer<Double>
    let partials: UnsafeMutablePointer<Double>

    func run(parallel: Bool) {
        let chunks = DenseRowProducts.chunkCount
        DenseRowProducts.forEachChunk(chunks, weights: parallel ? Int.max : 0) { c in
            let lo = m * c / chunks, hi = m * (c + 1) / chunks
            let partial = partials + c * p
            partial.initialize(repeating: 0, count: p)
            msk_fused_block_f64(rows + lo * p, hi - lo, p, x, y + lo, r + lo, partial)
        }
    }
}

/// One thread against all cores for the fused pass at d = 20, m = 1000, dense and packed.
func threadRounds(_ rounds: Int) {
    let m = 1000
    var rng = Xoshiro256(seed: 1)
    print("level \(KernelLevel.active)")
    print("threads \(ProcessInfo.processInfo.activeProcessorCount)")
    print("rounds \(rounds)")
    print("parallel_threshold \(DenseRowProducts.parallelThreshold)")
    for (name, p) in [("dense", 400), ("packed", 210)] {
        let count = m * p
        let rows = UnsafeMutablePointer<Double>.allocate(capacity: count)
        for k in 0..<count { rows[k] = rng.nextNormal() }
        let x = UnsafeMutablePointer<Double>.allocate(capacity: p)
        for k in 0..<p { x[k] = rng.nextNormal() }
        let y = UnsafeMutablePointer<Double>.allocate(capacity: m)
        y.initialize(repeating: 0, count: m)
        let r = UnsafeMutablePointer<Double>.allocate(capacity: m)
        let partials = UnsafeMutablePointer<Double>.allocate(capacity: DenseRowProducts.chunkCount * p)
        defer { [rows, x, y, r, partials].forEach { $0.deallocate() } }
        let pass = FusedPass(rows: rows, m: m, p: p, x: x, y: y, r: r, partials: partials)
        let batch = 200
        var one: [Double] = [], all: [Double] = [], gains: [Double] = []
        for _ in 0..<batch { pass.run(parallel: true) }
        for round in 0..<rounds {
            var taken: [Bool: Double] = [:]
            for parallel in round % 2 == 0 ? [false, true] : [true, false] {
                taken[parallel] = seconds { for _ in 0..<batch { pass.run(parallel: parallel) } } / Double(batch) * 1e6
            }
            guard let serial = taken[false], let threaded = taken[true] else { continue }
            one.append(serial)
            all.append(threaded)
            gains.append(serial / threaded)
        }
        print(Spread(one).line("\(name)_p\(p)_weights\(count)_one_thread_us", digits: 1))
        print(Spread(all).line("\(name)_p\(p)_weights\(count)_all_cores_us", digits: 1))
        print(Spread(gains).line("\(name)_p\(p)_weights\(count)_all_cores_speedup", digits: 2))
    }
}

if threadsMode {
    threadRounds(rounds)
} else {
    do {
        try kernelRounds(rounds)
    } catch {
        fail("\(error)", code: 1)
    }
}
