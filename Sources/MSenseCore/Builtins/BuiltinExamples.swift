/// One runnable example per builtin, shown by `:help NAME` and in docs/reference.md (which is
/// generated from the same doc strings by `msense --reference`). Each `# expect:` comment is
/// the line the `print` on it writes; `DocsExamplesTests` runs every example and checks them.
enum BuiltinExamples {
    static let byName: [String: String] = [
        "abs": """
            print(abs(-2.5), abs(3))  # expect: 2.5 3
            """,
        "assert": """
            assert(1 + 1 == 2, "arithmetic works")
            print("ok")  # expect: ok
            """,
        "best_rank": """
            let Z = diag([3, 2, 1])
            print(eigs(best_rank(Z, 2)))  # expect: [3, 2, 0]
            """,
        "ceil": """
            print(ceil(1.2), ceil(-1.2))  # expect: 2 -1
            """,
        "clock": """
            let t0 = clock()
            print(clock() >= t0)  # expect: true
            """,
        "completion": """
            seed(1)
            let A = completion(m: 500, d: 20)
            print(type(A))  # expect: ensemble
            """,
        "cosine": """
            let lr = cosine(0.1, final: 0.01, steps: 100)
            print(type(lr))  # expect: schedule
            """,
        "diag": """
            print(diag([1, 2]))  # expect: [1, 0; 0, 2]
            print(diag([1, 0; 0, 5]))  # expect: [1, 5]
            """,
        "eigh": """
            let e = eigh([2, 0; 0, 1])
            print(keys(e), e.values)  # expect: ["values", "vectors"] [2, 1]
            """,
        "eigs": """
            print(eigs([2, 1; 1, 2]))  # expect: [3, 1]
            """,
        "error": """
            fn safe_sqrt(x) {
                if x < 0 { error("negative input \\(x)") }
                return sqrt(x)
            }
            print(safe_sqrt(9))  # expect: 3
            try { safe_sqrt(-1) } catch e { print(e.message, e.line) }  # expect: negative input -1 2
            """,
        "exp": """
            print(exp(0), round(exp(1), 4))  # expect: 1 2.7183
            """,
        "explicit": """
            let A = explicit([eye(2), [0, 1; 1, 0]])
            print(measure(A, [1, 2; 2, 3]))  # expect: [4; 4]
            """,
        "eye": """
            print(eye(2))  # expect: [1, 0; 0, 1]
            """,
        "figure": """
            let l = line([1, 2, 3], [1, 4, 9], label: "squares")
            figure("squares.svg", [panel([l], title: "squares")])
            print("written")  # expect: written
            """,
        "floor": """
            print(floor(1.8), floor(-1.2))  # expect: 1 -2
            """,
        "from_factor": """
            let Z = from_factor([1; 2])
            print(Z)  # expect: truth(d: 2, rank: 1, eigs: [5])
            """,
        "full": """
            let A = full(10)
            print(type(A))  # expect: ensemble
            """,
        "gaussian": """
            seed(1)
            let A = gaussian(m: 200, d: 10)
            print(type(A))  # expect: ensemble
            """,
        "gd": """
            seed(1)
            let problem = sensing(psd(10, eigs: [1.0, 0.5]), gaussian(m: 300, d: 10))
            let run = gd(problem, init: small(10, 2, alpha: 1e-4), lr: 0.1, steps: 800, every: 10)
            print(run.phases[0].step < run.phases[1].step, run.rel_err < 1e-3)  # expect: true true
            """,
        "glrl": """
            seed(1)
            let problem = sensing(psd(10, eigs: [1.0, 0.5]), gaussian(m: 300, d: 10))
            let run = glrl(problem, rank: 2, lr: 0.1, eps: 1e-3, stage_steps: 2000)
            print(run.rel_err < 1e-3)  # expect: true
            """,
        "gradient": """
            seed(1)
            let problem = sensing(psd(6, eigs: [1.0]), full(6))
            print(shape(gradient(problem, small(6, 2, alpha: 0.1))))  # expect: [6, 2]
            """,
        "inner": """
            print(inner([1, 2; 3, 4], eye(2)))  # expect: 5
            """,
        "inv": """
            print(inv([2, 0; 0, 4]))  # expect: [0.5, 0; 0, 0.25]
            """,
        "join": """
            print(join(["a", "b", "c"], "-"))  # expect: a-b-c
            """,
        "keys": """
            print(keys({lr: 0.1, steps: 10}))  # expect: ["lr", "steps"]
            """,
        "len": """
            print(len([1, 2, 3]), len("héllo"), len({a: 1}))  # expect: 3 5 1
            """,
        "line": """
            let l = line([1, 2, 3], [2, 4, 8], label: "doubling", dashed: true, errors: [0.1, 0.2, 0.4])
            print(type(l))  # expect: line
            """,
        "list": """
            print(list(0..4))  # expect: [0, 1, 2, 3]
            """,
        "load": """
            save([1, 2; 3, 4], "m.npy")
            print(load("m.npy"))  # expect: [1, 2; 3, 4]
            """,
        "log": """
            print(log(1), round(log(100) / log(10), 6))  # expect: 0 2
            """,
        "loss": """
            let problem = sensing(truth([1, 0; 0, 0]), full(2))
            print(loss(problem, [1; 0]), loss(problem, zeros(2, 1)))  # expect: 0 0.25
            """,
        "matrix": """
            print(matrix([[1, 2], [3, 4]]))  # expect: [1, 2; 3, 4]
            """,
        "max": """
            print(max(3, 7, 5), max([1, 9, 2]))  # expect: 7 9
            """,
        "measure": """
            let y = measure(full(2), eye(2))
            print(y)  # expect: [2; 0; 0; 2]
            """,
        "min": """
            print(min(3, 7, 5), min([1, 9, 2]))  # expect: 3 1
            """,
        "mkdir": """
            print(mkdir("results/run1"))  # expect: results/run1
            """,
        "nonsymmetric": """
            seed(1)
            print(type(nonsymmetric(m: 100, d: 8)))  # expect: ensemble
            """,
        "norm": """
            print(norm([3, 0; 0, 4]))  # expect: 5
            """,
        "num": """
            print(num("2.5") * 2)  # expect: 5
            """,
        "ones": """
            print(ones(2, 3))  # expect: [1, 1, 1; 1, 1, 1]
            """,
        "orthogonal": """
            seed(1)
            let U = orthogonal(5, 2, alpha: 0.1)
            print(shape(U), round(norm(U' @ U - 0.01 * eye(2)), 10))  # expect: [5, 2] 0
            """,
        "panel": """
            let p = panel([line([1, 10, 100], [1, 0.1, 0.01])], log_x: true, log_y: true, x_label: "step")
            print(type(p))  # expect: panel
            """,
        "plot": """
            seed(1)
            let problem = sensing(psd(8, eigs: [1.0]), gaussian(m: 100, d: 8))
            let run = gd(problem, init: small(8, 1, alpha: 1e-3), lr: 0.1, steps: 300, every: 10)
            plot(run.trace, "loss.svg", y: ["loss", "rel_err"], log_y: true)
            print("written")  # expect: written
            """,
        "pop": """
            let xs = [1, 2, 3]
            print(pop(xs), xs)  # expect: 3 [1, 2]
            """,
        "print": """
            print("loss", 0.25, [1, 2])  # expect: loss 0.25 [1, 2]
            """,
        "psd": """
            seed(1)
            let Z = psd(6, eigs: [1.0, 0.5])
            print(Z.d, Z.rank, shape(Z.matrix), round(Z.eigs[0], 10), round(Z.eigs[1], 10))  # expect: 6 2 [6, 6] 1 0.5
            """,
        "push": """
            let xs = [1]
            push(xs, 2)
            print(xs)  # expect: [1, 2]
            """,
        "range": """
            print(range(3), range(1, 7, 2))  # expect: [0, 1, 2] [1, 3, 5]
            """,
        "rank_one": """
            seed(1)
            print(type(rank_one(m: 100, d: 8)))  # expect: ensemble
            """,
        "rank_solution": """
            seed(1)
            let problem = sensing(psd(6, eigs: [1.0, 0.5]), full(6))
            let Z1 = rank_solution(problem, 1)
            print(round(eigs(Z1.matrix)[0], 6), round(Z1.loss, 6))  # expect: 1 0.0625
            """,
        "round": """
            print(round(3.14159), round(3.14159, 2))  # expect: 3 3.14
            """,
        "save": """
            save({alpha: 1e-3, steps: [10, 20]}, "summary.json")
            print(load("summary.json").steps)  # expect: [10, 20]
            """,
        "seed": """
            seed(42)
            print(seed())  # expect: 42
            """,
        "sensing": """
            seed(1)
            let problem = sensing(psd(8, eigs: [1.0]), gaussian(m: 100, d: 8), noise: 0.01)
            print(type(problem))  # expect: problem
            """,
        "shape": """
            print(shape(zeros(2, 3)))  # expect: [2, 3]
            """,
        "small": """
            seed(1)
            let U = small(10, 3, alpha: 1e-6)
            print(shape(U), norm(U) < 1e-4)  # expect: [10, 3] true
            """,
        "solve": """
            print(solve([2, 0; 0, 4], [2; 8]))  # expect: [1; 2]
            """,
        "spectral": """
            seed(1)
            let problem = sensing(psd(8, eigs: [1.0]), gaussian(m: 400, d: 8))
            print(shape(spectral(problem, 2)))  # expect: [8, 2]
            """,
        "spectral_norm": """
            print(spectral_norm([3, 0; 0, 4]))  # expect: 4
            """,
        "sqrt": """
            print(sqrt(16))  # expect: 4
            print(sqrt([1, 4, 9]))  # expect: [1, 2, 3]
            """,
        "step_decay": """
            let lr = step_decay(0.1, 0.5, every: 1000)
            print(type(lr))  # expect: schedule
            """,
        "str": """
            print(str(1.5) + "!", len(str([1, 2])))  # expect: 1.5! 6
            """,
        "sum": """
            print(sum([1, 2, 3]), sum(ones(2, 2)))  # expect: 6 4
            """,
        "svd": """
            let s = svd([3, 0; 0, 4])
            print(s.s)  # expect: [4, 3]
            """,
        "sweep": """
            seed(1)
            let t = sweep({x: [1, 2, 3]}, fn(p) => {square: p.x * p.x}, seeds: 2, jobs: 1)
            print(t.count, t.square)  # expect: 6 [1, 1, 4, 4, 9, 9]
            print(t.summarize("x", "square").square_mean)  # expect: [1, 4, 9]
            """,
        "table": """
            let t = table(["step", "loss"], [[0, 1.0], [10, 0.5]])
            print(t.loss, t.count)  # expect: [1, 0.5] 2
            """,
        "trace": """
            print(trace([1, 2; 3, 4]))  # expect: 5
            """,
        "truth": """
            let Z = truth([2, 0; 0, 1])
            print(type(Z))  # expect: truth
            """,
        "type": """
            print(type(1), type("a"), type([1]), type(eye(2)))  # expect: number string list matrix
            """,
        "warmup": """
            let lr = warmup(100, cosine(0.1, steps: 1000))
            print(type(lr))  # expect: schedule
            """,
        "zeros": """
            print(zeros(2))  # expect: [0; 0]
            """,
    ]
}
