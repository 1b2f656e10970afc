#!/usr/bin/env python3
"""Our own NumPy oracle for the factor models beyond UU^T (independent of ../shared).

It makes small problems on d1 x d2 matrices and runs plain gradient descent on the asymmetric
model M = F G^T (square loss: asym; Huber loss with outliers in y: huber) or the depth-N model
M = W_N ... W_1, writing the inputs as .npy files and the expected trace as CSV, in the layout that
`examples/replay_asym.msense`, `examples/replay_huber.msense` (DIR ETA STEPS EVERY OUT.csv DELTA)
and `examples/replay_deep.msense` read (DIR ETA STEPS EVERY OUT.csv):

    DIR/Mstar.npy (d1,d2)  DIR/A.npy (m,d1,d2)  DIR/y.npy (m,)
    asym, huber: DIR/F0.npy (d1,r)  DIR/G0.npy (d2,r)      deep: DIR/W1.npy ... DIR/WN.npy
    DIR/args "ETA STEPS EVERY [OPTIMIZER]" (huber: "ETA STEPS EVERY DELTA")      DIR/trace.csv

Definitions (docs/sensing.md, "Models beyond UU^T", states the same formulas):
    r_i       = <A_i, M> - y_i,  S = (1/m) sum_i r_i A_i
    loss      = 1/(2m) sum_i r_i^2
    asym      grad_F = S G, grad_G = S^T F
    deep      grad_{W_j} = (W_N ... W_{j+1})^T S (W_{j-1} ... W_1)^T
    rel_err   = ||M - M*||_F / ||M*||_F
    sv_j      = j-th singular value of M; q = min(r, d1, d2) (asym), min(d1, d2, h, 10) (deep)
    dist_j    = ||M - M*_j||_F, M*_j the rank-j SVD truncation of M*, j = 1..rank M*
                (rank: singular values above 1e-10 * max(1, sigma_1))
    imbalance = ||F^T F - G^T G||_F (asym)
    huber     loss = (1/m) sum_i h(r_i), h(r) = r^2/2 (|r| <= delta), delta (|r| - delta/2) otherwise,
              computed as min(|r|, delta)^2 / 2 + delta max(|r| - delta, 0);
              grad_F = S G, grad_G = S^T F with S = (1/m) sum_i psi(r_i) A_i,
              psi(r) = sign(r) min(|r|, delta); trace columns step, loss, rel_err, grad_norm;
              outliers: round(fraction m) (a half away from zero) distinct measurements get
              scale * max_i |y_i| added with a random sign (max over y before any outlier, noise included)
    balance_j = ||W_{j+1}^T W_{j+1} - W_j W_j^T||_F, norm_j = ||W_j||_F (deep)
    grad_norm = sqrt(sum over factors of ||grad||_F^2)
Rows at t = 0, EVERY, 2 EVERY, ... and t = STEPS, each before that step's update.

Update rules (OPTIMIZER, default gd; docs/sensing.md "Optimizers on models"):
    gd           every factor from the gradients at the same iterate
    alternating  factor by factor (F then G; W_1 up to W_N), each gradient at the factors updated so far
    agn          alternating Gauss-Newton (Jia, Feng, Meng, Sun 2024, eqs. (33)-(34)), asym only,
                 written as the authors' code writes it: A_k = A_i / sqrt(m), y_k = y_i / sqrt(m),
                 Z = sum_k (<A_k, L R^T> - y_k) A_k, Delta_L = lstsq(R, Z^T), L <- L - eta Delta_L^T,
                 Z recomputed at (L+, R), Delta_R = lstsq(L+, Z), R <- R - eta Delta_R^T (the
                 derivation's transpose; the published code subtracts Delta_R itself, a d x n array
                 from an n x d one). Its loss column is the authors' psi = 1/2 ||A(X) - y||^2.

The gradients here are computed by a different route than msense's: every measurement's
contribution is formed with einsum over the full stack, and the deep gradient by automatic
chaining of explicit products, so an error in one is unlikely to be repeated in the other.

Usage:
    field_oracle.py make asym|deep|huber DIR [--d1 --d2 --m --r --svals --noise --seed --ensemble
                    gaussian|completion|rank1 --alpha --depth --width --eta --steps --every
                    --delta --outliers --outlier-scale --optimizer gd|alternating|agn]
    field_oracle.py run asym|deep|huber DIR [OUT.csv]     # recompute the trace from DIR's inputs
"""
import argparse
import os
import sys

import numpy as np


def orthonormal(rng, n, k):
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return (q * np.sign(np.diag(r)))[:, :k]


def stack(rng, kind, m, d1, d2):
    if kind == "gaussian":
        return rng.standard_normal((m, d1, d2))
    if kind == "rank1":
        a = rng.standard_normal((m, d1))
        b = rng.standard_normal((m, d2))
        return np.einsum("ij,ik->ijk", a, b)
    if kind == "completion":
        out = np.zeros((m, d1, d2))
        j = rng.integers(0, d1, size=m)
        k = rng.integers(0, d2, size=m)
        out[np.arange(m), j, k] = np.sqrt(d1 * d2)
        return out
    raise SystemExit(f"unknown ensemble {kind}")


def product(Ws):
    P = Ws[0]
    for W in Ws[1:]:
        P = W @ P
    return P


def residuals(A, y, M):
    return np.einsum("ijk,jk->i", A, M) - y


def deep_grads(A, y, Ws):
    m = len(y)
    r = residuals(A, y, product(Ws))
    S = np.einsum("i,ijk->jk", r, A) / m
    grads = []
    for j in range(len(Ws)):
        left = product(Ws[j + 1:]) if j + 1 < len(Ws) else np.eye(Ws[-1].shape[0])
        right = product(Ws[:j]) if j > 0 else np.eye(Ws[0].shape[1])
        grads.append(left.T @ S @ right.T)
    return float(r @ r) / (2 * m), grads


def agn_step(A, y, L, R, eta):
    """One AGN iteration in the authors' normalisation (see the module docstring)."""
    m = len(y)
    Ak = A / np.sqrt(m)
    yk = y / np.sqrt(m)

    def Z(X):
        return np.tensordot(np.einsum("kij,ij->k", Ak, X) - yk, Ak, axes=1)

    delta_L = np.linalg.lstsq(R, Z(L @ R.T).T, rcond=None)[0]
    L = L - eta * delta_L.T
    delta_R = np.linalg.lstsq(L, Z(L @ R.T), rcond=None)[0]
    R = R - eta * delta_R.T
    return L, R


def psi(A, y, M):
    m = len(y)
    r = np.einsum("kij,ij->k", A / np.sqrt(m), M) - y / np.sqrt(m)
    return 0.5 * float(r @ r)


def truncations(Mstar):
    P, s, Qt = np.linalg.svd(Mstar)
    k = int(np.sum(s > 1e-10 * max(1.0, s[0])))
    return [P[:, :j] @ np.diag(s[:j]) @ Qt[:j] for j in range(1, k + 1)]


def trace(family, Mstar, A, y, factors, eta, steps, every, optimizer="gd"):
    targets = truncations(Mstar)
    d1, d2 = Mstar.shape
    if family == "asym":
        q = min(factors[0].shape[1], d1, d2)
    else:
        q = min(d1, d2, min(W.shape[0] for W in factors[:-1]) if len(factors) > 1 else 10**9, 10)
    header = ["step", "loss", "rel_err"] + [f"sv{j + 1}" for j in range(q)] + [f"dist{j + 1}" for j in range(len(targets))]
    if family == "asym":
        header += ["imbalance"]
    else:
        header += [f"balance{j + 1}" for j in range(len(factors) - 1)] + [f"norm{j + 1}" for j in range(len(factors))]
    header += ["grad_norm"]
    rows = []
    Xs = [x.copy() for x in factors]
    for t in range(steps + 1):
        if family == "asym":
            F, G = Xs
            # M = F G^T is the depth-2 product with W1 = G^T, W2 = F.
            loss, (gGt, gF) = deep_grads(A, y, [G.T, F])
            grads = [gF, gGt.T]
            M = F @ G.T
            if optimizer == "agn":
                loss = psi(A, y, M)
        else:
            loss, grads = deep_grads(A, y, Xs)
            M = product(Xs)
        if t % every == 0 or t == steps:
            row = [t, loss, np.linalg.norm(M - Mstar) / np.linalg.norm(Mstar)]
            row += list(np.linalg.svd(M, compute_uv=False)[:q])
            row += [np.linalg.norm(M - T) for T in targets]
            if family == "asym":
                row += [np.linalg.norm(Xs[0].T @ Xs[0] - Xs[1].T @ Xs[1])]
            else:
                row += [np.linalg.norm(Xs[j + 1].T @ Xs[j + 1] - Xs[j] @ Xs[j].T) for j in range(len(Xs) - 1)]
                row += [np.linalg.norm(W) for W in Xs]
            row += [np.sqrt(sum(np.sum(g * g) for g in grads))]
            rows.append(row)
        if t == steps:
            break
        if optimizer == "gd":
            Xs = [x - eta * g for x, g in zip(Xs, grads)]
        elif optimizer == "agn":
            Xs = list(agn_step(A, y, Xs[0], Xs[1], eta))
        elif family == "asym":
            F = Xs[0] - eta * grads[0]
            _, (gGt, _) = deep_grads(A, y, [Xs[1].T, F])
            Xs = [F, Xs[1] - eta * gGt.T]
        else:
            for j in range(len(Xs)):
                g = grads[j] if j == 0 else deep_grads(A, y, Xs)[1][j]
                Xs[j] = Xs[j] - eta * g
    return header, rows


def huber_trace(Mstar, A, y, F, G, eta, steps, every, delta):
    m = len(y)
    header = ["step", "loss", "rel_err", "grad_norm"]
    rows = []
    for t in range(steps + 1):
        r = np.einsum("ijk,jk->i", A, F @ G.T) - y
        a = np.abs(r)
        loss = float(np.sum(0.5 * np.minimum(a, delta) ** 2 + delta * np.maximum(a - delta, 0.0))) / m
        S = np.tensordot(np.sign(r) * np.minimum(a, delta), A, axes=1) / m
        gF, gG = S @ G, S.T @ F
        if t % every == 0 or t == steps:
            rel = np.linalg.norm(F @ G.T - Mstar) / np.linalg.norm(Mstar)
            rows.append([t, loss, rel, np.sqrt(np.sum(gF * gF) + np.sum(gG * gG))])
        if t == steps:
            break
        F, G = F - eta * gF, G - eta * gG
    return header, rows


def with_outliers(rng, y, fraction, scale):
    # msense rounds a half away from zero (docs/sensing.md); Python's round would take it to even.
    count = int(np.floor(fraction * len(y) + 0.5))
    size = scale * np.abs(y).max()
    where = rng.permutation(len(y))[:count]
    out = y.copy()
    out[where] += size * np.where(rng.random(count) < 0.5, -1.0, 1.0)
    return out


def write_csv(path, header, rows):
    with open(path + ".tmp", "w") as f:
        f.write(",".join(header) + "\n")
        for row in rows:
            f.write(",".join([str(int(row[0]))] + [repr(float(v)) for v in row[1:]]) + "\n")
    os.replace(path + ".tmp", path)


def load_dir(family, d):
    Mstar, A, y = (np.load(os.path.join(d, n + ".npy")) for n in ("Mstar", "A", "y"))
    if family in ("asym", "huber"):
        factors = [np.load(os.path.join(d, "F0.npy")), np.load(os.path.join(d, "G0.npy"))]
    else:
        factors = []
        while os.path.exists(os.path.join(d, f"W{len(factors) + 1}.npy")):
            factors.append(np.load(os.path.join(d, f"W{len(factors) + 1}.npy")))
    return Mstar, A, y, factors


def make(a):
    rng = np.random.default_rng(a.seed)
    s = [float(v) for v in a.svals.split(",")]
    Mstar = orthonormal(rng, a.d1, len(s)) @ np.diag(s) @ orthonormal(rng, a.d2, len(s)).T
    A = stack(rng, a.ensemble, a.m, a.d1, a.d2)
    y = np.einsum("ijk,jk->i", A, Mstar) + a.noise * rng.standard_normal(a.m)
    if a.family == "huber":
        y = with_outliers(rng, y, a.outliers, a.outlier_scale)
    os.makedirs(a.dir, exist_ok=True)
    for name, arr in (("Mstar", Mstar), ("A", A), ("y", y)):
        np.save(os.path.join(a.dir, name + ".npy"), arr)
    if a.family in ("asym", "huber"):
        np.save(os.path.join(a.dir, "F0.npy"), a.alpha * rng.standard_normal((a.d1, a.r)))
        np.save(os.path.join(a.dir, "G0.npy"), a.alpha * rng.standard_normal((a.d2, a.r)))
    else:
        h = a.width or max(a.d1, a.d2)
        shapes = [(a.d1, a.d2)] if a.depth == 1 else [(h, a.d2)] + [(h, h)] * (a.depth - 2) + [(a.d1, h)]
        for j, shape in enumerate(shapes, 1):
            np.save(os.path.join(a.dir, f"W{j}.npy"), a.alpha * rng.standard_normal(shape))
    with open(os.path.join(a.dir, "args"), "w") as f:
        extra = f" {a.delta!r}" if a.family == "huber" else ("" if a.optimizer == "gd" else f" {a.optimizer}")
        f.write(f"{a.eta!r} {a.steps} {a.every}{extra}\n")
    run(a.family, a.dir, os.path.join(a.dir, "trace.csv"))


def run(family, d, out):
    Mstar, A, y, factors = load_dir(family, d)
    fields = open(os.path.join(d, "args")).read().split()
    eta, steps, every = float(fields[0]), int(fields[1]), int(fields[2])
    if family == "huber":
        header, rows = huber_trace(Mstar, A, y, factors[0], factors[1], eta, steps, every, float(fields[3]))
    else:
        header, rows = trace(family, Mstar, A, y, factors, eta, steps, every, *fields[3:])
    write_csv(out, header, rows)


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    mk = sub.add_parser("make")
    mk.add_argument("family", choices=["asym", "deep", "huber"])
    mk.add_argument("dir")
    for name, kind, default in (("--d1", int, 8), ("--d2", int, 6), ("--m", int, 300), ("--r", int, 3),
                                ("--svals", str, "1,0.5"), ("--noise", float, 0.0), ("--seed", int, 1),
                                ("--ensemble", str, "gaussian"), ("--alpha", float, 1e-3),
                                ("--depth", int, 3), ("--width", int, 0), ("--eta", float, 0.1),
                                ("--steps", int, 300), ("--every", int, 20), ("--delta", float, 1.0),
                                ("--outliers", float, 0.1), ("--outlier-scale", float, 10.0)):
        mk.add_argument(name, type=kind, default=default)
    mk.add_argument("--optimizer", choices=["gd", "alternating", "agn"], default="gd")
    rn = sub.add_parser("run")
    rn.add_argument("family", choices=["asym", "deep", "huber"])
    rn.add_argument("dir")
    rn.add_argument("out", nargs="?")
    a = p.parse_args()
    if a.cmd == "make" and a.optimizer == "agn" and a.family != "asym":
        raise SystemExit("agn is defined for the asym family")
    if a.cmd == "make":
        make(a)
    else:
        run(a.family, a.dir, a.out or os.path.join(a.dir, "trace.csv"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
