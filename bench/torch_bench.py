#!/usr/bin/env python3
"""The PyTorch (CPU) peer for bench/run.sh: the same GD step as numpy_bench.py, written the way
PyTorch users write it, two matrix-vector products over the dense m×d² measurement matrix
(res = A·vec(UUᵀ) − y; S = Aᵀres; U −= η S U / m), on all of the machine's cores (PyTorch's default).

Usage: torch_bench.py D M R STEPS DTYPE   → prints "ms_per_step X"
"""
import sys
import time

import torch


def main():
    d, m, r, steps = (int(v) for v in sys.argv[1:5])
    dtype = {"float64": torch.float64, "float32": torch.float32}[sys.argv[5]]
    generator = torch.Generator().manual_seed(0)
    a = torch.randn(m, d * d, generator=generator, dtype=torch.float64).to(dtype)
    y = torch.randn(m, generator=generator, dtype=torch.float64).to(dtype)
    u = (1e-3 * torch.randn(d, r, generator=generator, dtype=torch.float64)).to(dtype)
    eta = 1e-3

    def step(u):
        res = a @ (u @ u.T).reshape(-1) - y
        s = (a.T @ res).reshape(d, d)
        return u - eta * (s @ u) / m

    with torch.no_grad():
        for _ in range(3):
            u = step(u)
        start = time.perf_counter()
        for _ in range(steps):
            u = step(u)
    print(f"ms_per_step {(time.perf_counter() - start) / steps * 1e3}")


if __name__ == "__main__":
    main()
