#!/usr/bin/env bash
# Instruction count (callgrind Ir) of one `etalage build` of the generated 1k site: the figure that
# does not move with machine noise. Record it in bench/README.md with date and commit.
#
#   bench/callgrind.sh              total Ir of a build of 1,000 practices (seed 1)
#   bench/callgrind.sh --top 25     also the 25 most expensive functions (inclusive, then self)
#   options: --practices N (default 1000), --seed S (default 1)
#
# The build runs with RAYON_NUM_THREADS=1 so idle worker threads do not add a varying count; the
# work done is the same as with more threads. The profile is kept at
# ${ETALAGE_BENCH_TMPFS:-/dev/shm/etalage-bench}/callgrind.out for callgrind_annotate.
set -euo pipefail
cd "$(dirname "$0")/.."
N=1000 SEED=1 TOP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --practices) N=$2; shift ;;
    --seed) SEED=$2; shift ;;
    --top) TOP=$2; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
command -v valgrind >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null; }
DIR=${ETALAGE_BENCH_TMPFS:-/dev/shm/etalage-bench}
mkdir -p "$DIR"
cargo build --release --quiet --bin etalage --example gen_corpus
TARGET=${CARGO_TARGET_DIR:-$PWD/target}
STAMP="$(cat bench/corpus.rs bench/to_hugo.rs | sha1sum | cut -c1-10)-seed$SEED"
site=$DIR/site-$N
if [ ! -f "$site/.corpus-$STAMP" ]; then
  "$TARGET/release/examples/gen_corpus" --practices "$N" --out "$site" --seed "$SEED" --force >&2
  touch "$site/.corpus-$STAMP"
fi
# A reused site carries the theme of the day it was generated: measure today's.
if ! diff -rq themes/default "$site/themes/default" >/dev/null 2>&1; then
  rm -rf "$site/themes/default" && cp -r themes/default "$site/themes/default"
fi
out=$DIR/callgrind-out-$N
rm -rf "$out" "$DIR/.callgrind-out-$N".etalage-*
RAYON_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file="$DIR/callgrind.out" \
  "$TARGET/release/etalage" build --root "$site" --output "$out" >/dev/null 2>"$DIR/callgrind.log" \
  || { cat "$DIR/callgrind.log" >&2; exit 1; }
ir=$(callgrind_annotate "$DIR/callgrind.out" 2>/dev/null | awk '/PROGRAM TOTALS/ && !done {gsub(",", "", $1); print $1; done = 1}')
echo "commit ${ETALAGE_BENCH_COMMIT:-$(git rev-parse --short HEAD 2>/dev/null || echo "?")}, $(date -u +%Y-%m-%d), $N practices, seed $SEED"
printf 'total Ir: %s (%s)\n' "$ir" "$(python3 -c "print(f'{$ir/1e9:.2f} G')")"
if [ "$TOP" -gt 0 ]; then
  echo
  echo "## inclusive"
  callgrind_annotate --inclusive=yes "$DIR/callgrind.out" 2>/dev/null | grep -E "^ *[0-9,]+ \(" | sed -n "1,${TOP}p"
  echo
  echo "## self"
  callgrind_annotate "$DIR/callgrind.out" 2>/dev/null | grep -E "^ *[0-9,]+ \(" | sed -n "1,${TOP}p"
fi
