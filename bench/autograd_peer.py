#!/usr/bin/env python3
"""The peers of AutodiffBench (Sources/AutodiffBench): one loss-and-gradient evaluation of the same
two objectives on a dense N(0, 1) stack of m d₁×d₂ matrices, best of REPEATS, in milliseconds.

    huber   f(F, G) = (1/m) Σᵢ h_δ(⟨Aᵢ, FGᵀ⟩ − yᵢ),  h_δ(t) = c·t − c²/2 with c = clip(t, −δ, δ), δ = 1
    depth3  f(W₁, W₂, W₃) = 1/(2m) Σᵢ (⟨Aᵢ, W₃W₂W₁⟩ − yᵢ)²

`torch`: PyTorch autograd (CPU, its default threads) differentiates the loss as written;
`numpy`: the gradient written by hand with two matrix-vector products, as a NumPy user would.

Usage: autograd_peer.py torch|numpy D1 D2 R M REPEATS   → "huber_ms X" and "depth3_ms X"
"""
import sys
import time

import numpy as np


def best(repeats, body):
    body()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        body()
        times.append(time.perf_counter() - start)
    return min(times) * 1e3


def gd_ms_per_step(steps, rounds, step):
    step()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(steps):
            step()
        times.append((time.perf_counter() - start) / steps)
    return float(np.median(times)) * 1e3


def main():
    library = sys.argv[1]
    d1, d2, r, m, repeats = (int(v) for v in sys.argv[2:7])
    rounds = int(sys.argv[7]) if len(sys.argv) > 7 else 9
    rng = np.random.default_rng(1)
    a = rng.standard_normal((m, d1 * d2))
    y = a @ (rng.standard_normal((d1, r)) @ rng.standard_normal((d2, r)).T).reshape(-1)
    f0, g0 = 0.1 * rng.standard_normal((d1, r)), 0.1 * rng.standard_normal((d2, r))
    w = [rng.standard_normal((r, d2)), rng.standard_normal((r, r)), rng.standard_normal((d1, r))]
    delta = 1.0
    if library == "torch_gd":
        import torch
        # A truth of unit norm, as the script's lowrank(d, d, svals: [1, 0.5]) is of norm ≈ 1.1, so
        # that the iterates stay finite; the start is 0.1 times the draws.
        truth = w[2] @ w[1] @ w[0]
        at = torch.from_numpy(a)
        yt = torch.from_numpy(a @ (truth / np.linalg.norm(truth)).reshape(-1))
        v = [torch.from_numpy(0.1 * x).requires_grad_() for x in w]

        def step():
            residual = at @ (v[2] @ v[1] @ v[0]).reshape(-1) - yt
            (residual @ residual / (2 * m)).backward()
            with torch.no_grad():
                for x in v:
                    x -= 0.01 * x.grad
                    x.grad = None
        print(f"gd_ms_per_step {gd_ms_per_step(repeats, rounds, step)}")
        return
    if library == "torch":
        import torch
        at, yt = torch.from_numpy(a), torch.from_numpy(y)

        def huber():
            f = torch.from_numpy(f0).requires_grad_()
            g = torch.from_numpy(g0).requires_grad_()
            residual = at @ (f @ g.T).reshape(-1) - yt
            c = torch.clamp(residual, -delta, delta)
            (c * residual - 0.5 * c * c).mean().backward()
            return f.grad, g.grad

        def depth3():
            v = [torch.from_numpy(x).requires_grad_() for x in w]
            residual = at @ (v[2] @ v[1] @ v[0]).reshape(-1) - yt
            (residual @ residual / (2 * m)).backward()
            return [x.grad for x in v]
    else:
        def huber():
            residual = a @ (f0 @ g0.T).reshape(-1) - y
            s = (a.T @ np.clip(residual, -delta, delta)).reshape(d1, d2) / m
            return s @ g0, s.T @ f0

        def depth3():
            w32 = w[2] @ w[1]
            residual = a @ (w32 @ w[0]).reshape(-1) - y
            s = (a.T @ residual).reshape(d1, d2) / m
            sw1t = s @ w[0].T
            return w32.T @ s, w[2].T @ sw1t, sw1t @ w[1].T
    print(f"huber_ms {best(repeats, huber)}")
    print(f"depth3_ms {best(repeats, depth3)}")


if __name__ == "__main__":
    main()
