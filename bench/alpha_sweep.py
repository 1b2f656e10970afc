#!/usr/bin/env python3
"""examples/paper/alpha_sweep.msense written in NumPy, as a NumPy user would: the same runs, the
same recorded metrics, the same outputs (bench/run.sh times both end to end).

The incremental problem (d = 20, m = 1000, Z* of eigenvalues 1, 0.5, 0.25, r = 5, η = 0.05) for
α = 1e-2 … 1e-10, each run for round(1.5·log(1/α)/(η·0.25)) + 200 steps from U₀ = α·Ū, recording
every 5th step (and the last) the trace of docs/sensing.md: step, loss, rel_err, eig1…5,
dist1…3, grad_norm, eff_rank; then the phase steps (first recorded λₖ(UUᵀ) ≥ λₖ(Z*)/2), the
least-squares slope of phase step against log(1/α) per rank, and OUTDIR/summary.json and
OUTDIR/fits.json. The symmetric Gaussian ensemble is the dense (m, d, d) stack (Gᵢ + Gᵢᵀ)/2.
(The msense script also draws its figure, as SVG and PNG; this one writes no figure. The msense
script runs its nine α as a `sweep`, on every core; this one runs them one after another, as a
NumPy script does unless it is rewritten around multiprocessing: at d = 20 NumPy's BLAS has
nothing to give the second core.)

Usage: alpha_sweep.py OUTDIR
"""
import json
import math
import os
import sys

import numpy as np


def run(a, y, zstar, targets, u0, eta, steps, every):
    m, d = a.shape[0], zstar.shape[0]
    znorm = np.linalg.norm(zstar)
    u = u0.copy()
    rows = []
    for t in range(steps + 1):
        mm = u @ u.T
        res = a @ mm.reshape(-1) - y
        s = (a.T @ res).reshape(d, d) / m
        grad = s @ u
        if t % every == 0 or t == steps:
            utu = u.T @ u
            eig = np.sort(np.linalg.eigvalsh(utu))[::-1]
            fro2 = np.sum(u * u)
            eff = fro2 * fro2 / np.sum(utu * utu) if fro2 > 0 else 0.0
            rows.append([t, float(res @ res) / (4 * m), np.linalg.norm(mm - zstar) / znorm, *eig,
                         *[np.linalg.norm(mm - z) for z in targets], np.linalg.norm(grad), eff])
        if t == steps:
            break
        u = u - eta * grad
    return np.array(rows)


def fit(xs, ys):
    xs, ys = np.asarray(xs, float), np.asarray(ys, float)
    mx, my = xs.mean(), ys.mean()
    sxy, sxx, syy = ((xs - mx) * (ys - my)).sum(), ((xs - mx) ** 2).sum(), ((ys - my) ** 2).sum()
    slope = sxy / sxx
    return {"slope": slope, "intercept": my - slope * mx, "r2": sxy * sxy / (sxx * syy)}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "out/alpha_sweep_numpy"
    d, m, r, eta = 20, 1000, 5, 0.05
    eigs = [1.0, 0.5, 0.25]
    rng = np.random.default_rng(7)
    q, _ = np.linalg.qr(rng.standard_normal((d, d)))
    v = q[:, :3]
    zstar = (v * eigs) @ v.T
    g = rng.standard_normal((m, d, d))
    a = ((g + g.transpose(0, 2, 1)) / 2).reshape(m, d * d)
    y = a @ zstar.reshape(-1)
    targets = [(v[:, :k] * eigs[:k]) @ v[:, :k].T for k in range(1, 4)]
    ubar = rng.standard_normal((d, r))

    alphas, phase_steps = [], []
    for e in range(2, 11):
        alpha = 10.0 ** -e
        budget = round(1.5 * math.log(1 / alpha) / (eta * eigs[2])) + 200
        trace = run(a, y, zstar, targets, alpha * ubar, eta, budget, 5)
        steps = []
        for k in range(3):
            reached = np.nonzero(trace[:, 3 + k] >= eigs[k] / 2)[0]
            steps.append(int(trace[reached[0], 0]) if len(reached) else None)
        alphas.append(alpha)
        phase_steps.append(steps)
        print(f"α = {alpha}: ranks learned at steps {steps}")

    logs = [math.log(1 / a_) for a_ in alphas]
    fits = [fit(logs, [s[k] for s in phase_steps]) for k in range(3)]
    for k, f in enumerate(fits):
        print(f"rank {k + 1}: slope {f['slope']} steps per unit log(1/α), "
              f"predicted 1/(η·λₖ) = {1 / (eta * eigs[k])}, R² = {f['r2']}")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump({"alphas": alphas, "eta": eta, "eigs": eigs, "phase_steps": phase_steps,
                   "slopes": [f_["slope"] for f_ in fits]}, f)
    with open(os.path.join(out, "fits.json"), "w") as f:
        json.dump({"fits": fits, "seed": 7, "d": d, "m": m}, f)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
