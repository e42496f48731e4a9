#!/usr/bin/env bash
# MMRM benchmark: trialstat mmrm (release binary) beside R nlme::gls (corSymm + varIdent) in one
# run. Usage: bench/mmrm/run.sh BIN [WORKDIR]
set -eu
bin=$(readlink -f "$1"); work=${2:-/tmp/mmrm-bench}
here=$(cd "$(dirname "$0")" && pwd); repo=$(cd "$here/../.." && pwd)
mkdir -p "$work"
[ -f "$work/sim_1000x10.csv" ] || Rscript "$here/make_data.R" 1000 10 "$work/sim_1000x10.csv"
[ -f "$work/sim_100000x6.csv" ] || Rscript "$here/make_data.R" 100000 6 "$work/sim_100000x6.csv"
t() { # seconds and peak RSS (MB) of a command
  /usr/bin/time -f "%e %M" "$@" > /dev/null 2> "$work/time.txt" || { cat "$work/time.txt"; return 1; }
  tail -1 "$work/time.txt" | awk '{printf "%8.3f s %8.0f MB", $1, $2/1024}'
}
fev="$repo/tests/reference/mmrm/fev_data.csv"
echo "fev_data UN + KR:        trialstat $(t "$bin" mmrm "$fev" --y FEV1 --response value --fixed 'ARMCD*AVISIT + RACE + SEX' --ref ARMCD=PBO)   R gls $(Rscript "$here/gls.R" "$fev" fev) s"
echo "1,000 x 10 UN + KR:      trialstat $(t "$bin" mmrm "$work/sim_1000x10.csv" --y AVAL --baseline BASE --fixed 'baseline + ARMCD*AVISIT' --ref ARMCD=PBO)   R gls $(Rscript "$here/gls.R" "$work/sim_1000x10.csv" sim) s"
echo "100,000 x 6 UN + Satt.:  trialstat $(t "$bin" mmrm "$work/sim_100000x6.csv" --y AVAL --baseline BASE --fixed 'baseline + ARMCD*AVISIT' --ref ARMCD=PBO --ddf satterthwaite)"
