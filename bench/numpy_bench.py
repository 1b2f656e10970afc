#!/usr/bin/env python3
"""The NumPy (and PyTorch) peer for bench/run.sh: one GD step on dense Gaussian sensing as people
write it, two GEMVs over the m×d² measurement matrix (res = A·vec(UUᵀ) − y; S = Aᵀres;
U −= η S U / m).

Usage: numpy_bench.py D M R STEPS DTYPE [numpy|torch]   → prints "ms_per_step X"
PyTorch runs the same step on torch tensors (CPU, on all of the machine's cores, its default;
no autograd).
"""
import sys

import numpy as np

from steptimer import print_ms_per_step


def main():
    d, m, r, steps = (int(v) for v in sys.argv[1:5])
    dtype = np.dtype(sys.argv[5])
    library = sys.argv[6] if len(sys.argv) > 6 else "numpy"
    rng = np.random.default_rng(0)
    a = rng.standard_normal((m, d * d)).astype(dtype)
    y = rng.standard_normal(m).astype(dtype)
    u = (1e-3 * rng.standard_normal((d, r))).astype(dtype)
    eta = dtype.type(1e-3)
    if library == "torch":
        import torch
        torch.set_grad_enabled(False)
        a, y, u = torch.from_numpy(a), torch.from_numpy(y), torch.from_numpy(u)
        eta = float(eta)

    def step(u):
        res = a @ (u @ u.T).reshape(-1) - y
        s = (a.T @ res).reshape(d, d)
        return u - eta * (s @ u) / m

    print_ms_per_step(step, u, steps)


if __name__ == "__main__":
    main()
