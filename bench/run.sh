#!/usr/bin/env bash
# bench/run.sh: msense against NumPy, in the same invocation, on this machine.
#   bench/run.sh            builds release, then prints the table of docs/performance.md
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release >/dev/null
msense=.build/release/msense
value() { awk -v key="$1" '$1 == key { print $2 }'; }

bw=$(python3 bench/stream.py | value read_gbps)
printf 'machine read bandwidth (numpy sum over 400 MB, best of 5): %.1f GB/s\n\n' "$bw"
printf '%-22s %-8s %12s %12s %8s %8s %10s\n' size dtype "msense ms" "NumPy ms" ratio "GB/s" "% of bw"
for row in "100 5000 10 40 float64" "100 5000 10 40 float32" "20 1000 5 2000 float64" "20 1000 5 2000 float32"; do
    set -- $row
    d=$1 m=$2 r=$3 steps=$4 dtype=$5
    ours=$($msense bench/sensing.msense "$d" "$m" "$r" "$steps" gaussian "$dtype" | value ms_per_step)
    theirs=$(python3 bench/numpy_bench.py "$d" "$m" "$r" "$steps" "$dtype" | value ms_per_step)
    # Bytes the fused kernel reads per step: the packed m×d(d+1)/2 weights, once.
    width=8; [ "$dtype" = float32 ] && width=4
    bytes=$(( m * d * (d + 1) / 2 * width ))
    awk -v d="$d" -v m="$m" -v r="$r" -v o="$ours" -v t="$theirs" -v b="$bytes" -v bw="$bw" -v dt="$dtype" 'BEGIN {
        gbps = b / (o / 1000) / 1e9
        printf "%-22s %-8s %12.3f %12.3f %7.2fx %8.1f %9.0f%%\n", "d=" d " m=" m " r=" r, dt, o, t, t / o, gbps, 100 * gbps / bw }'
done
echo
$msense bench/handloop.msense 2000
for size in "2000 1000000 5 200"; do
    set -- $size
    printf 'completion d=%s m=%s r=%s: %s ms/step\n' "$1" "$2" "$3" "$($msense bench/sensing.msense "$1" "$2" "$3" "$4" completion | value ms_per_step)"
done
