#!/usr/bin/env bash
# Exact rank tests on tied ordinal data, trialstat beside R's exactRankTests::wilcox.exact, in
# one run on the same data: two arms of 146 and 147 patients on a 1–5 scale (the size the issue
# quotes), written by side_by_side.R as a trialstat input (baseline 0, so change = score).
#
#   bench/exact_rank/side_by_side.sh        # needs Rscript with exactRankTests
#
# Prints trialstat's whole-process time of `analyze` (every row, the exact rank rows included)
# and R's time for the exact p-value alone and with the interval; then checks that the exact
# p-values and intervals agree.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${OUT:-/tmp/trialstat-exact-bench}
mkdir -p "$OUT"
cargo build --release -q --bin trialstat
Rscript bench/exact_rank/side_by_side.R "$OUT" > "$OUT/r.txt"
/usr/bin/time -f "%e s %M KB" -o "$OUT/ts.time" target/release/trialstat analyze "$OUT/ordinal.csv" \
  --format csv > "$OUT/ts.csv"
echo "trialstat analyze (whole process, all rows): $(cat "$OUT/ts.time")"
grep -E "mann_whitney_exact," "$OUT/ts.csv" | cut -d, -f1-12
cat "$OUT/r.txt"
