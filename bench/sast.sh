#!/usr/bin/env bash
# Throughput of the SAST pass (`secops scan --only sast`) on a generated mixed-language tree,
# against semgrep running secops's own rules translated to semgrep by
# bench/semgrep_rules_from_toml.py (the same detection scope; generated into
# bench-out/semgrep-rules.yml on each run) on the same files, and for
# reference semgrep with the minimal 6-rule set bench/semgrep-rules-min.yml. semgrep is
# installed from PyPI into bench-out/venv on first use.
#
#   bench/sast.sh [TREE_MB]     (default 90: about 50 MB of Python/JS/TS/Java/Go code)
#
#   RUNS=n            secops runs per setting (default 3; the median is reported, and the best)
#   SKIP_SEMGREP=1    measure secops only
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb="${1:-90}"
out="bench-out"
mkdir -p "$out"
cargo build --release -q -p secops -p secops-corpus
secops=target/release/secops
tree="$out/sast-tree-$size_mb"
if [ ! -f "$tree/.done" ]; then
  rm -rf "$tree"
  target/release/secops-corpus bench-tree --out "$tree" --size "${size_mb}MB" --seed 11 >&2
  touch "$tree/.done"
fi
code_bytes=$(find "$tree" -type f \( -name '*.py' -o -name '*.js' -o -name '*.jsx' -o -name '*.ts' -o -name '*.tsx' -o -name '*.java' -o -name '*.go' -o -name '*.mjs' \) -printf '%s\n' | awk '{s+=$1} END {print s}')
files=$(find "$tree" -type f \( -name '*.py' -o -name '*.js' -o -name '*.jsx' -o -name '*.ts' -o -name '*.tsx' -o -name '*.java' -o -name '*.go' -o -name '*.mjs' \) | wc -l)
find "$tree" -type f -exec cat {} + >/dev/null
cores=$(nproc)
printf 'tree %s: %d MB of code in %d files (py/js/ts/java/go); %d cores\n' "$tree" $((code_bytes / 1000000)) "$files" "$cores"

# shellcheck source=bench/common.sh
. bench/common.sh
reps="${RUNS:-3}"
sec_all=$(runs "$reps" "$secops" scan "$tree" --only sast --quiet --exit-zero --format json --output /dev/null)
sec_one=$(runs "$reps" "$secops" scan "$tree" --only sast --quiet --exit-zero --format json --output /dev/null -j 1)

sg=""
sg_min=""
if [ "${SKIP_SEMGREP:-0}" != "1" ]; then
  semgrep_setup
  sg=$(run "$out/venv/bin/semgrep" scan --config "$out/semgrep-rules.yml" --metrics=off --disable-version-check --no-git-ignore -j "$cores" --timeout 30 --max-target-bytes 5000000 --json --output /dev/null "$tree")
  sg_min=$(run "$out/venv/bin/semgrep" scan --config bench/semgrep-rules-min.yml --metrics=off --disable-version-check --no-git-ignore -j "$cores" --timeout 30 --max-target-bytes 5000000 --json --output /dev/null "$tree")
fi

echo
row "secops scan --only sast ($cores thr)" "$sec_all"
row "secops scan --only sast (1 thread)" "$sec_one"
if [ -n "$sg" ]; then
  row "semgrep ($cores jobs)" "$sg"
  awk -v a="${sec_all%% *}" -v b="${sg%% *}" 'BEGIN{ printf "\nsemgrep/secops time ratio: %.1fx (target >= 20x)\n", b/a }'
  awk -v a="${sec_all%% *}" -v b="${sg_min%% *}" 'BEGIN{ printf "semgrep, minimal 6-rule set: %.2f s, semgrep/secops time ratio %.1fx\n", b, b/a }'
fi
