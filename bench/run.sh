#!/usr/bin/env bash
# cdmlake's benchmarks (docs/benchmarks.md says what they measure and what was measured).
#
# Usage: bench/run.sh path/to/cdmlake
#   The plain-DuckDB peer, cdmlake_bench_duckdb_sql (bench/duckdb_sql.cc), must sit beside the binary; `make build`
#   builds both. Needs hyperfine, GNU time (/usr/bin/time) and python3.
#
# Environment:
#   CDMLAKE_BENCH_DIR   where lakes and results go (default /tmp/cdmlake-bench; never inside the repository)
#   CDMLAKE_BENCH_ROWS  SalesLine rows of the generated lakes (default 10000000)
#   CDMLAKE_BENCH_RUNS  timed rounds per command of the sql and export benchmarks (default 5; one warm-up round
#                       comes first)
#   CDMLAKE_BENCH_REFRESH_RUNS  timed rounds of the refresh benchmark (default 3; the checked runs under GNU time
#                       serve as its warm-up, since one rebuild of 10M rows takes minutes)
#   CDMLAKE_BENCH_ONLY  one part or a comma-separated list of parts: sql, discovery, refresh, export, entitystore,
#                       unify, server (default all; entitystore runs bench/entitystore.sh, about 40 more minutes at
#                       10M rows; unify runs bench/unify.sh, a few minutes, with its own CDMLAKE_BENCH_CUSTOMERS and
#                       CDMLAKE_BENCH_RUNS, default 3 there; server runs bench/server.sh, about 15 minutes at 10M
#                       rows, needs postgresql-15 and root, with its own CDMLAKE_BENCH_SERVER_* settings)
#   CDMLAKE_BENCH_REUSE=1  reuse the lake with a change feed from an earlier run (refresh, export) if it was
#                       generated with the same rows and seed, instead of generating it again
#
# (a) sql: an aggregate over SalesLine via `cdmlake sql` against the same query over the same CSV files written by
#     hand as DuckDB read_csv(...) (peer: target ratio <= 1.1). q1 groups by company and status and sums decimals;
#     q2 groups by year of a date and uses a date that F&O leaves empty (1900-01-01) on 40% of rows, so the hand
#     query has to map that to NULL as cdmlake does. q2 also times DuckDB running cdmlake's own view SQL, which
#     splits cdmlake's overhead into process/catalog/attach work and the view's SQL, and the hand query with the
#     CSV sniffer off (auto_detect = false, as cdmlake reads).
# (b) discovery: `lake inspect` over a metadata-only lake of 2,000 entities, cold (no catalog cache; target <= 2 s)
#     and warm (target <= 0.2 s), and `sql "SELECT count(*) ..."` over it warm.
# (c) refresh: a generated lake plus a D365 change feed touching 1% of SalesLine's rows (bench/make_change_feed.py;
#     `generate --changes` needs more memory than the machine has at 10M rows).
#     "rebuild" is `lake refresh --table SalesLine` without any state (the snapshot's CSV files + the whole feed ->
#     the current-state Parquet); "incremental" is the same command on a state built from the snapshot alone (the
#     feed held back during that first refresh), so it applies the 1% of changes on top of the 10M-row state.
#     hyperfine's --prepare removes the state, or restores the saved one, before every run. Both results are
#     checked against the generator's expected final state (_truth/SalesLine.csv: row count and a checksum of
#     every row). Target: incremental <= 10% of rebuild.
# (d) export: `cdmlake export --query "SELECT * FROM SalesLine" --format csv|parquet` (the refreshed current-state
#     table, i.e. its Parquet file) against DuckDB's own COPY of the same SELECT over the same source (cdmlake's
#     view SQL) with the same CSV options, in the same rounds; outputs are compared. Informational: the peer plus
#     an fsync of its file (cdmlake syncs what it writes). Target: cdmlake <= 1.2 x COPY.
# Results (hyperfine JSON, GNU time output, plans, summary.json and summary.md) go to $CDMLAKE_BENCH_DIR/results.
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 path/to/cdmlake" >&2
  exit 2
fi
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cdmlake=$(realpath "$1")
peer=$(dirname "$cdmlake")/cdmlake_bench_duckdb_sql
bench_dir=${CDMLAKE_BENCH_DIR:-/tmp/cdmlake-bench}
rows=${CDMLAKE_BENCH_ROWS:-10000000}
runs=${CDMLAKE_BENCH_RUNS:-5}
refresh_runs=${CDMLAKE_BENCH_REFRESH_RUNS:-3}
only=${CDMLAKE_BENCH_ONLY:-}
reuse=${CDMLAKE_BENCH_REUSE:-0}
seed=42

die() { echo "bench: $*" >&2; exit 1; }
for p in ${only//,/ }; do
  case $p in sql | discovery | refresh | export | entitystore | unify | server) ;;
    *) die "CDMLAKE_BENCH_ONLY: unknown part '$p' (sql, discovery, refresh, export, entitystore, unify, server)" ;;
  esac
done
# part NAME: whether CDMLAKE_BENCH_ONLY selects the part (all parts when it is empty).
part() { [ -z "$only" ] || [[ ",$only," == *",$1,"* ]]; }
[ -x "$cdmlake" ] || die "$cdmlake is not an executable (run make build)"
[ -x "$peer" ] || die "$peer is missing: build the target cdmlake_bench_duckdb_sql (make build does)"
command -v hyperfine >/dev/null || die "hyperfine is missing (scripts/install-deps.sh --bench)"
[ -x /usr/bin/time ] || die "GNU time (/usr/bin/time) is missing (scripts/install-deps.sh --bench)"
command -v python3 >/dev/null || die "python3 is missing"
mkdir -p "$bench_dir"
bench_dir=$(realpath "$bench_dir")
repo=$(cd "$here/.." && pwd)
case "$bench_dir/" in "$repo"/*) die "CDMLAKE_BENCH_DIR ($bench_dir) must be outside the repository" ;; esac
results=$bench_dir/results
rm -rf "$results"
mkdir -p "$results"
helpers() { python3 "$here/helpers.py" "$@"; }
step() { printf '\n== %s\n' "$*"; }

# interleaved OUT NAME COMMAND [NAME COMMAND...]: times the commands with hyperfine in rounds, one run of each
# command per round and the order reversed every other round, after one warm-up round that is not counted; then
# merges the rounds into $results/OUT.json (hyperfine's format, plus per-run user and system times). On a noisy
# machine this spreads load bursts over all commands instead of charging them to whichever ran during the burst.
interleaved() {
  local out=$1
  shift
  local -a triples=()
  while [ $# -gt 0 ]; do
    triples+=("$1" "" "$2")
    shift 2
  done
  interleaved_prepared "$out" "$runs" 1 "${triples[@]}"
}

# interleaved_prepared OUT ROUNDS WARMUP NAME PREPARE COMMAND [NAME PREPARE COMMAND...]: the same with ROUNDS timed
# rounds, a warm-up round only when WARMUP is 1, and PREPARE (a shell command, or "" for none) run by hyperfine
# before every run of its command, untimed.
interleaved_prepared() {
  local out=$1 rounds=$2 warmup=$3 i j any_prepare=0
  shift 3
  local -a names=() prepares=() commands=()
  while [ $# -gt 0 ]; do
    names+=("$1")
    prepares+=("$2")
    commands+=("$3")
    [ -n "$2" ] && any_prepare=1
    shift 3
  done
  for ((i = 1 - warmup; i <= rounds; i++)); do
    local -a args=()
    for ((j = 0; j < ${#names[@]}; j++)); do
      local k=$j
      if ((i % 2 == 0)); then k=$((${#names[@]} - 1 - j)); fi
      if ((any_prepare)); then args+=(--prepare "${prepares[k]:-:}"); fi
      args+=(-n "${names[k]}" "${commands[k]}")
    done
    if ((i == 0)); then
      echo "warm-up round"
      hyperfine --runs 1 --style basic --export-json "$results/$out.warmup.json" "${args[@]}" >/dev/null
    else
      echo "round $i of $rounds"
      hyperfine --runs 1 --style basic --export-json "$results/$out.round$i.json" "${args[@]}" |
        sed -n 's/^Benchmark [0-9]*: \(.*\)/  \1/p; s/^ *Time (abs ≡): */    /p' | paste - -
    fi
  done
  helpers merge "$results/$out.json" "$results/$out".round*.json
}

# ---- the machine -------------------------------------------------------------------------------------------------
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "ram: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
  echo "disk ($bench_dir): $(df -h --output=source,fstype,size "$bench_dir" | tail -1 | tr -s ' ')"
  echo "os: $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r)"
  cache=$(dirname "$cdmlake")/CMakeCache.txt
  if [ -f "$cache" ]; then
    cxx=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$cache")
    echo "compiler: $("$cxx" --version | head -1) ($(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$cache"))"
  fi
  echo "duckdb: $("$peer" "SELECT version() || ' (' || source_id || ')' AS v FROM pragma_version()" | tail -1)"
  echo "cdmlake: $("$cdmlake" --version 2>&1 | head -1)"
  echo "hyperfine: $(hyperfine --version)"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$results/machine.txt"

# ---- (a) cdmlake sql against hand-written read_csv -----------------------------------------------------------------
if part sql; then
  lake=$bench_dir/lake
  step "generating a lake with $rows SalesLine rows in $lake"
  "$cdmlake" generate --out "$lake" --scale "$rows" --seed "$seed" >"$results/generate.txt" 2>&1
  tail -1 "$results/generate.txt"
  leaf=$lake/Tables/SupplyChain/SalesAndMarketing/WorksheetLine

  # The hand-written query: the same files, in the manifest's order, with the columns and types a user takes from
  # the entity document (checked against it below), headerless, RFC 4180 quotes.
  files=$(helpers partitions "$leaf/WorksheetLine.manifest.cdm.json" SalesLine | sed "s/.*/'&'/" | paste -sd, -)
  columns="{'RECID': 'BIGINT', 'SALESID': 'VARCHAR', 'LINENUM': 'DECIMAL(32,6)', 'ITEMID': 'VARCHAR', \
'NAME': 'VARCHAR', 'SALESQTY': 'DECIMAL(32,6)', 'SALESPRICE': 'DECIMAL(32,6)', 'LINEAMOUNT': 'DECIMAL(32,6)', \
'CURRENCYCODE': 'VARCHAR', 'SALESSTATUS': 'INTEGER', 'CUSTACCOUNT': 'VARCHAR', 'SHIPPINGDATEREQUESTED': 'TIMESTAMP', \
'SHIPPINGDATECONFIRMED': 'TIMESTAMP', 'CREATEDDATETIME': 'TIMESTAMP', 'DATAAREAID': 'VARCHAR', 'PARTITION': 'BIGINT', \
'RECVERSION': 'INTEGER'}"
  helpers check-columns "$leaf/SalesLine.cdm.json" SalesLine "$columns"
  hand_scan="read_csv([$files], columns = $columns, header = false, quote = '\"', escape = '\"')"
  # q2 reads SHIPPINGDATECONFIRMED, which F&O writes as 1900-01-01 when empty: a correct hand query says so.
  hand_scan_dates="(SELECT * REPLACE (NULLIF(SHIPPINGDATECONFIRMED, TIMESTAMP '1900-01-01') AS SHIPPINGDATECONFIRMED) \
FROM $hand_scan)"
  # The same with the CSV sniffer off, as cdmlake reads (informational: a user rarely writes it).
  hand_scan_dates_nosniff=${hand_scan_dates/header = false,/header = false, auto_detect = false,}

  # The queries, with %s for the table. Results are cast to VARCHAR so both tools print them the same way.
  q1="SELECT DATAAREAID, SALESSTATUS::VARCHAR AS SALESSTATUS, count(*)::VARCHAR AS lines, \
sum(LINEAMOUNT)::VARCHAR AS amount, avg(SALESQTY)::VARCHAR AS avg_qty FROM %s GROUP BY ALL ORDER BY ALL"
  q2="SELECT year(SHIPPINGDATEREQUESTED)::VARCHAR AS year, count(*)::VARCHAR AS lines, \
count(SHIPPINGDATECONFIRMED)::VARCHAR AS confirmed, \
avg(date_diff('day', SHIPPINGDATEREQUESTED, SHIPPINGDATECONFIRMED))::VARCHAR AS avg_days_late \
FROM %s GROUP BY ALL ORDER BY ALL"

  # hyperfine's shell expands these; exported so that the commands it records stay readable.
  export BENCH_CDMLAKE=$cdmlake BENCH_PEER=$peer BENCH_LAKE=$lake
  export BENCH_Q1_LAKE BENCH_Q1_HAND BENCH_Q2_LAKE BENCH_Q2_HAND BENCH_Q2_HAND_NOSNIFF BENCH_Q2_VIEW
  # shellcheck disable=SC2059
  BENCH_Q1_LAKE=$(printf "$q1" SalesLine)
  # shellcheck disable=SC2059
  BENCH_Q1_HAND=$(printf "$q1" "$hand_scan")
  # shellcheck disable=SC2059
  BENCH_Q2_LAKE=$(printf "$q2" SalesLine)
  # shellcheck disable=SC2059
  BENCH_Q2_HAND=$(printf "$q2" "$hand_scan_dates")
  # shellcheck disable=SC2059
  BENCH_Q2_HAND_NOSNIFF=$(printf "$q2" "$hand_scan_dates_nosniff")

  # cdmlake's own view SQL for SalesLine (the alias makes the session attach the entity), for the split in q2.
  "$cdmlake" --quiet --lake "$lake" sql --format csv \
    "SELECT sql AS SalesLine FROM duckdb_views() WHERE schema_name = 'Tables' AND view_name = 'SalesLine'" \
    >"$results/view_sql.csv"
  view_body=$(helpers view-body <"$results/view_sql.csv")
  printf '%s\n' "$view_body" >"$results/view_sql.txt"
  # shellcheck disable=SC2059
  BENCH_Q2_VIEW=$(printf "$q2" "($view_body)")
  printf '%s;\n\n' "$BENCH_Q1_LAKE" "$BENCH_Q1_HAND" "$BENCH_Q2_LAKE" "$BENCH_Q2_HAND" "$BENCH_Q2_HAND_NOSNIFF" \
    "$BENCH_Q2_VIEW" >"$results/queries.sql"

  # Identical results, each tool run once under GNU time (the peak RSS of q1 is recorded from these runs).
  for q in q1 q2; do
    step "checking that cdmlake and the hand-written query agree on $q"
    lake_var=BENCH_${q^^}_LAKE hand_var=BENCH_${q^^}_HAND
    /usr/bin/time -v -o "$results/rss_${q}_cdmlake.txt" \
      "$cdmlake" --quiet --lake "$lake" sql --format csv "${!lake_var}" >"$results/result_${q}_cdmlake.csv"
    /usr/bin/time -v -o "$results/rss_${q}_duckdb.txt" "$peer" "${!hand_var}" >"$results/result_${q}_duckdb.csv"
    if cmp -s "$results/result_${q}_cdmlake.csv" "$results/result_${q}_duckdb.csv"; then
      echo "identical ($(($(wc -l <"$results/result_${q}_cdmlake.csv") - 1)) rows)" | tee "$results/identical_${q}.txt"
    else
      echo "DIFFERENT (see result_${q}_*.csv)" | tee "$results/identical_${q}.txt"
      diff "$results/result_${q}_cdmlake.csv" "$results/result_${q}_duckdb.csv" | head -20 || true
      die "cdmlake and the hand-written query disagree on $q"
    fi
  done
  echo "peak RSS of q1: cdmlake $(($(helpers rss "$results/rss_q1_cdmlake.txt") / 1024)) MiB," \
    "duckdb $(($(helpers rss "$results/rss_q1_duckdb.txt") / 1024)) MiB"

  step "q1: $q1"
  interleaved sql_q1 \
    "cdmlake sql" '"$BENCH_CDMLAKE" --quiet --lake "$BENCH_LAKE" sql --format csv "$BENCH_Q1_LAKE" > /dev/null' \
    "duckdb read_csv (hand-written)" '"$BENCH_PEER" "$BENCH_Q1_HAND" > /dev/null'

  step "q2: $q2"
  interleaved sql_q2 \
    "cdmlake sql" '"$BENCH_CDMLAKE" --quiet --lake "$BENCH_LAKE" sql --format csv "$BENCH_Q2_LAKE" > /dev/null' \
    "duckdb read_csv (hand-written)" '"$BENCH_PEER" "$BENCH_Q2_HAND" > /dev/null' \
    "duckdb + cdmlake view SQL" '"$BENCH_PEER" "$BENCH_Q2_VIEW" > /dev/null' \
    "duckdb read_csv (hand-written, auto_detect = false)" '"$BENCH_PEER" "$BENCH_Q2_HAND_NOSNIFF" > /dev/null'

  step "q2 plans (EXPLAIN ANALYZE in DuckDB: cdmlake's view SQL and the hand-written query)"
  "$peer" --raw "EXPLAIN ANALYZE $BENCH_Q2_VIEW" >"$results/explain_q2_view.txt"
  "$peer" --raw "EXPLAIN ANALYZE $BENCH_Q2_HAND" >"$results/explain_q2_hand.txt"
  echo "written to $results/explain_q2_*.txt"
fi

# ---- (b) discovery of a metadata-only lake with 2,000 entities ------------------------------------------------------
if part discovery; then
  meta=$bench_dir/metadata-lake
  step "writing a metadata-only lake with 2,000 entities in $meta"
  rm -rf "$meta"
  python3 "$here/make_metadata_lake.py" --out "$meta" | tee "$results/metadata_lake.txt"
  "$cdmlake" --quiet --lake "$meta" lake inspect --no-cache --format json >"$results/inspect.json"
  helpers count-entities 2000 <"$results/inspect.json" | tee -a "$results/metadata_lake.txt"
  rm -f "$results/inspect.json"

  export BENCH_CDMLAKE=$cdmlake BENCH_META=$meta
  step "discovery, cold (no catalog cache: _cdmlake/ removed before each run)"
  hyperfine --warmup 1 --runs 10 --export-json "$results/discovery_cold.json" --prepare 'rm -rf "$BENCH_META/_cdmlake"' \
    -n "lake inspect (cold)" '"$BENCH_CDMLAKE" --lake "$BENCH_META" lake inspect --format json > /dev/null'
  step "discovery, cold without writing a cache (--no-cache)"
  hyperfine --warmup 1 --runs 10 --export-json "$results/discovery_cold_nocache.json" \
    -n "lake inspect --no-cache" '"$BENCH_CDMLAKE" --lake "$BENCH_META" lake inspect --no-cache --format json > /dev/null'
  step "discovery, warm (catalog cache present)"
  "$cdmlake" --quiet --lake "$meta" lake inspect --format json >/dev/null
  [ -n "$(ls -A "$meta/_cdmlake" 2>/dev/null)" ] || die "lake inspect wrote no catalog cache in $meta/_cdmlake"
  hyperfine --warmup 2 --runs 20 --export-json "$results/discovery_warm.json" \
    -n "lake inspect (warm)" '"$BENCH_CDMLAKE" --lake "$BENCH_META" lake inspect --format json > /dev/null'
  step "sql over one entity of the metadata-only lake, warm"
  hyperfine --warmup 2 --runs 20 --export-json "$results/sql_metadata_warm.json" \
    -n "sql count(*) (warm)" '"$BENCH_CDMLAKE" --lake "$BENCH_META" sql "SELECT count(*) FROM SalesLine" > /dev/null'
fi

# ---- (c) and (d): a lake with a change feed, refreshed --------------------------------------------------------------
if part refresh || part export; then
  clake=$bench_dir/lake-changes
  export BENCH_CDMLAKE=$cdmlake BENCH_PEER=$peer BENCH_CLAKE=$clake
  export BENCH_STATE=$clake/_cdmlake/refresh/Tables/SalesLine
  feed=$clake/ChangeFeed/SALESLINE
  held=$bench_dir/held-feed
  # A refresh benchmark interrupted earlier may have left SalesLine's change files aside.
  if [ -d "$held" ] && [ -d "$feed" ]; then
    find "$held" -maxdepth 1 -name '*.csv' -exec mv -t "$feed" {} +
  fi
  rm -rf "$held"
  stamp="rows=$rows seed=$seed changes=1"
  if [ "$reuse" = 1 ] && [ -f "$clake.stamp" ] && [ "$(cat "$clake.stamp")" = "$stamp" ]; then
    step "reusing the lake with a change feed in $clake ($stamp)"
  else
    # `generate --changes` holds the table in memory (about 2.4 KB a row: more than 24 GB at 10M rows), so the
    # lake is generated without it and bench/make_change_feed.py writes the feed and _truth/ with DuckDB, taking
    # the ChangeFeed documents from a small lake generated with --changes and the same seed.
    step "generating a lake with $rows SalesLine rows in $clake, and a 1% change feed for SalesLine"
    rm -rf "$clake" "$clake.stamp" "$bench_dir/changefeed-template"
    "$cdmlake" generate --out "$bench_dir/changefeed-template" --scale 2000 --seed "$seed" --changes 1 \
      >"$results/generate_template.txt" 2>&1
    "$cdmlake" generate --out "$clake" --scale "$rows" --seed "$seed" >"$results/generate_changes.txt" 2>&1
    python3 "$here/make_change_feed.py" --lake "$clake" --template "$bench_dir/changefeed-template/ChangeFeed" \
      --peer "$peer" --percent 1 --seed "$seed" >>"$results/generate_changes.txt"
    grep -E '^(wrote|change feed SalesLine)' "$results/generate_changes.txt"
    echo "$stamp" >"$clake.stamp"
  fi
  cleaf=$clake/Tables/SupplyChain/SalesAndMarketing/WorksheetLine
  # The generator's expected final state of SalesLine, read as a plain CDM table (as tests/refresh_e2e_test.cc
  # does), gives the row count and checksum that every refreshed state must have.
  truth_lake=$bench_dir/truth-lake
  checksum_sql="SELECT count(*)::VARCHAR AS rows, sum(hash(t))::VARCHAR AS checksum FROM SalesLine t"
  if [ ! -f "$results/truth_checksum.csv" ]; then
    helpers truth-lake "$cleaf/SalesLine.cdm.json" SalesLine "$clake/_truth/SalesLine.csv" "$truth_lake"
    "$cdmlake" --quiet --lake "$truth_lake" sql --format csv "$checksum_sql" >"$results/truth_checksum.csv"
  fi
  # check_state LABEL: the current state of SalesLine equals the expected final state.
  check_state() {
    "$cdmlake" --quiet --lake "$clake" sql --format csv "$checksum_sql" >"$results/state_checksum_$1.csv"
    if cmp -s "$results/state_checksum_$1.csv" "$results/truth_checksum.csv"; then
      echo "$1: equals the expected final state ($(tail -1 "$results/truth_checksum.csv"))" |
        tee "$results/identical_refresh_$1.txt"
    else
      echo "$1: DIFFERENT from the expected final state" | tee "$results/identical_refresh_$1.txt"
      paste -d' ' "$results/state_checksum_$1.csv" "$results/truth_checksum.csv"
      die "the refreshed SalesLine ($1) is not the expected final state"
    fi
  }
fi

# ---- (c) refresh: 1% of changes applied to a 10M-row state against rebuilding the table -----------------------------
if part refresh; then
  export BENCH_SAVED=$bench_dir/state-before-changes
  step "the state before the changes: SalesLine refreshed from its snapshot with the change feed held back"
  rm -rf "$clake/_cdmlake/refresh" "$BENCH_SAVED"
  mkdir -p "$held"
  find "$feed" -maxdepth 1 -name '*.csv' -exec mv -t "$held" {} +
  "$cdmlake" --quiet --lake "$clake" lake refresh --table SalesLine --format json >"$results/refresh_snapshot_only.json"
  find "$held" -maxdepth 1 -name '*.csv' -exec mv -t "$feed" {} +
  rm -rf "$held"
  helpers refresh-report "$results/refresh_snapshot_only.json" rebuilt 0
  cp -a "$BENCH_STATE" "$BENCH_SAVED"

  refresh_cmd='"$BENCH_CDMLAKE" --quiet --lake "$BENCH_CLAKE" lake refresh --table SalesLine'
  prepare_rebuild='rm -rf "$BENCH_STATE"'
  prepare_incremental='rm -rf "$BENCH_STATE" && cp -a "$BENCH_SAVED" "$BENCH_STATE" && sync "$BENCH_STATE"/*'
  # Checked runs, once each under GNU time (peak RSS); they also warm up the page cache.
  for kind in rebuild incremental; do
    step "refresh, $kind: checked run under GNU time"
    prepare_var=prepare_$kind
    bash -c "${!prepare_var}"
    /usr/bin/time -v -o "$results/rss_refresh_$kind.txt" bash -c "$refresh_cmd --format json" \
      >"$results/refresh_$kind.json"
    if [ "$kind" = rebuild ]; then
      helpers refresh-report "$results/refresh_$kind.json" rebuilt
    else
      helpers refresh-report "$results/refresh_$kind.json" refreshed
    fi
    check_state "$kind"
  done

  step "refresh: rebuild (no state) against incremental (1% of changes on the saved state), $refresh_runs rounds"
  interleaved_prepared refresh "$refresh_runs" 0 \
    "refresh rebuild (no state: snapshot + whole feed)" "$prepare_rebuild" "$refresh_cmd > /dev/null" \
    "refresh incremental (1% changes on the saved state)" "$prepare_incremental" "$refresh_cmd > /dev/null"
  # The state the timed runs leave is the incremental one; export below reads it.
  check_state after-timing
fi

# ---- (d) export: cdmlake export against DuckDB's COPY of the same query --------------------------------------------
if part export; then
  step "the current state of SalesLine for export"
  "$cdmlake" --quiet --lake "$clake" lake refresh --table SalesLine --format json >"$results/refresh_for_export.json"
  check_state export-source
  "$cdmlake" --quiet --lake "$clake" sql --format csv \
    "SELECT sql AS SalesLine FROM duckdb_views() WHERE schema_name = 'Tables' AND view_name = 'SalesLine'" \
    >"$results/export_view_sql.csv"
  export_view=$(helpers view-body <"$results/export_view_sql.csv")
  printf '%s\n' "$export_view" >"$results/export_view_sql.txt"
  case $export_view in *read_parquet*) ;; *) die "SalesLine is not read from its refreshed state: $export_view" ;; esac

  out=$bench_dir/export-out
  export BENCH_OUT=$out
  export BENCH_EXPORT_QUERY="SELECT * FROM SalesLine"
  # The peer's COPY: the same SELECT over cdmlake's view SQL, with the CSV options cdmlake's writer uses
  # (src/lake/cdm_folder_writer.cc): header, RFC 4180 quotes, ISO dates, datetimes in UTC with Z.
  csv_options="FORMAT csv, HEADER true, DELIMITER ',', QUOTE '\"', ESCAPE '\"', DATEFORMAT '%Y-%m-%d', \
TIMESTAMPFORMAT '%Y-%m-%dT%H:%M:%S.%fZ'"
  export BENCH_COPY_CSV="COPY (SELECT * FROM ($export_view)) TO '$out/duckdb-csv/salesline.csv' ($csv_options)"
  export BENCH_COPY_PARQUET="COPY (SELECT * FROM ($export_view)) TO '$out/duckdb-parquet/salesline.parquet' \
(FORMAT parquet)"
  # Informational: the same COPYs with the options cdmlake's writer adds (files split at 256 MiB into a folder,
  # named <entity>-{i}); DuckDB then writes without preserving the row order, which is allowed (no ORDER BY).
  split="FILE_SIZE_BYTES 268435456, FILENAME_PATTERN 'salesline-{i}'"
  export BENCH_COPY_CSV_SPLIT="COPY (SELECT * FROM ($export_view)) TO '$out/duckdb-split-csv' ($csv_options, $split)"
  export BENCH_COPY_PARQUET_SPLIT="COPY (SELECT * FROM ($export_view)) TO '$out/duckdb-split-parquet' \
(FORMAT parquet, $split)"
  printf '%s;\n\n' "$BENCH_EXPORT_QUERY" "$BENCH_COPY_CSV" "$BENCH_COPY_PARQUET" "$BENCH_COPY_CSV_SPLIT" \
    "$BENCH_COPY_PARQUET_SPLIT" >"$results/export_queries.sql"

  for fmt in csv parquet; do
    step "export $fmt: checked runs under GNU time"
    rm -rf "$out/cdmlake-$fmt" "$out/duckdb-$fmt"
    mkdir -p "$out/duckdb-$fmt"
    /usr/bin/time -v -o "$results/rss_export_${fmt}_cdmlake.txt" "$cdmlake" --quiet --lake "$clake" export \
      --query "$BENCH_EXPORT_QUERY" --to "$out/cdmlake-$fmt" --entity SalesLineExport --format "$fmt"
    copy_var=BENCH_COPY_${fmt^^}
    /usr/bin/time -v -o "$results/rss_export_${fmt}_duckdb.txt" "$peer" --discard "${!copy_var}"
    helpers compare-export "$fmt" "$peer" "$out/cdmlake-$fmt" "$out/duckdb-$fmt" | tee "$results/identical_export_$fmt.txt"
    grep -q '^identical' "$results/identical_export_$fmt.txt" || die "cdmlake export and DuckDB COPY differ ($fmt)"
    du -sh "$out/cdmlake-$fmt" "$out/duckdb-$fmt" | tee "$results/export_${fmt}_sizes.txt"
  done

  for fmt in csv parquet; do
    step "export $fmt: cdmlake export against DuckDB COPY"
    copy_var=BENCH_COPY_${fmt^^}
    interleaved_prepared "export_$fmt" "$runs" 1 \
      "cdmlake export ($fmt)" "rm -rf \"\$BENCH_OUT/cdmlake-$fmt\"" \
      "\"\$BENCH_CDMLAKE\" --quiet --lake \"\$BENCH_CLAKE\" export --query \"\$BENCH_EXPORT_QUERY\" \
--to \"\$BENCH_OUT/cdmlake-$fmt\" --entity SalesLineExport --format $fmt" \
      "duckdb COPY ($fmt)" "rm -rf \"\$BENCH_OUT/duckdb-$fmt\" && mkdir -p \"\$BENCH_OUT/duckdb-$fmt\"" \
      "\"\$BENCH_PEER\" --discard \"\$$copy_var\"" \
      "duckdb COPY ($fmt) + fsync" "rm -rf \"\$BENCH_OUT/duckdb-$fmt\" && mkdir -p \"\$BENCH_OUT/duckdb-$fmt\"" \
      "\"\$BENCH_PEER\" --discard \"\$$copy_var\" && sync \"\$BENCH_OUT/duckdb-$fmt\"/* \"\$BENCH_OUT/duckdb-$fmt\"" \
      "duckdb COPY ($fmt), split as cdmlake writes" "rm -rf \"\$BENCH_OUT/duckdb-split-$fmt\"" \
      "\"\$BENCH_PEER\" --discard \"\$${copy_var}_SPLIT\""
  done
fi

echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$results/machine.txt"
step "summary (also in $results/summary.md and summary.json)"
helpers summary "$results"

# ---- (e) Entity Store processing and queries (issue 4): its own driver, results in $CDMLAKE_ES_DIR ----------------
if part entitystore; then
  step "entitystore: bench/entitystore.sh (see its header)"
  CDMLAKE_ES_ROWS=${CDMLAKE_ES_ROWS:-$rows} "$here/entitystore.sh" "$cdmlake"
fi

# ---- (f) unification against a Splink-style peer (issue 5): its own driver, results in $CDMLAKE_BENCH_DIR/unify ----
if part unify; then
  step "unify: bench/unify.sh (see its header)"
  CDMLAKE_BENCH_DIR=$bench_dir "$here/unify.sh" "$cdmlake"
fi

# ---- (g) the SQL endpoint against PostgreSQL 15 (issue 6): its own driver, results in $CDMLAKE_BENCH_DIR/server ----
if part server; then
  step "server: bench/server.sh (see its header)"
  CDMLAKE_BENCH_DIR=$bench_dir CDMLAKE_BENCH_SERVER_ROWS=${CDMLAKE_BENCH_SERVER_ROWS:-$rows} "$here/server.sh" "$cdmlake"
fi
