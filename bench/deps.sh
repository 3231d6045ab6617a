#!/usr/bin/env bash
# Speed and memory benchmark for `secops deps`, against cargo-audit on the same Cargo.lock.
#
#   bench/deps.sh [--no-cargo-audit] [--seed N]
#
# 1. Builds the release binaries (secops, secops-corpus, the deps_timing example).
# 2. Generates bench-out/deps-tree (cached) from the OSV snapshot (SECOPS_BENCH_OSV, else
#    /work/shared/osv, else ../shared/osv): rust/Cargo.lock (15,000 crates), node/package-lock.json
#    (5,000), python/poetry.lock (1,000), go/go.mod (2,000).
# 3. Imports the snapshot into a temporary database (`secops db import`, which builds the
#    compact index) and times it.
# 4. Times `secops deps DIR --db DB --offline --format json --output /dev/null` on each folder
#    and on the whole tree (first run after the import, then best of 3), with the findings
#    counted from a JSON run; and the library-level timings (examples/deps_timing.rs).
# 5. Times cargo-audit (installed into bench-out/cargo-home on first use) on the same
#    Cargo.lock against a local advisory-db converted from the same OSV records
#    (bench/osv_to_rustsec.py), and prints the secops/cargo-audit ratio.
#
# SECOPS_BIN=PATH benchmarks another secops binary (e.g. a build of another branch).
# Timings use /usr/bin/time: wall seconds, CPU seconds (user + system), peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
out="bench-out"
seed=1
run_audit=1
while [ $# -gt 0 ]; do
  case "$1" in
    --no-cargo-audit) run_audit=0 ;;
    --seed) seed="$2"; shift ;;
    *) echo "usage: bench/deps.sh [--no-cargo-audit] [--seed N]" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$out"

osv=""
for c in "${SECOPS_BENCH_OSV:-}" /work/shared/osv ../shared/osv; do
  if [ -n "$c" ] && [ -f "$c/crates.io/all.zip" ]; then osv="$(cd "$c" && pwd)"; break; fi
done
[ -n "$osv" ] || { echo "no OSV snapshot (set SECOPS_BENCH_OSV to a folder with <Ecosystem>/all.zip)" >&2; exit 1; }

cargo build --release -q -p secops -p secops-corpus
cargo build --release -q -p secops-deps --example deps_timing
secops="${SECOPS_BIN:-$root/target/release/secops}"
corpus="$root/target/release/secops-corpus"
timing="$root/target/release/examples/deps_timing"

tree="$out/deps-tree"
mark="$tree/.done-seed$seed"
if [ ! -f "$mark" ] || [ "$corpus" -nt "$mark" ] || [ "$osv/crates.io/all.zip" -nt "$mark" ]; then
  rm -rf "$tree"
  "$corpus" deps-tree --out "$tree" --osv "$osv" --seed "$seed" >&2
  touch "$mark"
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
db="$tmp/db"

# measure CMD... → "wall cpu peak_kib exit_code", cpu = user + system seconds (the command's
# output is discarded)
measure() {
  local tf="$tmp/time" rc=0
  /usr/bin/time -f '%e %U %S %M' -o "$tf" "$@" >/dev/null 2>"$tmp/stderr" || rc=$?
  tail -n 1 "$tf" | awk -v rc="$rc" '{printf "%s %.2f %s %s\n", $1, $2 + $3, $4, rc}'
}
# best_of N CMD... → the run with the least CPU time
best_of() {
  local n="$1"; shift; local best="" r
  for _ in $(seq "$n"); do
    r="$(measure "$@")"
    if [ -z "$best" ] || awk -v a="$(echo "$r" | cut -d' ' -f2)" -v b="$(echo "$best" | cut -d' ' -f2)" 'BEGIN{exit !(a<b)}'; then best="$r"; fi
  done
  echo "$best"
}
mib() { awk -v k="$1" 'BEGIN{printf "%.1f", k/1024}'; }
row() { # label packages findings "wall cpu peak rc" (exit codes 0-2 mean findings, not errors:
        # secops 0/1/2 = below threshold/high/critical, cargo-audit 1 = vulnerabilities)
  set -- "$1" "$2" "$3" $4
  printf '%-26s %9s %9s %8s %8s %9s%s\n' "$1" "$2" "$3" "$4" "$5" "$(mib "$6")" \
    "$( [ "$7" -le 2 ] || echo "  (exit $7: error)")"
}
hdr() { printf '%-26s %9s %9s %8s %8s %9s\n' "$1" packages findings "wall s" "CPU s" "peak MiB"; }

echo
echo "OSV snapshot: $osv ($(for e in crates.io npm PyPI Go; do printf '%s ' "$e:$(du -k "$osv/$e/all.zip" | cut -f1)K"; done))"
echo "tree: $tree ($(du -sh --exclude='.done-*' "$tree" | cut -f1)); $(nproc) cores"

# --- import (builds the compact index) --------------------------------------------------------
have_cli=0
if "$secops" deps --help >/dev/null 2>&1 && "$secops" db import --help >/dev/null 2>&1; then have_cli=1; fi
if [ "$have_cli" = 1 ]; then
  r="$(measure "$secops" db import "$osv" --db "$db")"
  how="secops db import"
else
  r="$(measure "$timing" --import "$osv" --db "$db")"
  how="library store::import (this secops has no deps/db commands)"
fi
set -- $r
[ "$4" = 0 ] || { echo "import failed:" >&2; cat "$tmp/stderr" >&2; exit 1; }
idx_kib=$(du -ck "$db"/*/secops.idx | tail -n 1 | cut -f1)
zip_kib=$(du -ck "$db"/*/all.zip | tail -n 1 | cut -f1)
echo
echo "import + index build ($how): $1 s wall, $2 s CPU, $(mib "$3") MiB peak"
echo "index: ${idx_kib} KiB of secops.idx next to ${zip_kib} KiB of zips"

# --- library-level timings (cross-check) -------------------------------------------------------
declare -A PKGS LIBF
lib_rust=""
targets=(rust node python go)
files_of() {
  case "$1" in
    rust) echo "$tree/rust/Cargo.lock" ;;
    node) echo "$tree/node/package-lock.json" ;;
    python) echo "$tree/python/poetry.lock" ;;
    go) echo "$tree/go/go.mod" ;;
    all) echo "$tree/rust/Cargo.lock $tree/node/package-lock.json $tree/python/poetry.lock $tree/go/go.mod" ;;
  esac
}
echo
echo "library (examples/deps_timing.rs: Database::open, parse, query every package; ms; best of 3)"
printf '%-8s %9s %9s %8s %8s %13s %8s %8s %9s\n' target packages findings "load" "parse" "match 1t/Nt" "wall s" "CPU s" "peak MiB"
for t in "${targets[@]}" all; do
  # shellcheck disable=SC2046
  "$timing" --db "$db" $(files_of "$t") > "$tmp/lib.txt"
  # shellcheck disable=SC2046
  r="$(best_of 3 "$timing" --db "$db" $(files_of "$t"))"
  [ "$t" = rust ] && lib_rust="$r"
  set -- $r
  lw=$1 lu=$2 lp=$3
  load=$(awk '/^db load/{print $3}' "$tmp/lib.txt")
  parse=$(awk '/^parse/{print $2}' "$tmp/lib.txt")
  m1=$(awk '/^match/{print $2}' "$tmp/lib.txt")
  mn=$(awk '/^match/{print $6}' "$tmp/lib.txt")
  PKGS[$t]=$(sed -n 's/^parse .*(\([0-9]*\) packages.*/\1/p' "$tmp/lib.txt")
  LIBF[$t]=$(sed -n 's/.* \([0-9]*\) findings).*/\1/p' "$tmp/lib.txt")
  printf '%-8s %9s %9s %8s %8s %13s %8s %8s %9s\n' "$t" "${PKGS[$t]}" "${LIBF[$t]}" "$load" "$parse" "$m1/$mn" "$lw" "$lu" "$(mib "$lp")"
done

# --- secops deps (CLI) ---------------------------------------------------------------------------
sec_rust=""
if [ "$have_cli" = 1 ]; then
  count() { # path → findings in a JSON report
    python3 - "$1" <<'PY'
import json, sys
try:
    d = json.load(open(sys.argv[1]))
except Exception:
    print("?"); sys.exit()
f = d.get("findings") if isinstance(d, dict) else None
print(len(f) if isinstance(f, list) else "?")
PY
  }
  # deps DIR OUTPUT → the command line (an array, so /usr/bin/time can run it)
  deps() { dcmd=("$secops" deps "$1" --db "$db" --offline --format json --output "$2"); }
  echo
  echo "secops deps PATH --db DB --offline --format json --output /dev/null"
  hdr target
  for t in rust rust-warm node python go all; do
    case "$t" in rust-warm) dir="$tree/rust" ;; all) dir="$tree" ;; *) dir="$tree/$t" ;; esac
    key="${t%-warm}"
    deps "$dir" /dev/null
    if [ "$t" = rust ]; then
      r="$(measure "${dcmd[@]}")"  # first run after the import
      label="rust (first run)"
    else
      r="$(best_of 3 "${dcmd[@]}")"
      label="${t%-warm} (best of 3)"
    fi
    deps "$dir" "$tmp/report.json"
    "${dcmd[@]}" >/dev/null 2>&1 || true
    row "$label" "${PKGS[$key]}" "$(count "$tmp/report.json")" "$r"
    [ "$t" = rust-warm ] && sec_rust="$r"
  done
else
  echo
  echo "secops deps: not measured (this build of secops has no \`deps\` / \`db import\` command yet)."
  echo "The library timings above are the same work minus file discovery and report writing."
fi

# --- cargo-audit -----------------------------------------------------------------------------------
audit_ref_cpu=0.55
if [ "$run_audit" = 1 ]; then
  ch="$root/$out/cargo-home"
  audit="$ch/bin/cargo-audit"
  if [ ! -x "$audit" ]; then
    echo "installing cargo-audit into $ch (first run only; several minutes)" >&2
    CARGO_HOME="$ch" cargo install cargo-audit --locked -q >&2 || true
  fi
  adb="$root/$out/rustsec-advisory-db"
  if [ -x "$audit" ]; then
    if [ ! -d "$adb/crates" ] || [ "$osv/crates.io/all.zip" -nt "$adb/crates" ] \
      || [ "$root/bench/osv_to_rustsec.py" -nt "$adb/crates" ]; then
      rm -rf "$adb"
      python3 "$root/bench/osv_to_rustsec.py" "$osv/crates.io/all.zip" "$adb" >&2
    fi
    lock="$root/$tree/rust/Cargo.lock"
    # --no-fetch: read the local database, no git; --stale: do not require a recent fetch;
    # yanked checks are off (they need the crates.io index; secops has no such check).
    acmd=("$audit" audit --db "$adb" --no-fetch --stale --file "$lock")
    if "${acmd[@]}" --help 2>/dev/null | grep -q -- '--no-yanked'; then acmd+=(--no-yanked); fi
    acmd=(env CARGO_HOME="$ch" "${acmd[@]}")
    "${acmd[@]}" --json > "$tmp/audit.json" 2>"$tmp/audit.err" || true
    afind=$(python3 - "$tmp/audit.json" <<'PY'
import json, sys
try:
    d = json.load(open(sys.argv[1]))
except Exception:
    print("?"); sys.exit()
v = d.get("vulnerabilities", {}).get("count", "?")
w = sum(len(x) for x in (d.get("warnings") or {}).values())
print(f"{v}+{w}w")
PY
)
    if [ "$afind" = "?" ]; then
      echo
      echo "cargo-audit failed on the converted advisory-db:"; head -5 "$tmp/audit.err"
      run_audit=0
    else
      first="$(measure "${acmd[@]}")"
      ar="$(best_of 3 "${acmd[@]}")"
      echo
      echo "cargo-audit $("$audit" --version 2>/dev/null | awk '{print $2}') on the same Cargo.lock, local advisory-db converted from the same OSV records"
      echo "(findings: vulnerabilities + informational warnings, which secops reports as findings too)"
      hdr target
      row "rust (first run)" "${PKGS[rust]}" "$afind" "$first"
      row "rust (best of 3)" "${PKGS[rust]}" "$afind" "$ar"
      # Same answers? secops groups records that share aliases into one finding, so compare
      # the (crate, version, RUSTSEC record) triples.
      "$timing" --db "$db" --list "$lock" | awk 'NF==5{n=split($5,r,","); for(i=1;i<=n;i++) print $2, $3, r[i]}' | sort -u > "$tmp/sec.txt"
      python3 - "$tmp/audit.json" <<'PY' | sort -u > "$tmp/aud.txt"
import json, sys
d = json.load(open(sys.argv[1]))
items = list(d["vulnerabilities"]["list"]) + [w for ws in (d.get("warnings") or {}).values() for w in ws]
for v in items:
    if v.get("advisory"):
        print(v["package"]["name"], v["package"]["version"], v["advisory"]["id"])
PY
      echo "records matched (crate, version, id): secops $(wc -l < "$tmp/sec.txt"), cargo-audit $(wc -l < "$tmp/aud.txt"), only secops $(comm -23 "$tmp/sec.txt" "$tmp/aud.txt" | wc -l), only cargo-audit $(comm -13 "$tmp/sec.txt" "$tmp/aud.txt" | wc -l)"
    fi
  else
    echo "cargo-audit could not be installed" >&2
    run_audit=0
  fi
fi

echo
if [ -n "$sec_rust" ] && [ "$run_audit" = 1 ]; then
  set -- $sec_rust; sw=$1 su=$2
  set -- $ar; aw=$1 au=$2
  awk -v sw="$sw" -v su="$su" -v aw="$aw" -v au="$au" 'BEGIN{
    printf "secops/cargo-audit on the 15,000-crate Cargo.lock: wall %.2fx, CPU %.2fx (target: <= 1)\n",
      sw/(aw>0?aw:0.001), su/(au>0?au:0.001) }'
elif [ "$run_audit" = 1 ]; then
  set -- $lib_rust; sw=$1 su=$2
  set -- $ar; aw=$1 au=$2
  awk -v sw="$sw" -v su="$su" -v aw="$aw" -v au="$au" 'BEGIN{
    printf "secops CLI not measured; LIBRARY-level (deps_timing: load + parse + match, no discovery or report)\n"
    printf "  / cargo-audit on the 15,000-crate Cargo.lock: wall %.2fx, CPU %.2fx\n",
      sw/(aw>0?aw:0.001), su/(au>0?au:0.001) }'
else
  echo "cargo-audit: NOT measured here; reference figure from the issue: ${audit_ref_cpu} s CPU on a 15,000-crate Cargo.lock"
fi
