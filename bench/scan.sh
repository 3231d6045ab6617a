#!/usr/bin/env bash
# Throughput benchmark for the secrets engine (`secops scan --only secrets`), against ripgrep searching the same tree for
# the same rules' regexes joined into one pattern list.
#
#   bench/scan.sh [SIZE_MB]      (default 200; tree cached under bench-out/)
#
# Reports wall time, MB/s (whole machine and one thread), peak RSS, and the secops/rg ratio.
# Also scans a tree a quarter of the size to show that peak memory does not grow with the tree.
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb="${1:-200}"
out="bench-out"
mkdir -p "$out"

if ! command -v rg >/dev/null 2>&1; then
  echo "installing ripgrep (Debian package)" >&2
  if [ "$(id -u)" = 0 ]; then apt-get install -y -q ripgrep >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q ripgrep >/dev/null; }
  else sudo apt-get install -y -q ripgrep >/dev/null; fi
fi

cargo build --release -q -p secops -p secops-corpus
secops=target/release/secops
corpus=target/release/secops-corpus

gen() { # dir size_mb
  if [ ! -f "$1/.done-$2" ]; then
    rm -rf "$1"
    "$corpus" bench-tree --out "$1" --size "${2}MB" --seed 7 >&2
    touch "$1/.done-$2"
  fi
}
big="$out/tree-${size_mb}"
small="$out/tree-$((size_mb / 4))"
gen "$big" "$size_mb"
gen "$small" "$((size_mb / 4))"

# The same regexes secops runs, joined (named groups made plain so they can be combined).
# patterns.txt: all of them (rg needs -U for the multi-line ones); patterns-1line.txt: only
# those rg accepts without -U (a stricter baseline: less work for rg than secops does).
python3 - "$out/patterns.txt" <<'PY'
import re, sys, tomllib
rules = tomllib.load(open("crates/secops-scan/rules/secrets.toml", "rb"))["rule"]
with open(sys.argv[1], "w") as f:
    for r in rules:
        pat = re.sub(r"\(\?P<\w+>", "(", r["regex"])
        # ripgrep 13 (Debian) predates escapes of non-meta punctuation such as \" : same meaning.
        pat = re.sub(r"\\([\"'`~/%&#@!=<>,;:])", r"\1", pat)
        f.write("(?-u)" + pat + "\n")
print(f"{len(rules)} patterns", file=sys.stderr)
PY
: > "$out/patterns-1line.txt"
while IFS= read -r p; do
  if printf 'x\n' | rg -q -e "$p" 2>/dev/null || [ $? -eq 1 ]; then printf '%s\n' "$p" >> "$out/patterns-1line.txt"; fi
done < "$out/patterns.txt"
echo "$(wc -l < "$out/patterns-1line.txt") of $(wc -l < "$out/patterns.txt") patterns work without -U" >&2

bytes() { du -sb --exclude='.done-*' "$1" | cut -f1; }
# run LABEL CMD... → prints "seconds peak_kb"
measure() {
  local tf; tf="$(mktemp)"
  /usr/bin/time -f '%e %M' -o "$tf" "$@" >/dev/null 2>&1 || true
  cat "$tf"; rm -f "$tf"
}
best_of() { # n cmd... → best "seconds peak_kb"
  local n="$1"; shift; local best="" r
  for _ in $(seq "$n"); do
    r="$(measure "$@")"
    if [ -z "$best" ] || awk -v a="${r% *}" -v b="${best% *}" 'BEGIN{exit !(a<b)}'; then best="$r"; fi
  done
  echo "$best"
}

find "$big" -type f -exec cat {} + >/dev/null
B=$(bytes "$big"); S=$(bytes "$small")
cores=$(nproc)
printf '\ntree: %s (%d MB, %d files); %d cores\n' "$big" $((B / 1000000)) "$(find "$big" -type f | wc -l)" "$cores"

sec_all=$(best_of 3 "$secops" scan "$big" --only secrets --quiet --exit-zero --format json --output /dev/null)
sec_one=$(best_of 2 "$secops" scan "$big" --only secrets --quiet --exit-zero --format json --output /dev/null -j 1)
rg_all=$(best_of 3 rg -U --hidden --no-messages -c -f "$out/patterns.txt" "$big")
rg_one=$(best_of 2 rg -U --hidden --no-messages -c -j 1 -f "$out/patterns.txt" "$big")
rg1_all=$(best_of 3 rg --hidden --no-messages -c -f "$out/patterns-1line.txt" "$big")
rg1_one=$(best_of 2 rg --hidden --no-messages -c -j 1 -f "$out/patterns-1line.txt" "$big")
sec_small=$(best_of 2 "$secops" scan "$small" --only secrets --quiet --exit-zero --format json --output /dev/null)

mbs() { awk -v b="$1" -v s="$2" 'BEGIN{ if (s <= 0) s = 0.01; printf "%.0f", b / 1e6 / s }'; }
row() { # label bytes "sec kb"
  local s="${3% *}" kb="${3#* }"
  printf '%-28s %8.2f s %8s MB/s %8.1f MiB peak\n' "$1" "$s" "$(mbs "$2" "$s")" "$(awk -v k="$kb" 'BEGIN{print k/1024}')"
}
echo
row "secops scan ($cores threads)" "$B" "$sec_all"
row "secops scan (1 thread)" "$B" "$sec_one"
row "rg -U all ($cores threads)" "$B" "$rg_all"
row "rg -U all (1 thread)" "$B" "$rg_one"
row "rg 1-line only ($cores thr)" "$B" "$rg1_all"
row "rg 1-line only (1 thread)" "$B" "$rg1_one"
row "secops scan, 1/4 tree" "$S" "$sec_small"
awk -v a="${sec_all% *}" -v b="${rg_all% *}" -v c="${sec_one% *}" -v d="${rg_one% *}" -v e="${rg1_all% *}" -v f="${rg1_one% *}" 'BEGIN{
  printf "\nsecops/rg time ratio (same regexes, rg -U): %.2fx (%d threads), %.2fx (1 thread); target <= 1.5x\n", a/b, '"$cores"', c/d
  printf "secops/rg time ratio (rg on single-line patterns only): %.2fx (%d threads), %.2fx (1 thread)\n", a/e, '"$cores"', c/f }'
awk -v kb1="${sec_small#* }" -v kb2="${sec_all#* }" 'BEGIN{
  printf "peak RSS: %.1f MiB on the 1/4 tree vs %.1f MiB on the full tree (flat = streaming)\n", kb1/1024, kb2/1024 }'
