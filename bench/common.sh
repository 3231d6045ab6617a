# Shared by the SAST benchmarks (source this file): timing, result rows, semgrep setup.
#
#   run CMD...        one run: prints "seconds peak_KiB"
#   runs N CMD...     N runs: prints "median_seconds peak_KiB min_seconds" (the machine's
#                     noise shows as the gap between median and min)
run() { local tf; tf="$(mktemp)"; /usr/bin/time -f '%e %M' -o "$tf" "$@" >/dev/null 2>"$tf.err" || true; tail -1 "$tf"; rm -f "$tf" "$tf.err"; }
runs() {
  local n="$1"; shift
  local i
  for i in $(seq "$n"); do run "$@"; done | sort -n | awk '{t[NR]=$1; if ($2 > m) m = $2} END {printf "%s %s %s\n", t[int((NR+1)/2)], m, t[1]}'
}
# MB/s for $code_bytes (set by the caller) in $1 seconds.
mbs() { awk -v b="$code_bytes" -v s="$1" 'BEGIN{ if (s <= 0) s = 0.01; printf "%.1f", b / 1e6 / s }'; }
# A result row: label, then the output of run or runs.
row() {
  local t m mn extra=""
  read -r t m mn <<<"$2"
  if [ -n "$mn" ]; then extra="   (median of $reps; best ${mn} s = $(mbs "$mn") MB/s)"; fi
  printf '%-34s %8.2f s %8s MB/s %8.1f MiB peak%s\n' "$1" "$t" "$(mbs "$t")" "$(awk -v k="$m" 'BEGIN{print k/1024}')" "$extra"
}
# semgrep from PyPI into $out/venv (first use), and secops's rules translated for it into
# $out/semgrep-rules.yml (every run, so it follows the rule files).
semgrep_setup() {
  if [ ! -x "$out/venv/bin/semgrep" ]; then
    echo "installing semgrep into $out/venv (PyPI)" >&2
    python3 -m venv "$out/venv"
    "$out/venv/bin/pip" install -q semgrep >&2
  fi
  python3 bench/semgrep_rules_from_toml.py > "$out/semgrep-rules.yml" 2>"$out/semgrep-rules.log"
}
