#!/usr/bin/env python3
"""Independent NumPy oracle for the Sensing module's loss, gradient and traces.

Reads one JSON object on stdin:
    Zstar (d x d nested list), A (flat list of m*d*d values, C order of an (m, d, d) stack),
    y (m values), U0 (d x r nested list), eta, steps, every,
    method: "gd" | "momentum" | "scaled" | "prec"  (optional, default "gd"),
    beta (momentum), lam (prec).
Writes the trace as CSV on stdout with the columns
    step, loss, rel_err, eig1..eigK, dist1..distR, grad_norm, eff_rank
where K = max(r, 1) and R is the rank of Zstar (eigenvalues > 1e-10 * max(1, max|Zstar|)).
Rows are recorded before the update at t % every == 0 and at t == steps.
"""
import json
import sys

import numpy as np


def sym_part(stack):
    return 0.5 * (stack + np.transpose(stack, (0, 2, 1)))


def truncations(z, count):
    vals, vecs = np.linalg.eigh(z)
    order = np.argsort(vals)[::-1]
    vals, vecs = vals[order], vecs[:, order]
    out = []
    for k in range(1, count + 1):
        out.append((vecs[:, :k] * vals[:k]) @ vecs[:, :k].T)
    return out


def main():
    spec = json.load(sys.stdin)
    z = np.array(spec["Zstar"], dtype=np.float64)
    d = z.shape[0]
    m = len(spec["y"])
    s = sym_part(np.array(spec["A"], dtype=np.float64).reshape(m, d, d))
    flat = s.reshape(m, d * d)
    y = np.array(spec["y"], dtype=np.float64)
    u = np.array(spec["U0"], dtype=np.float64).reshape(d, -1)
    r = u.shape[1]
    eta, steps, every = float(spec["eta"]), int(spec["steps"]), int(spec["every"])
    method = spec.get("method", "gd")
    beta = float(spec.get("beta", 0.0))
    lam = float(spec.get("lam", 0.0))

    scale = max(1.0, float(np.max(np.abs(z))))
    rank = int(np.count_nonzero(np.linalg.eigvalsh(z) > 1e-10 * scale))
    targets = truncations(z, rank)
    znorm = np.linalg.norm(z)
    k_eigs = max(r, 1)

    print(",".join(["step", "loss", "rel_err"] + ["eig%d" % (k + 1) for k in range(k_eigs)]
                   + ["dist%d" % (k + 1) for k in range(rank)] + ["grad_norm", "eff_rank"]))
    prev = u.copy()
    for t in range(steps + 1):
        gram = u @ u.T
        res = flat @ gram.reshape(-1) - y
        loss = float(res @ res) / (4.0 * m)
        grad = (flat.T @ res).reshape(d, d) @ u / m
        if t % every == 0 or t == steps:
            eigs = np.zeros(k_eigs)
            if r > 0:
                ev = np.sort(np.linalg.eigvalsh(u.T @ u))[::-1]
                eigs[: min(k_eigs, len(ev))] = ev[:k_eigs]
            sq = np.sum(u * u)
            gg = np.sum((u.T @ u) ** 2)
            eff = sq * sq / gg if gg > 0 else 0.0
            row = [loss, np.linalg.norm(gram - z) / znorm, *eigs,
                   *[np.linalg.norm(gram - tk) for tk in targets], np.linalg.norm(grad), eff]
            print(",".join([str(t)] + [repr(float(v)) for v in row]))
        if t == steps:
            break
        if method == "scaled":
            step = np.linalg.solve(u.T @ u, grad.T).T
        elif method == "prec":
            step = np.linalg.solve(u.T @ u + lam * np.eye(r), grad.T).T
        else:
            step = grad
        if method == "momentum":
            nxt = u - eta * step + beta * (u - prev)
            prev = u
            u = nxt
        else:
            u = u - eta * step


if __name__ == "__main__":
    main()
