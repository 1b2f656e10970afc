#!/usr/bin/env python3
"""Our own NumPy oracle for the subsampled randomized Hadamard ensemble (`hadamard`, `given_hadamard`).

Definitions (docs/sensing.md, "Structured measurements for large d", states the same):
    P = d1*d2, N = smallest power of two >= P, q = j*d2 + k (row-major over M)
    (H_N)_{s,q} = (-1)^popcount(s & q)            (the +-1 Walsh-Hadamard matrix; H_N / sqrt(N) orthonormal)
    <A_i, M> = sum_q (H_N)_{s_i,q} sigma_q M_q    = (H_N D pad(vec M))_{s_i}
    A*(w)    = (1/m) sum_i w_i A_i
Draw order from msense's seeded stream (xoshiro256**, modelled in tensor_rng_oracle.py): sigma_q
for q = 0..P-1 (-1 when next_double() < 1/2, else +1), then m distinct rows by a partial
Fisher-Yates shuffle of 0..N-1: position i swapped with i + U{0..N-i-1}, U by Lemire's method
(Swift's `next(upperBound:)`), rows in draw order.

The fixture's measurements, adjoint and gradient-descent trace are computed from the DENSE stack
A_i built entry by entry from the popcount formula (never through a fast transform), and the
trace by field_oracle.py's einsum route, so an error in msense's transform, padding, signs or
scaling cannot repeat here. `fwht` (the fast transform, stages h = 1, 2, 4, ... ascending) is
checked against the dense route by `make` and `selftest`.

Usage:
    hadamard_oracle.py make asym|deep DIR [--d1 --d2 --m --r --svals --seed --alpha --depth
                       --width --eta --steps --every]
    hadamard_oracle.py draw SEED M D1 D2        # prints the signs, then the rows (one per line)
    hadamard_oracle.py selftest

DIR holds Mstar.npy, signs.npy (P,), rows.npy (m,), y.npy (m,), F0.npy/G0.npy (asym) or
W1.npy ... (deep), X.npy (d1,d2) and w.npy (m,) probes, AX.npy = A(X) (m,), Aw.npy = A*(w)
(d1,d2), args "FAMILY SEED ETA STEPS EVERY", and trace.csv (columns as field_oracle.py's).
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import field_oracle  # noqa: E402
from tensor_rng_oracle import MASK, Xoshiro256  # noqa: E402


def transform_length(p):
    n = 1
    while n < p:
        n *= 2
    return n


def next_int_below(g, bound):
    """Lemire's nearly divisionless method, as Swift's `next(upperBound:)` for UInt64."""
    x = g.next()
    prod = x * bound
    low = prod & MASK
    if low < bound:
        t = ((1 << 64) - bound) % bound
        while low < t:
            x = g.next()
            prod = x * bound
            low = prod & MASK
    return prod >> 64


def draw(seed, m, d1, d2):
    g = Xoshiro256(seed)
    p = d1 * d2
    n = transform_length(p)
    signs = np.array([-1.0 if g.next_double() < 0.5 else 1.0 for _ in range(p)])
    swapped = {}
    rows = []
    for i in range(m):
        j = i + next_int_below(g, n - i)
        vi = swapped.get(i, i)
        vj = swapped.get(j, j)
        swapped[j] = vi
        rows.append(vj)
    return signs, np.array(rows, dtype=np.int64)


def dense_stack(signs, rows, d1, d2):
    """A_i entry by entry: (A_i)_{jk} = sigma_q (-1)^popcount(s_i & q), q = j*d2 + k."""
    q = np.arange(d1 * d2)
    parity = np.array([[bin(int(s) & int(k)).count("1") & 1 for k in q] for s in rows])
    return ((1 - 2 * parity) * signs[None, :]).reshape(len(rows), d1, d2).astype(float)


def fwht(x):
    """x <- H_N x, stages h = 1, 2, 4, ... N/2: (a, b) <- (a + b, a - b)."""
    x = np.array(x, dtype=float)
    n = len(x)
    h = 1
    while h < n:
        v = x.reshape(-1, 2, h)
        a, b = v[:, 0, :].copy(), v[:, 1, :].copy()
        v[:, 0, :] = a + b
        v[:, 1, :] = a - b
        h *= 2
    return x


def fast_measure(signs, rows, M):
    n = transform_length(M.size)
    z = np.zeros(n)
    z[:M.size] = signs * M.reshape(-1)
    return fwht(z)[rows]


def fast_adjoint(signs, rows, w, shape):
    n = transform_length(shape[0] * shape[1])
    z = np.zeros(n)
    np.add.at(z, rows, w)
    return (signs * fwht(z)[:shape[0] * shape[1]] / len(rows)).reshape(shape)


def make(a):
    signs, rows = draw(a.seed, a.m, a.d1, a.d2)
    A = dense_stack(signs, rows, a.d1, a.d2)
    rng = np.random.default_rng(a.seed)
    s = [float(v) for v in a.svals.split(",")]
    Mstar = field_oracle.orthonormal(rng, a.d1, len(s)) @ np.diag(s) @ field_oracle.orthonormal(rng, a.d2, len(s)).T
    y = np.einsum("ijk,jk->i", A, Mstar)
    X = rng.standard_normal((a.d1, a.d2))
    w = rng.standard_normal(a.m)
    AX = np.einsum("ijk,jk->i", A, X)
    Aw = np.einsum("i,ijk->jk", w, A) / a.m
    assert np.allclose(AX, fast_measure(signs, rows, X), rtol=0, atol=1e-12 * np.abs(AX).max())
    assert np.allclose(Aw, fast_adjoint(signs, rows, w, X.shape), rtol=0, atol=1e-12 * np.abs(Aw).max())
    os.makedirs(a.dir, exist_ok=True)
    arrays = {"Mstar": Mstar, "signs": signs, "rows": rows.astype(float), "y": y, "X": X, "w": w, "AX": AX, "Aw": Aw}
    if a.family == "asym":
        arrays["F0"] = a.alpha * rng.standard_normal((a.d1, a.r))
        arrays["G0"] = a.alpha * rng.standard_normal((a.d2, a.r))
        factors = [arrays["F0"], arrays["G0"]]
    else:
        h = a.width or max(a.d1, a.d2)
        shapes = [(a.d1, a.d2)] if a.depth == 1 else [(h, a.d2)] + [(h, h)] * (a.depth - 2) + [(a.d1, h)]
        factors = [a.alpha * rng.standard_normal(shape) for shape in shapes]
        for j, W in enumerate(factors, 1):
            arrays[f"W{j}"] = W
    for name, arr in arrays.items():
        np.save(os.path.join(a.dir, name + ".npy"), arr)
    with open(os.path.join(a.dir, "args"), "w") as f:
        f.write(f"{a.family} {a.seed} {a.eta!r} {a.steps} {a.every}\n")
    header, trace_rows = field_oracle.trace(a.family, Mstar, A, y, factors, a.eta, a.steps, a.every)
    field_oracle.write_csv(os.path.join(a.dir, "trace.csv"), header, trace_rows)


def selftest():
    rng = np.random.default_rng(0)
    for d1, d2, m in ((1, 1, 1), (3, 5, 9), (4, 4, 16), (7, 6, 40)):
        signs, rows = draw(7, m, d1, d2)
        assert len(set(rows.tolist())) == m and rows.max() < transform_length(d1 * d2)
        A = dense_stack(signs, rows, d1, d2)
        X = rng.standard_normal((d1, d2))
        w = rng.standard_normal(m)
        assert np.allclose(np.einsum("ijk,jk->i", A, X), fast_measure(signs, rows, X), atol=1e-12)
        assert np.allclose(np.einsum("i,ijk->jk", w, A) / m, fast_adjoint(signs, rows, w, X.shape), atol=1e-12)
    n = 64
    H = np.array([[(-1) ** bin(i & j).count("1") for j in range(n)] for i in range(n)], dtype=float)
    x = rng.standard_normal(n)
    assert np.allclose(fwht(x), H @ x, atol=1e-12) and np.allclose(H @ H, n * np.eye(n))
    print("ok")


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    mk = sub.add_parser("make")
    mk.add_argument("family", choices=["asym", "deep"])
    mk.add_argument("dir")
    for name, kind, default in (("--d1", int, 12), ("--d2", int, 10), ("--m", int, 100), ("--r", int, 2),
                                ("--svals", str, "1,0.5"), ("--seed", int, 1), ("--alpha", float, 1e-3),
                                ("--depth", int, 3), ("--width", int, 0), ("--eta", float, 0.2),
                                ("--steps", int, 300), ("--every", int, 20)):
        mk.add_argument(name, type=kind, default=default)
    dr = sub.add_parser("draw")
    for name in ("seed", "m", "d1", "d2"):
        dr.add_argument(name, type=int)
    sub.add_parser("selftest")
    a = p.parse_args()
    if a.cmd == "make":
        make(a)
    elif a.cmd == "draw":
        signs, rows = draw(a.seed, a.m, a.d1, a.d2)
        print("\n".join([str(int(s)) for s in signs] + [str(int(r)) for r in rows]))
    else:
        selftest()
    return 0


if __name__ == "__main__":
    sys.exit(main())
