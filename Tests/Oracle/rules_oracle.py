#!/usr/bin/env python3
"""Independent NumPy values for the update rules, written from the formulas of docs/optimizers.md
and docs/sensing.md ("Optimizers on models") alone, for two golden scripts:

    python3 Tests/Oracle/rules_oracle.py optimizers   # Tests/Scripts/optimization/rules_values.msense
    python3 Tests/Oracle/rules_oracle.py models       # Tests/Scripts/sensing/model_rules_values.msense

Each prints, per case, the matrices the script compares with (17 significant digits, msense's
matrix literal syntax). The data below are the scripts' literals.

`optimizers`: f(X, Y) = ½‖A X Y − B‖²_F, ∇_X = Aᵀ R Yᵀ, ∇_Y = (A X)ᵀ R with R = A X Y − B; three
updates of each rule from (X₀, Y₀), PyTorch's conventions: clipping by the global norm of both
gradients (c/n when n > c), then L2 weight decay G + λX (torch.optim.Adam's `weight_decay`, not
AdamW), then the rule (Adam: bias-corrected M̂/(√V̂ + ε), ε outside the root; RMSprop: G/(√V + ε);
Nesterov: B ← βB + G, step G + βB; heavy ball: V ← βV − ηG). Schedules give η_t at t = 0, 1, ….

`models`: six measurement matrices Aᵢ ∈ ℝ^{3×2}, y = 𝒜(M*), S = (1/m) Σᵢ rᵢ Aᵢ; three steps of
each rule at η_t = 0.2·0.8^t, the final factors and the last trace row's loss, imbalance or
balance, and grad_norm.
"""
import math
import sys

import numpy as np

# ---------------------------------------------------------------- optimizers (minimize) --------
A = np.array([[1.0, -0.5, 0.3], [0.2, 0.8, -1.1], [-0.7, 0.4, 0.9], [0.5, 0.5, 0.25]])
B = np.array([[0.3, -1.2, 0.7], [1.5, 0.2, -0.4], [-0.3, 0.9, 1.1], [0.6, -0.8, 0.2]])
X0 = np.array([[0.4, -0.3], [0.1, 0.7], [-0.6, 0.2]])
Y0 = np.array([[0.5, -0.2, 0.3], [-0.4, 0.6, 0.1]])


def objective(X, Y):
    R = A @ X @ Y - B
    return 0.5 * np.sum(R ** 2), [A.T @ R @ Y.T, (A @ X).T @ R]


def constant(eta):
    return lambda t: eta


def step_decay(eta0, gamma, k):
    return lambda t: eta0 * gamma ** (t // k)


def cosine(eta0, eta1, T):
    return lambda t: eta1 + (eta0 - eta1) * (1 + math.cos(math.pi * min(t, T) / T)) / 2


def warmup(W, inner):
    return lambda t: inner(t) * (t + 1) / W if t < W else inner(t)


class Rule:
    """One optimizer: its step count t and buffers, per parameter."""

    def __init__(self, kind, lr=None, weight_decay=0.0, clip=math.inf, **h):
        self.kind, self.lr, self.wd, self.clip, self.h = kind, lr, weight_decay, clip, h
        self.t, self.buffers = 0, {}

    def update(self, params, loss, grads, step):
        n = math.sqrt(sum(np.sum(g ** 2) for g in grads))
        if n > self.clip:
            grads = [g * (self.clip / n) for g in grads]
        grads = [g + self.wd * x for g, x in zip(grads, params)]
        self.t += 1
        h, t = self.h, self.t
        if self.kind == "polyak":
            sq = sum(np.sum(g ** 2) for g in grads)
            eta = min(h.get("max_step", math.inf), max(0.0, loss - h["f_star"]) / sq) if sq > 0 else 0.0
        else:
            eta = self.lr(step)
        out = []
        for p, (x, g) in enumerate(zip(params, grads)):
            b = self.buffers.setdefault(p, {})
            if self.kind in ("descent", "polyak"):
                x = x - eta * g
            elif self.kind == "momentum":
                b["v"] = h["beta"] * b.get("v", 0.0) - eta * g
                x = x + b["v"]
            elif self.kind == "nesterov":
                b["b"] = h["beta"] * b.get("b", 0.0) + g
                x = x - eta * (g + h["beta"] * b["b"])
            elif self.kind == "adam":
                b["m"] = h["beta1"] * b.get("m", 0.0) + (1 - h["beta1"]) * g
                b["v"] = h["beta2"] * b.get("v", 0.0) + (1 - h["beta2"]) * g * g
                m_hat, v_hat = b["m"] / (1 - h["beta1"] ** t), b["v"] / (1 - h["beta2"] ** t)
                x = x - eta * m_hat / (np.sqrt(v_hat) + h["eps"])
            elif self.kind == "rmsprop":
                b["v"] = h["alpha"] * b.get("v", 0.0) + (1 - h["alpha"]) * g * g
                x = x - eta * g / (np.sqrt(b["v"]) + h["eps"])
            out.append(x)
        return out, eta


def run(make, steps, alternating=False):
    """The iterates after `steps` updates and the step sizes; alternating: X, then Y at the new X."""
    X, Y = X0.copy(), Y0.copy()
    rules = [make(), make()] if alternating else [make()]
    sizes = []
    for t in range(steps):
        loss, (gX, gY) = objective(X, Y)
        if alternating:
            (X,), eta = rules[0].update([X], loss, [gX], t)
            loss_y, (_, gY) = objective(X, Y)
            (Y,), _ = rules[1].update([Y], loss_y, [gY], t)
        else:
            (X, Y), eta = rules[0].update([X, Y], loss, [gX, gY], t)
        sizes.append(eta)
    return X, Y, sizes


OPTIMIZER_CASES = {
    "descent(lr: step_decay(0.1, factor: 0.5, every: 2))": (lambda: Rule("descent", step_decay(0.1, 0.5, 2)), False),
    "momentum(lr: 0.03, beta: 0.7, weight_decay: 0.1)": (lambda: Rule("momentum", constant(0.03), 0.1, beta=0.7), False),
    "nesterov(lr: 0.03, beta: 0.8, clip: 0.5)": (lambda: Rule("nesterov", constant(0.03), clip=0.5, beta=0.8), False),
    "adam(lr: 0.02, beta1: 0.8, beta2: 0.9, eps: 0.05, weight_decay: 0.2, clip: 1)":
        (lambda: Rule("adam", constant(0.02), 0.2, 1.0, beta1=0.8, beta2=0.9, eps=0.05), False),
    "adam(lr: cosine(0.05, final: 0.01, steps: 2))":
        (lambda: Rule("adam", cosine(0.05, 0.01, 2), beta1=0.9, beta2=0.999, eps=1e-8), False),
    "rmsprop(lr: 0.01, alpha: 0.7, eps: 0.1, clip: 0.8)":
        (lambda: Rule("rmsprop", constant(0.01), clip=0.8, alpha=0.7, eps=0.1), False),
    "rmsprop(lr: warmup(3, then: 0.02), alpha: 0.5, eps: 0.001, weight_decay: 0.05)":
        (lambda: Rule("rmsprop", warmup(3, constant(0.02)), 0.05, alpha=0.5, eps=1e-3), False),
    "polyak(f_star: 0.5, max_step: 0.3)": (lambda: Rule("polyak", f_star=0.5, max_step=0.3), False),
    "polyak(f_star: 0.1, weight_decay: 0.3, clip: 2)": (lambda: Rule("polyak", f_star=0.1, weight_decay=0.3, clip=2.0), False),
    "alternating(adam(lr: 0.05, beta1: 0.5, beta2: 0.6, eps: 0.01))":
        (lambda: Rule("adam", constant(0.05), beta1=0.5, beta2=0.6, eps=0.01), True),
}

# ---------------------------------------------------------------- factor models (gd) -----------
STACK = np.array([
    [[1.0, -0.4], [0.3, 0.8], [-1.2, 0.5]],
    [[0.2, 1.1], [-0.7, 0.0], [0.6, -0.9]],
    [[-0.5, 0.3], [1.4, -0.2], [0.1, 0.7]],
    [[0.9, 0.6], [-0.3, -1.0], [0.4, 0.2]],
    [[-1.1, 0.2], [0.5, 0.9], [-0.6, -0.3]],
    [[0.3, -0.8], [0.7, 0.4], [1.0, -0.5]],
])
MSTAR = np.array([[1.0, 0.5], [-0.4, 0.8], [0.6, -0.2]])
F0 = np.array([[0.5, -0.2], [0.1, 0.4], [-0.3, 0.6]])
G0 = np.array([[0.3, 0.7], [-0.6, 0.2]])
W_INIT = [np.array([[0.6, -0.3], [0.2, 0.5]]), np.array([[0.7, 0.1], [-0.2, 0.4]]),
          np.array([[0.5, 0.3], [-0.4, 0.6], [0.2, -0.1]])]
W0_LORA = np.array([[0.2, 0.0], [0.0, -0.3], [0.1, 0.1]])
B0_LORA = np.array([[0.3], [-0.2], [0.5]])
A0_LORA = np.array([[0.4, -0.6]])
U0_SYM = np.array([[0.5, -0.1], [0.2, 0.6]])
STACK_SQ = STACK[:, :2, :]                    # the first two rows of each Aᵢ: 2×2 matrices
MSTAR_SQ = np.array([[1.0, 0.3], [0.3, 0.5]])

MEASURE = lambda stack, M: np.einsum("ijk,jk->i", stack, M)


def adjoint(stack, ystar, M):
    """S = (1/m) Σᵢ rᵢ Aᵢ with rᵢ = ⟨Aᵢ, M⟩ − yᵢ, and the loss Σ rᵢ² / m (to be divided by c)."""
    r = MEASURE(stack, M) - ystar
    return np.einsum("i,ijk->jk", r, stack) / len(r), np.sum(r ** 2) / len(r)


def product(Ws):
    out = np.eye(Ws[0].shape[1])
    for W in Ws:
        out = W @ out
    return out


def model_matrix(kind, fs):
    return {"asym": lambda: fs[0] @ fs[1].T, "deep": lambda: product(fs),
            "lora": lambda: W0_LORA + fs[0] @ fs[1], "sym": lambda: fs[0] @ fs[0].T}[kind]()


def model_gradients(kind, fs, stack, ystar):
    S, _ = adjoint(stack, ystar, model_matrix(kind, fs))
    if kind == "asym":
        return [S @ fs[1], S.T @ fs[0]]
    if kind == "lora":
        return [S @ fs[1].T, fs[0].T @ S]
    if kind == "sym":
        return [0.5 * (S + S.T) @ fs[0]]
    grads = []
    for j in range(len(fs)):
        left = product(fs[j + 1:]) if j + 1 < len(fs) else np.eye(fs[-1].shape[0])
        right = product(fs[:j]) if j > 0 else np.eye(fs[0].shape[1])
        grads.append(left.T @ S @ right.T)
    return grads


def transposed_pinv(X):
    """(Xᵀ)† from the thin SVD, singular values above ε·max(n, r)·σ₁ kept (NumPy's lstsq cut-off)."""
    P, s, Vt = np.linalg.svd(X, full_matrices=False)
    keep = s > np.finfo(float).eps * max(X.shape) * s[0]
    return (P[:, keep] / s[keep]) @ Vt[keep]


def model_run(kind, rule, factors, stack, ystar, lam=0.0, beta=0.0, steps=3):
    fs = [f.copy() for f in factors]
    velocity = [np.zeros_like(f) for f in fs]
    for t in range(steps):
        eta = 0.2 * 0.8 ** t
        grads = model_gradients(kind, fs, stack, ystar)
        if rule == "momentum":
            velocity = [beta * v - eta * g for v, g in zip(velocity, grads)]
            fs = [f + v for f, v in zip(fs, velocity)]
        elif rule in ("scaled", "prec"):
            damping = lam if rule == "prec" else 0.0
            if kind == "sym":
                U = fs[0]
                fs = [U - eta * grads[0] @ np.linalg.inv(U.T @ U + damping * np.eye(U.shape[1]))]
            else:
                F, G = fs
                eye = np.eye(F.shape[1])
                fs = [F - eta * grads[0] @ np.linalg.inv(G.T @ G + damping * eye),
                      G - eta * grads[1] @ np.linalg.inv(F.T @ F + damping * eye)]
        elif rule == "alternating":
            for j in range(len(fs)):
                fs[j] = fs[j] - eta * model_gradients(kind, fs, stack, ystar)[j]
        elif rule == "agn":
            F, G = fs
            S, _ = adjoint(stack, ystar, F @ G.T)
            F = F - eta * S @ transposed_pinv(G)
            S, _ = adjoint(stack, ystar, F @ G.T)
            fs = [F, G - eta * S.T @ transposed_pinv(F)]
    M = model_matrix(kind, fs)
    _, mean_square = adjoint(stack, ystar, M)
    loss = mean_square / (4 if kind == "sym" else 2)
    grads = model_gradients(kind, fs, stack, ystar)
    grad_norm = math.sqrt(sum(np.sum(g ** 2) for g in grads))
    balance = {"asym": lambda: [np.linalg.norm(fs[0].T @ fs[0] - fs[1].T @ fs[1])],
               "deep": lambda: [np.linalg.norm(fs[j + 1].T @ fs[j + 1] - fs[j] @ fs[j].T) for j in range(len(fs) - 1)],
               "lora": lambda: [np.linalg.norm(fs[0]), np.linalg.norm(fs[1])], "sym": lambda: []}[kind]()
    return fs, [loss, *balance, grad_norm]


def model_cases():
    y = MEASURE(STACK, MSTAR)
    y_sq = MEASURE(STACK_SQ, MSTAR_SQ)
    return {
        "asym momentum β = 0.6": model_run("asym", "momentum", [F0, G0], STACK, y, beta=0.6),
        "asym scaled": model_run("asym", "scaled", [F0, G0], STACK, y),
        "asym prec λ = 0.2": model_run("asym", "prec", [F0, G0], STACK, y, lam=0.2),
        "asym alternating": model_run("asym", "alternating", [F0, G0], STACK, y),
        "asym agn": model_run("asym", "agn", [F0, G0], STACK, y),
        "deep momentum β = 0.6": model_run("deep", "momentum", W_INIT, STACK, y, beta=0.6),
        "deep alternating": model_run("deep", "alternating", W_INIT, STACK, y),
        "lora momentum β = 0.6": model_run("lora", "momentum", [B0_LORA, A0_LORA], STACK, y, beta=0.6),
        "sym prec λ = 0.2": model_run("sym", "prec", [U0_SYM], STACK_SQ, y_sq, lam=0.2),
    }


def literal(M):
    """msense's matrix literal (a one-row matrix ends with `;`, else it would be a list)."""
    rows = np.atleast_2d(M)
    text = "; ".join(", ".join(repr(float(v)) for v in row) for row in rows)
    return "[" + text + (";]" if len(rows) == 1 else "]")


def main():
    which = sys.argv[1] if len(sys.argv) > 1 else "optimizers"
    if which == "optimizers":
        for name, (make, alternating) in OPTIMIZER_CASES.items():
            X, Y, sizes = run(make, 3, alternating)
            print(f"{name}\n  X = {literal(X)}\n  Y = {literal(Y)}\n  step sizes = {[float(s) for s in sizes]}")
    elif which == "models":
        for name, (fs, row) in model_cases().items():
            print(name)
            for f in fs:
                print(f"  {literal(f)}")
            print(f"  last row (loss, balance…, grad_norm) = {[float(v) for v in row]}")
    else:
        sys.exit(f"usage: {sys.argv[0]} optimizers|models")


if __name__ == "__main__":
    main()
