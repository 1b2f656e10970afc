/// A runnable example per factor-model builtin, shown by `:help NAME` and in docs/reference.md
/// (`# expect:` comments are checked by `DocsExamplesTests`, like every builtin's example).
enum ModelExamples {
    static let byName: [String: String] = [
        "lowrank": """
            seed(1)
            let M = lowrank(12, 8, svals: [1, 0.5])
            print(M.d1, M.d2, M.rank, round(M.svals[1], 12))  # expect: 12 8 2 0.5
            """,
        "indefinite": """
            seed(1)
            let M = indefinite(6, eigs: [1, -0.5])
            print(M.rank, round(M.svals[1], 10))  # expect: 2 0.5
            """,
        "matrix_truth": """
            let M = matrix_truth([3, 0, 0; 0, 0, 2])
            print(M.d1, M.d2, M.svals)  # expect: 2 3 [3, 2]
            """,
        "iid_gaussian": """
            seed(1)
            print(iid_gaussian(m: 200, d1: 6, d2: 4))  # expect: ensemble(iid_gaussian, m: 200, 6×4)
            """,
        "rank_one_pairs": """
            seed(1)
            let A = rank_one_pairs(m: 100, d1: 5, d2: 3)
            print(shape(A.measure(ones(5, 3))))  # expect: [100, 1]
            """,
        "sample_entries": """
            seed(1)
            let A = sample_entries(m: 20, d1: 5, d2: 4, replace: false)
            print(A.name, A.m)  # expect: completion_distinct 20
            """,
        "bernoulli_entries": """
            seed(1)
            let A = bernoulli_entries(10, 10, p: 1)
            print(A.m)  # expect: 100
            """,
        "observe_all": """
            let A = observe_all(2, 3)
            print(A.m, round(A.measure([1, 0, 0; 0, 0, 0])[0], 10))  # expect: 6 2.4494897428
            """,
        "given_entries": """
            let A = given_entries([[0, 1], [1, 0]], d1: 2, d2: 2)
            print(A.measure([0, 1; 4, 0])')  # expect: [2, 8;]
            """,
        "given_stack": """
            let A = given_stack([[1, 0; 0, 0; 0, 0], [0, 0; 0, 0; 0, 1]])
            print(A)  # expect: ensemble(given_stack, m: 2, 3×2)
            """,
        "outliers": """
            seed(1)
            let P = sensing(lowrank(6, 4, svals: [1]), iid_gaussian(m: 50, d1: 6, d2: 4))
            print(len(outliers(P, 0.1, scale: 10).outliers))  # expect: 5
            """,
        "split": """
            seed(1)
            let P = sensing(lowrank(6, 4, svals: [1]), iid_gaussian(m: 100, d1: 6, d2: 4))
            let parts = split(P, test: 0.2)
            print(parts.train.m, parts.test.m)  # expect: 80 20
            """,
        "subset": """
            seed(1)
            let P = sensing(lowrank(6, 4, svals: [1]), iid_gaussian(m: 100, d1: 6, d2: 4))
            print(subset(P, [0, 5, 7]).m)  # expect: 3
            """,
        "sym": """
            print(sym([1; 2]).matrix)  # expect: [1, 2; 2, 4]
            """,
        "asym": """
            let model = asym([1; 2], [3; 4; 5])
            print(model)  # expect: model(asymmetric, 2×3: F 2×1, G 3×1)
            """,
        "deep": """
            let model = deep([[1, 2;], [3; 4]])
            print(model.matrix)  # expect: [3, 6; 4, 8]
            """,
        "lora": """
            let model = lora(eye(2), zeros(2, 1), [1, 1;])
            print(model.matrix)  # expect: [1, 0; 0, 1]
            """,
        "deep_init": """
            let model = deep_init(4, 3, depth: 3, width: 5, kind: "identity", alpha: 1)
            print(model)  # expect: model(deep, 4×3: W1 5×3, W2 5×5, W3 4×5)
            """,
        "balanced_asym": """
            seed(1)
            let model = balanced_asym(6, 4, r: 2, alpha: 0.1)
            print(norm(model.F' @ model.F - model.G' @ model.G) < 1e-12)  # expect: true
            """,
        "spectral_asym": """
            seed(1)
            let P = sensing(lowrank(8, 6, svals: [1]), observe_all(8, 6))
            print(norm(spectral_asym(P, r: 1).matrix - P.truth.matrix) < 1e-12)  # expect: true
            """,
    ]
}
