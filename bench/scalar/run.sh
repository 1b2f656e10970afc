#!/usr/bin/env bash
# Times each scalar benchmark in msense and CPython (best of 3 wall-clock runs) and prints the
# ratio msense/python (below 1 means msense is faster). Builds msense in release mode first.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product msense >/dev/null
MSENSE=.build/release/msense
PYTHON=${PYTHON:-python3}

best() {  # best-of-3 wall time in seconds of the command given as arguments
    local best=""
    for _ in 1 2 3; do
        local start end t
        start=$(date +%s.%N)
        "$@" >/dev/null
        end=$(date +%s.%N)
        t=$(echo "$end - $start" | bc -l)
        if [[ -z "$best" ]] || (( $(echo "$t < $best" | bc -l) )); then best=$t; fi
    done
    printf '%.3f' "$best"
}

printf '%-8s %10s %10s %8s\n' bench msense python ratio
for name in fib loop list closure; do
    m=$(best "$MSENSE" "bench/scalar/$name.msense")
    p=$(best "$PYTHON" "bench/scalar/$name.py")
    printf '%-8s %9ss %9ss %8.2f\n' "$name" "$m" "$p" "$(echo "$m / $p" | bc -l)"
done
