#!/usr/bin/env bash
# `make demo`: generates a sample D365 Finance & Operations lake and queries it in place.
set -euo pipefail
cdmlake="$1"
lake="$2"
scale="${DEMO_SCALE:-200000}"

step() { printf '\n\033[1m== %s\033[0m\n$ %s\n' "$1" "$2"; }

step "Generate a D365 Export-to-Data-Lake sample lake ($scale sales lines)" \
  "cdmlake generate --out $lake --scale $scale"
rm -rf "$lake"
"$cdmlake" generate --out "$lake" --scale "$scale"

step "What the lake holds (JSON for scripts: --format json)" "cdmlake --lake $lake lake inspect | head -30"
"$cdmlake" --lake "$lake" lake inspect > "$lake.inspect.txt"
head -30 "$lake.inspect.txt"

step "Revenue by company and order status, straight from the CSV partitions" \
  "cdmlake --lake $lake sql \"SELECT DATAAREAID, SALESSTATUS, count(*) AS lines, sum(LINEAMOUNT) AS amount FROM SalesLine GROUP BY ALL ORDER BY ALL\""
"$cdmlake" --lake "$lake" sql "SELECT DATAAREAID, SALESSTATUS, count(*) AS lines, sum(LINEAMOUNT) AS amount
  FROM SalesLine GROUP BY ALL ORDER BY ALL"

step "Top customers: SalesLine joined to CustTable and DirPartyTable (names keep their quotes and commas)" \
  "cdmlake --lake $lake sql \"SELECT p.NAME, sum(l.LINEAMOUNT) ... LIMIT 5\""
"$cdmlake" --lake "$lake" sql "SELECT p.NAME AS customer, c.ACCOUNTNUM, sum(l.LINEAMOUNT) AS amount
  FROM SalesLine l JOIN CustTable c ON c.ACCOUNTNUM = l.CUSTACCOUNT AND c.DATAAREAID = l.DATAAREAID
  JOIN DirPartyTable p ON p.RECID = c.PARTY
  GROUP BY ALL ORDER BY amount DESC LIMIT 5"

step "F&O's empty date (1900-01-01) reads as NULL; multi-line addresses stay whole (CSV output)" \
  "cdmlake --lake $lake sql --format csv \"SELECT ...\""
"$cdmlake" --lake "$lake" sql --format csv "SELECT count(*) AS lines, count(SHIPPINGDATECONFIRMED) AS confirmed FROM SalesLine"
"$cdmlake" --lake "$lake" sql --format csv "SELECT LOCATION, ADDRESS FROM \"Tables\".\"LogisticsPostalAddress\" LIMIT 2"

step "A broken row is named by file and line; --on-error quarantine sets it aside instead" \
  "cdmlake --lake $lake sql --on-error quarantine \"SELECT count(*) FROM CustGroup\""
group_csv=$(find "$lake/Tables/Finance/AccountsReceivable/Group/CustGroup" -name '*.csv' | head -1)
cp "$group_csv" "$group_csv.orig"
printf '9999,"BROKEN","row with a stray field",,"usmf",5637144576,1,EXTRA\n' >> "$group_csv"
"$cdmlake" --lake "$lake" sql "SELECT count(*) FROM CustGroup" || true
"$cdmlake" --lake "$lake" sql --on-error quarantine "SELECT count(*) AS good_rows FROM CustGroup"
"$cdmlake" --lake "$lake" sql "SELECT file, line, reason FROM CustGroup_Corrupt"
mv "$group_csv.orig" "$group_csv"
rm -f "$lake/_cdmlake/quarantine/Tables/CustGroup_Corrupt.csv"

step "Entity Store: import the sample aggregate measurement (an EMEX package; AOT XML works the same)" \
  "cdmlake --lake $lake entitystore import $lake/EntityStore/SalesAnalysis.zip"
"$cdmlake" --lake "$lake" entitystore import "$lake/EntityStore/SalesAnalysis.zip"
"$cdmlake" --lake "$lake" -q entitystore list

step "Process it: D365 T-SQL views translated, star schema and aggregates written to the lake as CDM" \
  "cdmlake --lake $lake entitystore process SalesAnalysis"
"$cdmlake" --lake "$lake" entitystore process SalesAnalysis

step "Ask the cube: sales by year and country (answered from the rollup: milliseconds at any size)" \
  "cdmlake --lake $lake entitystore query SalesAnalysis --measure SalesAmount,NumberOfLines,AveragePrice --by CreatedDate.YEAR,Customer.COUNTRY"
"$cdmlake" --lake "$lake" entitystore query SalesAnalysis --measure SalesAmount,NumberOfLines,AveragePrice \
  --by CreatedDate.YEAR,Customer.COUNTRY

step "A distinct count is exact (answered from the fact table)" \
  "cdmlake --lake $lake entitystore query SalesAnalysis --measure NumberOfCustomers --by Product.ITEMTYPE"
"$cdmlake" --lake "$lake" entitystore query SalesAnalysis --measure NumberOfCustomers --by Product.ITEMTYPE

step "Nothing changed, so an incremental process writes nothing" \
  "cdmlake --lake $lake entitystore process SalesAnalysis --incremental"
"$cdmlake" --lake "$lake" entitystore process SalesAnalysis --incremental

step "Customer unification: generate three noisy customer sources with known truth" \
  "cdmlake generate --out $lake-customers --customers 20000"
rm -rf "$lake-customers"
"$cdmlake" generate --out "$lake-customers" --customers 20000 --scale 1000 | tail -8
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

step "Unify them: dedup, match, merge, stable CustomerIds, written to the lake as CDM" \
  "cdmlake --lake $lake-customers unify run --config examples/generated/unify.yaml"
"$cdmlake" --lake "$lake-customers" unify run --config "$here/examples/generated/unify.yaml"

step "How good is it? Against the generator's truth" \
  "cdmlake --lake $lake-customers unify evaluate --config examples/generated/unify.yaml --truth .../customers_truth.csv"
"$cdmlake" --lake "$lake-customers" -q unify evaluate --config "$here/examples/generated/unify.yaml" \
  --truth "$lake-customers/Customers/_truth/customers_truth.csv"

step "A view of the logical data warehouse, saved in the lake" \
  "cdmlake --lake $lake-customers sql \"CREATE OR REPLACE VIEW customer_sales AS …\""
"$cdmlake" --lake "$lake-customers" -q sql "CREATE OR REPLACE VIEW customer_sales AS
  SELECT c.CustomerId, count(*) AS orders, sum(a.Amount) AS amount
  FROM Customer c JOIN UnifiedActivity a USING (CustomerId) GROUP BY ALL" >/dev/null

if command -v psql >/dev/null 2>&1; then
  port=$(( 20000 + RANDOM % 20000 ))
  step "Serve the lake over the PostgreSQL protocol and ask it with psql, as Power BI or DBeaver would" \
    "cdmlake --lake $lake-customers serve --port $port & psql -h 127.0.0.1 -p $port -d lake -c ..."
  "$cdmlake" --lake "$lake-customers" -q serve --port "$port" --cache-refresh 0 &
  server=$!
  trap 'kill $server 2>/dev/null || true' EXIT
  for _ in $(seq 50); do psql -h 127.0.0.1 -p "$port" -U demo -d lake -Atc "SELECT 1" >/dev/null 2>&1 && break; sleep 0.2; done
  psql -h 127.0.0.1 -p "$port" -U demo -d lake -c '\dv' \
       -c "SELECT orders, count(*) AS customers, round(avg(amount), 2) AS avg_amount
           FROM customer_sales GROUP BY orders ORDER BY orders LIMIT 5"
  kill -TERM "$server"
  wait "$server" || true
  trap - EXIT
fi

printf '\nThe lake is in %s; try: %s --lake %s sql "SHOW ALL TABLES"\n' "$lake" "$cdmlake" "$lake"
