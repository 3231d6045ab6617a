#!/usr/bin/env bash
# IaC benchmark: secops' Terraform checks (library level, `iac::check` through the
# `iac_check` example) against checkov (PyPI) on the same generated repository, timed in one run.
#
#   bench/iac.sh [FILES] [TF_FILES]      (default 20000 files of which 600 are Terraform)
#
# The repository is generated deterministically by `examples/gen_iac_repo.rs` into
# bench-out/iac-repo-<FILES>-<TF>; checkov is installed into bench-out/checkov-venv on first use
# (`pip install checkov`). Both tools are timed on the whole repository (they walk it and pick
# the Terraform files) and on its infra/ subtree (Terraform only); checkov runs with
# `--skip-download` so that no network lookup is timed. Prints wall time, peak RSS, result
# counts and the checkov/secops time ratio (target >= 10x).
set -euo pipefail
cd "$(dirname "$0")/.."
files="${1:-20000}"
tf="${2:-600}"
out="bench-out"
mkdir -p "$out"

cargo build --release -q -p secops-comply --example gen_iac_repo --example iac_check
gen=target/release/examples/gen_iac_repo
check=target/release/examples/iac_check

repo="$out/iac-repo-$files-$tf"
if [ ! -f "$repo/.done" ]; then
  "$gen" --out "$repo" --files "$files" --tf "$tf" --seed 7 >&2
  touch "$repo/.done"
fi

venv="$out/checkov-venv"
if [ ! -x "$venv/bin/checkov" ]; then
  echo "installing checkov into $venv (PyPI)" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q checkov
fi
checkov="$venv/bin/checkov"

# run CMD... → "seconds peak_kb" (stdout of the command to $out/last.out)
measure() {
  local tfile; tfile="$(mktemp)"
  /usr/bin/time -f '%e %M' -o "$tfile" "$@" >"$out/last.out" 2>"$out/last.err" || true
  # checkov exits 1 when checks fail; time(1) then writes a note before the figures.
  tail -n 1 "$tfile"; rm -f "$tfile"
}
best_of() { # n cmd... → best "seconds peak_kb"
  local n="$1"; shift; local best="" r
  for _ in $(seq "$n"); do
    r="$(measure "$@")"
    if [ -z "$best" ] || awk -v a="${r% *}" -v b="${best% *}" 'BEGIN{exit !(a<b)}'; then best="$r"; fi
  done
  echo "$best"
}

# Warm the page cache.
find "$repo" -type f -exec cat {} + >/dev/null

n_files=$(find "$repo" -type f ! -name .done | wc -l)
n_tf=$(find "$repo" -name '*.tf' | wc -l)
tf_bytes=$(find "$repo" -name '*.tf' -exec cat {} + | wc -c)
printf '\nrepository: %s: %d files, %d Terraform files (%.1f MB of .tf); %d cores\n' \
  "$repo" "$n_files" "$n_tf" "$(awk -v b="$tf_bytes" 'BEGIN{print b/1e6}')" "$(nproc)"

"$check" "$repo" >/dev/null 2>"$out/secops-summary.txt"
echo "secops:  $(head -1 "$out/secops-summary.txt")"
"$checkov" -d "$repo" --framework terraform --quiet --compact --skip-download -o json \
  >"$out/checkov.json" 2>/dev/null || true
python3 - "$out/checkov.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
if isinstance(d, list):
    d = next((x for x in d if x.get("check_type") == "terraform"), d[0])
s = d.get("summary", {})
print(f"checkov: resources {s.get('resource_count')}, results {s.get('passed', 0) + s.get('failed', 0)} "
      f"(passed {s.get('passed')}, failed {s.get('failed')}), parsing errors {s.get('parsing_errors')}")
PY

sec_all=$(best_of 5 "$check" "$repo")
sec_one=$(best_of 3 env RAYON_NUM_THREADS=1 "$check" "$repo")
sec_infra=$(best_of 5 "$check" "$repo/infra")
ckv_all=$(best_of 2 "$checkov" -d "$repo" --framework terraform --quiet --compact --skip-download -o json)
ckv_infra=$(best_of 2 "$checkov" -d "$repo/infra" --framework terraform --quiet --compact --skip-download -o json)

row() { # label "sec kb"
  printf '%-44s %8.2f s %8.1f MiB peak\n' "$1" "${2% *}" "$(awk -v k="${2#* }" 'BEGIN{print k/1024}')"
}
echo
row "secops iac::check, whole repo ($(nproc) threads)" "$sec_all"
row "secops iac::check, whole repo (1 thread)" "$sec_one"
row "secops iac::check, infra/ only" "$sec_infra"
row "checkov -d, whole repo" "$ckv_all"
row "checkov -d, infra/ only" "$ckv_infra"
awk -v a="${sec_all% *}" -v b="${ckv_all% *}" -v c="${sec_one% *}" -v d="${sec_infra% *}" -v e="${ckv_infra% *}" 'BEGIN{
  if (a <= 0) a = 0.01; if (c <= 0) c = 0.01; if (d <= 0) d = 0.01
  printf "\ncheckov/secops time ratio: %.0fx whole repo (%.0fx with secops on 1 thread), %.0fx infra/ only; target >= 10x\n", b/a, b/c, e/d }'
