#!/usr/bin/env python3
"""Our own NumPy oracle for msense replay conformance (independent of ../shared).

It makes small sensing problems and runs plain gradient descent on them, writing the
inputs as .npy files and the expected trace as CSV, in the layout that
`examples/replay.msense DIR ETA STEPS EVERY OUT.csv` reads:

    DIR/Zstar.npy (d,d)  DIR/A.npy (m,d,d)  DIR/y.npy (m,)  DIR/U0.npy (d,r)
    DIR/args             "ETA STEPS EVERY"
    DIR/trace.csv        step,loss,rel_err,eig1..eig_r,dist1..dist_rstar

Definitions (docs/sensing.md states the same formulas):
    loss     f(U) = 1/(4m) * sum_i (<A_i, U U^T> - y_i)^2
    gradient (1/m) * sum_i r_i * (A_i + A_i^T)/2 * U,  r_i = <A_i, U U^T> - y_i
    rel_err  ||U U^T - Z*||_F / ||Z*||_F
    eig_k    k-th largest eigenvalue of U U^T, k = 1..r
    dist_k   ||U U^T - Z*_k||_F, Z*_k the best rank-k approximation, k = 1..r*
    r*       number of eigenvalues of Z* above 1e-10 * max(1, max|Z*_ij|)
Rows are recorded before the update at t = 0, EVERY, 2 EVERY, ... and at t = STEPS.

Usage:
    replay_oracle.py make DIR --d 8 --m 200 --r 3 --eigs 1,0.4 --alpha 1e-3
                     --ensemble gaussian|rank1|completion --noise 0 --seed 1
                     --eta 0.05 --steps 400 --every 20
    replay_oracle.py run DIR [OUT.csv] [--weights float32]
                     # recompute the trace from DIR's inputs; with --weights float32 each
                     # symmetrised weight is first rounded to the nearest float32 (what msense's
                     # float32 storage keeps), the arithmetic staying float64
"""
import argparse
import os
import sys

import numpy as np


def measurement_stack(rng, kind, m, d):
    """The (m, d, d) measurement matrices of one ensemble."""
    if kind == "gaussian":
        g = rng.standard_normal((m, d, d))
        return 0.5 * (g + g.transpose(0, 2, 1))
    if kind == "rank1":
        a = rng.standard_normal((m, d))
        return a[:, :, None] * a[:, None, :]
    if kind == "completion":
        stack = np.zeros((m, d, d))
        rows = rng.integers(0, d, size=m)
        cols = rng.integers(0, d, size=m)
        for i in range(m):
            stack[i, rows[i], cols[i]] += d / 2.0
            stack[i, cols[i], rows[i]] += d / 2.0
        return stack
    raise SystemExit(f"unknown ensemble {kind}")


def top_k_projection(z, k):
    values, vectors = np.linalg.eigh(z)
    order = np.argsort(values)[::-1][:k]
    basis = vectors[:, order]
    return basis @ np.diag(values[order]) @ basis.T


def numerical_rank(z):
    threshold = 1e-10 * max(1.0, float(np.max(np.abs(z))))
    return int(np.count_nonzero(np.linalg.eigvalsh(z) > threshold))


def replay(zstar, stack, y, u0, eta, steps, every, weights="float64"):
    """Plain GD with constant step; returns (header, rows).

    weights="float32" rounds each entry of the symmetrised stack to float32 first. msense keeps
    the off-diagonal weights doubled (2 S_jk); rounding commutes with doubling, so rounding S_jk
    here rounds exactly as msense does.
    """
    m, d, _ = stack.shape
    r = u0.shape[1]
    sym = 0.5 * (stack + stack.transpose(0, 2, 1))
    if weights == "float32":
        sym = sym.astype(np.float32).astype(np.float64)
    flat = sym.reshape(m, d * d)
    rstar = numerical_rank(zstar)
    truncations = [top_k_projection(zstar, k) for k in range(1, rstar + 1)]
    znorm = np.linalg.norm(zstar, "fro")
    u = u0.astype(np.float64).copy()
    rows = []
    t = 0
    while True:
        gram = u @ u.T
        residual = flat @ gram.ravel() - y
        if t % every == 0 or t == steps:
            eigs = np.sort(np.linalg.eigvalsh(gram))[::-1][: max(r, 1)]
            rows.append([t, float(residual @ residual) / (4.0 * m),
                         np.linalg.norm(gram - zstar, "fro") / znorm, *eigs,
                         *[np.linalg.norm(gram - target, "fro") for target in truncations]])
        if t == steps:
            break
        adjoint = (flat.T @ residual).reshape(d, d) / m
        u = u - eta * (adjoint @ u)
        t += 1
    header = ["step", "loss", "rel_err"] + [f"eig{k}" for k in range(1, max(r, 1) + 1)] \
        + [f"dist{k}" for k in range(1, rstar + 1)]
    return header, rows


def write_trace(path, header, rows):
    lines = [",".join(header)]
    for row in rows:
        lines.append(",".join([str(int(row[0]))] + [repr(float(x)) for x in row[1:]]))
    with open(path, "w") as out:
        out.write("\n".join(lines) + "\n")


def load_inputs(directory):
    return [np.load(os.path.join(directory, name + ".npy")) for name in ("Zstar", "A", "y", "U0")]


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    make = sub.add_parser("make")
    make.add_argument("dir")
    for flag, kind, default in [("--d", int, 8), ("--m", int, 200), ("--r", int, 3),
                                ("--eigs", str, "1,0.4"), ("--alpha", float, 1e-3),
                                ("--ensemble", str, "gaussian"), ("--noise", float, 0.0),
                                ("--seed", int, 1), ("--eta", float, 0.05),
                                ("--steps", int, 400), ("--every", int, 20)]:
        make.add_argument(flag, type=kind, default=default)
    run = sub.add_parser("run")
    run.add_argument("dir")
    run.add_argument("out", nargs="?")
    run.add_argument("--weights", choices=("float64", "float32"), default="float64")
    args = parser.parse_args()

    if args.command == "make":
        rng = np.random.default_rng(args.seed)
        eigs = np.array([float(x) for x in args.eigs.split(",")])
        basis, _ = np.linalg.qr(rng.standard_normal((args.d, args.d)))
        basis = basis[:, : len(eigs)]
        zstar = basis @ np.diag(eigs) @ basis.T
        stack = measurement_stack(rng, args.ensemble, args.m, args.d)
        y = np.tensordot(stack, zstar, axes=([1, 2], [0, 1]))
        y = y + args.noise * rng.standard_normal(args.m)
        u0 = args.alpha * rng.standard_normal((args.d, args.r))
        os.makedirs(args.dir, exist_ok=True)
        for name, array in zip(("Zstar", "A", "y", "U0"), (zstar, stack, y, u0)):
            np.save(os.path.join(args.dir, name + ".npy"), array)
        with open(os.path.join(args.dir, "args"), "w") as out:
            out.write(f"{args.eta!r} {args.steps} {args.every}\n")
        header, rows = replay(zstar, stack, y, u0, args.eta, args.steps, args.every)
        write_trace(os.path.join(args.dir, "trace.csv"), header, rows)
    else:
        eta, steps, every = open(os.path.join(args.dir, "args")).read().split()
        header, rows = replay(*load_inputs(args.dir), float(eta), int(steps), int(every),
                              weights=args.weights)
        write_trace(args.out or os.path.join(args.dir, "trace.csv"), header, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
