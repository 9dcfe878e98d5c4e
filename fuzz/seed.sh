#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ from the bundled content and the committed seeds in fuzz/seeds/.
# Idempotent; the corpus folders are not committed (libFuzzer adds to them as it runs).
set -euo pipefail
cd "$(dirname "$0")"
for t in frontmatter markdown practice; do mkdir -p "corpus/$t"; done
for f in ../content/practices/*.md ../content/awards/*.md ../content/pages/*.md; do
  name=$(basename "$f" .md)
  cp "$f" "corpus/frontmatter/$name.md"
  # The body: everything after the second `---` line.
  awk 'n >= 2 { print } /^---[[:space:]]*$/ { n++ }' "$f" > "corpus/markdown/$name.md"
done
for f in ../content/practices/*.md; do cp "$f" "corpus/practice/$(basename "$f")"; done
for t in frontmatter markdown practice; do
  if [ -d "seeds/$t" ]; then cp seeds/"$t"/* "corpus/$t/"; fi
done
for t in frontmatter markdown practice; do echo "$t: $(ls corpus/$t | wc -l) files"; done
