#!/usr/bin/env bash
# bench/run.sh: msense against NumPy, in the same invocation, on this machine.
#   bench/run.sh            builds release, then prints the table of docs/performance.md
#   PYTHON=/path/to/python bench/run.sh    the Python whose NumPy (and PyTorch) are the peers
# PyTorch (CPU) is a second peer when `$PYTHON -c "import torch"` works; its columns show — otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release >/dev/null
msense=.build/release/msense
value() { awk -v key="$1" '$1 == key { print $2 }'; }
python=${PYTHON:-python3}
if torch=$("$python" -c "import torch; print(torch.__version__)" 2>/dev/null); then
    echo "PyTorch $torch (CPU, $("$python" -c "import torch; print(torch.get_num_threads())") threads) is the second peer"
else
    torch=""
    echo "PyTorch is not installed for $python: its columns show —"
fi

bw=$("$python" bench/stream.py | value read_gbps)
printf 'machine read bandwidth (numpy sum over 400 MB, best of 5): %.1f GB/s\n\n' "$bw"
printf '%-22s %-8s %-6s %10s %12s %12s %8s %12s %8s %8s %8s\n' size dtype kernel "setup ms" "msense ms" \
    "NumPy ms" ratio "PyTorch ms" ratio "GB/s" "% of bw"
# Numbers the Gram matrix G stores for p = d(d+1)/2 in rows of blocks of NB rows: float64 uses
# max(4, 16384/p) (BlockedGram64.swift), float32 tiles of 32 (TiledGram32.swift).
gram_count() {
    local p=$1 nb=$2 total=0 j=0 rows
    while [ "$j" -lt "$p" ]; do
        rows=$(( p - j < nb ? p - j : nb )); total=$(( total + rows * (p - j) )); j=$(( j + rows ))
    done
    echo "$total"
}
for row in "100 5000 10 40 float64" "100 5000 10 40 float32" "20 1000 5 2000 float64" "20 1000 5 2000 float32"; do
    set -- $row
    d=$1 m=$2 r=$3 steps=$4 dtype=$5
    theirs=$("$python" bench/numpy_bench.py "$d" "$m" "$r" "$steps" "$dtype" | value ms_per_step)
    torch_ms=nan
    [ -n "$torch" ] && torch_ms=$("$python" bench/torch_bench.py "$d" "$m" "$r" "$steps" "$dtype" | value ms_per_step)
    for kernel in rows gram; do
        out=$($msense bench/sensing.msense "$d" "$m" "$r" "$steps" gaussian "$dtype" "$kernel")
        ours=$(echo "$out" | value ms_per_step) setup=$(echo "$out" | value setup_ms)
        # Bytes read per step: the packed m×d(d+1)/2 weights once (rows), or G (gram), in the storage's width.
        p=$(( d * (d + 1) / 2 ))
        if [ "$kernel" = rows ]; then
            width=8; [ "$dtype" = float32 ] && width=4
            bytes=$(( m * p * width ))
        elif [ "$dtype" = float32 ]; then
            bytes=$(( $(gram_count "$p" 32) * 4 ))
        else
            nb=$(( 16384 / p )); [ "$nb" -lt 4 ] && nb=4
            bytes=$(( $(gram_count "$p" "$nb") * 8 ))
        fi
        awk -v d="$d" -v m="$m" -v r="$r" -v o="$ours" -v t="$theirs" -v b="$bytes" -v bw="$bw" -v dt="$dtype" \
            -v k="$kernel" -v s="$setup" -v pt="$torch_ms" 'BEGIN {
            gbps = b / (o / 1000) / 1e9
            if (pt == "nan") { pts = "—"; ptr = "—" } else { pts = sprintf("%.3f", pt); ptr = sprintf("%.2fx", pt / o) }
            printf "%-22s %-8s %-6s %10.1f %12.3f %12.3f %7.2fx %12s %8s %8.1f %7.0f%%\n", "d=" d " m=" m " r=" r, dt, k, s, o, t,
                t / o, pts, ptr, gbps, 100 * gbps / bw }'
    done
done
echo
$msense bench/handloop.msense 2000
for size in "2000 1000000 5 200"; do
    set -- $size
    printf 'completion d=%s m=%s r=%s: %s ms/step\n' "$1" "$2" "$3" "$($msense bench/sensing.msense "$1" "$2" "$3" "$4" completion | value ms_per_step)"
done
# The depth-3 model through autodiff (grad in a script loop) against the built-in deep model.
out=$($msense bench/autodiff_deep.msense 100 5000 10 10)
printf 'depth-3 d=100 m=5000 width=10: builtin %.1f ms/step, autodiff %.1f ms/step, ratio %.2fx\n' \
    "$(echo "$out" | value builtin_ms_per_step)" "$(echo "$out" | value autodiff_ms_per_step)" "$(echo "$out" | value ratio)"
echo
bench/hadamard.sh "$msense" "$python"
