#!/usr/bin/env bash
# Throughput of the SAST pass (`secops scan --only sast`) on REAL open-source code: the pinned
# tree of bench/real-tree.sh (about 55 MB of Python, JS/TS, Java and Go from PyPI, npm and
# Debian), against semgrep running secops's rules translated by bench/semgrep_rules_from_toml.py
# on the same files. The companion of
# bench/sast.sh, which measures the generated tree. See bench/README-sast-real.md.
#
#   bench/sast-real.sh [DIR]     (default bench-out/real-tree)
#
#   SECOPS_BIN=path   use this secops binary instead of building target/release/secops
#   RUNS=n            secops runs per setting (default 3; the median is reported, and the best)
#   SKIP_SEMGREP=1    measure secops only
set -euo pipefail
cd "$(dirname "$0")/.."
out="bench-out"
tree="${1:-$out/real-tree}"
mkdir -p "$out"
bench/real-tree.sh "$tree" >&2
if [ -n "${SECOPS_BIN:-}" ]; then
  secops="$SECOPS_BIN"
else
  cargo build --release -q -p secops
  secops=target/release/secops
fi
code=(-name '*.py' -o -name '*.js' -o -name '*.jsx' -o -name '*.ts' -o -name '*.tsx' -o -name '*.java' -o -name '*.go' -o -name '*.mjs' -o -name '*.cjs')
code_bytes=$(find "$tree" -type f \( "${code[@]}" \) -printf '%s\n' | awk '{s+=$1} END {print s}')
files=$(find "$tree" -type f \( "${code[@]}" \) | wc -l)
find "$tree" -type f -exec cat {} + >/dev/null
cores=$(nproc)
printf 'real tree %s: %d MB of code in %d files (py/js/ts/java/go); %d cores\n' "$tree" $((code_bytes / 1000000)) "$files" "$cores"

json_all="$out/sast-real-secops.json"
json_one="$out/sast-real-secops-j1.json"
json_sg="$out/sast-real-semgrep.json"
rm -f "$json_all" "$json_one" "$json_sg"
# shellcheck source=bench/common.sh
. bench/common.sh
reps="${RUNS:-3}"
sec_all=$(runs "$reps" "$secops" scan "$tree" --only sast --quiet --exit-zero --format json --output "$json_all")
sec_one=$(runs "$reps" "$secops" scan "$tree" --only sast --quiet --exit-zero --format json --output "$json_one" -j 1)

# findings and notices of the all-cores run (the 1-thread run must report the same findings)
counts=$(python3 - "$json_all" "$json_one" <<'EOF'
import collections, json, sys
runs = [json.load(open(p)) for p in sys.argv[1:]]
a, b = runs
key = lambda r: sorted(f.get("fingerprint", "") for f in r["findings"])
print(f"findings {len(a['findings'])}  notices {len(a['notices'])}  "
      f"(files scanned {a['stats'].get('files_scanned')}, skipped {a['stats'].get('files_skipped')})")
if key(a) != key(b) or len(a["notices"]) != len(b["notices"]):
    print(f"WARNING: the 1-thread run differs: findings {len(b['findings'])}, notices {len(b['notices'])}")
sev = collections.Counter(f["severity"] for f in a["findings"])
print("by severity: " + ", ".join(f"{k} {v}" for k, v in sev.most_common()))
lang = collections.Counter(f["location"]["path"].split("/")[0] for f in a["findings"])
print("by tree part: " + ", ".join(f"{k} {v}" for k, v in lang.most_common()))
rules = collections.Counter(f["rule_id"] for f in a["findings"])
print("top rules: " + ", ".join(f"{k} {v}" for k, v in rules.most_common(8)))
EOF
)

sg=""
sg_counts=""
if [ "${SKIP_SEMGREP:-0}" != "1" ]; then
  semgrep_setup
  sg=$(run "$out/venv/bin/semgrep" scan --config "$out/semgrep-rules.yml" --metrics=off --disable-version-check --no-git-ignore -j "$cores" --timeout 30 --max-target-bytes 5000000 --json --output "$json_sg" "$tree")
  sg_counts=$(python3 - "$json_sg" <<'EOF'
import json, sys
try:
    r = json.load(open(sys.argv[1]))
except (OSError, ValueError) as e:
    print(f"no readable report ({e})")
    sys.exit(0)
print(f"findings {len(r.get('results', []))}  errors {len(r.get('errors', []))}  "
      f"(files scanned {len(r.get('paths', {}).get('scanned', []))})")
EOF
)
fi

echo
row "secops scan --only sast ($cores thr)" "$sec_all"
row "secops scan --only sast (1 thread)" "$sec_one"
if [ -n "$sg" ]; then
  row "semgrep ($cores jobs)" "$sg"
fi
echo
echo "secops $counts"
[ -z "$sg_counts" ] || echo "semgrep $sg_counts"
if [ -n "$sg" ]; then
  awk -v a="${sec_all%% *}" -v b="${sg%% *}" 'BEGIN{ printf "\nsemgrep/secops time ratio: %.1fx\n", b/a }'
fi
