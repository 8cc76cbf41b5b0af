#!/usr/bin/env bash
# Issue 6: why the SQL endpoint's table cache is a DuckDB database with narrow decimals (docs/benchmarks.md,
# "Issue 6, the table cache in DuckDB's own format"). Times three of bench/server.sh's analytic queries in process
# over SalesLine stored five ways: Parquet with DECIMAL(32,6) and DECIMAL(18,6), a DuckDB table with each, and
# narrow Parquet cast back to DECIMAL(32,6) in the view. Prints CPU seconds (user) per query (6 runs in one process).
#
# Usage: bench/server_storage.sh path/to/cdmlake_bench_duckdb_sql CACHE_DB [WORK_DIR]
#   CACHE_DB: the tables.duckdb a bench/server.sh run leaves in $CDMLAKE_BENCH_SERVER_DIR/cache (SalesLine cached
#   with narrow decimals); WORK_DIR (default /tmp/cdmlake-bench-storage) receives the variants (about 2 GB).
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 path/to/cdmlake_bench_duckdb_sql CACHE_DB [WORK_DIR]" >&2; exit 2; }
peer=$(realpath "$1")
cache=$(realpath "$2")
work=${3:-/tmp/cdmlake-bench-storage}
mkdir -p "$work"
run() { "$peer" --discard "$1"; }
src="ATTACH '$cache' AS c (READ_ONLY)"
table=$("$peer" "$src; SELECT table_name FROM duckdb_tables() WHERE database_name = 'c' AND table_name LIKE 'Tables.SalesLine@%'" | tail -1)
[ -n "$table" ] || { echo "no SalesLine table in $cache" >&2; exit 1; }
narrow="c.\"$table\""
wide_cols="* REPLACE (CAST(LINENUM AS DECIMAL(32,6)) AS LINENUM, CAST(SALESQTY AS DECIMAL(32,6)) AS SALESQTY,
  CAST(SALESPRICE AS DECIMAL(32,6)) AS SALESPRICE, CAST(LINEAMOUNT AS DECIMAL(32,6)) AS LINEAMOUNT)"
rm -f "$work"/*.parquet "$work"/*.duckdb
run "$src; COPY (SELECT $wide_cols FROM $narrow) TO '$work/wide.parquet' (FORMAT parquet, COMPRESSION zstd)"
run "$src; COPY (SELECT * FROM $narrow) TO '$work/narrow.parquet' (FORMAT parquet, COMPRESSION zstd)"
run "$src; ATTACH '$work/wide.duckdb' AS w; CREATE TABLE w.salesline AS SELECT $wide_cols FROM $narrow"

declare -A views=(
  [parquet_32]="CREATE VIEW salesline AS SELECT * FROM '$work/wide.parquet'"
  [parquet_18]="CREATE VIEW salesline AS SELECT * FROM '$work/narrow.parquet'"
  [duckdb_32]="ATTACH '$work/wide.duckdb' AS w (READ_ONLY); CREATE VIEW salesline AS SELECT * FROM w.salesline"
  [duckdb_18]="$src; CREATE VIEW salesline AS SELECT * FROM $narrow"
  [parquet_18_cast_back]="CREATE VIEW salesline AS SELECT $wide_cols FROM '$work/narrow.parquet'"
)
declare -A queries=(
  [q1]="SELECT recid % 1000 AS k, count(*) AS n, sum(lineamount) AS amount, round(avg(salesqty), 4)::NUMERIC(20,4) AS qty, min(salesprice) AS lo, max(salesprice) AS hi FROM salesline GROUP BY k ORDER BY k"
  [q2]="SELECT dataareaid, salesstatus, count(*) AS n, sum(lineamount) AS amount FROM salesline WHERE createddatetime >= TIMESTAMP '2022-01-01' AND salesqty > 5 GROUP BY dataareaid, salesstatus ORDER BY 1, 2"
  [q3]="SELECT custaccount, sum(lineamount) AS amount FROM salesline GROUP BY custaccount ORDER BY amount DESC, custaccount LIMIT 10"
)
user() { /usr/bin/time -f %U "$peer" --discard "$1" 2>&1 >/dev/null | tail -1; }
echo "storage,q1,q2,q3 (user CPU s per query: 6 runs in one process, the first cold, minus the view alone; load $(cut -d' ' -f1 /proc/loadavg))"
for v in parquet_32 parquet_18 duckdb_32 duckdb_18 parquet_18_cast_back; do
  line=$v
  for q in q1 q2 q3; do
    base=$(user "${views[$v]}")
    five=$(user "${views[$v]}; ${queries[$q]}; ${queries[$q]}; ${queries[$q]}; ${queries[$q]}; ${queries[$q]}; ${queries[$q]}")
    line+=,$(awk -v a="$five" -v b="$base" 'BEGIN {printf "%.2f", (a - b) / 6}')
  done
  echo "$line"
done
