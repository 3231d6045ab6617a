#!/usr/bin/env bash
# Build a benchmark tree of REAL open-source code (about 55 MB of Python, JavaScript/TypeScript,
# Java and Go), fetched from the package registries with their ordinary clients: PyPI (pip), npm
# (npm pack) and Debian (apt-get download). Every version is pinned, so the tree is the same
# each time; downloads are cached in bench-out/real-cache/. Only code files are kept
# (.py .js .mjs .cjs .jsx .ts .tsx .java .go; no *.min.*, no .d.ts declarations, no source maps),
# so the byte count is honest. See bench/README-sast-real.md.
#
#   bench/real-tree.sh [DIR]     (default bench-out/real-tree; does nothing if DIR/.done exists)
set -euo pipefail
cd "$(dirname "$0")/.."
tree="${1:-bench-out/real-tree}"
cache="bench-out/real-cache"

if [ -f "$tree/.done" ]; then
  echo "real tree $tree is ready (rm -rf it to rebuild)" >&2
  exit 0
fi
case "$tree" in "" | "/" | "." | "..") echo "refusing to use '$tree' as the tree" >&2; exit 3 ;; esac

# ---------------------------------------------------------------------------------------------
# Pinned contents.
#
# Python: source distributions from PyPI; the package source is kept, the sdist's top-level
# tests/ and docs/ folders are dropped (tests inside the package, e.g. tornado/test, stay).
py_pkgs=(
  Django==4.2.16 Flask==3.0.3 Werkzeug==3.0.4 Jinja2==3.1.4 click==8.1.7 requests==2.32.3
  tornado==6.4.1 celery==5.4.0 Scrapy==2.11.2 paramiko==3.5.0 fastapi==0.115.0
  starlette==0.38.6
)
py_drop_dirs=(tests test t testing docs doc docs_src)
# JavaScript / TypeScript: npm tarballs. "NAME@VER" keeps the whole package, "NAME@VER:a,b"
# keeps only those paths of it (the library source: lib/ for JS, src/ for packages that publish
# their TypeScript sources next to compiled copies, so no code is counted twice).
js_pkgs=(
  express@4.21.0 koa@2.15.3 lodash@4.17.21 axios@1.7.7:lib,index.js
  mongoose@8.7.0:lib,index.js sequelize@6.37.3:lib knex@3.1.0:lib,knex.js,bin
  mysql2@3.11.3:lib,index.js,promise.js pg@8.13.0:lib fastify@5.0.0:lib,fastify.js
  ejs@3.1.10:lib jsonwebtoken@9.0.2 multer@1.4.5-lts.1 nodemailer@6.9.15:lib ws@8.18.0:lib
  socket.io@4.8.0:dist @hapi/hapi@21.3.10:lib
  effect@3.8.4:src rxjs@7.8.1:src @reduxjs/toolkit@2.2.7:src @tanstack/query-core@5.56.2:src
  @trpc/server@10.45.2:src mobx@6.13.2:src
)
# Go: the Go 1.19 standard library from Debian (testdata/ dropped, _test.go files kept).
go_deb=golang-1.19-src
go_ver=1.19.8-2
go_root=usr/share/go-1.19/src
go_dirs=(
  net crypto encoding os html text database archive compress mime regexp fmt strconv strings
  bytes bufio io sort path context log flag expvar cmd/go
)
# Java: the JDK 17 class library sources (src.zip) from Debian.
java_deb=openjdk-17-source
java_ver=17.0.19+10-1~deb12u2
java_zip=usr/lib/jvm/openjdk-17/lib/src.zip
java_dirs=(
  java.base/java/net java.base/java/io java.base/sun/net java.sql java.sql.rowset java.net.http
  java.naming java.logging java.rmi java.scripting java.xml/javax jdk.httpserver
)
# ---------------------------------------------------------------------------------------------

mkdir -p "$cache"/{pypi,npm,deb}
rm -rf "$tree"
mkdir -p "$tree"/{py,js,go,java}
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
log() { printf '%s\n' "$*" >&2; }

# keep only files with the given extensions under $1 (and drop minified bundles, declarations)
keep_code() {
  local dir="$1"; shift
  local expr=() e
  for e in "$@"; do expr+=(-o -name "*.$e"); done
  find "$dir" -type f ! \( -false "${expr[@]}" \) -delete
  find "$dir" -type f \( -name '*.min.*' -o -name '*-min.js' -o -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' \) -delete
  find "$dir" -depth -type d -name node_modules -exec rm -rf {} +
  find "$dir" -depth -type d -empty -delete
  mkdir -p "$dir"
}

unpack() { # archive dest: extract an sdist/wheel/zip into dest, dropping one top-level folder
  local arc="$1" dest="$2" x="$tmp/unpack"
  rm -rf "$x"; mkdir -p "$x" "$dest"
  case "$arc" in
    *.tar.gz | *.tgz) tar -xzf "$arc" -C "$x" ;;
    *.tar.bz2) tar -xjf "$arc" -C "$x" ;;
    *.zip | *.whl) python3 -m zipfile -e "$arc" "$x" ;;
    *) log "unknown archive $arc"; return 1 ;;
  esac
  shopt -s dotglob nullglob
  local top=("$x"/*)
  if [ ${#top[@]} -eq 1 ] && [ -d "${top[0]}" ] && [[ "$arc" != *.whl ]]; then
    mv "${top[0]}"/* "$dest"/
  else
    mv "$x"/* "$dest"/
  fi
  shopt -u dotglob nullglob
}

# --- Python ----------------------------------------------------------------------------------
log "== Python (PyPI sdists)"
for spec in "${py_pkgs[@]}"; do
  name="${spec%%==*}"; ver="${spec#*==}"
  d="$cache/pypi/$name-$ver"
  if ! ls "$d"/* >/dev/null 2>&1; then
    mkdir -p "$d"
    if ! python3 -m pip download -q --disable-pip-version-check --no-deps --no-binary :all: "$spec" -d "$d" >&2; then
      log "  $spec: no sdist could be fetched, taking the wheel"
      rm -rf "$d"; mkdir -p "$d"
      python3 -m pip download -q --disable-pip-version-check --no-deps --only-binary :all: "$spec" -d "$d" >&2
    fi
  fi
  arc="$(ls "$d"/* | head -n 1)"
  dest="$tree/py/$name-$ver"
  unpack "$arc" "$dest"
  for t in "${py_drop_dirs[@]}"; do rm -rf "${dest:?}/$t"; done
  keep_code "$dest" py
  printf 'fetched pypi %-22s %s\n' "$spec" "$(basename "$arc")"
done

# --- JavaScript / TypeScript ------------------------------------------------------------------
log "== JavaScript/TypeScript (npm)"
for spec in "${js_pkgs[@]}"; do
  pkg="${spec%%:*}"; paths=""
  [ "$pkg" != "$spec" ] && paths="${spec#*:}"
  name="${pkg%@*}"; ver="${pkg##*@}"
  safe="$(printf '%s' "$name" | tr -d '@' | tr '/' '-')"
  d="$cache/npm/$safe-$ver"
  if ! ls "$d"/*.tgz >/dev/null 2>&1; then
    mkdir -p "$d"
    (cd "$d" && npm pack --silent "$name@$ver" >/dev/null)
  fi
  arc="$(ls "$d"/*.tgz | head -n 1)"
  dest="$tree/js/$safe"
  if [ -z "$paths" ]; then
    unpack "$arc" "$dest"
  else
    unpack "$arc" "$tmp/pkg"
    mkdir -p "$dest"
    IFS=',' read -r -a keep <<<"$paths"
    for p in "${keep[@]}"; do
      [ -e "$tmp/pkg/$p" ] || { log "  $pkg has no $p"; exit 3; }
      mkdir -p "$dest/$(dirname "$p")"
      cp -R "$tmp/pkg/$p" "$dest/$p"
    done
    rm -rf "$tmp/pkg"
  fi
  keep_code "$dest" js mjs cjs jsx ts tsx
  printf 'fetched npm  %-34s %s%s\n' "$name@$ver" "$(basename "$arc")" "${paths:+ (kept: $paths)}"
done

# --- Debian packages ---------------------------------------------------------------------------
deb_fetch() { # package version -> prints the path of the .deb in the cache
  local pkg="$1" ver="$2" f
  f="$(ls "$cache/deb/${pkg}_"*.deb 2>/dev/null | head -n 1 || true)"
  if [ -z "$f" ]; then
    if ! (cd "$cache/deb" && apt-get download -q "$pkg=$ver" >&2 2>/dev/null); then
      if [ "$(id -u)" = 0 ]; then apt-get update -q >&2 || true; fi
      if ! (cd "$cache/deb" && apt-get download -q "$pkg=$ver" >&2); then
        log "  WARNING: $pkg=$ver is no longer served; taking the current $pkg (tree will differ)"
        (cd "$cache/deb" && apt-get download -q "$pkg" >&2)
      fi
    fi
    f="$(ls "$cache/deb/${pkg}_"*.deb | head -n 1)"
  fi
  printf '%s\n' "$f"
}

log "== Go (Debian $go_deb)"
deb="$(deb_fetch "$go_deb" "$go_ver")"
rm -rf "$tmp/go"; mkdir -p "$tmp/go"
dpkg-deb -x "$deb" "$tmp/go"
for d in "${go_dirs[@]}"; do
  mkdir -p "$tree/go/$(dirname "$d")"
  cp -R "$tmp/go/$go_root/$d" "$tree/go/$d"
done
rm -rf "$tmp/go"
find "$tree/go" -depth -type d -name testdata -exec rm -rf {} +
keep_code "$tree/go" go
printf 'fetched deb  %s (%s)\n' "$(basename "$deb")" "${go_dirs[*]}"

log "== Java (Debian $java_deb)"
deb="$(deb_fetch "$java_deb" "$java_ver")"
zip="$cache/deb/$(basename "$deb" .deb).src.zip"
if [ ! -s "$zip" ]; then
  dpkg-deb --fsys-tarfile "$deb" | tar -xO "./$java_zip" >"$zip.part"
  mv "$zip.part" "$zip"
fi
python3 - "$zip" "$tree/java" "${java_dirs[@]}" <<'EOF'
import sys, zipfile, os
zpath, dest, prefixes = sys.argv[1], sys.argv[2], [p.rstrip("/") + "/" for p in sys.argv[3:]]
with zipfile.ZipFile(zpath) as z:
    for info in z.infolist():
        n = info.filename
        if n.endswith(".java") and any(n.startswith(p) for p in prefixes):
            out = os.path.join(dest, n)
            os.makedirs(os.path.dirname(out), exist_ok=True)
            with z.open(info) as src, open(out, "wb") as dst:
                dst.write(src.read())
EOF
keep_code "$tree/java" java
printf 'fetched deb  %s (%s)\n' "$(basename "$deb")" "${java_dirs[*]}"

# --- summary ------------------------------------------------------------------------------------
count() { # label dir find-name-args...
  local label="$1" dir="$2"; shift 2
  find "$dir" -type f \( "$@" \) -printf '%s\n' |
    awk -v l="$label" '{s+=$1; n++} END {printf "%-12s %7d files %8.2f MB\n", l, n, s/1e6}'
}
echo
echo "real tree $tree"
count python "$tree" -name '*.py'
count javascript "$tree" -name '*.js' -o -name '*.mjs' -o -name '*.cjs' -o -name '*.jsx'
count typescript "$tree" -name '*.ts' -o -name '*.tsx'
count java "$tree" -name '*.java'
count go "$tree" -name '*.go'
count total "$tree" -name '*.py' -o -name '*.js' -o -name '*.mjs' -o -name '*.cjs' -o -name '*.jsx' \
  -o -name '*.ts' -o -name '*.tsx' -o -name '*.java' -o -name '*.go'
other=$(find "$tree" -type f | grep -Ecv '\.(py|js|mjs|cjs|jsx|ts|tsx|java|go)$' || true)
[ "$other" -eq 0 ] || { echo "unexpected non-code files: $other" >&2; exit 3; }
touch "$tree/.done"
