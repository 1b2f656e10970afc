#!/usr/bin/env python3
"""The NumPy (and PyTorch) peer of bench/models.msense: one GD step of a factor model on a dense
m×d² Gaussian stack, written the way NumPy users write it, two matrix-vector products per step:

    res = A·vec(M) − y,  S = reshape(Aᵀres)/m,  then the factors' gradients from S
    asym   M = FGᵀ:       F −= η S G,  G −= η Sᵀ F  (both from the same iterate)
    deep3  M = W₃W₂W₁:    W_j −= η (W₃⋯W_{j+1})ᵀ S (W_{j−1}⋯W₁)ᵀ

Usage: numpy_models.py MODEL D M R STEPS [numpy|torch]   → prints "ms_per_step X"
PyTorch runs the same step on torch tensors (CPU, its default threads, no autograd).
"""
import sys

import numpy as np

from steptimer import print_ms_per_step


def main():
    model = sys.argv[1]
    d, m, r, steps = (int(v) for v in sys.argv[2:6])
    library = sys.argv[6] if len(sys.argv) > 6 else "numpy"
    rng = np.random.default_rng(0)
    a = rng.standard_normal((m, d * d))
    y = rng.standard_normal(m)
    if model == "asym":
        factors = [1e-3 * rng.standard_normal((d, r)), 1e-3 * rng.standard_normal((d, r))]
    else:
        factors = [0.1 * rng.standard_normal((r, d)), 0.1 * rng.standard_normal((r, r)),
                   0.1 * rng.standard_normal((d, r))]
    eta = 1e-3
    if library == "torch":
        import torch
        torch.set_grad_enabled(False)
        a, y = torch.from_numpy(a), torch.from_numpy(y)
        factors = [torch.from_numpy(f) for f in factors]

    def adjoint(product):
        res = a @ product.reshape(-1) - y
        return (a.T @ res).reshape(d, d) / m

    def step(factors):
        if model == "asym":
            f, g = factors
            s = adjoint(f @ g.T)
            return [f - eta * (s @ g), g - eta * (s.T @ f)]
        w1, w2, w3 = factors
        w32 = w3 @ w2
        s = adjoint(w32 @ w1)
        sw1t = s @ w1.T
        return [w1 - eta * (w32.T @ s), w2 - eta * (w3.T @ sw1t), w3 - eta * (sw1t @ w2.T)]

    print_ms_per_step(step, factors, steps)


if __name__ == "__main__":
    main()
