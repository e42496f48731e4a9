#!/usr/bin/env bash
# Golden outputs for restructuring: run a trialstat binary over every bundled data file with the
# option sets that shape the output, write each output under OUTDIR, and print one SHA-256 per
# output. Run it with the binary of the commit you start from and with the new one, then
#   diff <(tests/golden/outputs.sh OLD_BIN /tmp/old) <(tests/golden/outputs.sh NEW_BIN /tmp/new)
# Nothing here is a test: it needs a built binary and takes about a minute.
# Usage: tests/golden/outputs.sh BIN OUTDIR
set -u
export RUST_BACKTRACE=0
bin=$(readlink -f "$1"); out=$2
repo=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$out"; mkdir -p "$out"
# Every path the binary sees is relative to OUTDIR, so that outputs written into different
# OUTDIRs compare byte for byte: the inputs are reached through two symbolic links.
ln -s "$repo/data" "$out/data"; ln -s "$repo/tests" "$out/tests"
cd "$out"
n=0
run() { # name, then the command line after the binary
  local name=$1; shift
  n=$((n + 1))
  "$bin" "$@" >"$name.out" 2>"$name.err"
  echo "exit $?" >>"$name.err"
}
files="data/tofacitinib_case_series.csv data/baricitinib_case_series.csv data/example_trial.csv tests/data/anorexia.csv tests/data/chickweight.csv tests/data/long_unsorted.csv tests/data/sleep.csv tests/data/tofacitinib_v1.csv"
for f in $files; do
  b=$(basename "$f" .csv)
  extra=()
  case $b in
    sleep) extra=(--baseline drug1) ;;
    anorexia) extra=(--baseline pre --higher-is-better weight_lb) ;;
    chickweight) extra=(--baseline day0 --higher-is-better weight_g) ;;
  esac
  for fmt in table csv json; do
    run "analyze_${b}_$fmt" analyze "$f" "${extra[@]}" --format $fmt
  done
  run "analyze_${b}_boot" analyze "$f" "${extra[@]}" --format csv --bootstrap 500 --seed 7
  run "analyze_${b}_locf" analyze "$f" "${extra[@]}" --format table --missing locf
  run "analyze_${b}_locf_csv" analyze "$f" "${extra[@]}" --format csv --missing locf
  run "analyze_${b}_nri" analyze "$f" "${extra[@]}" --format csv --missing nri --responder 30,50,90 --conf-level 0.9
  run "analyze_${b}_holm" analyze "$f" "${extra[@]}" --format json --adjust holm --pratt
  run "analyze_${b}_holm_table" analyze "$f" "${extra[@]}" --format table --adjust holm --conf-level 0.9
  run "plot_${b}" plot "$f" "${extra[@]}" --out "plots_$b" --format both
done
run analyze_example_cov_table analyze data/example_trial.csv --covariate site --covariate baseline_severity --format table
run analyze_example_cov_json analyze data/example_trial.csv --covariate site --covariate baseline_severity --format json
run analyze_example_hier analyze data/example_trial.csv --hierarchy plaque_thickness_mm,erythema --format csv
run analyze_example_out analyze data/example_trial.csv --format csv --out "out_example" --plots "plots_example_analyze"
run analyze_tofa_wide analyze data/tofacitinib_case_series.csv --layout wide --format csv
run analyze_tofa_long_wide analyze data/baricitinib_case_series.csv --layout wide --format csv
for t in data/reported/*.toml; do
  b=$(basename "$t" .toml)
  for fmt in table csv json; do
    run "reproduce_${b}_$fmt" reproduce "$t" --format $fmt
  done
done
run reproduce_tofa_data reproduce data/reported/tofacitinib_case_series.toml --data data/tofacitinib_case_series.csv --format table
run reproduce_tofa_data_csv reproduce data/reported/tofacitinib_case_series.toml --data data/tofacitinib_case_series.csv --format json
run reproduce_bari_data reproduce data/reported/baricitinib_case_series.toml --data data/baricitinib_case_series.csv --format table
run simulate_tofa simulate data/reported/tofacitinib_case_series.toml --seed 1 --layout wide --out "sim_tofa.csv"
run simulate_bari simulate data/reported/baricitinib_case_series.toml --n 12 --seed 1 --out "sim_bari.csv"
run simulate_bari_count simulate data/reported/baricitinib_case_series.toml --n 12 --seed 3 --count 3 --out "sim_bari_count.csv"
# Bad inputs: the message and the exit status.
printf "patient_id,arm,visit,endpoint,value\nP1,a,baseline,x,1\nP1,a,week1,x,abc\n" >"$out/bad1.csv"
run bad_value analyze "bad1.csv" --format csv
run bad_missing_file analyze "does_not_exist.csv"
run bad_conf analyze data/example_trial.csv --conf-level 1.5
run bad_baseline analyze data/example_trial.csv --baseline nope
find . -type f ! -name '*.sh' | LC_ALL=C sort | xargs sha256sum
