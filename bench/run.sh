#!/usr/bin/env bash
# Performance benchmark of the whole `trialstat analyze` against polars' bare read and, where
# installed, the R (data.table + t.test/wilcox.test), pandas + scipy and polars + scipy pipelines.
#
#   bench/run.sh                 # sizes M L XL, 5 runs each
#   SIZES="L XL" RUNS=3 bench/run.sh
#   BENCH_DIR=/data/bench bench/run.sh
#
# Cohorts (examples/gen_cohort.rs, seeded): M = 10,000, L = 200,000, XL = 600,000 patients, long
# format, 4 endpoints x 5 visits, 3% of follow-up rows missing. Each tool runs RUNS times; the
# table gives the median wall time and the median peak resident memory (GNU time), and ratios to
# polars' bare read (the Rust reader with default options) from the same run.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"M L XL"}
RUNS=${RUNS:-5}
BENCH_DIR=${BENCH_DIR:-/tmp/trialstat-bench}
mkdir -p "$BENCH_DIR"

cargo build --release -q --bin trialstat --example gen_cohort --example polars_read
TS=target/release/trialstat
GEN=target/release/examples/gen_cohort
PREAD=target/release/examples/polars_read

declare -A PATIENTS=([S]=12 [M]=10000 [L]=200000 [XL]=600000)

have_python_pkg() { python3 -c "import $1" >/dev/null 2>&1; }
have_r_pkg() { command -v Rscript >/dev/null 2>&1 && Rscript -e "quit(status = !requireNamespace('$1', quietly = TRUE))" >/dev/null 2>&1; }

# median of the numbers on stdin
median() { sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

# run NAME CMD...: RUNS runs; prints "median_seconds median_peak_MB"
measure() {
    local times=() mems=() out tmp
    tmp=$(mktemp)
    for _ in $(seq "$RUNS"); do
        /usr/bin/time -f "%e %M" -o "$tmp" "$@" > /dev/null 2> /dev/null
        out=$(tail -1 "$tmp")
        times+=("${out% *}")
        mems+=("${out#* }")
    done
    rm -f "$tmp"
    local t m
    t=$(printf '%s\n' "${times[@]}" | median)
    m=$(printf '%s\n' "${mems[@]}" | median)
    echo "$t $(awk -v k="$m" 'BEGIN {printf "%.0f", k / 1024}')"
}

echo "# trialstat benchmark, $(date -u +%Y-%m-%d), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "# median of $RUNS runs; peak = max resident set size (GNU time)"
echo
echo "| size | rows | tool | seconds | peak MB | time / polars read | time / trialstat |"
echo "| --- | ---: | --- | ---: | ---: | ---: | ---: |"
summary=()
for size in $SIZES; do
    file="$BENCH_DIR/$size.csv"
    [ -s "$file" ] || "$GEN" "${PATIENTS[$size]}" "$file" 1
    rows=$(($(wc -l < "$file") - 1))
    read -r floor floor_mb < <(measure "$PREAD" "$file")
    read -r ts ts_mb < <(measure "$TS" analyze "$file" --format csv)
    row() { # tool seconds mb
        awk -v s="$size" -v r="$rows" -v tool="$1" -v t="$2" -v m="$3" -v f="$floor" -v ts="$ts" \
            'BEGIN {printf "| %s | %d | %s | %.2f | %d | %.2f | %s |\n", s, r, tool, t, m, t / f, (tool ~ /^trialstat/) ? "" : sprintf("%.1f x", t / ts)}'
    }
    row "polars read (Rust, default options)" "$floor" "$floor_mb"
    row "trialstat analyze (every row of RESULTS.md)" "$ts" "$ts_mb"
    if have_python_pkg polars; then
        read -r t m < <(measure python3 bench/polars_read.py "$file"); row "polars read (Python)" "$t" "$m"
        summary+=("$(awk -v s="$size" -v ts="$ts" -v r="$floor" -v p="$t" 'BEGIN {printf "%s: trialstat / polars read = %.2f (Rust), %.2f (Python)", s, ts / r, ts / p}')")
        if have_python_pkg scipy; then
            read -r t m < <(measure python3 bench/polars_scipy.py "$file"); row "polars + scipy (subset)" "$t" "$m"
        fi
    fi
    if have_python_pkg pandas && have_python_pkg scipy; then
        read -r t m < <(measure python3 bench/pandas_scipy.py "$file"); row "pandas + scipy (subset)" "$t" "$m"
    fi
    if have_r_pkg data.table; then
        read -r t m < <(measure Rscript bench/r_datatable.R "$file"); row "R data.table + t.test/wilcox.test (subset)" "$t" "$m"
    fi
done
echo
for line in "${summary[@]}"; do echo "$line"; done
echo
echo "Kernels (criterion): cargo bench --bench kernels"
