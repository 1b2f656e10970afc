#!/usr/bin/env python3
"""The NumPy peer for bench/run.sh: one GD step on dense Gaussian sensing as people write it,
two GEMVs over the m×d² measurement matrix (res = A·vec(UUᵀ) − y; S = Aᵀres; U −= η S U / m).

Usage: numpy_bench.py D M R STEPS DTYPE   → prints "ms_per_step X"
"""
import sys
import time

import numpy as np


def main():
    d, m, r, steps = (int(v) for v in sys.argv[1:5])
    dtype = np.dtype(sys.argv[5])
    rng = np.random.default_rng(0)
    a = rng.standard_normal((m, d * d)).astype(dtype)
    y = rng.standard_normal(m).astype(dtype)
    u = (1e-3 * rng.standard_normal((d, r))).astype(dtype)
    eta = dtype.type(1e-3)

    def step(u):
        res = a @ (u @ u.T).reshape(-1) - y
        s = (a.T @ res).reshape(d, d)
        return u - eta * (s @ u) / m

    for _ in range(3):
        u = step(u)
    start = time.perf_counter()
    for _ in range(steps):
        u = step(u)
    print(f"ms_per_step {(time.perf_counter() - start) / steps * 1e3}")


if __name__ == "__main__":
    main()
