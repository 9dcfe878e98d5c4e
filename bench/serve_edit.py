#!/usr/bin/env python3
"""Dev-server benchmark: start-up time, edit-to-reload latency and memory over many edits.

    bench/serve_edit.py SITE [--edits 100] [--port 1190] [--bin target/release/etalage] [--broken]

Starts `etalage serve --root SITE`, measures the time until the home page answers (start-up to
first page; the server answers while its first build still runs) and until the server reports
its first build done (start-up to whole site), then edits one practice EDITS times (a changed sentence in its body, written the way
editors save: a temporary file renamed over the original). For every edit it measures the time
from the save to the live-reload event naming that practice's page, then fetches the page and
checks it shows the edit. Prints p50/p90/max latency and the server's resident memory (VmRSS)
after the first edit, at the end, and its maximum. The SITE's practice file is restored at the
end. With `--broken`, another practice gets an error first (an unknown `status`), so every edit
is served by the preview that holds the broken write-up back (`src/serve/partial.rs`): a
failed build, then the build of the preview. The server's standard error (its warnings) goes to the file SERVE_ERR names, if set. Only
the Python standard library is used.
"""

import argparse
import http.client
import os
import queue
import statistics
import subprocess
import sys
import threading
import time


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def events(port, out):
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", "/_etalage/events")
    resp = conn.getresponse()
    while True:
        line = resp.fp.readline()
        if not line:
            return
        line = line.decode().strip()
        if line.startswith("data:"):
            out.put((time.perf_counter(), line[5:].strip()))


def get(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)
    resp = conn.getresponse()
    return resp.status, resp.read().decode(errors="replace")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("site")
    ap.add_argument("--edits", type=int, default=100)
    ap.add_argument("--port", type=int, default=1190)
    ap.add_argument("--bin", default="target/release/etalage")
    ap.add_argument("--broken", action="store_true", help="edit while another practice has an error")
    args = ap.parse_args()

    practices = os.path.join(args.site, "content", "practices")
    name = sorted(f for f in os.listdir(practices) if f.endswith(".md"))[len(os.listdir(practices)) // 2]
    path = os.path.join(practices, name)
    original = open(path, encoding="utf-8").read()
    slug = None
    for line in original.splitlines()[1:]:
        if line.startswith("slug:"):
            slug = line.split(":", 1)[1].strip()
        if line == "---":
            break
    slug = slug or name[:-3]
    page = f"praktijken/{slug}/index.html"
    broken_path = os.path.join(practices, sorted(f for f in os.listdir(practices) if f.endswith(".md"))[0])
    broken_original = open(broken_path, encoding="utf-8").read()

    start = time.perf_counter()
    server = subprocess.Popen(
        [args.bin, "serve", "--root", args.site, "--port", str(args.port)],
        stdout=subprocess.PIPE,
        stderr=open(os.environ.get("SERVE_ERR", os.devnull), "w"),
        text=True,
    )
    built = threading.Event()
    whole = []

    def watch_stdout():
        for line in server.stdout:
            if line.startswith("built ") and not built.is_set():
                whole.append(time.perf_counter() - start)
                built.set()

    threading.Thread(target=watch_stdout, daemon=True).start()
    try:
        while True:
            try:
                if get(args.port, "/")[0] == 200:
                    break
            except OSError:
                time.sleep(0.01)
        startup = time.perf_counter() - start
        if not built.wait(timeout=600):
            sys.exit("the first build did not finish")
        q = queue.Queue()
        threading.Thread(target=events, args=(args.port, q), daemon=True).start()
        time.sleep(0.5)
        if args.broken:
            lines = broken_original.split("\n")
            at = next(i for i, l in enumerate(lines) if l.startswith("status:"))
            lines[at] = "status: kapot"
            with open(broken_path, "w", encoding="utf-8") as f:
                f.write("\n".join(lines))
            while '"problems_changed":true' not in q.get(timeout=120)[1]:
                pass
        latencies, rss = [], []
        for i in range(args.edits):
            marker = f"Bewerking {i} van de redactie."
            tmp = path + ".tmp"
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(original + f"\n{marker}\n")
            saved = time.perf_counter()
            os.replace(tmp, path)
            while True:
                at, data = q.get(timeout=120)
                if page in data and at >= saved:
                    break
            latencies.append(at - saved)
            status, body = get(args.port, f"/praktijken/{slug}/")
            if status != 200 or marker not in body:
                sys.exit(f"edit {i}: the page does not show the edit")
            rss.append(rss_kb(server.pid))
        lat = sorted(latencies)
        p = lambda q_: lat[min(len(lat) - 1, int(q_ * len(lat)))] * 1000
        print(f"site: {args.site}")
        print(f"start-up to first page: {startup * 1000:.0f} ms")
        print(f"start-up to whole site: {whole[0] * 1000:.0f} ms")
        print(
            f"edit to reload event ({len(lat)} edits): p50 {statistics.median(lat) * 1000:.0f} ms, "
            f"p90 {p(0.9):.0f} ms, max {lat[-1] * 1000:.0f} ms"
        )
        print(
            f"server memory (VmRSS): after edit 1 {rss[0] / 1024:.0f} MB, "
            f"after edit {len(rss)} {rss[-1] / 1024:.0f} MB, max {max(rss) / 1024:.0f} MB"
        )
    finally:
        server.terminate()
        server.wait()
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
        with open(broken_path, "w", encoding="utf-8") as f:
            f.write(broken_original)


if __name__ == "__main__":
    main()
