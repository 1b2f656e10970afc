#!/usr/bin/env python3
"""examples/field/scaledgd_kappa.msense written in NumPy, as a NumPy user would: the same runs, the
same recorded metrics, the same outputs (bench/run.sh times both end to end).

n = 60, r = 3, m = 5nr = 900 measurement matrices with i.i.d. N(0, 1) entries (one ensemble for
every κ); for κ = 1, 5, 10, 20 the truth M* = P diag(linspace(1, 1/κ, r)) Qᵀ (P, Q the first r
columns of the Q factors of Gaussian n×n matrices) and the spectral start F = P_rΣ_r^{1/2},
G = Q_rΣ_r^{1/2} from the top-r SVD of (1/m) Σᵢ yᵢAᵢ. On M = FGᵀ with loss 1/(2m) Σᵢ rᵢ² and
S = (1/m) Σᵢ rᵢAᵢ: ScaledGD (F −= η SG(GᵀG)⁻¹, G −= η SᵀF(FᵀF)⁻¹, η = 0.5, at most 1000 steps)
then GD (η = 0.5/σ₁(M*), at most 20000 steps), each stopping at the first step with
rel_err ≤ 1e-10. Every step is recorded (docs/sensing.md): step, loss, rel_err, sv1…3,
dist1…3, imbalance = ‖FᵀF − GᵀG‖_F, grad_norm; each trace is written as CSV, then summary.json.
(The msense script also draws its figure, as SVG and PNG; this one writes no figure.)

Usage: scaledgd_kappa.py OUTDIR
"""
import json
import os
import sys

import numpy as np


def truncation(p, svals, q, k):
    return (p[:, :k] * svals[:k]) @ q[:, :k].T


def run(a, y, mstar, targets, f, g, eta, budget, scaled, target):
    m, n = a.shape[0], mstar.shape[0]
    norm_star = np.linalg.norm(mstar)
    rows = []
    for t in range(budget + 1):
        mm = f @ g.T
        res = a @ mm.reshape(-1) - y
        s = (a.T @ res).reshape(n, n) / m
        grad_f, grad_g = s @ g, s.T @ f
        rel = np.linalg.norm(mm - mstar) / norm_star
        sv = np.linalg.svd(mm, compute_uv=False)[: f.shape[1]]
        rows.append([t, float(res @ res) / (2 * m), rel, *sv, *[np.linalg.norm(mm - z) for z in targets],
                     np.linalg.norm(f.T @ f - g.T @ g), np.sqrt(np.sum(grad_f ** 2) + np.sum(grad_g ** 2))])
        if rel <= target or t == budget:
            break
        if scaled:
            f, g = f - eta * grad_f @ np.linalg.inv(g.T @ g), g - eta * grad_g @ np.linalg.inv(f.T @ f)
        else:
            f, g = f - eta * grad_f, g - eta * grad_g
    return np.array(rows)


def save_trace(path, rows, r, k):
    header = ["step", "loss", "rel_err"] + [f"sv{j}" for j in range(1, r + 1)] + \
             [f"dist{j}" for j in range(1, k + 1)] + ["imbalance", "grad_norm"]
    with open(path, "w") as out:
        out.write(",".join(header) + "\n")
        for row in rows:
            out.write(",".join([str(int(row[0]))] + [repr(float(v)) for v in row[1:]]) + "\n")


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "out/scaledgd_kappa_numpy"
    n, r = 60, 3
    m = 5 * n * r
    kappas, eta, target = [1, 5, 10, 20], 0.5, 1e-10
    rng = np.random.default_rng(2021)
    a = rng.standard_normal((m, n * n))
    os.makedirs(out, exist_ok=True)
    problems = []
    for kappa in kappas:
        p, _ = np.linalg.qr(rng.standard_normal((n, n)))
        q, _ = np.linalg.qr(rng.standard_normal((n, n)))
        svals = np.linspace(1, 1 / kappa, r)
        mstar = truncation(p, svals, q, r)
        y = a @ mstar.reshape(-1)
        u, sig, vt = np.linalg.svd((a.T @ y).reshape(n, n) / m)
        root = np.sqrt(sig[:r])
        problems.append((mstar, y, [truncation(p, svals, q, k) for k in range(1, r + 1)],
                         u[:, :r] * root, vt[:r].T * root, svals[0]))
    summary = {"kappas": kappas, "scaledgd_iters": [], "gd_iters": []}
    for scaled, name, budget in [(True, "scaledgd", 1000), (False, "gd", 20000)]:
        for kappa, (mstar, y, targets, f0, g0, top) in zip(kappas, problems):
            rows = run(a, y, mstar, targets, f0, g0, eta if scaled else eta / top, budget, scaled, target)
            save_trace(os.path.join(out, f"trace_{name}_kappa{kappa}.csv"), rows, r, r)
            iters = int(rows[-1, 0]) if rows[-1, 2] <= target else None
            summary[f"{name}_iters"].append(iters)
            print(f"κ = {kappa}: {name} {iters} iterations (rel_err {rows[-1, 2]})")
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump(summary, f)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
