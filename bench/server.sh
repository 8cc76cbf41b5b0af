#!/usr/bin/env bash
# Issue 6: the SQL endpoint (`cdmlake serve`) against PostgreSQL 15 holding the same data, in the same run
# (docs/benchmarks.md, "Issue 6: SQL endpoint", says what was measured).
#
# Usage: bench/server.sh path/to/cdmlake        (also run by bench/run.sh as part `server`)
#   Needs PostgreSQL 15 (postgresql-15: initdb, pg_ctl, pgbench; psql), runuser, python3, and root (the throwaway
#   cluster runs as the postgres user). The in-process DuckDB peer, cdmlake_bench_duckdb_sql, must sit beside the
#   binary.
#
# Environment:
#   CDMLAKE_BENCH_SERVER_DIR  lake, caches, the PostgreSQL cluster and results/ (default $CDMLAKE_BENCH_DIR/server,
#                       i.e. /tmp/cdmlake-bench/server; never inside the repository)
#   CDMLAKE_BENCH_SERVER_ROWS  SalesLine rows of the generated lake (default $CDMLAKE_BENCH_ROWS or 10000000)
#   CDMLAKE_BENCH_SERVER_RUNS  timed rounds of the analytic queries, after one warm-up round (default 5)
#   CDMLAKE_BENCH_SERVER_CSV_RUNS  how many of those rounds include the CSV-only server (default 1: at 10 M rows a
#                       query takes it about a minute); its point lookups are not run (each is a full CSV scan)
#   CDMLAKE_BENCH_SERVER_SECONDS  duration of each pgbench run (-T, default 20)
#   CDMLAKE_BENCH_SERVER_CLIENTS  pgbench clients of the point-lookup run (default 8)
#   CDMLAKE_BENCH_REUSE=1  reuse the lake of an earlier run with the same rows and seed instead of generating it
#
# (1) pgbench -M prepared, select-only: a point lookup by key (\set id random over SalesLine's RECIDs), N clients,
#     -T seconds, against cdmlake serve with its table cache (a DuckDB database file), without it (CSV read per query), and PG 15
#     with a primary key on the column: tps and average latency.
# (2) four analytic queries over the 10M-row SalesLine (a 1,000-group aggregate, a filtered aggregate, a top-10,
#     a join to CustTable) through psql (\timing, client side, the same psql for every server), rounds
#     interleaved, medians compared: cdmlake (cache on, cache off) against PG 15 (same rows, loaded through
#     cdmlake's own COPY TO STDOUT into COPY FROM STDIN, then VACUUM ANALYZE). Results are compared.
#     Target: cdmlake >= 10x faster than PG 15 at the median.
# (3) round trip: `SELECT 1` and a 100-row result through pgbench -M prepared with one client (cdmlake serve and
#     PG 15), against the same statements prepared and executed in process by DuckDB (cdmlake_bench_duckdb_sql
#     --repeat).
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 path/to/cdmlake" >&2
  exit 2
fi
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cdmlake=$(realpath "$1")
peer=$(dirname "$cdmlake")/cdmlake_bench_duckdb_sql
dir=${CDMLAKE_BENCH_SERVER_DIR:-${CDMLAKE_BENCH_DIR:-/tmp/cdmlake-bench}/server}
rows=${CDMLAKE_BENCH_SERVER_ROWS:-${CDMLAKE_BENCH_ROWS:-10000000}}
runs=${CDMLAKE_BENCH_SERVER_RUNS:-5}
csv_runs=${CDMLAKE_BENCH_SERVER_CSV_RUNS:-1}
seconds=${CDMLAKE_BENCH_SERVER_SECONDS:-20}
clients=${CDMLAKE_BENCH_SERVER_CLIENTS:-8}
reuse=${CDMLAKE_BENCH_REUSE:-0}
pgbin=/usr/lib/postgresql/15/bin
seed=42

die() { echo "server bench: $*" >&2; exit 1; }
[ -x "$cdmlake" ] || die "$cdmlake is not an executable"
[ -x "$peer" ] || die "$peer is missing: build the target cdmlake_bench_duckdb_sql"
for tool in initdb pg_ctl pgbench psql; do
  [ -x "$pgbin/$tool" ] || die "$pgbin/$tool is missing (apt-get install postgresql-15)"
done
[ "$(id -u)" = 0 ] || die "run as root: the PostgreSQL cluster is started as the postgres user with runuser"
id postgres >/dev/null 2>&1 || die "no postgres user (installed with postgresql-15)"
command -v python3 >/dev/null || die "python3 is missing"
mkdir -p "$dir"
dir=$(realpath "$dir")
repo=$(cd "$here/.." && pwd)
case "$dir/" in "$repo"/*) die "CDMLAKE_BENCH_SERVER_DIR ($dir) must be outside the repository" ;; esac
chmod 755 "$dir"
results=$dir/results
rm -rf "$results"
mkdir -p "$results"
step() { printf '\n== %s\n' "$*" | tee -a "$results/summary.txt"; }
say() { echo "$*" | tee -a "$results/summary.txt"; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# ---- cleanup: servers and the cluster go away however the script ends ----------------------------------------------
pids=()
pgdata=$dir/pg
pg_started=0
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  if ((pg_started)); then
    runuser -u postgres -- "$pgbin/pg_ctl" -D "$pgdata" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$pgdata" "$dir/pgsock"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "ram: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
  echo "os: $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r)"
  echo "duckdb: $("$peer" "SELECT version() AS v" | tail -1)"
  echo "postgresql: $("$pgbin/postgres" --version)"
  echo "cdmlake: $("$cdmlake" --version 2>&1 | head -1)"
  echo "rows: $rows, rounds: $runs, pgbench: $clients clients for $seconds s"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$results/machine.txt" | tee -a "$results/summary.txt"

# ---- the lake --------------------------------------------------------------------------------------------------------
lake=$dir/lake
stamp="rows=$rows seed=$seed"
if [ "$reuse" = 1 ] && [ -f "$dir/lake.stamp" ] && [ "$(cat "$dir/lake.stamp")" = "$stamp" ]; then
  step "reusing the lake in $lake ($stamp)"
else
  step "generating a lake with $rows SalesLine rows in $lake"
  rm -rf "$lake" "$dir/lake.stamp"
  "$cdmlake" generate --out "$lake" --scale "$rows" --seed "$seed" >"$results/generate.txt" 2>&1
  echo "$stamp" >"$dir/lake.stamp"
fi
rm -rf "$lake/_cdmlake/cache" "$dir/cache"

# ---- the servers -----------------------------------------------------------------------------------------------------
# start_cdmlake NAME ARGS...: starts cdmlake serve on a free port; sets port_NAME. The log is results/serve_NAME.log.
start_cdmlake() {
  local name=$1 port
  shift
  port=$(free_port)
  "$cdmlake" --lake "$lake" serve --port "$port" --max-connections 200 "$@" >"$results/serve_$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 600); do
    "$pgbin/pg_isready" -q -h 127.0.0.1 -p "$port" && break
    kill -0 "${pids[-1]}" 2>/dev/null || die "cdmlake serve ($name) exited: $(cat "$results/serve_$name.log")"
    sleep 0.1
  done
  printf -v "port_$name" %s "$port"
}

step "starting cdmlake serve with its table cache (cache-on) and without it (cache-off)"
cache_start=$(date +%s.%N)
start_cdmlake on --cache on --cache-dir "$dir/cache" --cache-refresh 0
start_cdmlake off --cache off
# The cache is built on a thread after the server starts; wait for its report.
until grep -q 'table cache:' "$results/serve_on.log"; do
  kill -0 "${pids[0]}" 2>/dev/null || die "cdmlake serve (cache-on) exited: $(cat "$results/serve_on.log")"
  sleep 0.2
done
elapsed() { awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f", e - s}'; }
say "cache built $(elapsed "$cache_start") s after start: $(grep 'table cache:' "$results/serve_on.log")"
say "cache size: $(du -sh "$dir/cache" | cut -f1)"

step "PostgreSQL 15: a throwaway cluster in $pgdata"
rm -rf "$pgdata" "$dir/pgsock"
install -d -o postgres -g postgres -m 700 "$pgdata"
install -d -o postgres -g postgres -m 755 "$dir/pgsock"
runuser -u postgres -- "$pgbin/initdb" -D "$pgdata" -A trust -U postgres --no-sync >"$results/initdb.txt" 2>&1
pg_port=$(free_port)
# Settings a DBA would give an analytic workload on this machine (recorded in the summary).
pg_settings="-c shared_buffers=4GB -c work_mem=256MB -c max_parallel_workers_per_gather=2 -c fsync=off \
-c synchronous_commit=off -c full_page_writes=off -c max_wal_size=8GB"
runuser -u postgres -- "$pgbin/pg_ctl" -D "$pgdata" -l "$pgdata/log" -w -o \
  "-p $pg_port -k $dir/pgsock -c listen_addresses=127.0.0.1 $pg_settings" start >/dev/null
pg_started=1
say "postgresql settings: $pg_settings"
pg() { "$pgbin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres "$@"; }
lk() { "$pgbin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port_on" -U bench -d lake "$@"; }
pg <<'SQL'
CREATE TABLE salesline (recid bigint, salesid text, linenum numeric(32,6), itemid text, name text,
  salesqty numeric(32,6), salesprice numeric(32,6), lineamount numeric(32,6), currencycode text, salesstatus integer,
  custaccount text, shippingdaterequested timestamp, shippingdateconfirmed timestamp, createddatetime timestamp,
  dataareaid text, partition bigint, recversion integer);
CREATE TABLE custtable (recid bigint, accountnum text, party bigint, custgroup text, currency text,
  creditmax numeric(32,6), blocked integer, createddatetime timestamp, modifieddatetime timestamp, dataareaid text,
  partition bigint, recversion integer);
SQL
step "loading PostgreSQL through cdmlake's COPY TO STDOUT (the rows as cdmlake serves them)"
for t in SalesLine CustTable; do
  start=$(date +%s.%N)
  lk -c "COPY (SELECT * FROM $t) TO STDOUT (FORMAT csv)" | pg -c "COPY ${t,,} FROM STDIN (FORMAT csv)"
  say "$t: $(pg -At -c "SELECT count(*) FROM ${t,,}") rows in \
$(elapsed "$start") s"
done
start=$(date +%s.%N)
pg -c "ALTER TABLE salesline ADD PRIMARY KEY (recid)" -c "CREATE INDEX ON custtable (accountnum, dataareaid)" \
  -c "VACUUM ANALYZE salesline" -c "VACUUM ANALYZE custtable"
say "primary key, index and VACUUM ANALYZE: $(elapsed "$start") s"
say "salesline in PostgreSQL: $(pg -At -c "SELECT pg_size_pretty(pg_total_relation_size('salesline'))")"

# psql_for SYSTEM: the psql arguments of a system (cache-on, cache-off, pg).
psql_for() {
  case $1 in
    cache-on) echo "-h 127.0.0.1 -p $port_on -U bench -d lake" ;;
    cache-off) echo "-h 127.0.0.1 -p $port_off -U bench -d lake" ;;
    pg) echo "-h 127.0.0.1 -p $pg_port -U postgres -d postgres" ;;
  esac
}
systems=(cache-on cache-off pg)

# ---- (2) analytic queries --------------------------------------------------------------------------------------------
# The same text on every system (DuckDB resolves SalesLine's upper-case columns case-insensitively).
declare -A queries=(
  [q1_1000_groups]="SELECT recid % 1000 AS k, count(*) AS n, sum(lineamount) AS amount,
round(avg(salesqty), 4)::NUMERIC(20,4) AS qty, min(salesprice) AS lo, max(salesprice) AS hi FROM salesline
GROUP BY k ORDER BY k"
  [q2_filtered]="SELECT dataareaid, salesstatus, count(*) AS n, sum(lineamount) AS amount FROM salesline
WHERE createddatetime >= TIMESTAMP '2022-01-01' AND salesqty > 5 GROUP BY dataareaid, salesstatus ORDER BY 1, 2"
  [q3_top10]="SELECT custaccount, sum(lineamount) AS amount FROM salesline GROUP BY custaccount
ORDER BY amount DESC, custaccount LIMIT 10"
  [q4_join]="SELECT c.custgroup, count(*) AS n, sum(l.lineamount) AS amount FROM salesline l
JOIN custtable c ON c.accountnum = l.custaccount AND c.dataareaid = l.dataareaid GROUP BY c.custgroup ORDER BY 1"
)
query_names=(q1_1000_groups q2_filtered q3_top10 q4_join)
for q in "${query_names[@]}"; do printf -- '-- %s\n%s;\n\n' "$q" "${queries[$q]}"; done >"$results/queries.sql"

step "(2) analytic queries, a warm-up round and $runs timed rounds, order of the systems rotating"
echo "round,query,system,ms" >"$results/analytic.csv"
for ((round = 0; round <= runs; round++)); do
  for q in "${query_names[@]}"; do
    for ((k = 0; k < ${#systems[@]}; k++)); do
      s=${systems[$(((k + round) % ${#systems[@]}))]}
      [ "$s" = cache-off ] && ((round > csv_runs)) && continue
      # shellcheck disable=SC2046
      out=$("$pgbin/psql" -X -A -F'|' -v ON_ERROR_STOP=1 $(psql_for "$s") -c '\timing on' -c "${queries[$q]}")
      ms=$(sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' <<<"$out" | tail -1)
      if ((round == 0)); then
        grep -v '^Time: ' <<<"$out" >"$results/result_${q}_$s.txt"
      else
        echo "$round,$q,$s,$ms" >>"$results/analytic.csv"
      fi
    done
  done
  ((round == 0)) || echo "round $round of $runs done (load $(cut -d' ' -f1 /proc/loadavg))"
done
for q in "${query_names[@]}"; do
  for s in cache-on cache-off; do
    # Column names differ in case only (DuckDB names a column as the table declares it): compared lower-cased.
    mine=$results/result_${q}_$s.txt theirs=$results/result_${q}_pg.txt
    if cmp -s <(sed '1,2s/.*/\L&/' "$mine") <(sed '1,2s/.*/\L&/' "$theirs"); then
      say "$q: $s and PostgreSQL agree ($(($(wc -l <"$results/result_${q}_pg.txt") - 3)) rows)"
    else
      say "$q: $s and PostgreSQL differ: $(diff "$mine" "$theirs" | head -4 | tr '\n' ' ')"
    fi
  done
done

# ---- (1) pgbench point lookups ---------------------------------------------------------------------------------------
step "(1) pgbench -M prepared, select-only point lookups, $clients clients, $seconds s per system"
range=$(lk -At -c "SELECT min(RECID) || ' ' || max(RECID) FROM SalesLine")
read -r lo hi <<<"$range"
cat >"$results/pgbench_lookup.sql" <<EOF
\\set id random($lo, $hi)
SELECT * FROM salesline WHERE recid = :id;
EOF
printf 'SELECT 1;\n' >"$results/pgbench_select1.sql"
printf 'SELECT i FROM range(100) t(i);\n' >"$results/pgbench_rows100.sql"
printf 'SELECT i FROM generate_series(0, 99) i;\n' >"$results/pgbench_rows100_pg.sql"
# pgbench_run NAME SYSTEM SCRIPT CLIENTS SECONDS: prints "tps latency_ms".
pgbench_run() {
  local name=$1 s=$2 script=$3 c=$4 t=$5
  # shellcheck disable=SC2046
  "$pgbin/pgbench" -n -M prepared -c "$c" -j 2 -T "$t" -f "$script" $(psql_for "$s") \
    >"$results/pgbench_$name.txt" 2>&1 ||
    die "pgbench $name failed: $(tail -5 "$results/pgbench_$name.txt")"
  grep -q 'number of failed transactions: 0 ' "$results/pgbench_$name.txt" || die "pgbench $name had failures"
  echo "$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' "$results/pgbench_$name.txt") \
$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' "$results/pgbench_$name.txt")"
}
echo "part,system,tps,latency_ms" >"$results/pgbench.csv"
for s in cache-on pg; do
  t=$seconds
  read -r tps lat <<<"$(pgbench_run "lookup_$s" "$s" "$results/pgbench_lookup.sql" "$clients" "$t")"
  echo "lookup,$s,$tps,$lat" >>"$results/pgbench.csv"
  say "point lookup, $s: $tps tps, average latency $lat ms"
done

# ---- (3) round trip --------------------------------------------------------------------------------------------------
step "(3) round trip, one client: pgbench -M prepared ($seconds s each) and in-process DuckDB (--repeat)"
for s in cache-on pg; do
  rows_script=$results/pgbench_rows100.sql
  [ "$s" = pg ] && rows_script=$results/pgbench_rows100_pg.sql
  read -r tps lat <<<"$(pgbench_run "select1_$s" "$s" "$results/pgbench_select1.sql" 1 "$seconds")"
  echo "select1,$s,$tps,$lat" >>"$results/pgbench.csv"
  say "SELECT 1, $s: $tps tps, average latency $lat ms"
  read -r tps lat <<<"$(pgbench_run "rows100_$s" "$s" "$rows_script" 1 "$seconds")"
  echo "rows100,$s,$tps,$lat" >>"$results/pgbench.csv"
  say "100 rows, $s: $tps tps, average latency $lat ms"
done
"$peer" --repeat 20000 "SELECT 1" >"$results/inprocess_select1.csv"
"$peer" --repeat 20000 "SELECT i FROM range(100) t(i)" >"$results/inprocess_rows100.csv"
say "SELECT 1, in-process DuckDB (prepare once, execute, fetch; runs,mean_us,median_us,rows):" \
  "$(tail -1 "$results/inprocess_select1.csv")"
say "100 rows, in-process DuckDB (runs,mean_us,median_us,rows): $(tail -1 "$results/inprocess_rows100.csv")"

# ---- summary ---------------------------------------------------------------------------------------------------------
step "summary (medians of $runs rounds, ms)"
python3 - "$results/analytic.csv" <<'EOF' | tee -a "$results/summary.txt" | tee "$results/summary.md"
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
times = {}
for r in rows:
    times.setdefault(r["query"], {}).setdefault(r["system"], []).append(float(r["ms"]))
print("| query | cdmlake, cache | cdmlake, CSV | PostgreSQL 15 | PG / cache | PG / CSV |")
print("|---|---:|---:|---:|---:|---:|")
for q, by in times.items():
    m = {s: statistics.median(v) for s, v in by.items()}
    csv_ms = m.get("cache-off")
    print(f"| {q} | {m['cache-on']:.1f} | {csv_ms or float('nan'):.1f} | {m['pg']:.1f} | "
          f"{m['pg'] / m['cache-on']:.1f}x | {m['pg'] / csv_ms if csv_ms else float('nan'):.1f}x |")
EOF
say "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
for name in on off; do
  if grep -E 'ERROR: AddressSanitizer|runtime error:' "$results/serve_$name.log"; then
    die "sanitizer report in serve_$name.log"
  fi
done
exit 0
