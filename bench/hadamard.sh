#!/usr/bin/env bash
# bench/hadamard.sh MSENSE PYTHON: the structured ensemble at large d, msense against NumPy in one
# invocation (docs/performance.md, "Structured measurements at large d"): ms per GD step on
# M = FGᵀ with hadamard(m, d, d) at d = 1000, r = 10, m = 10⁵, and the same step in NumPy.
set -euo pipefail
cd "$(dirname "$0")/.."
msense=$1 python=$2
value() { awk -v key="$1" '$1 == key { print $2 }'; }
d=1000 m=100000 r=10
out=$("$msense" bench/hadamard.msense "$d" "$m" "$r" 40)
ours=$(echo "$out" | value ms_per_step) setup=$(echo "$out" | value setup_ms) err=$(echo "$out" | value rel_err)
row=$(echo "$out" | value row_ms) run=$(echo "$out" | value run_ms)
theirs=$("$python" bench/hadamard_numpy.py "$d" "$m" "$r" 10 | value ms_per_step)
awk -v d="$d" -v m="$m" -v r="$r" -v o="$ours" -v t="$theirs" -v s="$setup" -v e="$err" -v w="$row" -v u="$run" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
    printf "hadamard FGᵀ d=%s m=%s r=%s: setup %.0f ms, msense %.1f ms/step, NumPy %.1f ms/step, %.2fx (a recorded row %.1f ms, set-up and end of a run %.0f ms; rel_err %.3g after 40 steps; load %s)\n",
        d, m, r, s, o, t, t / o, w, u, e, load }'
