#!/usr/bin/env python3
"""The GD step of bench/hadamard.msense in NumPy: M = F G^T measured by the subsampled randomized
Hadamard ensemble, <A_i, M> = (H_N D pad(vec M))_{s_i}, loss 1/(2m) sum r_i^2,
S = (1/m) D (H_N z)[:P] with z_{s_i} = r_i, F -= eta S G, G -= eta S^T F (both from the same iterate).

    hadamard_numpy.py D M R STEPS      prints "ms_per_step X" (best of 3 timings of STEPS steps)

The transform is in place over preallocated buffers, stages h = 1, 2, 4, ... (the fastest plain
NumPy form we know: one add and one subtract per stage, no temporaries beyond one half-array).
"""
import sys
import time

import numpy as np


def fwht(x, tmp):
    n = len(x)
    h = 1
    while h < n:
        v = x.reshape(-1, 2, h)
        a, b = v[:, 0, :], v[:, 1, :]
        t = tmp[: n // 2].reshape(-1, h)
        np.subtract(a, b, out=t)
        a += b
        b[...] = t
        h *= 2


def main():
    d, m, r, steps = (int(v) for v in sys.argv[1:5])
    p = d * d
    n = 1 << (p - 1).bit_length()
    rng = np.random.default_rng(1)
    signs = rng.choice([-1.0, 1.0], size=p)
    rows = rng.choice(n, size=m, replace=False)
    u, _ = np.linalg.qr(rng.standard_normal((d, r)))
    v, _ = np.linalg.qr(rng.standard_normal((d, r)))
    mstar = u @ np.diag(np.linspace(1, 0.5, r)) @ v.T
    work, tmp = np.zeros(n), np.zeros(n // 2)
    work[:p] = signs * mstar.ravel()
    fwht(work, tmp)
    y = work[rows].copy()
    F0 = 1e-3 * rng.standard_normal((d, r))
    G0 = 1e-3 * rng.standard_normal((d, r))

    def run(count):
        F, G = F0.copy(), G0.copy()
        for _ in range(count):
            M = F @ G.T
            work[:p] = signs * M.ravel()
            work[p:] = 0
            fwht(work, tmp)
            res = work[rows] - y
            loss = res @ res / (2 * m)
            work[:] = 0
            work[rows] = res
            fwht(work, tmp)
            S = (signs * work[:p] / m).reshape(d, d)
            gF, gG = S @ G, S.T @ F
            F -= 0.5 * gF
            G -= 0.5 * gG
        return loss

    run(2)
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        run(steps)
        best = min(best, time.perf_counter() - t0)
    print(f"ms_per_step {best / steps * 1000}")


if __name__ == "__main__":
    main()
