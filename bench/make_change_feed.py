#!/usr/bin/env python3
"""Writes a D365 change feed for SalesLine into a lake from `cdmlake generate` (without --changes), and the
expected final state, for the refresh benchmark of bench/run.sh (standard library + the DuckDB peer).

  make_change_feed.py --lake LAKE --template CHANGEFEED_DIR --peer PATH [--percent 1] [--seed 42]
                      [--recent-days DAYS] [--quiet-tables SALESTABLE,CUSTTABLE]

Why not `cdmlake generate --changes 1`: the change generator holds the whole table in memory as strings (about
2.4 KB per row), so at 10 M rows it needs more than the 24 GB of the benchmark machine and is killed. This writes
the same kind of feed with DuckDB instead, streaming:

- ChangeFeed/ChangeFeed.manifest.cdm.json (only the SALESLINE entity) and ChangeFeed/SALESLINE.cdm.json, copied
  from TEMPLATE (the ChangeFeed/ folder of a small lake generated with `--changes 1` and the same seed: these
  documents do not depend on the scale);
- ChangeFeed/SALESLINE/SALESLINE_00B_0P.csv, two batches of two files, headerless, with Start_LSN, End_LSN,
  DML_Action, Seq_Val, Update_Mask, the table's 17 columns, LastProcessedChange_DateTime and
  DataLakeModified_DateTime, as the generator writes them;
- with --quiet-tables, the feeds of those tables too (their documents from TEMPLATE, no change files): as in a D365
  export, where every table has a change feed, `lake refresh` then keeps them as current states (Parquet);
- _truth/SalesLine.csv, the expected final state (the snapshot's rows as text, with the changes applied).

The changes touch PERCENT % of the rows, chosen by a hash of RECID and the seed (spread uniformly over all
rows; with --recent-days D, only over the rows created in the last D days of the data, as D365 changes arrive:
new orders, and edits and deletions of recent lines, never of last year's): of those keys 12 % are deleted,
88 % updated (NAME with a comma and quotes, LINEAMOUNT, SHIPPINGDATECONFIRMED, RECVERSION), one in ten of the
updated keys is updated again in the second batch, and new keys (13 % as many, RECIDs above the largest) are
inserted with copies of other rows' values. Like the generator's feed: rows arrive out of LSN order within and
across files, 10 % of updates carry their BEFORE_UPDATE image, 1 % of rows are written twice, some LSNs are in
lower case. The final state does not depend on the order, so it is computed directly: the snapshot without the
deleted and updated keys, plus the last image of every updated or inserted key.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lake", required=True)
    ap.add_argument("--template", required=True, help="the ChangeFeed/ folder of a small generated lake")
    ap.add_argument("--peer", required=True, help="cdmlake_bench_duckdb_sql")
    ap.add_argument("--percent", type=int, default=1)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--quiet-tables", default="",
                    help="comma-separated tables whose change feeds are declared without changes")
    ap.add_argument("--recent-days", type=int, default=0,
                    help="pick the changed rows among those created in the last DAYS days (0: all rows)")
    a = ap.parse_args()
    lake = os.path.abspath(a.lake)
    leaf = os.path.join(lake, "Tables/SupplyChain/SalesAndMarketing/WorksheetLine")

    with open(os.path.join(leaf, "WorksheetLine.manifest.cdm.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    entity = next(e for e in manifest["entities"] if e["entityName"] == "SalesLine")
    files = [os.path.join(leaf, p["location"]) for p in entity["dataPartitions"]]
    with open(os.path.join(leaf, "SalesLine.cdm.json"), encoding="utf-8") as f:
        doc = json.load(f)
    attributes = next(d for d in doc["definitions"] if d.get("entityName") == "SalesLine")["hasAttributes"]
    columns = [x["name"] for x in attributes]
    # The generator quotes every string and datetime value (so "" is an empty string, an empty field NULL).
    quoted = ", ".join('"%s"' % x["name"] for x in attributes if x["dataFormat"] in ("String", "DateTime"))

    feed = os.path.join(lake, "ChangeFeed")
    shutil.rmtree(feed, ignore_errors=True)
    os.makedirs(os.path.join(feed, "SALESLINE"))
    os.makedirs(os.path.join(lake, "_truth"), exist_ok=True)
    with open(os.path.join(a.template, "ChangeFeed.manifest.cdm.json"), encoding="utf-8") as f:
        feed_manifest = json.load(f)
    quiet = [t for t in a.quiet_tables.upper().split(",") if t]
    feed_manifest["entities"] = [e for e in feed_manifest["entities"] if e["entityName"] in ["SALESLINE"] + quiet]
    if len(feed_manifest["entities"]) != 1 + len(quiet):
        sys.exit("make_change_feed.py: the template lacks SALESLINE or one of " + ",".join(quiet))
    for table in quiet:
        shutil.copyfile(os.path.join(a.template, table + ".cdm.json"), os.path.join(feed, table + ".cdm.json"))
        os.makedirs(os.path.join(feed, table))
    with open(os.path.join(feed, "ChangeFeed.manifest.cdm.json"), "w", encoding="utf-8") as f:
        json.dump(feed_manifest, f, indent=2)
    shutil.copyfile(os.path.join(a.template, "SALESLINE.cdm.json"), os.path.join(feed, "SALESLINE.cdm.json"))
    with open(os.path.join(feed, "SALESLINE.cdm.json"), encoding="utf-8") as f:
        feed_doc = json.load(f)
    feed_columns = [x["name"] for x in feed_doc["definitions"][0]["hasAttributes"]]
    if feed_columns[5:5 + len(columns)] != columns:
        sys.exit("make_change_feed.py: the template's SALESLINE columns do not match SalesLine's")

    q = lambda s: "'" + s.replace("'", "''") + "'"
    cols = ", ".join("%s: 'VARCHAR'" % q(c) for c in columns)
    snapshot = ("read_csv([%s], columns = {%s}, header = false, delim = ',', quote = '\"', escape = '\"', "
                "auto_detect = false, allow_quoted_nulls = false)" % (", ".join(q(p) for p in files), cols))
    seed = q(str(a.seed))
    per10k = 100 * a.percent
    col_list = ", ".join('"%s"' % c for c in columns)
    # The new image of an update: column -> expression over the old row (text, as the files hold it).
    changed = {
        "NAME": "'rev ' || n::VARCHAR || ' changed, \"again\"'",
        "LINEAMOUNT": "printf('%.2f', (h % 5000000) / 100.0)",
        "SHIPPINGDATECONFIRMED": "'2024-06-30T00:00:00.0000000Z'",
        "RECVERSION": "((h % 2147483646) + 1)::VARCHAR",
    }
    image = ", ".join(('%s AS "%s"' % (changed[c], c)) if c in changed else '"%s"' % c for c in columns)
    image2 = ", ".join(('%s AS "%s"' % (changed[c].replace("' changed", "' changed twice"), c)) if c in changed
                       else '"%s"' % c for c in columns)
    if a.recent_days > 0:
        # PERCENT % of all rows, drawn from the recent ones: each recent row with probability total/recent * PERCENT %.
        created = "CAST(substr(CREATEDDATETIME, 1, 10) AS DATE)"
        pick = f"""
CREATE TEMP TABLE bounds AS SELECT max({created}) AS last, count(*) AS total FROM {snapshot};
CREATE TEMP TABLE bounds2 AS
  SELECT last, total, (SELECT count(*) FROM {snapshot} WHERE {created} > last - {a.recent_days}) AS recent FROM bounds;
CREATE TEMP TABLE picked AS
  SELECT *, hash(RECID || {seed} || 'h') % 4611686018427387904 AS h, hash(RECID || {seed} || 'k') % 100 AS k
  FROM {snapshot} WHERE {created} > (SELECT last FROM bounds2) - {a.recent_days}
    AND hash(RECID || {seed}) % 100000000 < (SELECT 10000 * {per10k} * total // recent FROM bounds2);"""
    else:
        pick = f"""
CREATE TEMP TABLE picked AS
  SELECT *, hash(RECID || {seed} || 'h') % 4611686018427387904 AS h, hash(RECID || {seed} || 'k') % 100 AS k
  FROM {snapshot} WHERE hash(RECID || {seed}) % 10000 < {per10k};"""
    sql = pick + f"""
CREATE TEMP TABLE maxkey AS SELECT max(RECID::BIGINT) AS m FROM {snapshot};
-- Events: (kind, RECID, batch, image columns..., order key). Deletes and updates of picked keys, a second update
-- in batch 2 of one in ten updated keys, inserts of new keys with the values of other picked rows.
CREATE TEMP TABLE events AS
  WITH numbered AS (SELECT *, row_number() OVER (ORDER BY h) AS n FROM picked)
  SELECT 'DELETE' AS action, {col_list}, h, 0 AS second FROM numbered WHERE k < 12
  UNION ALL SELECT 'AFTER_UPDATE', {image}, h, 0 FROM numbered WHERE k >= 12
  UNION ALL SELECT 'AFTER_UPDATE', {image2}, h, 1 FROM numbered WHERE k >= 90
  UNION ALL SELECT 'INSERT', * EXCLUDE (n, k) REPLACE (((SELECT m FROM maxkey) + n)::VARCHAR AS RECID), 0
    FROM (SELECT * EXCLUDE (h), hash(RECID || {seed} || 'i') % 4611686018427387904 AS h FROM numbered)
    WHERE n % 100 < 13;
-- Commit order: a shuffled sequence; second updates come after everything else. The first 60 % form batch 1.
CREATE TEMP TABLE seqd AS
  SELECT *, row_number() OVER (ORDER BY second, hash(h::VARCHAR || 'lsn')) AS seq FROM events;
CREATE TEMP TABLE feed AS
  SELECT *, CASE WHEN seq <= (SELECT count(*) * 6 // 10 FROM seqd) THEN 1 ELSE 2 END AS batch,
    (CASE WHEN action = 'DELETE' AND seq % 3 = 0 THEN '0x' ELSE '0X' END) ||
      CASE WHEN action = 'DELETE' AND seq % 3 = 0 THEN lower(lpad(printf('%X', 1290826651025473536 + seq * 7), 20, '0'))
           ELSE lpad(printf('%X', 1290826651025473536 + seq * 7), 20, '0') END AS lsn,
    '0X' || lpad(printf('%X', seq % 97), 20, '0') AS seqval,
    strftime(TIMESTAMP '2024-07-01 08:00:00' + to_seconds(seq // 10), '%Y-%m-%dT%H:%M:%S.0000000Z') AS lpc,
    strftime(TIMESTAMP '2024-07-01 08:00:02' + to_seconds(seq // 10), '%Y-%m-%dT%H:%M:%S.0000000Z') AS dlm
  FROM seqd;
CREATE TEMP TABLE rows AS
  SELECT lsn, NULL AS end_lsn, action, seqval,
         CASE WHEN action = 'DELETE' THEN NULL ELSE '0X00000000000100C0' END AS mask, {col_list}, lpc, dlm, batch, h
    FROM feed
  UNION ALL  -- BEFORE_UPDATE images (the old row) of one update in ten
  SELECT f.lsn, NULL, 'BEFORE_UPDATE', f.seqval, '0X00000000000100C0', {", ".join('p."%s"' % c for c in columns)},
         f.lpc, f.dlm, f.batch, f.h + 1
    FROM feed f JOIN picked p USING (RECID) WHERE f.action = 'AFTER_UPDATE' AND f.second = 0 AND f.seq % 10 = 3
  UNION ALL  -- rows written twice
  SELECT lsn, NULL, action, seqval, CASE WHEN action = 'DELETE' THEN NULL ELSE '0X00000000000100C0' END,
         {col_list}, lpc, dlm, batch, h + 2 FROM feed WHERE seq % 100 = 7;
"""
    for batch in (1, 2):
        for part in (1, 2):
            path = os.path.join(feed, "SALESLINE", "SALESLINE_%03d_%02d.csv" % (batch, part))
            sql += (f"COPY (SELECT * EXCLUDE (batch, h) FROM rows WHERE batch = {batch} AND hash(h::VARCHAR || 'part') % 2 = "
                    f"{part - 1} ORDER BY hash(h::VARCHAR || 'shuffle')) TO {q(path)} (FORMAT csv, HEADER false, "
                    f"FORCE_QUOTE ({quoted}, lpc, dlm));\n")
    truth = os.path.join(lake, "_truth", "SalesLine.csv")
    sql += f"""
COPY (SELECT * FROM {snapshot} WHERE RECID NOT IN (SELECT RECID FROM picked)
      UNION ALL SELECT {col_list} FROM (SELECT *, row_number() OVER (PARTITION BY RECID ORDER BY second DESC) AS r
                                        FROM events WHERE action <> 'DELETE') WHERE r = 1)
  TO {q(truth)} (FORMAT csv, HEADER false, FORCE_QUOTE ({quoted}));
"""
    script = os.path.join(lake, "_truth", "make_change_feed.sql")
    with open(script, "w", encoding="utf-8") as f:
        f.write(sql)
    if subprocess.run([a.peer, "--discard", sql]).returncode != 0:
        sys.exit("make_change_feed.py: the SQL in %s failed" % script)
    feed_cols = ", ".join("%s: 'VARCHAR'" % q(c) for c in feed_columns)
    counts = subprocess.run([a.peer, "SELECT DML_Action, count(*)::VARCHAR AS n FROM read_csv(%s, columns = {%s}, "
                             "header = false, auto_detect = false, quote = '\"', escape = '\"') GROUP BY ALL ORDER BY ALL"
                             % (q(feed + "/SALESLINE/*.csv"), feed_cols)],
                            check=True, capture_output=True, text=True).stdout
    print("change feed SalesLine: " + ", ".join(l.replace(",", " ") for l in counts.split("\n")[1:] if l))


if __name__ == "__main__":
    main()
