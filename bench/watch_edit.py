#!/usr/bin/env python3
"""`build --watch` benchmark: the time from saving one practice to the site on disk showing it.

    bench/watch_edit.py SITE OUT [--edits 30] [--index] [--bin target/release/etalage]

Starts `etalage build --watch --root SITE --output OUT`, waits for its first build, then edits
one practice EDITS times (a sentence added to its body, saved the way editors save: a temporary
file renamed over the original). For every edit it measures the time from the save to the
moment the practice's page in OUT holds the sentence (polled every 0.5 ms: the output path is a
link turned in one step, so the page is read whole), and reads the build's own report line
("rebuilt ... in N ms: W file(s) written"). With --index (for a site with search) it also
waits, after each edit, for the build to report its search index published ("search index
updated"), and measures the time from the save to that report. Prints p50/p90/max of each
and the files written, and the process's resident memory (VmRSS) after the edits.
Put SITE and OUT on the file system you want measured (issue 6: the ordinary ext4 disk). The
practice file is restored at the end. Only the Python standard library is used.
"""

import argparse
import os
import queue
import re
import statistics
import subprocess
import sys
import threading
import time


def practice(site):
    folder = os.path.join(site, "content", "practices")
    names = sorted(f for f in os.listdir(folder) if f.endswith(".md"))
    path = os.path.join(folder, names[len(names) // 2])
    text = open(path, encoding="utf-8").read()
    slug = os.path.basename(path)[:-3]
    for line in text.splitlines()[1:]:
        if line == "---":
            break
        if line.startswith("slug:"):
            slug = line.split(":", 1)[1].strip()
    return path, text, slug


def shows(page, marker):
    try:
        with open(page, encoding="utf-8") as f:
            return marker in f.read()
    except OSError:
        return False


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0


def pct(values, q):
    v = sorted(values)
    return v[min(len(v) - 1, int(q * len(v)))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("site")
    ap.add_argument("out")
    ap.add_argument("--edits", type=int, default=30)
    ap.add_argument("--index", action="store_true")
    ap.add_argument("--bin", default="target/release/etalage")
    args = ap.parse_args()

    path, original, slug = practice(args.site)
    page = os.path.join(args.out, "praktijken", slug, "index.html")
    start = time.perf_counter()
    proc = subprocess.Popen(
        [args.bin, "build", "--watch", "--root", args.site, "--output", args.out],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    lines = queue.Queue()
    threading.Thread(
        target=lambda: [lines.put(l) for l in proc.stdout], daemon=True
    ).start()
    report = re.compile(r"^rebuilt .* in (\d+) ms: (\d+) file\(s\) written, (\d+) removed")
    try:
        first = lines.get(timeout=600)
        if not first.startswith("built "):
            sys.exit(f"the first build failed: {first}")
        print(f"first build: {(time.perf_counter() - start) * 1000:.0f} ms ({first.strip()})")
        while not lines.get(timeout=60).startswith("watching "):
            pass
        seen, took, written, indexed, rss = [], [], [], [], []
        for i in range(args.edits):
            marker = f"Bewerking {i} van de redactie."
            tmp = path + ".tmp"
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(original + f"\n{marker}\n")
            saved = time.perf_counter()
            os.replace(tmp, path)
            while not shows(page, marker):
                if time.perf_counter() - saved > 120:
                    sys.exit(f"edit {i}: the page never showed it")
                time.sleep(0.0005)
            seen.append(time.perf_counter() - saved)
            while True:
                m = report.match(lines.get(timeout=120))
                if m:
                    break
            took.append(int(m.group(1)))
            written.append(int(m.group(2)))
            if args.index:
                while not lines.get(timeout=120).startswith("search index updated"):
                    pass
                indexed.append((time.perf_counter() - saved) * 1000)
            rss.append(rss_mb(proc.pid))
            time.sleep(0.2)
        ms = [s * 1000 for s in seen]
        print(f"site: {args.site} -> {args.out}")
        print(
            f"save to page on disk ({len(ms)} edits): p50 {statistics.median(ms):.0f} ms, "
            f"p90 {pct(ms, 0.9):.0f} ms, max {max(ms):.0f} ms"
        )
        print(
            f"build's own report: p50 {statistics.median(took):.0f} ms, "
            f"p90 {pct(took, 0.9):.0f} ms, max {max(took)} ms; "
            f"files written p50 {statistics.median(written):.0f}"
        )
        print(
            f"memory (VmRSS): after edit 1 {rss[0]:.0f} MB, after edit {len(rss)} "
            f"{rss[-1]:.0f} MB, max {max(rss):.0f} MB"
        )
        if indexed:
            print(
                f"save to search index published: p50 {statistics.median(indexed):.0f} ms, "
                f"p90 {pct(indexed, 0.9):.0f} ms, max {max(indexed):.0f} ms"
            )
    finally:
        proc.terminate()
        proc.wait()
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)


if __name__ == "__main__":
    main()
