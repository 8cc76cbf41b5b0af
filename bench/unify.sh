#!/usr/bin/env bash
# Issue 5 benchmark: `cdmlake unify run` on about 1 M generated customer records in 3 sources against a
# Splink-style peer with the same rules, in the same run (docs/benchmarks.md, section "Issue 5 (f): unification
# against a Splink-style peer", says what it measures and what was measured).
#
# Usage: bench/unify.sh path/to/cdmlake
#   The plain-DuckDB peer cdmlake_bench_duckdb_sql (bench/duckdb_sql.cc) must sit beside the binary (the build
#   target cdmlake_bench_duckdb_sql). Needs GNU time (/usr/bin/time) and python3 (standard library only).
#   Quick smoke run: CDMLAKE_BENCH_CUSTOMERS=20000 bench/unify.sh build/cdmlake   (well under a minute)
#
# Environment:
#   CDMLAKE_BENCH_DIR        where the lake and results go: $CDMLAKE_BENCH_DIR/unify (default /tmp/cdmlake-bench;
#                            never inside the repository)
#   CDMLAKE_BENCH_CUSTOMERS  true customers of the generated lake (default 600000: about 1 M profile records in
#                            contact, CustCustomerV3Entity and LoyaltyMember, medium noise, seed 42)
#   CDMLAKE_BENCH_RUNS       timed rounds, each running both sides under GNU time -v, order alternating (default 3;
#                            one untimed round of each comes first: it warms the page cache and gives the outputs
#                            whose accuracy is measured)
#   CDMLAKE_BENCH_REUSE=1    reuse the lake of an earlier run if it was generated with the same customers and seed
#
# cdmlake: `cdmlake --lake L unify run --config C --format json`, where C is examples/generated/unify.yaml without
#   its `activities:` section (written to the work folder by bench/unify_helpers.py config; the repository keeps
#   one copy of the rules). The output folder L/Unified is removed before every run, so every run is a first run
#   (no CustomerIds to inherit).
# peer: bench/unify_peer.sql run by cdmlake_bench_duckdb_sql: the same rules in plain DuckDB SQL, Splink style
#   (normalized columns, joins on the blocking keys, levenshtein for fuzzy conditions, connected components by label
#   propagation); its header lists what it does and where its normalizations differ. It writes clusters.csv
#   (source,key,cluster_id) and rules.csv (candidate pairs and links per rule).
# accuracy: bench/unify_eval.sql, the same SQL for both sides, against Customers/_truth/customers_truth.csv:
#   pairwise and B-cubed precision, recall and F1 (cdmlake's clusters are its AlternateKey table: TableName,
#   AlternateValue, CustomerId). Once per run, cdmlake's own `unify evaluate` is recorded beside it as a check.
# Results go to $CDMLAKE_BENCH_DIR/unify/results (summary.txt, summary.md, GNU time outputs, JSON reports, per-rule
# pairs of both sides, accuracy, the peer's SQL as run).
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 path/to/cdmlake" >&2
  exit 2
fi
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cdmlake=$(realpath "$1")
peer=$(dirname "$cdmlake")/cdmlake_bench_duckdb_sql
dir=${CDMLAKE_BENCH_DIR:-/tmp/cdmlake-bench}/unify
customers=${CDMLAKE_BENCH_CUSTOMERS:-600000}
runs=${CDMLAKE_BENCH_RUNS:-3}
reuse=${CDMLAKE_BENCH_REUSE:-0}
seed=42

die() { echo "unify bench: $*" >&2; exit 1; }
exec 3>&1  # timed() reports here, whatever the command's stdout and stderr go to
[ -x "$cdmlake" ] || die "$cdmlake is not an executable"
[ -x "$peer" ] || die "$peer is missing: build the target cdmlake_bench_duckdb_sql"
[ -x /usr/bin/time ] || die "GNU time (/usr/bin/time) is missing"
mkdir -p "$dir"
dir=$(realpath "$dir")
repo=$(cd "$here/.." && pwd)
case "$dir/" in "$repo"/*) die "the work folder ($dir) must be outside the repository" ;; esac
results=$dir/results
rm -rf "$results"
mkdir -p "$results"
H() { python3 "$here/unify_helpers.py" "$@"; }
step() { printf '\n== %s\n' "$*" | tee -a "$results/summary.txt"; }
say() { echo "$*" | tee -a "$results/summary.txt"; }
lake=$dir/lake
config=$dir/unify.yaml
out=$dir/peer-out
truth=$lake/Customers/_truth/customers_truth.csv

# timed LABEL FILE-PREFIX COMMAND...: runs COMMAND under GNU time -v, prints wall, CPU and peak RSS.
timed() {
  local label=$1 prefix=$2
  shift 2
  /usr/bin/time -v -o "$results/$prefix.time" "$@"
  read -r wall cpu rss <<<"$(H time "$results/$prefix.time")"
  say "$label: wall ${wall} s, CPU ${cpu} s, peak RSS ${rss} MiB" >&3  # not into the command's output files
}

run_cdmlake() {  # LABEL PREFIX
  rm -rf "$lake/Unified"
  timed "$1" "$2" "$cdmlake" --lake "$lake" unify run --config "$config" --format json \
    >"$results/$2.json" 2>"$results/$2.stderr"
}

run_peer() {  # LABEL PREFIX
  rm -rf "$out" && mkdir -p "$out"
  # cdmlake fsyncs what it commits; the peer's two files are synced too.
  # shellcheck disable=SC2016  # the inner script's arguments
  timed "$1" "$2" bash -c '"$1" --discard "$2" && sync "$3"/*.csv "$3"' _ "$peer" "$BENCH_PEER_SQL" "$out"
}

{
  echo "---- $(date -u +%Y-%m-%dT%H:%M:%SZ) $0 $*"
  echo "commit: $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$repo" status \
    --porcelain -- src/unify 2>/dev/null | grep -q . && echo ' (src/unify has uncommitted changes)')" \
    "(the binary's build time: $(date -u -r "$cdmlake" +%Y-%m-%dT%H:%M:%SZ))"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "ram: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
  echo "duckdb: $("$peer" "SELECT version() AS v" | tail -1)"
  echo "customers: $customers (seed $seed, medium noise), runs: $runs"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee -a "$results/summary.txt"

# ---- the lake and the configuration --------------------------------------------------------------------------------
stamp="customers=$customers seed=$seed"
if [ "$reuse" = 1 ] && [ -f "$lake.stamp" ] && [ "$(cat "$lake.stamp")" = "$stamp" ] && [ -f "$truth" ]; then
  step "reusing the lake in $lake ($stamp)"
else
  step "generating the lake ($stamp) in $lake"
  rm -rf "$lake" "$lake.stamp"
  "$cdmlake" generate --out "$lake" --customers "$customers" --scale 1000 --seed "$seed" >"$results/generate.txt" 2>&1
  echo "$stamp" >"$lake.stamp"
fi
grep -E '^(contact|CustCustomerV3Entity|LoyaltyMember) ' "$results/generate.txt" 2>/dev/null | tee -a "$results/summary.txt" || true
say "profile records: $(($(wc -l <"$truth") - 1))"
H config "$repo/examples/generated/unify.yaml" "$config"
H peer-sql "$here/unify_peer.sql" "$lake" "$out" >"$results/peer.sql"
BENCH_PEER_SQL=$(cat "$results/peer.sql")

# ---- untimed round: outputs, accuracy, pairs ------------------------------------------------------------------------
step "round 0 (untimed warm-up; its outputs are evaluated)"
run_cdmlake "round 0 cdmlake unify run" cdmlake_0
run_peer "round 0 peer" peer_0
sed 's/^/  cdmlake stderr: /' "$results/cdmlake_0.stderr" | tee -a "$results/summary.txt"
# The peer reproduces neither cdmlake's blocking guards (size cap, skewed values) nor its handling of duplicate and
# empty primary keys: say so when any of them fired.
guards=$(python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); print(sum(r["warnings"] for r in j["rules"])
  + sum(s["duplicate_keys"] + s["quarantined"] for s in j["sources"]))' "$results/cdmlake_0.json")
if [ "$guards" != 0 ]; then
  say "NOTE: cdmlake reported $guards blocking guards, duplicate keys or quarantined rows, which the peer does not" \
    "reproduce (see above)"
else
  say "cdmlake reported no capped or skewed block, duplicate key or quarantined row (the peer handles none)"
fi
H cdmlake-rules "$results/cdmlake_0.json" >"$results/cdmlake_rules.csv"
cp "$out/rules.csv" "$results/peer_rules.csv"
"$peer" --discard "$(H alternate-key-sql "$lake" Unified "$results/cdmlake_clusters.csv")"
cp "$out/clusters.csv" "$results/peer_clusters.csv"
for who in cdmlake peer; do
  "$peer" "$(H eval-sql "$here/unify_eval.sql" "$truth" "$results/${who}_clusters.csv")" >"$results/${who}_accuracy.csv"
done
step "candidate pairs and links per rule (cdmlake | peer)"
paste -d, "$results/cdmlake_rules.csv" <(cut -d, -f4,5 "$results/peer_rules.csv") |
  awk -F, '{printf "%-6s %-21s %-23s %12s %10s | %12s %10s\n", $1, $2, $3, $4, $5, $6, $7}' |
  tee -a "$results/summary.txt"
if [ "$(cut -d, -f4,5 "$results/cdmlake_rules.csv")" = "$(cut -d, -f4,5 "$results/peer_rules.csv")" ]; then
  say "every rule: the same candidate pairs and links on both sides"
fi
step "accuracy (bench/unify_eval.sql against $truth)"
for who in cdmlake peer; do
  say "$who: $(tail -1 "$results/${who}_accuracy.csv")"
done
say "columns: $(head -1 "$results/cdmlake_accuracy.csv")"
"$cdmlake" --quiet --lake "$lake" unify evaluate --config "$config" --truth "$truth" --format json \
  >"$results/cdmlake_evaluate.json" 2>/dev/null
say "check, cdmlake unify evaluate: $(python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); print(
  "pairwise P/R/F1 %.4f/%.4f/%.4f, B-cubed F1 %.4f, profiles %d" % (j["pairwise"]["precision"],
  j["pairwise"]["recall"], j["pairwise"]["f1"], j["bcubed"]["f1"], j["profiles"]))' "$results/cdmlake_evaluate.json")"

# ---- timed rounds -------------------------------------------------------------------------------------------------
step "$runs timed rounds (order alternates), each under GNU time -v"
for ((i = 1; i <= runs; i++)); do
  order="cdmlake peer"
  ((i % 2 == 0)) && order="peer cdmlake"
  for who in $order; do
    if [ "$who" = cdmlake ]; then
      run_cdmlake "round $i cdmlake unify run" "cdmlake_$i"
    else
      run_peer "round $i peer (DuckDB SQL + sync)" "peer_$i"
    fi
  done
done
python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); c = j.get("cpu_seconds", {});
print("cdmlake step seconds, wall / CPU (round 1):",
  ", ".join("%s %.2f / %s" % (k, v, "%.2f" % c[k] if k in c else "-") for k, v in j["seconds"].items()))' \
  "$results/cdmlake_1.json" | tee -a "$results/summary.txt"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$results/summary.txt"

step "summary (also in $results/summary.md)"
H report "$results" "$runs" | tee "$results/summary.md" | tee -a "$results/summary.txt"
