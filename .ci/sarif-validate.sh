#!/usr/bin/env bash
# Validate SARIF files with Microsoft's SARIF multitool (rules "Sarif;Gh": the SARIF spec plus
# GitHub code scanning's ingestion rules). Fails on any error or warning; notes are listed.
# Usage: .ci/sarif-validate.sh FILE.sarif...
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tools="$here/.tools"
version="5.7.0"
bin="$tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
if [ ! -x "$bin" ]; then
  mkdir -p "$tools"
  echo "installing @microsoft/sarif-multitool@$version into $tools" >&2
  npm install --prefix "$tools" --no-audit --no-fund --loglevel=error "@microsoft/sarif-multitool@$version" >&2
  # npm may skip the package's postinstall (chmod u+x); do it ourselves.
  chmod u+x "$bin"
fi
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
status=0
for f in "$@"; do
  out="$(mktemp --suffix=.sarif)"
  if ! "$bin" validate --rule-kind "Sarif;Gh" --level "Error;Warning;Note" --log ForceOverwrite -o "$out" "$f" >"$out.log" 2>&1; then
    echo "sarif-validate: the validator failed on $f:" >&2
    cat "$out.log" >&2
    status=1
    continue
  fi
  if ! python3 - "$out" "$f" <<'PY'
import json, sys
log = json.load(open(sys.argv[1]))
bad, notes = [], 0
for run in log.get("runs", []):
    for r in run.get("results", []):
        level = r.get("level", "warning")
        msg = r.get("message", {})
        text = msg.get("text") or (msg.get("id", "") + " " + " ".join(msg.get("arguments", [])))
        if level in ("error", "warning"):
            bad.append(f"{level} {r.get('ruleId')}: {text}")
        else:
            notes += 1
for b in bad:
    print(f"  {b}", file=sys.stderr)
print(f"sarif-validate: {sys.argv[2]}: {len(bad)} errors/warnings, {notes} notes", file=sys.stderr)
sys.exit(1 if bad else 0)
PY
  then
    status=1
  fi
  rm -f "$out" "$out.log"
done
exit $status
