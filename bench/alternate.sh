#!/usr/bin/env bash
# Two etalage binaries measured side by side on a busy host: alternating builds (A, B, A, B, …),
# each from an empty output folder, timed with /usr/bin/time; prints the median wall time, CPU
# time (user + system) and peak memory of each. Load from other work drifts over minutes, so two
# hyperfine blocks run one after the other can differ by more than the change measured; runs
# that alternate share the drift.
#
#   bench/alternate.sh [--runs N] BIN_A SITE_A BIN_B SITE_B
#
# Each binary gets a site of its own so each can carry the theme of its commit (link the
# content of one generated site into both: `ln -s`).
set -euo pipefail
RUNS=8
if [ "${1:-}" = "--runs" ]; then RUNS=$2; shift 2; fi
[ $# -eq 4 ] || { sed -n '2,11p' "$0"; exit 2; }
BIN_A=$1 SITE_A=$2 BIN_B=$3 SITE_B=$4
OUT=$(mktemp -d "${ETALAGE_BENCH_TMPFS:-/dev/shm}/alternate.XXXXXX")
LOG=$(mktemp)
trap 'rm -rf "$OUT" "$LOG"' EXIT
for _ in $(seq "$RUNS"); do
  for side in A B; do
    if [ $side = A ]; then bin=$BIN_A site=$SITE_A; else bin=$BIN_B site=$SITE_B; fi
    rm -rf "$OUT/site" "$OUT"/.site.etalage-*
    /usr/bin/time -f "$side %e %U %S %M" "$bin" build --root "$site" -o "$OUT/site" >/dev/null 2>>"$LOG"
  done
done
python3 - "$LOG" <<'PY'
import statistics as st, sys
rows = [l.split() for l in open(sys.argv[1]) if l[:2] in ("A ", "B ")]
for side in "AB":
    r = [list(map(float, x[1:])) for x in rows if x[0] == side]
    print(f"{side}: {len(r)} runs, median wall {st.median(x[0] for x in r):.3f} s, "
          f"CPU {st.median(x[1] + x[2] for x in r):.2f} s, peak {st.median(x[3] for x in r) / 1024:.0f} MB")
PY
