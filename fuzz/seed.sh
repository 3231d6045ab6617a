#!/usr/bin/env bash
# Fill fuzz/corpus/<target>/ with seed inputs from the secops-deps test fixtures (and, when
# present, a few records and index files from the OSV snapshot). Safe to re-run.
#
#   fuzz/seed.sh [OSV_DIR]      (default: /work/shared/osv, else ../shared/osv)
set -euo pipefail
cd "$(dirname "$0")"
fx=../crates/secops-deps/tests/fixtures
seed() { # target files...
  local t="$1"; shift
  mkdir -p "corpus/$t"
  for f in "$@"; do
    [ -f "$f" ] && cp "$f" "corpus/$t/$(echo "$f" | sed 's|^\.\./||; s|/|_|g')"
  done
  return 0
}
seed lockfile_json $(find "$fx/lockfiles" -name package-lock.json -o -name npm-shrinkwrap.json \
  -o -name bun.lock -o -name composer.lock -o -name packages.lock.json -o -name Pipfile.lock)
seed lockfile_toml $(find "$fx/lockfiles" -name Cargo.lock -o -name poetry.lock -o -name uv.lock \
  -o -name pdm.lock -o -name 'pylock*.toml' -o -name pyproject.toml)
seed lockfile_text $(find "$fx/lockfiles" -name 'requirements*.txt' -o -name yarn.lock -o -name go.mod \
  -o -name go.sum -o -name Gemfile.lock -o -name gems.locked -o -name '*gradle.lockfile')
seed lockfile_yaml $(find "$fx/lockfiles" -name pnpm-lock.yaml)
seed lockfile_xml $(find "$fx/lockfiles" -name pom.xml -o -name packages.config -o -name '*.csproj' \
  -o -name '*.props')
seed osv_record $(find "$fx/osv" "$fx/db/records" -name '*.json')

osv="${1:-}"
for c in "$osv" /work/shared/osv ../../shared/osv; do
  if [ -n "$c" ] && [ -f "$c/crates.io/all.zip" ]; then osv="$c"; break; fi
done
if [ -n "$osv" ] && [ -f "$osv/crates.io/all.zip" ]; then
  # 40 real records per ecosystem.
  for e in crates.io npm PyPI Go; do
    python3 - "$osv/$e/all.zip" "corpus/osv_record" <<'PY'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = sorted(n for n in z.namelist() if n.endswith(".json"))
for n in names[:: max(1, len(names) // 40)][:40]:
    open(f"{sys.argv[2]}/{n}", "wb").write(z.read(n))
PY
  done
  # Index files built by the library: a small one per ecosystem, from 30 records each, as
  # `osv_index` inputs (byte 0 = 1: repair the header; byte 1 = the ecosystem's position).
  tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
  mkdir -p corpus/osv_index "$tmp/src"
  python3 - "$osv" "$tmp/src" <<'PY'
import os, sys, zipfile
for e in ["crates.io", "npm", "PyPI", "Go"]:
    z = zipfile.ZipFile(os.path.join(sys.argv[1], e, "all.zip"))
    names = sorted(n for n in z.namelist() if n.endswith(".json"))[:30]
    os.makedirs(os.path.join(sys.argv[2], e), exist_ok=True)
    with zipfile.ZipFile(os.path.join(sys.argv[2], e, "all.zip"), "w") as out:
        for n in names:
            out.writestr(n, z.read(n))
PY
  (cd .. && cargo run -q --release -p secops-deps --example deps_timing -- --import "$tmp/src" --db "$tmp/db" >/dev/null)
  i=0
  for e in npm PyPI Go crates.io; do  # Ecosystem::ALL order: npm, PyPI, Go, crates.io, ...
    { printf '\001'; printf "\\$(printf '%03o' "$i")"; cat "$tmp/db/$e/secops.idx"; } > "corpus/osv_index/$e.idx"
    i=$((i + 1))
  done
fi
for d in corpus/*; do echo "$d: $(ls "$d" | wc -l) seeds"; done
