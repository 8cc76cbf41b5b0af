#!/usr/bin/env bash
# Issue 4: compares two builds of cdmlake on the full process of the Entity Store benchmark's case (c) lake, the
# two alternating, so that a change to the full process (the denominator of target (g), and the (e) comparison
# with the peer) stands out of the host's drift (docs/benchmarks.md, issue 4).
#
# Usage: bench/entitystore_ab.sh path/to/cdmlake-A path/to/cdmlake-B [rounds]
#   Runs `entitystore process SalesAnalysis` (full) with A, then B, `rounds` times (default 2), each from the output
#   and state of the process before the change that bench/entitystore.sh case (c) left (run it once first with the
#   same CDMLAKE_ES_DIR), under GNU time. Prints each run's wall, user and system seconds and, per build, the mean.
#   Differences under about 5 % are noise on these machines.
#
# Environment: CDMLAKE_ES_DIR as for bench/entitystore.sh (default /tmp/cdmlake-bench-es).
set -euo pipefail

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
  echo "usage: $0 path/to/cdmlake-A path/to/cdmlake-B [rounds]" >&2
  exit 2
fi
a=$(realpath "$1")
b=$(realpath "$2")
rounds=${3:-2}
dir=${CDMLAKE_ES_DIR:-/tmp/cdmlake-bench-es}
lake=$dir/lake-recent
before=$dir/before-recent
state=$lake/_cdmlake/entitystore/SalesAnalysis
if [ ! -d "$before/state" ] || [ ! -d "$lake/_cdmlake/refresh" ]; then
  echo "entitystore_ab: no case (c) lake in $dir: run bench/entitystore.sh with CDMLAKE_ES_INC_CASES=c first" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

run() {  # BINARY LABEL
  rm -rf "$lake/AggregateMeasurements" "$state"
  cp -al "$before/AggregateMeasurements" "$lake/AggregateMeasurements"
  cp -al "$before/state" "$state"
  /usr/bin/time -f "%e %U %S" -o "$work/time" "$1" --quiet --lake "$lake" entitystore process SalesAnalysis >/dev/null
  read -r wall user sys <"$work/time"
  echo "$2 $wall $user $sys" >>"$work/runs"
  printf '%s: wall %s s, user %s s, system %s s\n' "$2" "$wall" "$user" "$sys"
}

echo "A = $a"
echo "B = $b"
for ((i = 1; i <= rounds; i++)); do
  run "$a" A
  run "$b" B
done
awk '{n[$1]++; w[$1] += $2; u[$1] += $3} END {for (k in n) printf "%s: mean wall %.1f s, mean user %.1f s (%d runs)\n", k, w[k] / n[k], u[k] / n[k], n[k]}' \
  "$work/runs" | sort
