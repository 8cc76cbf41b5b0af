#!/usr/bin/env bash
# Issue 5, "memory bounded": the peak memory of `cdmlake unify run` on a source whose blocks are all just under
# the size cap, so that every block is compared and every pair links (docs/benchmarks.md, section "Issue 5: dense
# blocks"). B blocks of 999 records share one email each: B x 498,501 links of one exact dedup rule.
#
# Usage: bench/unify_dense_blocks.sh path/to/cdmlake [B]   (B default 400: 399,600 records, 199 million links)
#   Prints the rule's pairs and links and GNU time's wall seconds and peak RSS. Needs /usr/bin/time and python3.
#   The work goes to $CDMLAKE_BENCH_DIR/unify-dense (default /tmp/cdmlake-bench), never into the repository.
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 path/to/cdmlake [blocks]" >&2
  exit 2
fi
cdmlake=$(realpath "$1")
blocks=${2:-400}
dir=${CDMLAKE_BENCH_DIR:-/tmp/cdmlake-bench}/unify-dense
rm -rf "$dir"
mkdir -p "$dir/lake"
python3 - "$dir/people.csv" "$blocks" <<'EOF'
import sys
path, blocks = sys.argv[1], int(sys.argv[2])
with open(path, "w") as f:
    f.write("Id,Name,Email\n")
    for i in range(blocks * 999):
        f.write(f"P{i},Person {i},block{i % blocks}@example.com\n")
EOF
cat >"$dir/unify.yaml" <<'EOF'
sources:
  - name: People
    csv: people.csv
    primary_key: Id
    include_all: true
    columns: {Name: Person.FullName, Email: Identity.Service.Email}
dedup:
  People:
    rules:
      - name: same-email
        conditions: [{column: Email}]
match:
  order: [People]
EOF
/usr/bin/time -f '%e %M' -o "$dir/time.txt" "$cdmlake" --lake "$dir/lake" unify run --config "$dir/unify.yaml" \
  --format json >"$dir/run.json"
python3 - "$dir/run.json" "$dir/time.txt" "$blocks" <<'EOF'
import json, sys
run = json.load(open(sys.argv[1]))
wall, rss_kb = open(sys.argv[2]).read().split()
rule = run["rules"][0]
print(f"{int(sys.argv[3]) * 999} records in {sys.argv[3]} blocks: {rule['candidate_pairs']} pairs, "
      f"{rule['links']} links, {run['profiles']} profiles; wall {float(wall):.2f} s, "
      f"peak RSS {int(rss_kb) / 1024:.0f} MiB")
EOF
