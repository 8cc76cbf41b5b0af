#!/usr/bin/env bash
# Issue 4 benchmark: `cdmlake entitystore` processing and querying at 10 M fact rows (docs/benchmarks.md, section
# "Issue 4: Entity Store processing", says what it measures and what was measured).
#
# Usage: bench/entitystore.sh path/to/cdmlake
#   The plain-DuckDB peer cdmlake_bench_duckdb_sql (bench/duckdb_sql.cc) must sit beside the binary (the build
#   target cdmlake_bench_duckdb_sql). Needs hyperfine, GNU time (/usr/bin/time), python3 (standard library only).
#   Quick smoke run: CDMLAKE_ES_ROWS=200000 bench/entitystore.sh build/cdmlake   (~3 minutes)
#   The full run at 10 M rows takes about 30-40 minutes on 2 cores (almost all of it CSV decimal parsing).
#
# Environment:
#   CDMLAKE_ES_DIR     where lakes and results go (default /tmp/cdmlake-bench-es; never inside the repository)
#   CDMLAKE_ES_ROWS    SalesLine rows of the generated lake (default 10000000)
#   CDMLAKE_ES_RUNS    timed rounds of full process vs peer, each under GNU time (default 2; order alternates)
#   CDMLAKE_ES_INC_RUNS  timed runs of each incremental case and of the full process on Parquet sources (default 3)
#   CDMLAKE_ES_ONLY    comma-separated parts: process, query, incremental (default all; query and incremental
#                      need a lake processed by an earlier `process` part in the same CDMLAKE_ES_DIR)
#   CDMLAKE_ES_INC_CASES  comma-separated cases of the incremental part: a, b, c (default all; see (3))
#   CDMLAKE_ES_INC_REUSE=1  cases b and c: reuse the refreshed lake and the process before the change of an earlier
#                      run in the same CDMLAKE_ES_DIR (lake-changes and before-salesline for b, lake-recent and
#                      before-recent for c; skips the snapshot refresh, the process before the change and the feed)
#   CDMLAKE_ES_REUSE=1 reuse $CDMLAKE_ES_DIR/lake (and lake-changes) from an earlier run instead of generating them
#   CDMLAKE_ES_LAKE_FROM  copy this already generated lake (same rows, seed 42) instead of generating one
#   CDMLAKE_ES_INC_BASELINE  cases b and c: also time this other cdmlake binary (an earlier build) on the same lake and
#                      state, in the same hyperfine run, for a before/after comparison
#   CDMLAKE_ES_CHANGES_FROM  for the incremental SalesLine case: copy this lake, generated with the same rows and
#                      seed and given a 1% SalesLine change feed by bench/make_change_feed.py (as bench/run.sh part
#                      (c) does), instead of making it here
#
# (1) process: `cdmlake --lake L entitystore process SalesAnalysis` (11 entities: 3 dimensions, 4 generated
#     calendars, facts SalesLines (10 M rows, 5 dimension references) and SalesOrders with their aggregates, written
#     as Parquet) against bench/entitystore_peer.sql, the same work written by hand in DuckDB SQL over the same CSV
#     files (cdmlake_bench_duckdb_sql --discard, then sync of its files, since cdmlake fsyncs what it writes).
#     Every round runs both under GNU time -v (wall, CPU, peak RSS); outputs are checked to be equal: per entity the
#     column names and types, the row count and sum(hash(row)). Target: cdmlake <= 1.25 x peer.
#     Plus the split: the peer's SalesLine read alone (all columns the fact uses), timed once.
# (2) query: `entitystore query SalesAnalysis --measure SalesAmount,NumberOfLines --by CreatedDate.YEAR,Customer.COUNTRY`
#     (answered from the rollup since 2026-11-22, from the aggregate before) and the same with the DistinctCount NumberOfCustomers (answered from the 10 M-row
#     fact), warm, hyperfine; against DuckDB running cdmlake's own SQL (--explain) over the same Parquet files.
#     Target: <= 0.3 s for the 2-attribute query. Results compared.
# (3) incremental: (a) 1% of InventTable's rows edited in place (ITEMTYPE, same CSV format): `process --incremental`
#     rebuilds only SalesAnalysis_Product; ratio against the full process of (1). (Not CustTable: the fact's view
#     joins it, so a CustTable change recomputes the fact.) (b) 1% of SalesLine's rows
#     changed through a D365 change feed and `lake refresh --table SalesLine` (current state as Parquet): the full
#     process on the refreshed lake (sources then read SalesLine from Parquet) against `process --incremental` after
#     the changes (which updates the SalesLines fact, its aggregate and its rollup from the changed rows).
#     Both start from the output, state and snapshots of the process before the change (hard-linked copies
#     restored by hyperfine --prepare). Target: <= 15%. Then the last incremental output is checked against a
#     full process (every entity: rows and sum(hash(row))). (c) as (b), but the 1% of rows are drawn from those
#     created in the last 90 days (bench/make_change_feed.py --recent-days 90), as D365 changes arrive: new
#     orders and edits of recent lines. The fact and its aggregate are written by month, so (c) rewrites the
#     months it touches and (b), whose changes touch every month, rewrites them all. Its lake shares case b's
#     generated tables (hard links) when lake-changes exists. Unlike (b), SalesTable and CustTable have change
#     feeds too (without changes, as every table of a D365 export has one) and every table is refreshed (`lake
#     refresh`), so the orders and customers the fact joins are read from their current state (Parquet) in both
#     the full and the incremental run, as in a lake kept by `lake refresh`. Cases b and c end with one more
#     incremental run under `--trace-sql` and print its slowest statements (where the time goes).
# Results go to $CDMLAKE_ES_DIR/results (GNU time outputs, hyperfine JSON, checksums, reports, summary.txt).
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 path/to/cdmlake" >&2
  exit 2
fi
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cdmlake=$(realpath "$1")
peer=$(dirname "$cdmlake")/cdmlake_bench_duckdb_sql
dir=${CDMLAKE_ES_DIR:-/tmp/cdmlake-bench-es}
rows=${CDMLAKE_ES_ROWS:-10000000}
runs=${CDMLAKE_ES_RUNS:-2}
inc_runs=${CDMLAKE_ES_INC_RUNS:-3}
only=${CDMLAKE_ES_ONLY:-}
seed=42

die() { echo "entitystore bench: $*" >&2; exit 1; }
part() { [ -z "$only" ] || [[ ",$only," == *",$1,"* ]]; }
[ -x "$cdmlake" ] || die "$cdmlake is not an executable"
[ -x "$peer" ] || die "$peer is missing: build the target cdmlake_bench_duckdb_sql"
command -v hyperfine >/dev/null || die "hyperfine is missing"
[ -x /usr/bin/time ] || die "GNU time (/usr/bin/time) is missing"
mkdir -p "$dir"
dir=$(realpath "$dir")
repo=$(cd "$here/.." && pwd)
case "$dir/" in "$repo"/*) die "CDMLAKE_ES_DIR ($dir) must be outside the repository" ;; esac
results=$dir/results
mkdir -p "$results"
echo "---- $(date -u +%Y-%m-%dT%H:%M:%SZ) $0 $* (parts: ${only:-all})" >>"$results/summary.txt"
H() { python3 "$here/entitystore_helpers.py" "$@"; }
step() { printf '\n== %s\n' "$*" | tee -a "$results/summary.txt"; }
say() { echo "$*" | tee -a "$results/summary.txt"; }
lake=$dir/lake
out=$dir/peer-out
M=SalesAnalysis
export BENCH_CDMLAKE=$cdmlake BENCH_PEER=$peer BENCH_LAKE=$lake

# timed LABEL FILE-PREFIX COMMAND...: runs COMMAND under GNU time -v, prints wall, CPU and peak RSS.
timed() {
  local label=$1 prefix=$2
  shift 2
  /usr/bin/time -v -o "$results/$prefix.time" "$@"
  local wall cpu rss
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$results/$prefix.time")
  cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.1f", s}' "$results/$prefix.time")
  rss=$(H rss "$results/$prefix.time")
  say "$label: wall $wall, CPU ${cpu} s, peak RSS ${rss} MiB" >&2  # stdout may be the command's output file
}

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "ram: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
  echo "duckdb: $("$peer" "SELECT version() AS v" | tail -1)"
  echo "rows: $rows"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee -a "$results/summary.txt"

# ---- the lake ----------------------------------------------------------------------------------------------------
if part process; then
  step "the lake ($rows SalesLine rows) in $lake"
  if [ "${CDMLAKE_ES_REUSE:-0}" = 1 ] && [ -d "$lake/Tables" ]; then
    rm -rf "$lake/_cdmlake" "$lake/AggregateMeasurements"
  elif [ -n "${CDMLAKE_ES_LAKE_FROM:-}" ]; then
    rm -rf "$lake"
    cp -a "$CDMLAKE_ES_LAKE_FROM" "$lake"
    rm -rf "$lake/_cdmlake" "$lake/AggregateMeasurements"
  else
    rm -rf "$lake"
    "$cdmlake" generate --out "$lake" --scale "$rows" --seed "$seed" >"$results/generate.txt" 2>&1
  fi
  "$cdmlake" --quiet --lake "$lake" entitystore import "$lake/EntityStore/$M.zip" 2>/dev/null
  "$cdmlake" --quiet --lake "$lake" entitystore ddl "$M" >"$results/ddl.sql"
  H peer-sql "$here/entitystore_peer.sql" "$lake" "$out" >"$results/peer.sql"
  export BENCH_PEER_SQL
  BENCH_PEER_SQL=$(cat "$results/peer.sql")

  step "(1) full process against the hand-written peer, $runs rounds (order alternates), each under GNU time -v"
  for ((i = 1; i <= runs; i++)); do
    order="cdmlake peer"
    ((i % 2 == 0)) && order="peer cdmlake"
    for who in $order; do
      if [ "$who" = cdmlake ]; then
        timed "round $i cdmlake process" "process_cdmlake_$i" \
          "$cdmlake" --quiet --lake "$lake" entitystore process "$M" --format json >"$results/process_$i.json"
      else
        rm -rf "$out" && mkdir -p "$out"
        timed "round $i peer (DuckDB SQL + sync)" "process_peer_$i" \
          bash -c '"$BENCH_PEER" --discard "$BENCH_PEER_SQL" && sync $(find "$1" -type f) "$1"' _ "$out"
      fi
    done
  done
  H process-report "$results/process_1.json" | tee -a "$results/summary.txt"
  # The rollups (<M>_<MG>_ROLLUP) are cdmlake's own addition, which the peer does not compute: compared are the
  # entities both write (cdmlake's time includes the rollups, so the ratio is, if anything, pessimistic).
  H checksums "$peer" "$lake/AggregateMeasurements" | grep -v '_ROLLUP:' >"$results/checksums_cdmlake.txt"
  H checksums "$peer" "$out" >"$results/checksums_peer.txt"
  if cmp -s "$results/checksums_cdmlake.txt" "$results/checksums_peer.txt"; then
    say "outputs identical (11 entities: columns, types, rows, sum(hash(row))):"
    sed 's/: .* | \(.*\) rows | .*/: \1 rows/' "$results/checksums_cdmlake.txt" | tee -a "$results/summary.txt"
  else
    diff "$results/checksums_cdmlake.txt" "$results/checksums_peer.txt" | head -20
    die "cdmlake's output and the peer's differ"
  fi

  step "split: the SalesLine CSV read alone (the columns the fact uses, all decimals converted)"
  scan_sql=$(sed -n '/^CREATE TEMP VIEW SalesLine AS/,/;$/p' "$results/peer.sql")
  scan_sql="$scan_sql SELECT count(*)::VARCHAR AS n, sum(hash(SALESID, LINENUM, ITEMID, NAME, SALESQTY, SALESPRICE, \
LINEAMOUNT, CURRENCYCODE, SALESSTATUS, CUSTACCOUNT, SHIPPINGDATEREQUESTED, CREATEDDATETIME, DATAAREAID, PARTITION, \
RECID))::VARCHAR AS h FROM SalesLine"
  timed "SalesLine read alone (peer)" scan_salesline "$peer" "$scan_sql" >"$results/scan_salesline.csv"
fi

# ---- (2) cube queries ------------------------------------------------------------------------------------------
if part query; then
  step "(2) cube queries, warm (hyperfine), against DuckDB over the same Parquet files"
  q_args=(--measure SalesAmount,NumberOfLines --by CreatedDate.YEAR,Customer.COUNTRY)
  d_args=(--measure NumberOfCustomers,SalesAmount --by CreatedDate.YEAR,Customer.COUNTRY)
  views=""
  for e in SalesLines SalesLines_AGG SalesLines_ROLLUP Customer CreatedDate; do
    folder=$(ls -d "$lake/AggregateMeasurements/${M}_$e"/_v* | tail -1)
    views+="CREATE VIEW ${M}_$e AS SELECT * FROM read_parquet('$folder/*.parquet'); "
  done
  export BENCH_Q_PEER BENCH_D_PEER
  BENCH_Q_PEER="$views SELECT COLUMNS(*)::VARCHAR FROM ($("$cdmlake" --quiet --lake "$lake" entitystore query "$M" "${q_args[@]}" --explain | grep -v '^--'))"
  BENCH_D_PEER="$views SELECT COLUMNS(*)::VARCHAR FROM ($("$cdmlake" --quiet --lake "$lake" entitystore query "$M" "${d_args[@]}" --explain | grep -v '^--'))"
  printf '%s\n\n%s\n' "$BENCH_Q_PEER" "$BENCH_D_PEER" >"$results/query_peer.sql"
  "$cdmlake" --quiet --lake "$lake" entitystore query "$M" "${q_args[@]}" --format csv >"$results/query_cdmlake.csv"
  "$peer" "$BENCH_Q_PEER" >"$results/query_peer.csv"
  "$cdmlake" --quiet --lake "$lake" entitystore query "$M" "${d_args[@]}" --format csv >"$results/query_distinct_cdmlake.csv"
  "$peer" "$BENCH_D_PEER" >"$results/query_distinct_peer.csv"
  for q in query query_distinct; do
    if cmp -s "$results/${q}_cdmlake.csv" "$results/${q}_peer.csv"; then
      say "$q: cdmlake and DuckDB agree ($(($(wc -l <"$results/${q}_cdmlake.csv") - 1)) rows)"
    else
      say "$q: results differ (see ${q}_*.csv)"
    fi
  done
  export BENCH_Q_ARGS="${q_args[*]}" BENCH_D_ARGS="${d_args[*]}"
  hyperfine --warmup 3 --runs 20 --style basic --export-json "$results/query.json" \
    -n "cdmlake query (2 attributes, rollup)" "$cdmlake --quiet --lake $lake entitystore query $M ${q_args[*]}" \
    -n "DuckDB, same SQL over the Parquet files" "$peer \"\$BENCH_Q_PEER\"" 2>&1 | tee -a "$results/summary.txt" || true
  hyperfine --warmup 2 --runs 10 --style basic --export-json "$results/query_distinct.json" \
    -n "cdmlake query (DistinctCount, fact table)" "$cdmlake --quiet --lake $lake entitystore query $M ${d_args[*]} > /dev/null" \
    -n "DuckDB, same SQL over the Parquet files" '"$BENCH_PEER" "$BENCH_D_PEER" > /dev/null' 2>&1 | tee -a "$results/summary.txt"
fi

# ---- (3) incremental ---------------------------------------------------------------------------------------------
state=$lake/_cdmlake/entitystore/$M/process.json
inc_cases=${CDMLAKE_ES_INC_CASES:-a,b,c}
if part incremental && [[ ",$inc_cases," == *",a,"* ]]; then
  step "(3a) 1% of InventTable's rows changed: process --incremental (only the Product dimension reads it)"
  [ -f "$state" ] || die "no processed lake in $lake: run the process part first"
  # InventTable is read only by PRODUCTDIMENSIONVIEW. (CustTable would not do: SALESLINECUSTOMERVIEW, the fact's
  # source, joins it for CUSTGROUP, so a CustTable change rebuilds the 10 M-row fact as well.)
  inv=$(H peer-sql /dev/stdin "$lake" x <<<"@InventTable@" | tr -d "'")
  [ -f "$inv.orig" ] || cp -p "$inv" "$inv.orig"
  rm -f "$inv" && cp -p "$inv.orig" "$inv"  # never write through a hard link
  # The state before the change: a process over the unchanged table (incremental: only the fingerprint moves).
  "$cdmlake" --quiet --lake "$lake" entitystore process "$M" --incremental >/dev/null
  cp -p "$state" "$dir/state-before-invent.json"
  say "InventTable rows edited (ITEMTYPE, every 100th row): $(H edit-column "$inv" 3 100) of $(wc -l <"$inv")"
  export BENCH_STATE=$state BENCH_SAVED_STATE=$dir/state-before-invent.json
  "$cdmlake" --quiet --lake "$lake" entitystore process "$M" --incremental --format json >"$results/incremental_invent.json"
  H process-report "$results/incremental_invent.json" | tee -a "$results/summary.txt"
  hyperfine --runs "$inc_runs" --style basic --export-json "$results/incremental_invent.json.hf" \
    --prepare 'cp -p "$BENCH_SAVED_STATE" "$BENCH_STATE"' \
    -n "process --incremental after 1% InventTable changes" \
    '"$BENCH_CDMLAKE" --quiet --lake "$BENCH_LAKE" entitystore process SalesAnalysis --incremental > /dev/null' 2>&1 |
    tee -a "$results/summary.txt"
  rm -f "$inv" && cp -p "$inv.orig" "$inv"
  "$cdmlake" --quiet --lake "$lake" entitystore process "$M" --incremental >/dev/null
fi
# (3b) and (3c): 1% of SalesLine's rows changed through a change feed and `lake refresh`, then the full process
# against process --incremental. Arguments: case letter, lake, folder for the held feed, folder for the process
# before the change, days of the recent window the changes are drawn from (0: all rows), name for result files,
# 1 to refresh every table (each source then read from its current state, as a lake kept by `lake refresh` is)
# or 0 for SalesLine only.
salesline_case() {
  local case=$1 clake=$2 held=$3 before=$4 recent_days=$5 name=$6 refresh_all=$7
  local tables=(--table SalesLine)
  [ "$refresh_all" = 1 ] && tables=()
  if [ ! -d "$clake" ]; then
    if [ "$case" = b ] && [ -n "${CDMLAKE_ES_CHANGES_FROM:-}" ]; then
      cp -a "$CDMLAKE_ES_CHANGES_FROM" "$clake"
      rm -rf "$clake/_cdmlake" "$clake/AggregateMeasurements"
    else
      [ -d "$dir/changefeed-template" ] ||
        "$cdmlake" generate --out "$dir/changefeed-template" --scale 2000 --seed "$seed" --changes 1 >/dev/null 2>&1
      if [ -d "$dir/lake-changes/Tables" ] && [ "$case" != b ]; then
        # The same generated tables as case b's lake (hard links: nothing there is written in place).
        mkdir -p "$clake" && cp -al "$dir/lake-changes/Tables" "$dir/lake-changes/EntityStore" "$clake/"
      else
        "$cdmlake" generate --out "$clake" --scale "$rows" --seed "$seed" >/dev/null 2>&1
      fi
      python3 "$here/make_change_feed.py" --lake "$clake" --template "$dir/changefeed-template/ChangeFeed" \
        --peer "$peer" --percent 1 --seed "$seed" --recent-days "$recent_days" \
        --quiet-tables "$([ "$refresh_all" = 1 ] && echo SALESTABLE,CUSTTABLE)" >"$results/change_feed_$name.txt"
    fi
  fi
  feed=$clake/ChangeFeed/SALESLINE
  export BENCH_CLAKE=$clake BENCH_CSTATE_DIR=$clake/_cdmlake/entitystore/$M BENCH_BEFORE=$before
  restore='rm -rf "$BENCH_CLAKE/AggregateMeasurements" "$BENCH_CSTATE_DIR" &&
           cp -al "$BENCH_BEFORE/AggregateMeasurements" "$BENCH_CLAKE/AggregateMeasurements" &&
           cp -al "$BENCH_BEFORE/state" "$BENCH_CSTATE_DIR"'
  if [ "${CDMLAKE_ES_INC_REUSE:-0}" = 1 ] && [ -d "$before/state" ] && [ -d "$clake/_cdmlake/refresh" ]; then
    # The refreshed lake and the process before the change of an earlier run of this case (saves the two refreshes and
    # a full process: about 6 minutes at 10 M rows).
    say "reusing $before and the refreshed $clake of an earlier run"
  else
  rm -rf "$clake/_cdmlake" "$clake/AggregateMeasurements" "$held"
  mkdir -p "$held"
  find "$feed" -maxdepth 1 -name '*.csv' -exec mv -t "$held" {} +
  timed "lake refresh ${tables[*]} (snapshots only, not part of the ratio)" refresh_snapshot_$name \
    "$cdmlake" --quiet --lake "$clake" lake refresh "${tables[@]}" >/dev/null
  "$cdmlake" --quiet --lake "$clake" entitystore import "$clake/EntityStore/$M.zip" 2>/dev/null
  "$cdmlake" --quiet --lake "$clake" entitystore process "$M" --format json >"$results/process_parquet_before_$name.json"
  cstate=$clake/_cdmlake/entitystore/$M/process.json
  cp -p "$cstate" "$dir/state-before-$name.json"
  # An incremental run updates the previous output from the changed rows, so each timed run starts from the
  # output, the state and the snapshots of this process (hard links: nothing there is written in place).
  rm -rf "$before" && mkdir -p "$before"
  cp -al "$clake/AggregateMeasurements" "$before/AggregateMeasurements"
  cp -al "$clake/_cdmlake/entitystore/$M" "$before/state"
  find "$held" -maxdepth 1 -name '*.csv' -exec mv -t "$feed" {} +
  timed "lake refresh ${tables[*]} (applies the 1% feed, not part of the ratio)" refresh_feed_$name \
    "$cdmlake" --quiet --lake "$clake" lake refresh "${tables[@]}" >/dev/null
  fi
  bash -c "$restore"
  "$cdmlake" --quiet --lake "$clake" entitystore process "$M" --incremental --format json >"$results/incremental_$name.json"
  H process-report "$results/incremental_$name.json" | tee -a "$results/summary.txt"
  baseline=()
  if [ -n "${CDMLAKE_ES_INC_BASELINE:-}" ]; then
    export BENCH_BASELINE=$CDMLAKE_ES_INC_BASELINE
    baseline=(-n "baseline: full process" \
      '"$BENCH_BASELINE" --quiet --lake "$BENCH_CLAKE" entitystore process SalesAnalysis > /dev/null' \
      -n "baseline: process --incremental" \
      '"$BENCH_BASELINE" --quiet --lake "$BENCH_CLAKE" entitystore process SalesAnalysis --incremental > /dev/null')
  fi
  hyperfine --runs "$inc_runs" --style basic --export-json "$results/incremental_$name.json.hf" \
    --prepare "$restore" \
    -n "full process (SalesLine from its refreshed Parquet state)" \
    '"$BENCH_CDMLAKE" --quiet --lake "$BENCH_CLAKE" entitystore process SalesAnalysis > /dev/null' \
    -n "process --incremental after 1% SalesLine changes ($name)" \
    '"$BENCH_CDMLAKE" --quiet --lake "$BENCH_CLAKE" entitystore process SalesAnalysis --incremental > /dev/null' \
    "${baseline[@]}" 2>&1 |
    tee -a "$results/summary.txt"
  # Where an incremental run's time goes: one more run with cdmlake's SQL trace (--trace-sql), its slowest
  # statements by what they make.
  bash -c "$restore"
  "$cdmlake" --quiet --lake "$clake" --trace-sql "$results/trace_incremental_$name.jsonl" entitystore process "$M" \
    --incremental >/dev/null
  H trace-summary "$results/trace_incremental_$name.jsonl" | tee -a "$results/summary.txt"
  # Correctness: the output of the last incremental run (the traced one) against a full process of the same lake,
  # every entity of the manifest (row count and sum(hash(row))).
  fingerprints() {
    local q="" e
    for e in $(python3 -c 'import json, sys; print(" ".join(e["entityName"] for e in json.load(open(sys.argv[1]))["entities"]))' \
      "$clake/AggregateMeasurements/$M.manifest.cdm.json"); do
      q="$q${q:+ UNION ALL }SELECT '$e' AS entity, count(*) AS n, coalesce(sum(hash(x)), 0) AS h FROM \"$e\" x"
    done
    "$cdmlake" --quiet --lake "$clake" sql --format csv "$q ORDER BY 1"
  }
  fingerprints >"$results/check_incremental_$name.csv"
  "$cdmlake" --quiet --lake "$clake" entitystore process "$M" >/dev/null
  fingerprints >"$results/check_full_$name.csv"
  if cmp -s "$results/check_incremental_$name.csv" "$results/check_full_$name.csv"; then
    say "check: the incremental output equals a full process ($(($(wc -l <"$results/check_full_$name.csv") - 1)) entities, rows and sum(hash(row)))"
  else
    say "check: the incremental output DIFFERS from a full process:"
    diff "$results/check_incremental_$name.csv" "$results/check_full_$name.csv" | tee -a "$results/summary.txt"
  fi
}
if part incremental && [[ ",$inc_cases," == *",b,"* ]]; then
  step "(3b) 1% of SalesLine's rows changed, spread over all rows (change feed + lake refresh): full process vs process --incremental"
  salesline_case b "$dir/lake-changes" "$dir/held-feed" "$dir/before-salesline" 0 salesline 0
fi
if part incremental && [[ ",$inc_cases," == *",c,"* ]]; then
  step "(3c) 1% of SalesLine's rows changed, drawn from the last 90 days (change feed + lake refresh): full process vs process --incremental"
  salesline_case c "$dir/lake-recent" "$dir/held-feed-recent" "$dir/before-recent" 90 recent 1
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$results/summary.txt"
