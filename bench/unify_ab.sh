#!/usr/bin/env bash
# Issue 5: compares two builds of cdmlake on the unification benchmark's lake, step by step (docs/benchmarks.md,
# "Issue 5: packed values and prefetched rows" uses it to say what each change bought).
#
# Usage: bench/unify_ab.sh path/to/cdmlake-A path/to/cdmlake-B [rounds]
#   Runs `unify run --format json` with A, then B, `rounds` times (default 5), on the lake and configuration that
#   bench/unify.sh left in its work folder (run that once first; it generates the lake). Every run is a first run
#   (the output folder is removed before it). Prints, per build, the median over the rounds of the total wall time
#   and of every step's wall and CPU seconds (`seconds` and `cpu_seconds` of the JSON report), and whether the
#   outputs of the two builds' last runs are byte for byte the same.
#
# Why alternate: the machines are shared and their speed drifts by 10 % and more within minutes; alternating runs
# in one go lets a difference between builds stand out of that drift. Differences under about 5 % are noise.
#
# Environment: CDMLAKE_BENCH_DIR as for bench/unify.sh (default /tmp/cdmlake-bench).
set -euo pipefail

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
  echo "usage: $0 path/to/cdmlake-A path/to/cdmlake-B [rounds]" >&2
  exit 2
fi
a=$(realpath "$1")
b=$(realpath "$2")
rounds=${3:-5}
dir=${CDMLAKE_BENCH_DIR:-/tmp/cdmlake-bench}/unify
lake=$dir/lake
config=$dir/unify.yaml
if [ ! -d "$lake" ] || [ ! -f "$config" ]; then
  echo "unify_ab: no lake in $dir: run bench/unify.sh first" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

run() {  # BINARY LABEL ROUND
  rm -rf "$lake/Unified"
  "$1" --lake "$lake" unify run --config "$config" --format json >"$work/$2-$3.json" 2>"$work/$2.stderr" ||
    { echo "unify_ab: $1 failed:" >&2; cat "$work/$2.stderr" >&2; exit 1; }
  (cd "$lake/Unified" && find . -name '*.csv' -print0 | sort -z | xargs -0 md5sum) >"$work/$2.md5"
}

for round in $(seq "$rounds"); do
  run "$a" A "$round"
  run "$b" B "$round"
done

python3 - "$work" "$rounds" "$a" "$b" <<'EOF'
import json, statistics, sys
work, rounds, names = sys.argv[1], int(sys.argv[2]), {"A": sys.argv[3], "B": sys.argv[4]}
for label in ("A", "B"):
    reports = [json.load(open(f"{work}/{label}-{r}.json")) for r in range(1, rounds + 1)]
    total = statistics.median(sum(rep["seconds"].values()) for rep in reports)
    steps = [
        f"{step} {statistics.median(rep['seconds'][step] for rep in reports):.2f} / "
        f"{statistics.median(rep['cpu_seconds'][step] for rep in reports):.2f}"
        for step in reports[0]["seconds"]
    ]
    print(f"{label} {names[label]}: total wall {total:.2f} s (median of {rounds}); steps wall / CPU s: " + ", ".join(steps))
same = open(f"{work}/A.md5").read() == open(f"{work}/B.md5").read()
print("outputs: " + ("byte for byte the same" if same else "DIFFERENT"))
EOF
