#!/usr/bin/env python3
"""Helpers for bench/entitystore.sh (standard library only).

  entitystore_helpers.py peer-sql TEMPLATE LAKE OUT   prints bench/entitystore_peer.sql with @Table@ replaced by the
                                                      quoted absolute paths of the table's dataPartitions (from the
                                                      lake's manifests) and @OUT@ by OUT
  entitystore_helpers.py checksums PEER DIR           prints, per entity folder under DIR (the newest _v* version
                                                      folder when there are versions), its column names and types,
                                                      row count and sum(hash(row)), one line each
  entitystore_helpers.py edit-column CSV COLUMN EVERY  rewrites the headerless CSV file in place, changing the integer
                                                      field number COLUMN (0-based, unquoted) of every EVERY-th row to
                                                      (value + 1) % 3, byte for byte otherwise; prints rows changed
  entitystore_helpers.py rss FILE                     the peak RSS in MiB from GNU `time -v` output
  entitystore_helpers.py process-report JSON          one line from `entitystore process --format json`
  entitystore_helpers.py trace-summary TRACE [N]      the N (default 12) slowest statements of a `--trace-sql` file,
                                                      each named by what it creates or writes, and the total
"""

import glob
import json
import os
import re
import subprocess
import sys


def manifest_partitions(lake):
    out = {}
    for manifest in glob.glob(os.path.join(lake, "Tables", "**", "*.manifest.cdm.json"), recursive=True):
        with open(manifest, encoding="utf-8") as f:
            doc = json.load(f)
        folder = os.path.dirname(os.path.abspath(manifest))
        for e in doc.get("entities", []):
            files = [os.path.join(folder, p["location"]) for p in e.get("dataPartitions") or []]
            for pattern in e.get("dataPartitionPatterns") or []:  # rootLocation + globPattern
                root = os.path.join(folder, pattern["rootLocation"])
                files += sorted(glob.glob(root + pattern.get("globPattern", "/*")))
            if files:
                out[e["entityName"]] = files
    return out


def peer_sql(template, lake, out):
    with open(template, encoding="utf-8") as f:
        sql = f.read()
    parts = manifest_partitions(lake)

    def files(m):
        name = m.group(1)
        if name == "OUT":
            return out
        if name not in parts:
            sys.exit("entitystore_helpers.py: the lake has no partitions for %s" % name)
        return ", ".join("'%s'" % p.replace("'", "''") for p in parts[name])

    sql = re.sub(r"^--.*\n", "", sql, flags=re.M)
    print(re.sub(r"@(\w+)@", files, sql))


def newest(folder):
    versions = sorted(d for d in os.listdir(folder) if d.startswith("_v"))
    return os.path.join(folder, versions[-1]) if versions else folder


def checksums(peer, root):
    for name in sorted(os.listdir(root)):
        folder = os.path.join(root, name)
        if not os.path.isdir(folder) or name.startswith("_"):
            continue
        # "**": a fact and its aggregate are written one folder per month.
        files = os.path.join(newest(folder), "**", "*.parquet")
        sql = ("SELECT (SELECT string_agg(column_name || ' ' || column_type, ', ') FROM "
               "(DESCRIBE SELECT * FROM read_parquet('%s'))) || ' | ' || count(*)::VARCHAR || ' rows | ' || "
               "coalesce(sum(hash(t)), 0)::VARCHAR FROM read_parquet('%s') t" % (files, files))
        result = subprocess.run([peer, "--raw", sql], check=True, capture_output=True, text=True).stdout.strip()
        print("%s: %s" % (name, result))


def edit_column(path, column, every):
    pattern = re.compile(r'("(?:[^"]|"")*"|[^,"\n]*)(,|\n|$)')
    changed = 0
    tmp = path + ".tmp"
    with open(path, "r", encoding="utf-8", newline="") as src, open(tmp, "w", encoding="utf-8", newline="") as dst:
        for i, line in enumerate(src):
            if i % every == 0:
                fields = [m.group(1) + m.group(2) for m in pattern.finditer(line) if m.group(0)]
                value = fields[column].rstrip(",\n")
                if re.fullmatch(r"\d+", value):
                    fields[column] = fields[column].replace(value, str((int(value) + 1) % 3), 1)
                    line = "".join(fields)
                    changed += 1
            dst.write(line)
    os.replace(tmp, path)
    print(changed)


def rss(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if "Maximum resident set size" in line:
                print(int(line.split(":")[1]) // 1024)
                return
    sys.exit("no RSS in %s" % path)


def process_report(path):
    with open(path, encoding="utf-8") as f:
        j = json.load(f)
    print("full=%s rebuilt=%s kept=%s changed_tables=%s reason=%r rows=%s" % (
        j["full"], ",".join(j["rebuilt"]), ",".join(j["kept"]), ",".join(j["changed_tables"]), j["reason"],
        sum(j["rows"].values())))
    print("updated=%s fallbacks=%s rewritten_months=%s recomputed_groups=%s" % (
        ",".join(j.get("updated", [])), j.get("fallbacks", []),
        {k: len(v) for k, v in j.get("rewritten_months", {}).items()}, j.get("recomputed_groups", {})))


def statement_label(sql):
    """What a statement of cdmlake's SQL trace makes: the temp table or view it creates, or the file it copies to."""
    m = re.match(r'\s*CREATE (?:OR REPLACE )?TEMP (TABLE|VIEW) "([^"]+)"', sql)
    if m:
        return "%s %s" % (m.group(1).lower(), m.group(2))
    m = re.match(r"\s*COPY .* TO '([^']+)'", sql, re.S)
    if m:
        # The lake-relative folder of the output, without its version folder: AggregateMeasurements/<entity>.
        path = re.sub(r"/_v\d+(/.*)?$", "", m.group(1))
        path = re.sub(r"/(rollups)/[^/]+$", r"/\1", path)
        return "copy to " + "/".join(path.split("/")[-2:])
    return " ".join(sql.split())[:60]


def trace_summary(path, n):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            rows.append((r["seconds"], statement_label(r["sql"])))
    total = sum(s for s, _ in rows)
    print("%d statements, %.2f s in all" % (len(rows), total))
    for seconds, label in sorted(rows, reverse=True)[:n]:
        print("  %6.2f s  %s" % (seconds, label))


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "peer-sql" and len(args) == 3:
        peer_sql(*args)
    elif cmd == "checksums" and len(args) == 2:
        checksums(*args)
    elif cmd == "edit-column" and len(args) == 3:
        edit_column(args[0], int(args[1]), int(args[2]))
    elif cmd == "rss" and len(args) == 1:
        rss(args[0])
    elif cmd == "process-report" and len(args) == 1:
        process_report(args[0])
    elif cmd == "trace-summary" and len(args) in (1, 2):
        trace_summary(args[0], int(args[1]) if len(args) == 2 else 12)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
