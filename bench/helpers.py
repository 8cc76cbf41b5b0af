#!/usr/bin/env python3
"""Small helpers for bench/run.sh (standard library only).

  helpers.py partitions MANIFEST ENTITY        the absolute paths of the entity's dataPartitions, one a line
  helpers.py check-columns DOC ENTITY COLUMNS  checks a read_csv columns={...} struct against the entity document
  helpers.py count-entities [N]                reads `lake inspect --format json` on stdin, prints the entity and
                                               problem counts; fails unless there are exactly N entities, no errors
  helpers.py view-body                         reads `cdmlake sql --format csv` output of one view's SQL on stdin
                                               and prints the SELECT after "CREATE VIEW ... AS "
  helpers.py rss FILE                          the peak RSS in KiB from GNU `time -v` output
  helpers.py merge OUT ROUND.json...            merges hyperfine exports of single-run rounds into one export
  helpers.py truth-lake DOC ENTITY CSV OUT     writes OUT, a lake whose only entity is ENTITY (the entity document
                                               DOC) over the headerless CSV file (hard-linked when possible)
  helpers.py refresh-report JSON STATUS [ROWS] prints SalesLine's line of `lake refresh --format json`; fails unless
                                               its status is STATUS (and it read ROWS change rows, when given)
  helpers.py compare-export FORMAT PEER A B    checks that the csv or parquet files under folder A (cdmlake export's
                                               CDM folder) hold the same rows as those under B (DuckDB's COPY):
                                               by row count and a checksum of every row (CSV fields as text)
  helpers.py summary RESULTS_DIR               prints the summary table and writes summary.json and summary.md
"""

import csv
import json
import os
import re
import sys


def partitions(manifest, entity):
    with open(manifest, encoding="utf-8") as f:
        doc = json.load(f)
    folder = os.path.dirname(os.path.abspath(manifest))
    for e in doc.get("entities", []):
        if e.get("entityName") == entity:
            for p in e.get("dataPartitions", []):
                print(os.path.join(folder, p["location"]))
            return
    sys.exit("helpers.py: %s declares no entity %s" % (manifest, entity))


def sql_type(attribute):
    fmt = attribute["dataFormat"]
    if fmt == "Decimal":
        args = {}
        for t in attribute.get("appliedTraits", []):
            if t.get("traitReference") == "is.dataFormat.numeric.shaped":
                args = {a["name"]: a["value"] for a in t.get("arguments", [])}
        return "DECIMAL(%s,%s)" % (args.get("precision", "18"), args.get("scale", "4"))
    return {"Int64": "BIGINT", "Int32": "INTEGER", "String": "VARCHAR", "DateTime": "TIMESTAMP",
            "DateTimeOffset": "TIMESTAMPTZ", "Date": "DATE", "Boolean": "BOOLEAN", "Double": "DOUBLE",
            "Guid": "UUID"}[fmt]


def check_columns(doc_path, entity, columns):
    with open(doc_path, encoding="utf-8") as f:
        doc = json.load(f)
    definition = next(d for d in doc["definitions"] if d.get("entityName") == entity)
    expected = [(a["name"], sql_type(a)) for a in definition["hasAttributes"]]
    given = re.findall(r"'([^']+)'\s*:\s*'([^']+)'", columns)
    if given != expected:
        sys.exit("helpers.py: the hand-written columns do not match %s:\n  given    %s\n  document %s"
                 % (doc_path, given, expected))


def count_entities(expected):
    report = json.load(sys.stdin)
    entities = report["entities"]
    errors = [p for p in report["problems"] if p["severity"] == "error"]
    attributes = sum(len(e["columns"]) for e in entities)
    print("%d entities, %d attributes, %d problems (%d errors)"
          % (len(entities), attributes, len(report["problems"]), len(errors)))
    if expected is not None and len(entities) != expected:
        sys.exit("helpers.py: expected %d entities, inspect found %d" % (expected, len(entities)))
    if errors:
        sys.exit("helpers.py: inspect reported errors: %s" % errors[:3])


def view_body():
    rows = list(csv.reader(sys.stdin))
    if len(rows) != 2:
        sys.exit("helpers.py: expected one view, got %d rows" % (len(rows) - 1))
    sql = rows[1][0].strip()
    m = re.match(r"(?is)^CREATE\s+VIEW\s+.+?\s+AS\s+(SELECT\b.*?);?\s*$", sql)
    if not m:
        sys.exit("helpers.py: cannot read the view SQL: " + sql[:200])
    print(m.group(1))


def rss(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if "Maximum resident set size" in line:
                print(line.rsplit(":", 1)[1].strip())
                return
    sys.exit("helpers.py: no peak RSS in " + path)


def merge(out, rounds):
    import statistics
    runs = {}
    order = []
    for path in sorted(rounds, key=lambda p: int(re.search(r"round(\d+)", p).group(1))):
        with open(path, encoding="utf-8") as f:
            for r in json.load(f)["results"]:
                if r["command"] not in runs:
                    order.append(r["command"])
                    runs[r["command"]] = {"times": [], "user_times": [], "system_times": [], "exit_codes": []}
                m = runs[r["command"]]
                m["times"] += r["times"]
                m["user_times"].append(r["user"])
                m["system_times"].append(r["system"])
                m["exit_codes"] += r.get("exit_codes", [])
    results = []
    for name in order:
        m = runs[name]
        t = m["times"]
        results.append({"command": name, "mean": statistics.mean(t),
                        "stddev": statistics.stdev(t) if len(t) > 1 else 0.0, "median": statistics.median(t),
                        "user": statistics.mean(m["user_times"]), "system": statistics.mean(m["system_times"]),
                        "min": min(t), "max": max(t), **m})
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"results": results, "interleaved_rounds": len(rounds)}, f, indent=2)


def truth_lake(doc, entity, csv_path, out):
    import shutil
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(os.path.join(out, "Tables", entity))
    shutil.copyfile(doc, os.path.join(out, "Tables", entity + ".cdm.json"))
    data = os.path.join(out, "Tables", entity, "truth.csv")
    try:
        os.link(csv_path, data)
    except OSError:
        shutil.copyfile(csv_path, data)
    partition = {"location": entity + "/truth.csv",
                 "exhibitsTraits": [{"traitReference": "is.partition.format.CSV",
                                     "arguments": [{"name": "columnHeaders", "value": "false"},
                                                   {"name": "delimiter", "value": ","}]}]}
    manifest = {"jsonSchemaSemanticVersion": "1.0.0", "manifestName": "Tables",
                "entities": [{"type": "LocalEntity", "entityName": entity,
                              "entityPath": "%s.cdm.json/%s" % (entity, entity), "dataPartitions": [partition]}],
                "subManifests": []}
    with open(os.path.join(out, "Tables", "Tables.manifest.cdm.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2)


def refresh_report(path, status, change_rows=None):
    with open(path, encoding="utf-8") as f:
        report = json.load(f)
    t = next((t for t in report if t.get("table", "").endswith(".SalesLine")), None)
    if t is None:
        sys.exit("helpers.py: %s has no SalesLine" % path)
    print("%s: %s, rows %d -> %d, inserted %d, updated %d, deleted %d, %d change rows from %d files, %.2f s, "
          "watermark %s" % (t["table"], t["status"], t["rows_before"], t["rows_after"], t["inserted"], t["updated"],
                            t["deleted"], t["change_rows"], t["change_files"], t["seconds"], t.get("watermark", "")))
    if t["status"] != status:
        sys.exit("helpers.py: expected status %s, got %s %s" % (status, t["status"], t.get("error", "")))
    if change_rows is not None and t["change_rows"] != int(change_rows):
        sys.exit("helpers.py: expected %s change rows, got %d" % (change_rows, t["change_rows"]))


def data_files(folder, ext):
    found = []
    for root, _, files in os.walk(folder):
        for name in files:
            if name.endswith("." + ext):
                m = re.search(r"(\d+)\." + ext + "$", name)
                found.append((int(m.group(1)) if m else 0, os.path.join(root, name)))
    return [p for _, p in sorted(found)]


def compare_export(fmt, peer, a, b):
    import subprocess
    files_a, files_b = data_files(a, fmt), data_files(b, fmt)
    if not files_a or not files_b:
        sys.exit("helpers.py: no .%s files under %s or %s" % (fmt, a, b))
    # Row order is not compared: the query has no ORDER BY, and DuckDB writes cdmlake's split files (FILE_SIZE_BYTES)
    # without preserving order. CSV is compared as text (every field read as VARCHAR, as written).
    if fmt == "csv":
        scan = ("read_csv([%s], header = true, auto_detect = false, delim = ',', quote = '\"', "
                "escape = '\"', columns = {%s})")
        with open(files_b[0], encoding="utf-8") as f:
            names = next(csv.reader(f))
        columns = ", ".join("'%s': 'VARCHAR'" % n for n in names)
        with open(files_a[0], encoding="utf-8") as f:
            if next(csv.reader(f)) != names:
                sys.exit("helpers.py: the CSV headers differ")
    else:
        scan = "read_parquet([%s])"
        columns = None

    def digest(files):
        source = scan % ((", ".join("'%s'" % p for p in files),) + ((columns,) if columns else ()))
        sql = "SELECT count(*)::VARCHAR AS n, sum(hash(t))::VARCHAR AS h FROM %s t" % source
        return subprocess.run([peer, sql], check=True, capture_output=True, text=True).stdout.strip()
    da, db = digest(files_a), digest(files_b)
    what = "%d file(s) against %d" % (len(files_a), len(files_b))
    if da == db:
        print("identical (%s; rows, checksum: %s)" % (what, da.split("\n")[-1]))
    else:
        print("DIFFERENT (%s): %s vs %s" % (what, da, db))


# ---------------------------------------------------------------------------------------------------------------
# The summary: one row per measured command, ratios against the peer measured in the same hyperfine run.

def load(results, name):
    path = os.path.join(results, name + ".json")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)["results"]


def fmt_time(mean, stddev):
    if mean >= 1:
        return "%.2f s ± %.2f" % (mean, stddev)
    return "%.0f ms ± %.0f" % (mean * 1000, stddev * 1000)


def summary(results):
    rows = []

    def add(bench, what, r, ratio=None, ratio_sd=None, peer=None, target="", met=None):
        cpu = r["user"] + r["system"]
        rows.append({"benchmark": bench, "command": what, "mean_s": r["mean"], "stddev_s": r["stddev"] or 0.0,
                     "median_s": r["median"], "min_s": r["min"], "max_s": r["max"], "runs": len(r["times"]),
                     "cpu_s": cpu, "ratio": ratio, "ratio_stddev": ratio_sd,
                     "median_ratio": r["median"] / peer["median"] if peer else None,
                     "cpu_ratio": cpu / (peer["user"] + peer["system"]) if peer else None,
                     "peer": peer["command"] if peer else None, "target": target, "met": met})

    for q in ("sql_q1", "sql_q2"):
        res = load(results, q)
        if not res:
            continue
        by_name = {r["command"]: r for r in res}
        peer = by_name.get("duckdb read_csv (hand-written)")
        for r in res:
            if r is peer:
                continue
            if peer is None:
                add(q, r["command"], r)
                continue
            ratio = r["mean"] / peer["mean"]
            sd = ratio * ((r["stddev"] / r["mean"]) ** 2 + (peer["stddev"] / peer["mean"]) ** 2) ** 0.5
            is_cdmlake = r["command"].startswith("cdmlake")
            add(q, r["command"], r, ratio, sd, peer, "≤ 1.10× peer" if is_cdmlake else "",
                (ratio <= 1.10) if is_cdmlake else None)
        if peer:
            add(q, peer["command"], peer)

    # (c) refresh: the incremental refresh against the rebuild; (d) export: cdmlake against DuckDB's COPY.
    for bench, peer_prefix, target_prefix, limit in (("refresh", "refresh rebuild", "refresh incremental", 0.10),
                                                     ("export_csv", "duckdb COPY (csv)", "cdmlake", 1.20),
                                                     ("export_parquet", "duckdb COPY (parquet)", "cdmlake", 1.20)):
        res = load(results, bench)
        if not res:
            continue
        peer = next((r for r in res if r["command"] == peer_prefix or r["command"].startswith(peer_prefix + " (")
                     and "fsync" not in r["command"]), None)
        for r in res:
            if r is peer or peer is None:
                continue
            ratio = r["mean"] / peer["mean"]
            sd = ratio * ((r["stddev"] / r["mean"]) ** 2 + (peer["stddev"] / peer["mean"]) ** 2) ** 0.5
            is_target = r["command"].startswith(target_prefix)
            add(bench, r["command"], r, ratio, sd, peer, ("≤ %.2f× peer" % limit) if is_target else "",
                (ratio <= limit) if is_target else None)
        if peer:
            add(bench, peer["command"], peer)

    for name, target in (("discovery_cold", 2.0), ("discovery_cold_nocache", 2.0), ("discovery_warm", 0.2),
                         ("sql_metadata_warm", 0.2)):
        res = load(results, name)
        if res:
            r = res[0]
            add(name, r["command"], r, target="≤ %s s" % target, met=r["mean"] <= target)

    rss_rows = []
    for label, file in (("cdmlake sql (q1)", "rss_q1_cdmlake.txt"), ("duckdb read_csv (q1)", "rss_q1_duckdb.txt"),
                        ("refresh rebuild", "rss_refresh_rebuild.txt"),
                        ("refresh incremental", "rss_refresh_incremental.txt"),
                        ("cdmlake export (csv)", "rss_export_csv_cdmlake.txt"),
                        ("duckdb COPY (csv)", "rss_export_csv_duckdb.txt"),
                        ("cdmlake export (parquet)", "rss_export_parquet_cdmlake.txt"),
                        ("duckdb COPY (parquet)", "rss_export_parquet_duckdb.txt")):
        path = os.path.join(results, file)
        if os.path.exists(path):
            with open(path, encoding="utf-8", errors="replace") as f:
                for line in f:
                    if "Maximum resident set size" in line:
                        rss_rows.append({"command": label, "peak_rss_kib": int(line.rsplit(":", 1)[1])})

    identical = {}
    for q in ("q1", "q2", "refresh_rebuild", "refresh_incremental", "refresh_after-timing", "export_csv",
              "export_parquet"):
        path = os.path.join(results, "identical_%s.txt" % q)
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                identical[q] = f.read().strip()

    lines = ["| benchmark | command | mean ± σ | median | runs | CPU (user+sys) | ratio vs peer (mean) "
             "| median ratio | CPU ratio | target | met |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        ratio = "%.3f ± %.3f" % (r["ratio"], r["ratio_stddev"]) if r["ratio"] is not None else ""
        median_ratio = "%.3f" % r["median_ratio"] if r["median_ratio"] is not None else ""
        cpu_ratio = "%.3f" % r["cpu_ratio"] if r["cpu_ratio"] is not None else ""
        met = "" if r["met"] is None else ("yes" if r["met"] else "**no**")
        median = fmt_time(r["median_s"], 0).split(" ±")[0]
        cpu = fmt_time(r["cpu_s"], 0).split(" ±")[0]
        lines.append("| %s | %s | %s | %s | %d | %s | %s | %s | %s | %s | %s |"
                     % (r["benchmark"], r["command"], fmt_time(r["mean_s"], r["stddev_s"]), median, r["runs"], cpu,
                        ratio, median_ratio, cpu_ratio, r["target"], met))
    if rss_rows:
        lines += ["", "| peak RSS (GNU time -v) | MiB |", "|---|---|"]
        lines += ["| %s | %.0f |" % (r["command"], r["peak_rss_kib"] / 1024) for r in rss_rows]
    if identical:
        lines += [""] + ["results %s: %s" % (q, v) for q, v in sorted(identical.items())]
    text = "\n".join(lines) + "\n"
    with open(os.path.join(results, "summary.md"), "w", encoding="utf-8") as f:
        f.write(text)
    with open(os.path.join(results, "summary.json"), "w", encoding="utf-8") as f:
        json.dump({"rows": rows, "peak_rss": rss_rows, "identical_results": identical}, f, indent=2)
    sys.stdout.write(text)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "partitions" and len(args) == 2:
        partitions(*args)
    elif cmd == "check-columns" and len(args) == 3:
        check_columns(*args)
    elif cmd == "count-entities" and len(args) <= 1:
        count_entities(int(args[0]) if args else None)
    elif cmd == "view-body" and not args:
        view_body()
    elif cmd == "rss" and len(args) == 1:
        rss(args[0])
    elif cmd == "merge" and len(args) >= 2:
        merge(args[0], args[1:])
    elif cmd == "truth-lake" and len(args) == 4:
        truth_lake(*args)
    elif cmd == "refresh-report" and len(args) in (2, 3):
        refresh_report(*args)
    elif cmd == "compare-export" and len(args) == 4:
        compare_export(*args)
    elif cmd == "summary" and len(args) == 1:
        summary(args[0])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
