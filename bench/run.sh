#!/usr/bin/env bash
# bench/run.sh: msense against NumPy (and PyTorch), in the same invocation, on this machine.
#   bench/run.sh            builds release, then prints the tables of docs/performance.md
#   PYTHON=/path/to/python bench/run.sh    the Python whose NumPy (and PyTorch) are the peers
# PyTorch (CPU) is a second peer when `$PYTHON -c "import torch"` works; its columns show — otherwise.
# Every ratio pairs runs made here, one after the other, under the same load.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release >/dev/null
bin=.build/release
msense=$bin/msense
value() { awk -v key="$1" '$1 == key { print $2 }'; }
python=${PYTHON:-python3}
if torch=$("$python" -c "import torch; print(torch.__version__)" 2>/dev/null); then
    echo "PyTorch $torch (CPU, $("$python" -c "import torch; print(torch.get_num_threads())") threads) is the second peer"
else
    torch=""
    echo "PyTorch is not installed for $python: its columns show —"
fi
echo "NumPy $("$python" -c "import numpy; print(numpy.__version__)"), load before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
# The machine kind's hosts differ in CPU (docs/performance.md, "Hosts"): every run names its own.
if [ -r /proc/cpuinfo ]; then
    awk -F': ' '$1 ~ /^model name/ && !m { m = $2 } $1 ~ /^cpu family/ && !f { f = $2 } $1 ~ /^cpu MHz/ && !h { h = $2 }
        END { printf "CPU: %s, family %s, %.0f MHz, %d logical cores\n", m, f, h, n }
        $1 ~ /^processor/ { n++ }' /proc/cpuinfo
fi

# The bound: STREAM-style read of 800 MB through the kernels' own loop, chunks and threads.
probe=$($bin/BandwidthProbe)
bw=$(echo "$probe" | value read_gbps)
level=$(echo "$probe" | value level)
# A step that reads fewer bytes than the last-level cache holds may be served from it: such rows
# say "cache" next to their share of the DRAM bound, which they can exceed.
# The kernel's own view first (sysfs: the cache these cores share), else glibc's (which in a VM
# may report the host's whole L3).
if [ -r /sys/devices/system/cpu/cpu0/cache/index3/size ]; then
    l3=$(( $(tr -d 'K' < /sys/devices/system/cpu/cpu0/cache/index3/size) * 1024 ))
else
    l3=$(getconf LEVEL3_CACHE_SIZE 2>/dev/null || echo 0)
fi
printf 'read bandwidth bound (BandwidthProbe: 800 MB, %s threads, %s kernels, the faster of one and four read streams, best of 15): %.1f GB/s; last-level cache %d MB\n\n' \
    "$(echo "$probe" | value threads)" "$level" "$bw" "$(( ${l3:-0} / 1000000 ))"

# The goals' kernel figures: KernelBench runs the builtin steps' rows passes between two probes
# (probe, asym, the one-read movement, tape, sym float64, sym float32, probe), round after round,
# leaves out the rounds in which another process took a core, and prints the median over the
# rounds of each per-round figure with its spread, so every share divides by the bandwidth of the
# same moment. The one-read movement's share is the most the asym share can reach (its estimate).
kernels=$($bin/KernelBench 21)
median_of() { echo "$kernels" | value "$1"; }
spread_of() { echo "$kernels" | awk -v key="$1" '$1 == key { printf "%s–%s", $4, $6 }'; }
echo "## Dense rows passes interleaved with the probe, d=100 m=5000 r=10 (KernelBench: $(echo "$kernels" | awk '$1 == "rounds" { print $2, "rounds of", $4 }') counted, each with every core: $(median_of all_cores); median over rounds [min–max])"
printf '%-44s %10s %10s %10s %16s\n' pass "ms" "GB/s" "% probe" "% probe spread"
printf '%-44s %10s %10s %10s %16s\n' "probe (800 MB, faster of its two patterns)" "" "$(median_of probe_gbps)" "" "$(spread_of probe_gbps)"
for pair in "asym builtin gd step on FGᵀ (float64)" "twice one-read movement over the same stack" \
            "tape autodiff tape's pass on the same FGᵀ" \
            "sym64 builtin gd step on UUᵀ, packed float64" "sym32 builtin gd step on UUᵀ, packed float32"; do
    pass_key=${pair%% *}
    printf '%-44s %10s %10s %10s %16s\n' "${pair#* }" "$(median_of "${pass_key}_ms")" "$(median_of "${pass_key}_gbps")" \
        "$(median_of "${pass_key}_share")%" "$(spread_of "${pass_key}_share")"
done
echo "float32 rows against float64 rows, paired per round: $(median_of f32_speedup)x [$(spread_of f32_speedup)]; tape against builtin gradient: max |difference| $(median_of tape_max_abs_diff)"
echo "over every round run, counted or not: asym $(median_of asym_share_all)% of the probe [$(spread_of asym_share_all)], float32 against float64 $(median_of f32_speedup_all)x [$(spread_of f32_speedup_all)]"
echo

# "GB/s  % of bound" for BYTES read in MS milliseconds.
share() {
    awk -v b="$1" -v o="$2" -v bw="$bw" -v l3="${l3:-0}" 'BEGIN {
        gbps = b / (o / 1000) / 1e9
        printf "%8.1f %7.0f%%%s", gbps, 100 * gbps / bw, (b <= l3 ? " cache" : "") }'
}
# "ms  ratio" columns of a peer (nan: not run).
peer() {
    awk -v t="$1" -v o="$2" 'BEGIN { if (t == "nan") printf "%12s %8s", "—", "—"; else printf "%12.3f %7.2fx", t, t / o }'
}
torch_or_nan() { if [ -n "$torch" ]; then "$@" | value ms_per_step; else echo nan; fi; }

echo "## Symmetric dense Gaussian sensing (UUᵀ, packed weights), ms per GD step"
printf '%-22s %-8s %-6s %10s %12s %12s %8s %12s %8s %8s %8s\n' size dtype kernel "setup ms" "msense ms" \
    "NumPy ms" ratio "PyTorch ms" ratio "GB/s" "% bound"
# Numbers the Gram matrix G stores for p = d(d+1)/2 in rows of blocks of NB rows: float64 uses
# max(4, 16384/p) (BlockedGram64.swift), float32 tiles of 32 (TiledGram32.swift).
gram_count() {
    local p=$1 nb=$2 total=0 j=0 rows
    while [ "$j" -lt "$p" ]; do
        rows=$(( p - j < nb ? p - j : nb )); total=$(( total + rows * (p - j) )); j=$(( j + rows ))
    done
    echo "$total"
}
declare -A rows_ms
for row in "100 5000 10 40 float64" "100 5000 10 40 float32" "20 1000 5 2000 float64" "20 1000 5 2000 float32"; do
    set -- $row
    d=$1 m=$2 r=$3 steps=$4 dtype=$5
    theirs=$("$python" bench/numpy_bench.py "$d" "$m" "$r" "$steps" "$dtype" | value ms_per_step)
    torch_ms=$(torch_or_nan "$python" bench/numpy_bench.py "$d" "$m" "$r" "$steps" "$dtype" torch)
    for kernel in rows gram; do
        out=$($msense bench/sensing.msense "$d" "$m" "$r" "$steps" gaussian "$dtype" "$kernel")
        ours=$(echo "$out" | value ms_per_step) setup=$(echo "$out" | value setup_ms)
        [ "$kernel" = rows ] && rows_ms["$d $dtype"]=$ours
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
        printf '%-22s %-8s %-6s %10.1f %12.3f %s %s %s\n' "d=$d m=$m r=$r" "$dtype" "$kernel" "$setup" "$ours" \
            "$(peer "$theirs" "$ours")" "$(peer "$torch_ms" "$ours")" "$(share "$bytes" "$ours")"
    done
done
for d in 100 20; do
    awk -v d="$d" -v a="${rows_ms["$d float64"]}" -v b="${rows_ms["$d float32"]}" \
        'BEGIN { printf "float32 rows against float64 rows at d = %s: %.2fx faster\n", d, a / b }'
done

echo
echo "## CPU dispatch: the rows kernel at the baseline level (MSENSE_KERNELS=baseline) against $level"
printf '%-22s %-8s %14s %12s %8s\n' size dtype "baseline ms" "$level ms" speed-up
for row in "100 5000 10 40 float64" "100 5000 10 40 float32" "20 1000 5 2000 float32"; do
    set -- $row
    base=$(MSENSE_KERNELS=baseline $msense bench/sensing.msense "$1" "$2" "$3" "$4" gaussian "$5" rows | value ms_per_step)
    best=$($msense bench/sensing.msense "$1" "$2" "$3" "$4" gaussian "$5" rows | value ms_per_step)
    awk -v s="d=$1 m=$2 r=$3" -v t="$5" -v a="$base" -v b="$best" 'BEGIN { printf "%-22s %-8s %14.3f %12.3f %7.2fx\n", s, t, a, b, a / b }'
done

echo
echo "## Factor models on an i.i.d. Gaussian d×d ensemble (float64, m·d² weights), ms per GD step"
printf '%-28s %-6s %10s %12s %12s %8s %12s %8s %8s %8s\n' model kernel "setup ms" "msense ms" \
    "NumPy ms" ratio "PyTorch ms" ratio "GB/s" "% bound"
for row in "asym 100 5000 10 30 rows" "asym 20 1000 5 2000 rows" "asym 20 1000 5 2000 gram" \
           "deep3 100 5000 10 30 rows" "deep3 20 1000 5 2000 rows"; do
    set -- $row
    model=$1 d=$2 m=$3 r=$4 steps=$5 kernel=$6
    theirs=$("$python" bench/numpy_models.py "$model" "$d" "$m" "$r" "$steps" | value ms_per_step)
    torch_ms=$(torch_or_nan "$python" bench/numpy_models.py "$model" "$d" "$m" "$r" "$steps" torch)
    out=$($msense bench/models.msense "$model" "$d" "$m" "$r" "$steps" "$kernel")
    ours=$(echo "$out" | value ms_per_step) setup=$(echo "$out" | value setup_ms)
    # Bytes per step: the m×d² weights once (rows), or the upper triangle of G, d²(d²+1)/2 (gram).
    if [ "$kernel" = rows ]; then bytes=$(( m * d * d * 8 )); else bytes=$(( d * d * (d * d + 1) / 2 * 8 )); fi
    shares=$(share "$bytes" "$ours")
    printf '%-28s %-6s %10.1f %12.3f %s %s %s\n' "$model d=$d m=$m r=$r" "$kernel" "$setup" "$ours" \
        "$(peer "$theirs" "$ours")" "$(peer "$torch_ms" "$ours")" "$shares"
done

# Statistics of a list of numbers on standard input, one per line or space-separated.
median() { tr ' ' '\n' | awk 'NF' | sort -g | awk '{ a[NR] = $1 } END { print NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
least() { tr ' ' '\n' | awk 'NF' | sort -g | head -1; }
largest() { tr ' ' '\n' | awk 'NF' | sort -g | tail -1; }
# "MEDIAN [LEAST–LARGEST]" of the ratios in $1.
ratio_spread() { printf '%.2fx [%.2f–%.2f]' "$(echo "$1" | median)" "$(echo "$1" | least)" "$(echo "$1" | largest)"; }

# The autodiff goal pairs the tape with PyTorch autograd round by round: each round runs both, one
# right after the other (each a best of 10, the order alternating between rounds), and the goal is
# the median of the rounds' ratios, so that a ratio never divides timings of different minutes.
autodiff_rounds=5
echo
echo "## Autodiff: one loss-and-gradient evaluation (AutodiffBench's tape) against PyTorch autograd and a hand-written NumPy gradient, ms; tape and PyTorch: medians over $autodiff_rounds rounds that run both in turn (each a best of 10), ratio = the median of the rounds' ratios [least–largest]; NumPy: best of 20"
printf '%-34s %10s %12s %12s %22s %12s %8s\n' objective "tape ms" "BLAS hand ms" "PyTorch ms" "ratio [rounds]" "NumPy ms" ratio
declare -A autodiff_ratio peer_ms ours_ms
for size in "100 100 10 5000" "20 20 5 1000"; do
    set -- $size
    numpy=$("$python" bench/autograd_peer.py numpy "$1" "$2" "$3" "$4" 20)
    declare -A tape_list=() hand_list=() torch_list=() ratio_list=()
    for ((k = 0; k < autodiff_rounds; k++)); do
        tape="" torch_out=""
        [ -n "$torch" ] && [ $((k % 2)) = 1 ] && torch_out=$("$python" bench/autograd_peer.py torch "$1" "$2" "$3" "$4" 10)
        tape=$($bin/AutodiffBench "$1" "$2" "$3" "$4" 10)
        [ -n "$torch" ] && [ $((k % 2)) = 0 ] && torch_out=$("$python" bench/autograd_peer.py torch "$1" "$2" "$3" "$4" 10)
        for objective in huber depth3; do
            line=$(echo "$tape" | awk -v o="$objective" '$1 == o || $1 == o "_fg"')
            ours=$(echo "$line" | awk '{ for (i = 1; i < NF; i++) if ($i == "tape_ms") print $(i + 1) }')
            tape_list[$objective]+=" $ours"
            hand_list[$objective]+=" $(echo "$line" | awk '{ for (i = 1; i < NF; i++) if ($i == "hand_ms") print $(i + 1) }')"
            if [ -n "$torch_out" ]; then
                theirs=$(echo "$torch_out" | value "${objective}_ms")
                torch_list[$objective]+=" $theirs"
                ratio_list[$objective]+=" $(awk -v t="$theirs" -v o="$ours" 'BEGIN { print t / o }')"
            fi
        done
    done
    # The bound below reads a buffer of exactly the stack's size (m·d₁d₂ doubles: 400 MB at d = 100)
    # with the kernels' loop on the same threads, in the same minute as these rows.
    [ "$1" = 100 ] && stack_bw=$($bin/BandwidthProbe "$(awk -v b="$(( $1 * $2 * $4 * 8 ))" 'BEGIN { print b / 1e6 }')" 15 | value read_gbps)
    for objective in huber depth3; do
        ours=$(echo "${tape_list[$objective]}" | median)
        theirs=$(echo "$numpy" | value "${objective}_ms")
        torch_ms=nan spread="—"
        if [ -n "${torch_list[$objective]:-}" ]; then
            torch_ms=$(echo "${torch_list[$objective]}" | median)
            autodiff_ratio["$objective $1"]=$(echo "${ratio_list[$objective]}" | median)
            spread=$(ratio_spread "${ratio_list[$objective]}")
        fi
        peer_ms["$objective $1"]=$torch_ms
        ours_ms["$objective $1"]=$ours
        printf '%-34s %10.3f %12.3f %12s %22s %s\n' "$objective d1=$1 d2=$2 r=$3 m=$4" "$ours" \
            "$(echo "${hand_list[$objective]}" | median)" \
            "$(awk -v t="$torch_ms" 'BEGIN { if (t == "nan") print "—"; else printf "%.3f", t }')" "$spread" \
            "$(peer "$theirs" "$ours")"
    done
done

# The same depth-3 loss written in the language, differentiated by `grad`, one GD step per loop
# iteration (bench/autodiff_deep.msense), against the builtin `gd` and against the same GD loop
# through PyTorch autograd (autograd_peer.py torch_gd), timed alike (medians over nine rounds of ten
# steps); three pairs of runs, the order alternating, and the median of the pairs' ratios.
declare -a script_runs
script_ratios="" script_ms="" torch_gd_ms=""
for ((k = 0; k < 3; k++)); do
    theirs=""
    [ -n "$torch" ] && [ $((k % 2)) = 1 ] && theirs=$("$python" bench/autograd_peer.py torch_gd 100 100 10 5000 10 | value gd_ms_per_step)
    script_runs[$k]=$($msense bench/autodiff_deep.msense 100 5000 10 10)
    ours=$(echo "${script_runs[$k]}" | value autodiff_ms_per_step)
    script_ms+=" $ours"
    [ -n "$torch" ] && [ $((k % 2)) = 0 ] && theirs=$("$python" bench/autograd_peer.py torch_gd 100 100 10 5000 10 | value gd_ms_per_step)
    if [ -n "$theirs" ]; then
        torch_gd_ms+=" $theirs"
        script_ratios+=" $(awk -v t="$theirs" -v o="$ours" 'BEGIN { print t / o }')"
    fi
done
ours=$(echo "$script_ms" | median)
ours_ms["script 100"]=$ours
spread="—" torch_ms=nan
if [ -n "$script_ratios" ]; then
    autodiff_ratio["script 100"]=$(echo "$script_ratios" | median)
    spread=$(ratio_spread "$script_ratios")
    torch_ms=$(echo "$torch_gd_ms" | median)
    peer_ms["script 100"]=$torch_ms
fi
# The three runs' figures for the table below: the median of each, and the widest range.
script_out[100]=$(printf '%s\n' "${script_runs[@]}" | awk '
    $1 ~ /_range$/ { if (!($1 in lo) || $2 < lo[$1]) lo[$1] = $2; if (!($1 in hi) || $3 > hi[$1]) hi[$1] = $3; next }
    NF == 2 { n[$1]++; v[$1, n[$1]] = $2 }
    END {
        for (k in lo) print k, lo[k], hi[k]
        for (k in n) {
            c = n[k]; for (i = 1; i <= c; i++) a[i] = v[k, i]
            for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
            print k, c % 2 ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2
        }
    }')
printf '%-34s %10.3f %12s %12s %22s\n' "depth3 in a script, grad + GD step" "$ours" \
    "$(echo "${script_out[100]}" | value builtin_ms_per_step | awk '{ printf "gd %.3f", $1 }')" \
    "$(awk -v t="$torch_ms" 'BEGIN { if (t == "nan") print "—"; else printf "%.3f", t }')" "$spread"
echo "(the script row: ms per step of the GD loop, medians of three runs, and the builtin gd step beside it; PyTorch: the same GD loop through autograd)"

echo
echo "## The depth-3 model in a script with grad against the builtin gd (bench/autodiff_deep.msense: ms per step, medians over rounds that time all three in turn; ratio = script / builtin, median of the rounds' ratios [least–largest]; d=100: the median of three runs' figures and the widest range)"
printf '%-30s %12s %12s %12s %22s %22s\n' size "gd default" "gd rows" script "ratio (default)" "ratio (rows)"
script_out[20]=$($msense bench/autodiff_deep.msense 20 1000 5 200)
for d in 100 20; do
    out=${script_out[$d]}
    case $d in 100) size="d=100 m=5000 r=10, 10 steps" ;; 20) size="d=20 m=1000 r=5, 200 steps" ;; esac
    printf '%-30s %12.4f %12.4f %12.4f %9.2f [%4.2f–%4.2f] %9.2f [%4.2f–%4.2f]\n' "$size" \
        "$(echo "$out" | value builtin_ms_per_step)" "$(echo "$out" | value builtin_rows_ms_per_step)" \
        "$(echo "$out" | value autodiff_ms_per_step)" \
        "$(echo "$out" | value ratio)" $(echo "$out" | awk '$1 == "ratio_range" { print $2, $3 }') \
        "$(echo "$out" | value ratio_rows)" $(echo "$out" | awk '$1 == "ratio_rows_range" { print $2, $3 }')
done

echo
# Each experiment runs in pairs (msense, then NumPy; the next pair the other way round), and the
# ratios are the medians of the pairs' ratios, printed with their least and largest.
echo "## Whole experiments end to end (seconds from process start to exit: wall clock, and CPU = user + system; medians over pairs of runs made one right after the other, ratio = the median of the pairs' ratios [least–largest])"
printf '%-44s %5s %9s %8s %9s %8s %22s %10s\n' experiment pairs "msense s" "CPU s" "NumPy s" "CPU s" "ratio [pairs]" "CPU ratio"
declare -A experiment_ratio experiment_wall experiment_ours
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# "WALL CPU" of a command (bash's own `time`: no dependency).
seconds() { local TIMEFORMAT='%R %U %S'; { time "$@" >/dev/null 2>&1; } 2>&1 | awk '{ print $1, $2 + $3 }'; }
for pair in "examples/paper/alpha_sweep.msense bench/alpha_sweep.py 5" "examples/field/scaledgd_kappa.msense bench/scaledgd_kappa.py 3"; do
    set -- $pair
    [ -f "$1" ] || { printf '%-44s %10s %10s %8s\n' "$1" "—" "—" "(missing)"; continue; }
    ours_list="" ours_cpu_list="" theirs_list="" theirs_cpu_list="" ratios="" cpu_ratios=""
    for ((k = 0; k < $3; k++)); do
        if [ $((k % 2)) = 0 ]; then
            read -r ours ours_cpu < <(seconds $msense "$1" "$work/msense")
            read -r theirs theirs_cpu < <(seconds "$python" "$2" "$work/numpy")
        else
            read -r theirs theirs_cpu < <(seconds "$python" "$2" "$work/numpy")
            read -r ours ours_cpu < <(seconds $msense "$1" "$work/msense")
        fi
        ours_list+=" $ours" ours_cpu_list+=" $ours_cpu" theirs_list+=" $theirs" theirs_cpu_list+=" $theirs_cpu"
        ratios+=" $(awk -v t="$theirs" -v o="$ours" 'BEGIN { print t / o }')"
        cpu_ratios+=" $(awk -v t="$theirs_cpu" -v o="$ours_cpu" 'BEGIN { print t / o }')"
    done
    experiment_ratio["$1"]=$(echo "$ratios" | median)
    experiment_wall["$1"]=$(echo "$theirs_list" | median)
    experiment_ours["$1"]=$(echo "$ours_list" | median)
    printf '%-44s %5d %9.2f %8.2f %9.2f %8.2f %22s %9.1fx\n' "$1" "$3" "${experiment_ours["$1"]}" "$(echo "$ours_cpu_list" | median)" \
        "${experiment_wall["$1"]}" "$(echo "$theirs_cpu_list" | median)" "$(ratio_spread "$ratios")" "$(echo "$cpu_ratios" | median)"
done
# The estimates of what is reachable (bounds only as good as the probe: a best of 15, which a
# kernel can exceed, and for float64 weights; float32 storage reads half the bytes). scaledgd_kappa (n = 60, r = 3, m = 5nr = 900): every weight enters every evaluated
# step's gradient S = (1/m) Σᵢ rᵢAᵢ with a residual rᵢ that is new each step, so any implementation
# reads the m·n² weights (25.92 MB) at least once per step; the normal equations would read more,
# since with m < n² their G (n²(n²+1)/2 = 6.5 M numbers) is larger than the weights (3.24 M).
# msense's fused pass reads them once per step, NumPy's two products twice. The stack fits in the
# last-level cache, so the rate that bounds a step is that of a warm buffer of exactly its size read
# by the kernels' loop on the same threads (BandwidthProbe 25.92, right after the NumPy run): the
# least time is steps × 25.92 MB over it, and NumPy's time over the least time estimates the most
# a float64 implementation can gain on this NumPy run.
declare -A reachable  # a goal's one-read estimate (below), by objective or experiment
if [ -n "${experiment_wall["examples/field/scaledgd_kappa.msense"]:-}" ]; then
    rows=$(cat "$work"/msense/trace_*.csv | grep -vc '^step' || true)
    warm=$($bin/BandwidthProbe 25.92 15 | value read_gbps)
    awk -v rows="$rows" -v warm="$warm" -v bw="$bw" -v t="${experiment_wall["examples/field/scaledgd_kappa.msense"]}" \
        -v ours="${experiment_ours["examples/field/scaledgd_kappa.msense"]}" 'BEGIN {
        bytes = rows * 900 * 3600 * 8; least = bytes / (warm * 1e9)
        printf "scaledgd_kappa estimate (float64, one read per step at the warm buffer rate): %d steps each read the 25.9 MB of weights at least once, %.0f GB; a warm 25.9 MB buffer reads at %.1f GB/s (DRAM probe %.1f): at least %.2f s; NumPy %.2f s: at most about %.1fx NumPy; msense %.2f s, %.0f%% of that speed\n",
            rows, bytes / 1e9, warm, bw, least, t, t / least, ours, 100 * least / ours }'
    reachable["examples/field/scaledgd_kappa.msense"]=$(awk -v rows="$rows" -v warm="$warm" -v t="${experiment_wall["examples/field/scaledgd_kappa.msense"]}" \
        'BEGIN { printf "%.2f", t / (rows * 900 * 3600 * 8 / (warm * 1e9)) }')
fi
# Autodiff at d = 100, m = 5000: the 400 MB stack read once at the rate of a 400 MB buffer (measured
# next to the autodiff rows) estimates the least time of an evaluation; PyTorch's time over it
# estimates the most a tape can reach against PyTorch.
for objective in huber depth3 script; do
    [ "${peer_ms["$objective 100"]:-nan}" = nan ] && continue
    awk -v o="$objective" -v t="${peer_ms["$objective 100"]}" -v ours="${ours_ms["$objective 100"]}" -v bw="$stack_bw" 'BEGIN {
        least = 5000 * 100 * 100 * 8 / (bw * 1e9) * 1000
        printf "autodiff %s estimate: one read of the 400 MB stack takes %.1f ms at %.1f GB/s (a 400 MB buffer, measured with the autodiff rows); PyTorch %.1f ms (reads it twice, %.1f GB/s): at most about %.2fx PyTorch; msense %.1f ms, %.0f%% of that speed\n",
            o, least, bw, t, 2 * 5000 * 100 * 100 * 8 / (t / 1000) / 1e9, t / least, ours, 100 * least / ours }'
    reachable["$objective"]=$(awk -v t="${peer_ms["$objective 100"]}" -v bw="$stack_bw" 'BEGIN { printf "%.2f", t / (5000 * 100 * 100 * 8 / (bw * 1e9) * 1000) }')
done

echo
echo "## Goals (ratios from the runs above)"
# goal NAME GOT WANT UNIT [at_most] [REACHABLE]: met when GOT ≥ WANT (≤ WANT with at_most); a goal
# not met whose one-read estimate REACHABLE (above) is below WANT says so.
goal() { awk -v name="$1" -v got="$2" -v want="$3" -v unit="$4" -v most="${5:-}" -v reach="${6:-}" 'BEGIN {
    if (got == "") { printf "%-60s %10s  (not measured)\n", name, "—"; exit }
    met = most == "at_most" ? got + 0 <= want + 0 : got + 0 >= want + 0
    beyond = !met && reach != "" && reach + 0 < want + 0 ? sprintf(" (beyond one read here: at most about %.2f%s)", reach, unit) : ""
    printf "%-60s %9.2f%s  goal %s%s%s: %s%s\n", name, got, unit, most == "at_most" ? "≤ " : "", want, unit, met ? "met" : "NOT met", beyond }'; }
goal "float32 rows / float64 rows, d=100 m=5000 (rounds with every core: $(median_of all_cores))" "$(median_of f32_speedup)" 1.7 x
goal "asym rows kernel, % of the probe, d=100 m=5000 (rounds with every core: $(median_of all_cores))" "$(median_of asym_share)" 80 % "" "$(median_of twice_share)"
goal "autodiff (Huber FGᵀ) against PyTorch autograd, d=100" "${autodiff_ratio["huber 100"]:-}" 3 x "" "${reachable[huber]:-}"
goal "autodiff (depth 3) against PyTorch autograd, d=100" "${autodiff_ratio["depth3 100"]:-}" 3 x "" "${reachable[depth3]:-}"
goal "autodiff (depth 3 in a script, grad) against PyTorch autograd, d=100" "${autodiff_ratio["script 100"]:-}" 3 x "" "${reachable[script]:-}"
goal "depth 3 in a script over the builtin gd, d=100 (default route)" "$(echo "${script_out[100]}" | value ratio)" 1.5 x at_most
goal "depth 3 in a script over the builtin gd, d=20 (default route)" "$(echo "${script_out[20]}" | value ratio)" 1.5 x at_most
goal "depth 3 in a script over the builtin gd, d=20 (rows)" "$(echo "${script_out[20]}" | value ratio_rows)" 1.5 x at_most
for experiment in examples/paper/alpha_sweep.msense examples/field/scaledgd_kappa.msense; do
    goal "$experiment against NumPy" "${experiment_ratio["$experiment"]:-}" 10 x "" "${reachable["$experiment"]:-}"
done

echo
$msense bench/handloop.msense 2000
for size in "2000 1000000 5 200"; do
    set -- $size
    printf 'completion d=%s m=%s r=%s: %s ms/step\n' "$1" "$2" "$3" "$($msense bench/sensing.msense "$1" "$2" "$3" "$4" completion | value ms_per_step)"
done
echo
bench/hadamard.sh "$msense" "$python"
echo "load after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
